// SPDX-License-Identifier: Apache-2.0
#include "inspector/bindingeditor.h"

#include "document/pipelinedocument.h"
#include "inspector/valuetext.h"
#include "validate/connection.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace pw {

namespace {

struct RunKindInfo {
    pw::RunValue::Kind kind;
    const char *label;
    bool time;
};
const RunKindInfo kRunKinds[] = {
    {pw::RunValue::Kind::CreateTime, "Run start time (run.created)", true},
    {pw::RunValue::Kind::ScheduleTime, "Scheduled time (run.scheduled)", true},
    {pw::RunValue::Kind::JobName, "Run name (run.name)", false},
    {pw::RunValue::Kind::JobId, "Run id (run.id)", false},
    {pw::RunValue::Kind::TaskName, "Task name (run.task)", false},
    {pw::RunValue::Kind::PipelineRoot, "Pipeline root (run.root)", false},
};

QWidget *row(QWidget *parent, std::initializer_list<QWidget *> widgets)
{
    auto *w = new QWidget(parent);
    auto *l = new QHBoxLayout(w);
    l->setContentsMargins(0, 0, 0, 0);
    for (QWidget *x : widgets)
        l->addWidget(x, 1);
    return w;
}

} // namespace

BindingEditor::BindingEditor(PipelineDocument *doc, const QString &name, QWidget *parent)
    : QWidget(parent), m_doc(doc)
{
    setObjectName(name);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(name + ":mode");
    m_mode->addItem(tr("Not set"), Unset);
    m_mode->addItem(tr("Value"), Constant);
    m_mode->addItem(tr("Pipeline parameter"), Parameter);
    m_mode->addItem(tr("Upstream output"), Upstream);
    m_mode->addItem(tr("Run-time value"), RunValue);
    m_stack = new QStackedWidget(this);
    // Hidden pages are Ignored (showPage), which also makes them "expanding":
    // never grow the editor past what its current page needs.
    m_stack->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    m_constant = new QLineEdit(this);
    m_constant->setObjectName(name + ":value");
    m_parameter = new QComboBox(this);
    m_parameter->setObjectName(name + ":parameter");
    m_upstream = new QComboBox(this);
    m_upstream->setObjectName(name + ":upstream");
    m_runKind = new QComboBox(this);
    for (const auto &k : kRunKinds)
        m_runKind->addItem(tr(k.label), int(k.kind));
    m_runFormat = new QLineEdit(this);
    m_runFormat->setPlaceholderText(tr("strftime format, e.g. %Y%m%d"));
    m_runZone = new QComboBox(this);
    m_runZone->setEditable(true);
    m_runZone->addItems({"UTC", "Asia/Tokyo", "Asia/Kolkata", "Asia/Singapore", "Europe/London", "Europe/Berlin",
                         "America/New_York", "America/Chicago", "America/Los_Angeles", "Australia/Sydney"});
    m_runZone->setToolTip(tr("IANA time zone of the date"));
    auto *runBox = new QWidget(this);
    auto *runLayout = new QVBoxLayout(runBox);
    runLayout->setContentsMargins(0, 0, 0, 0);
    runLayout->setSpacing(2);
    runLayout->addWidget(m_runKind);
    runLayout->addWidget(row(runBox, {m_runFormat, m_runZone}));
    m_loop = new QComboBox(this);
    m_loopField = new QLineEdit(this);
    m_loopField->setPlaceholderText(tr("field (optional)"));
    m_other = new QLabel(this);
    m_other->setWordWrap(true);

    m_stack->addWidget(new QWidget(this)); // Unset
    m_stack->addWidget(m_constant);
    m_stack->addWidget(m_parameter);
    m_stack->addWidget(m_upstream);
    m_stack->addWidget(runBox);
    m_stack->addWidget(row(this, {m_loop, m_loopField}));
    m_stack->addWidget(m_other);
    m_error = new QLabel(this);
    m_error->setObjectName(name + ":error");
    m_error->setStyleSheet("color: #d32f2f");
    m_error->setWordWrap(true);
    m_error->hide();
    layout->addWidget(m_mode);
    layout->addWidget(m_stack);
    layout->addWidget(m_error);

    connect(m_mode, &QComboBox::currentIndexChanged, this, [this] {
        showPage(m_mode->currentData().toInt());
        if (!m_loading)
            commit();
    });
    connect(m_constant, &QLineEdit::editingFinished, this, &BindingEditor::commit);
    connect(m_parameter, &QComboBox::activated, this, &BindingEditor::commit);
    connect(m_upstream, &QComboBox::activated, this, &BindingEditor::commit);
    connect(m_runKind, &QComboBox::activated, this, [this] {
        updateRunFields();
        commit();
    });
    connect(m_runFormat, &QLineEdit::editingFinished, this, &BindingEditor::commit);
    connect(m_runZone, &QComboBox::activated, this, &BindingEditor::commit);
    connect(m_runZone->lineEdit(), &QLineEdit::editingFinished, this, &BindingEditor::commit);
    connect(m_loop, &QComboBox::activated, this, &BindingEditor::commit);
    connect(m_loopField, &QLineEdit::editingFinished, this, &BindingEditor::commit);
}

