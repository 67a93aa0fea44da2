// SPDX-License-Identifier: Apache-2.0
#include "runview/runparametersdialog.h"

#include "compiler/parametervalues.h"
#include "runview/runtargetform.h"
#include "runview/scheduleform.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QGroupBox>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace pw {

namespace {

QString defaultText(const PortSpec &spec)
{
    if (!spec.defaultValue)
        return {};
    const nlohmann::json &v = *spec.defaultValue;
    return QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump());
}

} // namespace

RunParametersDialog::RunParametersDialog(const Pipeline &pipeline, BackendRegistry *registry, QWidget *parent,
                                         Mode mode)
    : QDialog(parent), m_pipelineName(pipeline.name)
{
    const QString title = QString::fromStdString(pipeline.displayName.empty() ? pipeline.name : pipeline.displayName);
    setWindowTitle(mode == Mode::Run ? tr("Run %1").arg(title) : tr("Schedule %1").arg(title));
    // Wide enough for paths and URIs in the fields without scrolling them.
    setMinimumWidth(760);
    auto *layout = new QVBoxLayout(this);
    if (registry) {
        auto *where = new QGroupBox(tr("Where"), this);
        auto *whereLayout = new QVBoxLayout(where);
        m_target = new RunTargetForm(registry, where);
        whereLayout->addWidget(m_target);
        layout->addWidget(where);
    }
    if (mode == Mode::Schedule) {
        auto *when = new QGroupBox(tr("When"), this);
        auto *whenLayout = new QVBoxLayout(when);
        m_schedule = new ScheduleForm(when);
        whenLayout->addWidget(m_schedule);
        layout->addWidget(when);
    }
    auto *parameters = new QGroupBox(tr("Parameters"), this);
    auto *form = new QFormLayout(parameters);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    for (const PortSpec &spec : pipeline.inputs) {
        if (!spec.type.isParameter() || spec.type.parameter == ParameterType::TaskFinalStatus)
            continue; // artifacts and exit-handler status are not typed in
        QWidget *editor = nullptr;
        const QString def = defaultText(spec);
        switch (spec.type.parameter) {
        case ParameterType::Boolean: {
            auto *box = new QCheckBox(this);
            box->setChecked(spec.defaultValue && spec.defaultValue->is_boolean() && spec.defaultValue->get<bool>());
            editor = box;
            break;
        }
        default: {
            auto *line = new QLineEdit(def, this);
            if (spec.type.parameter == ParameterType::Integer)
                line->setValidator(new QIntValidator(line));
            else if (spec.type.parameter == ParameterType::Double) {
                auto *v = new QDoubleValidator(line);
                v->setLocale(QLocale::c()); // the engine reads "0.3", whatever the user's locale
                line->setValidator(v);
            }
            if (spec.type.parameter == ParameterType::List || spec.type.parameter == ParameterType::Struct)
                line->setPlaceholderText(tr("JSON"));
            else if (!spec.defaultValue && !spec.optional)
                line->setPlaceholderText(tr("required"));
            editor = line;
            break;
        }
        }
        editor->setObjectName(QString::fromStdString(spec.name));
        editor->setToolTip(QString::fromStdString(spec.description));
        if (auto *line = qobject_cast<QLineEdit *>(editor)) {
            line->setMinimumWidth(360);
            // A value longer than the field can still be read whole.
            connect(line, &QLineEdit::textChanged, line, [line, spec](const QString &text) {
                const QString about = QString::fromStdString(spec.description);
                line->setToolTip(about.isEmpty() ? text : about + "\n\n" + text);
            });
        }
        const QString label = QStringLiteral("%1 (%2)").arg(QString::fromStdString(spec.name),
                                                            QString::fromStdString(spec.type.displayName()));
        if (spec.description.empty()) {
            form->addRow(label, editor);
        } else {
            // The description under its field, where it is read while typing.
            auto *cell = new QWidget(parameters);
            auto *cellLayout = new QVBoxLayout(cell);
            cellLayout->setContentsMargins(0, 0, 0, 0);
            cellLayout->setSpacing(1);
            cellLayout->addWidget(editor);
            auto *help = new QLabel(QString::fromStdString(spec.description), cell);
            help->setWordWrap(true);
            help->setStyleSheet("color: palette(mid); font-size: small");
            cellLayout->addWidget(help);
            form->addRow(label, cell);
        }
        m_fields.push_back({spec, editor});
    }
    if (m_fields.empty())
        form->addRow(new QLabel(tr("This pipeline has no parameters."), parameters));
    layout->addWidget(parameters);
    m_error = new QLabel(this);
    m_error->setStyleSheet("color: #c62828");
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_error);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(mode == Mode::Run ? tr("Run") : tr("Schedule"));
    connect(buttons, &QDialogButtonBox::accepted, this, &RunParametersDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &RunParametersDialog::reject);
    layout->addWidget(buttons);
    restoreLastUsed();
}

