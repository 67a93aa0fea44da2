// SPDX-License-Identifier: Apache-2.0
#include "inspector/pipelineinspector.h"

#include "document/commands/groupcommands.h"
#include "document/commands/parametercommands.h"
#include "document/commands/settingscommands.h"
#include "document/pipelinedocument.h"
#include "inspector/rowstable.h"
#include "inspector/valuetext.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <optional>

namespace pw {

namespace {

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

std::string text(const QString &s)
{
    return s.trimmed().toStdString();
}

void setText(QLineEdit *e, const std::string &v)
{
    if (!e->hasFocus() && e->text() != q(v))
        e->setText(q(v));
}

// Node pool cells: "key=value, ..." selectors and "key=value:Effect" tolerations.
QString tolerationsText(const std::vector<Toleration> &tolerations)
{
    QStringList items;
    for (const Toleration &t : tolerations)
        items << q(t.key) + (t.value.empty() ? "" : "=" + q(t.value)) + (t.effect.empty() ? "" : ":" + q(t.effect));
    return items.join(", ");
}

std::vector<Toleration> parseTolerations(const QString &text)
{
    std::vector<Toleration> result;
    for (QString item : text.split(',', Qt::SkipEmptyParts)) {
        Toleration t;
        item = item.trimmed();
        if (const int colon = item.lastIndexOf(':'); colon > 0) {
            t.effect = item.mid(colon + 1).trimmed().toStdString();
            item = item.left(colon);
        }
        if (const int eq = item.indexOf('='); eq > 0) {
            t.key = item.left(eq).trimmed().toStdString();
            t.value = item.mid(eq + 1).trimmed().toStdString();
            t.op = "Equal";
        } else {
            t.key = item.trimmed().toStdString();
            t.op = "Exists";
        }
        result.push_back(t);
    }
    return result;
}

} // namespace

PipelineInspector::PipelineInspector(PipelineDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    setObjectName("pipelineInspector");
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Pipeline"), this);
    QFont f = title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    title->setFont(f);
    layout->addWidget(title);
    auto *form = new QFormLayout;
    m_name = line("pipeline:name", "name", [](PipelineInfo &i, const std::string &v) { i.name = v; });
    m_displayName =
        line("pipeline:displayName", "display name", [](PipelineInfo &i, const std::string &v) { i.displayName = v; });
    m_description =
        line("pipeline:description", "description", [](PipelineInfo &i, const std::string &v) { i.description = v; });
    m_root = line("pipeline:root", "pipeline root", [](PipelineInfo &i, const std::string &v) { i.pipelineRoot = v; });
    m_root->setPlaceholderText("gs://bucket/path");
    m_serviceAccount = line("pipeline:serviceAccount", "service account",
                            [](PipelineInfo &i, const std::string &v) { i.serviceAccount = v; });
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Display name"), m_displayName);
    form->addRow(tr("Description"), m_description);
    form->addRow(tr("Pipeline root"), m_root);
    form->addRow(tr("Service account"), m_serviceAccount);
    m_defaultPool = new QComboBox(this);
    m_defaultPool->setObjectName("pipeline:defaultNodePool");
    form->addRow(tr("Default node pool"), m_defaultPool);
    m_exitTask = new QComboBox(this);
    m_exitTask->setObjectName("pipeline:exitTask");
    m_exitTask->setToolTip(tr("A task that runs after all others, whatever their outcome (e.g. a failure notification)"));
    form->addRow(tr("Exit handler task"), m_exitTask);
    layout->addLayout(form);

    auto *params = new QGroupBox(tr("Parameters"), this);
    auto *pl = new QVBoxLayout(params);
    m_parameters = new RowsTable("pipeline:parameters", {tr("Name"), tr("Type"), tr("Default"), tr("Description")}, params);
    pl->addWidget(m_parameters);
    layout->addWidget(params);
    auto *pools = new QGroupBox(tr("Node pools"), this);
    auto *nl = new QVBoxLayout(pools);
    m_pools = new RowsTable("pipeline:nodePools", {tr("Name"), tr("Node selector"), tr("Tolerations")}, pools);
    m_pools->setToolTip(tr("Selector: label=value, …   Tolerations: key=value:Effect, …"));
    m_pools->setColumnHints({{}, tr("label=value, …"), tr("key=value:Effect, …")});
    nl->addWidget(m_pools);
    layout->addWidget(pools);
    layout->addStretch();

    connect(m_defaultPool, &QComboBox::activated, this, [this] {
        edit("default node pool", [this](PipelineInfo &i) { i.defaultNodePool = text(m_defaultPool->currentText()); });
    });
    connect(m_exitTask, &QComboBox::activated, this,
            [this] { setExitTask(m_exitTask->currentData().toString()); });
    connect(m_parameters, &RowsTable::rowsEdited, this, &PipelineInspector::parametersEdited);
    connect(m_pools, &RowsTable::rowsEdited, this, [this] {
        edit("node pools", [this](PipelineInfo &info) {
            info.nodePools.clear();
            for (const QStringList &r : m_pools->rows())
                info.nodePools.push_back({text(r[0]), valuetext::splitPairs(r[1]), parseTolerations(r[2])});
        });
    });
    connect(doc, &PipelineDocument::infoChanged, this, &PipelineInspector::load);
    connect(doc, &PipelineDocument::documentReset, this, &PipelineInspector::load);
    connect(doc, &PipelineDocument::groupChanged, this, &PipelineInspector::load);
    connect(doc, &PipelineDocument::groupAdded, this, &PipelineInspector::load);
    connect(doc, &PipelineDocument::groupRemoved, this, &PipelineInspector::load);
    connect(doc, &PipelineDocument::taskAdded, this, &PipelineInspector::load);
    connect(doc, &PipelineDocument::taskRemoved, this, &PipelineInspector::load);
    load();
}

QLineEdit *PipelineInspector::line(const QString &name, const QString &field,
                                   const std::function<void(PipelineInfo &, const std::string &)> &apply)
{
    auto *e = new QLineEdit(this);
    e->setObjectName(name);
    connect(e, &QLineEdit::editingFinished, this,
            [this, e, field, apply] { edit(field, [&](PipelineInfo &i) { apply(i, text(e->text())); }); });
    return e;
}

namespace {

// A row whose name changed in place, with no other name added or removed, is
// a rename (old name, new name); anything else is an edit of the list.
std::optional<std::pair<std::string, std::string>> renamedParameter(const std::vector<PortSpec> &before,
                                                                    const std::vector<std::string> &after)
{
    if (before.size() != after.size())
        return std::nullopt;
    std::optional<std::pair<std::string, std::string>> renamed;
    for (std::size_t i = 0; i < after.size(); ++i) {
        if (before[i].name == after[i])
            continue;
        if (renamed)
            return std::nullopt;
        renamed = std::make_pair(before[i].name, after[i]);
    }
    if (!renamed)
        return std::nullopt;
    const auto named = [&](const std::string &n) {
        return std::any_of(before.begin(), before.end(), [&](const PortSpec &p) { return p.name == n; });
    };
    if (named(renamed->second) || std::count(after.begin(), after.end(), renamed->first))
        return std::nullopt;
    return renamed;
}

} // namespace

void PipelineInspector::parametersEdited()
{
    const QList<QStringList> rows = m_parameters->rows();
    std::vector<std::string> names;
    for (const QStringList &r : rows)
        names.push_back(text(r[0]));
    const auto renamed = renamedParameter(m_doc->pipeline().inputs, names);
    QUndoStack *stack = m_doc->undoStack();
    if (renamed)
        stack->beginMacro(tr("Rename parameter %1 to %2")
                              .arg(QString::fromStdString(renamed->first), QString::fromStdString(renamed->second)));
    edit("parameters", [&](PipelineInfo &info) {
        std::vector<PortSpec> inputs;
        for (const QStringList &r : rows) {
            PortSpec p;
            p.name = text(r[0]);
            // Keep what the table cannot show (optional, sourceType) for existing and renamed names.
            for (const PortSpec &old : info.inputs)
                if (old.name == p.name || (renamed && old.name == renamed->first && p.name == renamed->second))
                    p = old;
            p.name = text(r[0]);
            p.type = valuetext::typeFromName(r[1]).value_or(PortType::param(ParameterType::String));
            p.description = text(r[3]);
            if (r[2].trimmed().isEmpty())
                p.defaultValue.reset();
            else if (auto v = valuetext::toJson(r[2], p.type))
                p.defaultValue = *v;
            inputs.push_back(p);
        }
        info.inputs = inputs;
    });
    if (renamed) {
        stack->push(new RenameParameterReferencesCommand(m_doc, renamed->first, renamed->second));
        stack->endMacro();
    }
}

void PipelineInspector::edit(const QString &field, const std::function<void(PipelineInfo &)> &change)
{
    PipelineInfo info = PipelineInfo::of(m_doc->pipeline());
    const PipelineInfo before = info;
    change(info);
    if (!(info == before))
        m_doc->undoStack()->push(new SetPipelineInfoCommand(m_doc, info, field));
}

void PipelineInspector::setExitTask(const QString &taskId)
{
    const Graph &g = m_doc->graph();
    const Group *handler = nullptr;
    for (const Group &gr : g.groups)
        if (gr.kind == Group::Kind::ExitHandler && gr.parent.empty())
            handler = &gr;
    QUndoStack *stack = m_doc->undoStack();
    if (handler) {
        Group after = *handler;
        after.exitTask = taskId.toStdString();
        if (!(after == *handler))
            stack->push(new SetGroupFieldCommand(m_doc, after, "exit task"));
        return;
    }
    if (taskId.isEmpty())
        return;
    // No handler yet: wrap every other top-level task in one, as KFP's
    // dsl.ExitHandler does around a pipeline body.
    QStringList members;
    for (const Task &t : g.tasks)
        if (t.group.empty() && QString::fromStdString(t.id) != taskId)
            members << QString::fromStdString(t.id);
    stack->beginMacro(tr("Set exit handler"));
    auto *add = new AddGroupCommand(m_doc, Group::Kind::ExitHandler, members, std::nullopt);
    const QString groupId = add->groupId();
    stack->push(add);
    if (const Group *created = m_doc->group(groupId)) {
        Group after = *created;
        after.exitTask = taskId.toStdString();
        stack->push(new SetGroupFieldCommand(m_doc, after, "exit task"));
    }
    stack->endMacro();
}

void PipelineInspector::load()
{
    const Pipeline &p = m_doc->pipeline();
    setText(m_name, p.name);
    setText(m_displayName, p.displayName);
    setText(m_description, p.description);
    setText(m_root, p.pipelineRoot);
    setText(m_serviceAccount, p.serviceAccount);
    {
        const QSignalBlocker b1(m_defaultPool), b2(m_exitTask);
        m_defaultPool->clear();
        m_defaultPool->addItem(QString());
        for (const NodePool &pool : p.nodePools)
            m_defaultPool->addItem(q(pool.name));
        m_defaultPool->setCurrentText(q(p.defaultNodePool));
        m_exitTask->clear();
        m_exitTask->addItem(tr("(none)"), QString());
        for (const Task &t : p.root.tasks)
            m_exitTask->addItem(q(t.label()), q(t.id));
        for (const Group &g : p.root.groups)
            if (g.kind == Group::Kind::ExitHandler && g.parent.empty())
                m_exitTask->setCurrentIndex(std::max(0, m_exitTask->findData(q(g.exitTask))));
    }
    QList<QStringList> params;
    for (const PortSpec &in : p.inputs)
        params << QStringList{q(in.name), valuetext::typeName(in.type),
                              in.defaultValue ? valuetext::fromJson(*in.defaultValue) : QString(), q(in.description)};
    m_parameters->setRows(params);
    QList<QStringList> pools;
    for (const NodePool &pool : p.nodePools)
        pools << QStringList{q(pool.name), valuetext::joinPairs(pool.nodeSelector), tolerationsText(pool.tolerations)};
    m_pools->setRows(pools);
}

} // namespace pw