void BindingEditor::setContext(std::optional<PortType> type, const QString &consumer, const QStringList &loops)
{
    m_type = std::move(type);
    m_consumer = consumer;
    m_loops = loops;
    const int loopIndex = m_mode->findData(LoopItem);
    if (!loops.isEmpty() && loopIndex < 0)
        m_mode->addItem(tr("Loop item"), LoopItem);
    if (m_type && m_type->isParameter() && m_type->parameter == ParameterType::Boolean)
        m_constant->setPlaceholderText("true / false");
    else if (m_type && m_type->isParameter() && m_type->parameter == ParameterType::List)
        m_constant->setPlaceholderText("[\"a\", \"b\"]");
    else if (m_type && m_type->isParameter() && m_type->parameter == ParameterType::Struct)
        m_constant->setPlaceholderText("{\"key\": \"value\"}");
    else
        m_constant->setPlaceholderText({});
    if (m_type && m_type->isArtifact()) {
        // Artifacts cannot be typed in; keep only the modes that can bind one.
        for (Mode m : {Constant, RunValue})
            if (int i = m_mode->findData(m); i >= 0)
                m_mode->removeItem(i);
    }
}

void BindingEditor::setOperandContext(std::optional<PortType> type, const QStringList &insideTasks)
{
    m_parametersOnly = true;
    m_excludedTasks = insideTasks;
    setContext(std::move(type), {}, {});
}

bool BindingEditor::offers(const PortType &type) const
{
    if (m_parametersOnly && !type.isParameter())
        return false;
    return !m_type || isAssignable(type, *m_type);
}

void BindingEditor::fillChoices()
{
    const Pipeline &p = m_doc->pipeline();
    m_parameter->clear();
    for (const PortSpec &in : p.inputs) {
        if (!offers(in.type))
            continue;
        m_parameter->addItem(QStringLiteral("%1 (%2)").arg(QString::fromStdString(in.name),
                                                           valuetext::typeName(in.type)),
                             QString::fromStdString(in.name));
    }
    m_upstream->clear();
    for (const Task &t : p.root.tasks) {
        if (QString::fromStdString(t.id) == m_consumer ||
            m_excludedTasks.contains(QString::fromStdString(t.id)))
            continue;
        const Component *c = p.component(t.component);
        if (!c)
            continue;
        for (const PortSpec &out : c->outputs) {
            if (!offers(out.type))
                continue;
            const bool current = m_current.kind == Binding::Kind::TaskOutput && m_current.task == t.id &&
                                 m_current.name == out.name;
            if (!current && !m_consumer.isEmpty() && dependsOn(p.root, t.id, m_consumer.toStdString(), nullptr))
                continue; // would close a cycle
            m_upstream->addItem(QStringLiteral("%1 → %2").arg(QString::fromStdString(t.label()),
                                                              QString::fromStdString(out.name)),
                                QStringList{QString::fromStdString(t.id), QString::fromStdString(out.name)});
        }
    }
    m_loop->clear();
    m_loop->addItems(m_loops);
}

void BindingEditor::updateRunFields()
{
    const auto kind = pw::RunValue::Kind(m_runKind->currentData().toInt());
    const bool time = kind == pw::RunValue::Kind::CreateTime || kind == pw::RunValue::Kind::ScheduleTime;
    m_runFormat->setEnabled(time);
    m_runZone->setEnabled(time);
}