// Last time's choices for this pipeline, so a daily re-run is one click.
void RunParametersDialog::restoreLastUsed()
{
    QSettings settings;
    settings.beginGroup("runDialog/" + QString::fromStdString(m_pipelineName));
    const auto saved = nlohmann::json::parse(settings.value("parameters").toString().toStdString(), nullptr, false);
    if (saved.is_object()) {
        std::map<std::string, std::string> values;
        for (const auto &[k, v] : saved.items())
            if (v.is_string())
                values[k] = v.get<std::string>();
        setValues(values);
    }
    if (m_target) {
        m_target->setBackend(settings.value("backend").toString());
        m_target->setExperiment(settings.value("experiment").toString());
        if (auto *cache = m_target->findChild<QCheckBox *>("cache"); cache && settings.contains("cache"))
            cache->setChecked(settings.value("cache").toBool());
    }
}

void RunParametersDialog::saveLastUsed() const
{
    QSettings settings;
    settings.beginGroup("runDialog/" + QString::fromStdString(m_pipelineName));
    nlohmann::json values = nlohmann::json::object();
    for (const auto &[k, v] : this->values())
        values[k] = v;
    settings.setValue("parameters", QString::fromStdString(values.dump()));
    if (m_target) {
        RunSettings s;
        m_target->fill(s);
        settings.setValue("backend", m_target->backend());
        settings.setValue("experiment", QString::fromStdString(s.experiment));
        settings.setValue("cache", s.cache);
    }
}

RunSettings RunParametersDialog::settings() const
{
    RunSettings s;
    s.parameters = values();
    if (m_target)
        m_target->fill(s);
    return s;
}

ScheduleRequest RunParametersDialog::schedule() const
{
    ScheduleRequest request;
    if (m_schedule)
        m_schedule->fill(request);
    return request;
}

QString RunParametersDialog::backend() const { return m_target ? m_target->backend() : QStringLiteral("local"); }

QString RunParametersDialog::textOf(const Field &f) const
{
    if (auto *box = qobject_cast<QCheckBox *>(f.editor))
        return box->isChecked() ? QStringLiteral("true") : QStringLiteral("false");
    if (auto *line = qobject_cast<QLineEdit *>(f.editor))
        return line->text();
    return {};
}

std::map<std::string, std::string> RunParametersDialog::values() const
{
    std::map<std::string, std::string> out;
    for (const Field &f : m_fields) {
        const QString text = textOf(f);
        // An empty field keeps the default (or leaves an optional one unset),
        // except for strings with an empty default, where empty is the value.
        if (text.isEmpty() && !(f.spec.type.parameter == ParameterType::String && f.spec.defaultValue))
            continue;
        out[f.spec.name] = text.toStdString();
    }
    return out;
}

void RunParametersDialog::setValues(const std::map<std::string, std::string> &values)
{
    for (const Field &f : m_fields) {
        auto it = values.find(f.spec.name);
        if (it == values.end())
            continue;
        if (auto *box = qobject_cast<QCheckBox *>(f.editor))
            box->setChecked(it->second == "true");
        else if (auto *line = qobject_cast<QLineEdit *>(f.editor))
            line->setText(QString::fromStdString(it->second));
    }
}

QWidget *RunParametersDialog::editor(const QString &name) const
{
    for (const Field &f : m_fields)
        if (QString::fromStdString(f.spec.name) == name)
            return f.editor;
    return nullptr;
}

void RunParametersDialog::accept()
{
    // Same parsing as the CLI, so a value the engine would refuse is caught here.
    QStringList problems;
    for (const Field &f : m_fields) {
        const QString text = textOf(f);
        if (text.isEmpty()) {
            if (!f.spec.defaultValue && !f.spec.optional)
                problems << tr("%1 needs a value").arg(QString::fromStdString(f.spec.name));
            continue;
        }
        auto parsed = parseParameterValue(text.toStdString(), f.spec.type.parameter);
        if (!parsed.ok())
            problems << QStringLiteral("%1: %2").arg(QString::fromStdString(f.spec.name),
                                                     QString::fromStdString(parsed.error().message));
    }
    if (m_schedule)
        if (const QString problem = m_schedule->problem(); !problem.isEmpty())
            problems << problem;
    if (!problems.isEmpty()) {
        m_error->setText(problems.join('\n'));
        m_error->show();
        return;
    }
    saveLastUsed();
    QDialog::accept();
}

} // namespace pw
