// SPDX-License-Identifier: Apache-2.0
#include "inspector/taskinspector.h"

#include "document/commands/bindingcommands.h"
#include "document/commands/settingscommands.h"
#include "document/pipelinedocument.h"
#include "inspector/bindingeditor.h"
#include "inspector/taskenvform.h"
#include "inspector/tasksettingsform.h"
#include "inspector/valuetext.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

namespace pw {

TaskInspector::TaskInspector(PipelineDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    setObjectName("taskInspector");
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    QFont f = m_title->font();
    f.setBold(true);
    f.setPointSizeF(f.pointSizeF() * 1.2);
    m_title->setFont(f);
    layout->addWidget(m_title);
    auto *form = new QFormLayout;
    m_displayName = new QLineEdit(this);
    m_displayName->setObjectName("task:displayName");
    form->addRow(tr("Display name"), m_displayName);
    m_component = new QLabel(this);
    m_component->setWordWrap(true);
    m_component->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Component"), m_component);
    layout->addLayout(form);

    auto *args = new QGroupBox(tr("Arguments"), this);
    m_argumentsBox = args;
    m_argumentsForm = new QFormLayout(args);
    m_argumentsForm->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->addWidget(args);
    m_settings = new TaskSettingsForm(doc, this);
    layout->addWidget(m_settings);
    m_env = new TaskEnvForm(doc, this);
    layout->addWidget(m_env);
    layout->addStretch();

    connect(m_displayName, &QLineEdit::editingFinished, this, [this] {
        pushTaskEdit(m_doc, m_taskId, tr("display name"), [this](Task &t) {
            const std::string name = m_displayName->text().trimmed().toStdString();
            t.displayName = name == t.id ? std::string() : name;
        });
    });
    connect(doc, &PipelineDocument::taskChanged, this, [this](const QString &id) {
        if (id == m_taskId)
            load();
    });
    // Parameters and other tasks feed the binding choices.
    connect(doc, &PipelineDocument::infoChanged, this, &TaskInspector::load);
    connect(doc, &PipelineDocument::taskAdded, this, &TaskInspector::load);
    connect(doc, &PipelineDocument::taskRemoved, this, &TaskInspector::load);
}

void TaskInspector::setTask(const QString &taskId)
{
    m_taskId = taskId;
    rebuildArguments();
    m_settings->setTask(taskId);
    m_env->setTask(taskId);
    load();
}

void TaskInspector::rebuildArguments()
{
    while (m_argumentsForm->rowCount() > 0)
        m_argumentsForm->removeRow(0);
    m_arguments.clear();
    const Task *t = m_doc->task(m_taskId);
    const Component *c = m_doc->componentOf(m_taskId);
    if (!t || !c) {
        m_argumentsForm->addRow(new QLabel(tr("The task's component is missing."), m_argumentsBox));
        return;
    }
    QStringList loops;
    for (const Group *g : m_doc->graph().groupChain(t->group))
        if (g->kind == Group::Kind::Loop)
            loops << QString::fromStdString(g->id);
    for (const PortSpec &in : c->inputs) {
        const QString name = QString::fromStdString(in.name);
        auto *editor = new BindingEditor(m_doc, "arg:" + name, m_argumentsBox);
        editor->setContext(in.type, m_taskId, loops);
        auto *label = new QLabel(QStringLiteral("%1\n%2%3").arg(name, valuetext::typeName(in.type),
                                                                 in.optional || in.defaultValue ? tr(", optional") : ""),
                                 m_argumentsBox);
        label->setTextFormat(Qt::PlainText);
        label->setToolTip(QString::fromStdString(in.description));
        editor->setToolTip(QString::fromStdString(in.description));
        m_argumentsForm->addRow(label, editor);
        m_arguments.insert(name, editor);
        connect(editor, &BindingEditor::edited, this, [this, name](const Binding &b) {
            auto *cmd = new SetArgumentCommand(m_doc, m_taskId, name,
                                               b.isSet() ? std::optional<Binding>(b) : std::nullopt);
            if (cmd->isNoOp())
                delete cmd;
            else
                m_doc->undoStack()->push(cmd);
        });
    }
    if (c->inputs.empty())
        m_argumentsForm->addRow(new QLabel(tr("This component takes no inputs."), m_argumentsBox));
}

void TaskInspector::load()
{
    const Task *t = m_doc->task(m_taskId);
    if (!t)
        return;
    m_title->setText(QString::fromStdString(t->label()));
    if (!m_displayName->hasFocus())
        m_displayName->setText(QString::fromStdString(t->label()));
    const Component *c = m_doc->componentOf(m_taskId);
    m_component->setText(c ? QStringLiteral("%1 (%2)").arg(QString::fromStdString(c->name),
                                                           QString::fromStdString(t->component))
                           : QString::fromStdString(t->component));
    for (auto it = m_arguments.cbegin(); it != m_arguments.cend(); ++it) {
        auto arg = t->arguments.find(it.key().toStdString());
        it.value()->setBinding(arg == t->arguments.end() ? Binding{} : arg->second);
    }
    m_settings->load();
    m_env->load();
}

} // namespace pw