void BindingEditor::setBinding(const Binding &b)
{
    m_loading = true;
    m_current = b;
    fillChoices();
    Mode mode = Other;
    switch (b.kind) {
    case Binding::Kind::None:
        mode = Unset;
        break;
    case Binding::Kind::Constant:
        mode = Constant;
        if (!m_constant->hasFocus() || valuetext::fromJson(b.value) != m_constant->text())
            m_constant->setText(valuetext::fromJson(b.value));
        break;
    case Binding::Kind::Parameter:
        mode = Parameter;
        if (m_parameter->findData(QString::fromStdString(b.name)) < 0)
            m_parameter->addItem(QString::fromStdString(b.name), QString::fromStdString(b.name));
        m_parameter->setCurrentIndex(m_parameter->findData(QString::fromStdString(b.name)));
        break;
    case Binding::Kind::TaskOutput: {
        mode = Upstream;
        const QStringList key{QString::fromStdString(b.task), QString::fromStdString(b.name)};
        if (m_upstream->findData(key) < 0)
            m_upstream->addItem(valuetext::describe(b), key);
        m_upstream->setCurrentIndex(m_upstream->findData(key));
        break;
    }
    case Binding::Kind::RunValue:
        mode = RunValue;
        m_runKind->setCurrentIndex(m_runKind->findData(int(b.run.kind)));
        m_runFormat->setText(QString::fromStdString(b.run.format));
        m_runZone->setCurrentText(b.run.timeZone.empty() ? "UTC" : QString::fromStdString(b.run.timeZone));
        updateRunFields();
        break;
    case Binding::Kind::LoopItem:
        mode = LoopItem;
        if (m_loop->findText(QString::fromStdString(b.group)) < 0)
            m_loop->addItem(QString::fromStdString(b.group));
        m_loop->setCurrentText(QString::fromStdString(b.group));
        m_loopField->setText(QString::fromStdString(b.field));
        break;
    default:
        m_other->setText(tr("%1 (edit in the YAML)").arg(valuetext::describe(b)));
        break;
    }
    if (mode == Other && m_mode->findData(Other) < 0)
        m_mode->addItem(tr("Other"), Other);
    setMode(mode);
    m_error->hide();
    m_loading = false;
}

BindingEditor::Mode BindingEditor::mode() const
{
    return Mode(m_mode->currentData().toInt());
}

void BindingEditor::setMode(Mode mode)
{
    const int i = m_mode->findData(mode);
    if (i >= 0) {
        m_mode->setCurrentIndex(i);
        showPage(mode);
    }
}

void BindingEditor::showPage(int page)
{
    // A stacked widget is as tall as its tallest page; hidden pages must not
    // count, or a one-line value editor takes the run-value page's height.
    for (int i = 0; i < m_stack->count(); ++i)
        m_stack->widget(i)->setSizePolicy(QSizePolicy::Preferred,
                                          i == page ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_stack->setCurrentIndex(page);
    m_stack->setVisible(page != Unset);
    m_stack->adjustSize();
}

Binding BindingEditor::binding() const
{
    switch (mode()) {
    case Unset:
        return {};
    case Constant: {
        auto v = valuetext::toJson(m_constant->text(), m_type.value_or(PortType{}));
        return v ? Binding::constant(*v) : m_current;
    }
    case Parameter:
        return m_parameter->currentIndex() < 0 ? Binding{}
                                               : Binding::parameter(m_parameter->currentData().toString().toStdString());
    case Upstream: {
        const QStringList key = m_upstream->currentData().toStringList();
        return key.size() == 2 ? Binding::taskOutput(key[0].toStdString(), key[1].toStdString()) : Binding{};
    }
    case RunValue: {
        pw::RunValue r;
        r.kind = pw::RunValue::Kind(m_runKind->currentData().toInt());
        if (r.kind == pw::RunValue::Kind::CreateTime || r.kind == pw::RunValue::Kind::ScheduleTime) {
            r.format = m_runFormat->text().trimmed().toStdString();
            const QString zone = m_runZone->currentText().trimmed();
            r.timeZone = zone == "UTC" || zone.isEmpty() ? std::string() : zone.toStdString();
        }
        return Binding::runValue(r);
    }
    case LoopItem:
        return m_loop->currentText().isEmpty()
                   ? Binding{}
                   : Binding::loopItem(m_loop->currentText().toStdString(), m_loopField->text().trimmed().toStdString());
    case Other:
        return m_current;
    }
    return {};
}

void BindingEditor::commit()
{
    if (m_loading)
        return;
    if (mode() == Constant) {
        QString why;
        if (!valuetext::toJson(m_constant->text(), m_type.value_or(PortType{}), &why)) {
            m_error->setText(why);
            m_error->show();
            return;
        }
    }
    m_error->hide();
    const Binding b = binding();
    if (b == m_current)
        return;
    // Switching to "Value" with an empty field of a non-string port leaves
    // the binding as it was until something valid is typed.
    m_current = b;
    emit edited(b);
}

} // namespace pw
