// SPDX-License-Identifier: Apache-2.0
#include "inspector/groupinspector.h"

#include "canvas/groupframeitem.h"
#include "document/commands/groupcommands.h"
#include "document/pipelinedocument.h"
#include "inspector/bindingeditor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pw {

GroupInspector::GroupInspector(PipelineDocument *doc, QWidget *parent) : QWidget(parent), m_doc(doc)
{
    setObjectName("groupInspector");
    auto *layout = new QVBoxLayout(this);
    m_title = new QLabel(this);
    m_title->setWordWrap(true);
    QFont f = m_title->font();
    f.setBold(true);
    m_title->setFont(f);
    layout->addWidget(m_title);
    auto *form = new QFormLayout;
    m_displayName = new QLineEdit(this);
    m_displayName->setObjectName("group:displayName");
    form->addRow(tr("Display name"), m_displayName);
    layout->addLayout(form);

    auto *cond = new QGroupBox(tr("Condition"), this);
    auto *cf = new QFormLayout(cond);
    m_lhs = new BindingEditor(doc, "group:lhs", cond);
    m_op = new QComboBox(cond);
    m_op->addItems({"==", "!=", "<", "<=", ">", ">="});
    m_rhs = new BindingEditor(doc, "group:rhs", cond);
    cf->addRow(tr("Value"), m_lhs);
    cf->addRow(tr("Is"), m_op);
    cf->addRow(tr("Compared with"), m_rhs);
    m_conditionBox = cond;
    layout->addWidget(cond);

    auto *loop = new QGroupBox(tr("Loop"), this);
    auto *lf = new QFormLayout(loop);
    m_items = new BindingEditor(doc, "group:items", loop);
    m_items->setContext(PortType::param(ParameterType::List), {}, {});
    m_parallelism = new QSpinBox(loop);
    m_parallelism->setRange(0, 10000);
    m_parallelism->setSpecialValueText(tr("unlimited"));
    lf->addRow(tr("Items"), m_items);
    lf->addRow(tr("Parallelism"), m_parallelism);
    m_loopBox = loop;
    layout->addWidget(loop);

    auto *exit = new QGroupBox(tr("Exit handler"), this);
    auto *ef = new QFormLayout(exit);
    m_exitTask = new QComboBox(exit);
    ef->addRow(tr("Exit task"), m_exitTask);
    m_exitBox = exit;
    layout->addWidget(exit);
    layout->addStretch();

    connect(m_displayName, &QLineEdit::editingFinished, this, [this] {
        edit(tr("name"), [this](Group &g) { g.displayName = m_displayName->text().trimmed().toStdString(); });
    });
    connect(m_lhs, &BindingEditor::edited, this, [this](const Binding &b) {
        edit(tr("condition"), [&](Group &g) {
            if (!g.condition)
                g.condition = Condition{};
            g.condition->lhs = b;
        });
    });
    connect(m_rhs, &BindingEditor::edited, this, [this](const Binding &b) {
        edit(tr("condition"), [&](Group &g) {
            if (!g.condition)
                g.condition = Condition{};
            g.condition->rhs = b;
        });
    });
    connect(m_op, &QComboBox::activated, this, [this] {
        edit(tr("condition"), [this](Group &g) {
            if (!g.condition)
                g.condition = Condition{};
            g.condition->op = m_op->currentText().toStdString();
        });
    });
    connect(m_items, &BindingEditor::edited, this,
            [this](const Binding &b) { edit(tr("loop items"), [&](Group &g) { g.loop.items = b; }); });
    connect(m_parallelism, &QSpinBox::valueChanged, this,
            [this](int v) { edit(tr("parallelism"), [v](Group &g) { g.loop.parallelism = v; }); });
    connect(m_exitTask, &QComboBox::activated, this, [this] {
        edit(tr("exit task"), [this](Group &g) { g.exitTask = m_exitTask->currentData().toString().toStdString(); });
    });
    connect(doc, &PipelineDocument::groupChanged, this, [this](const QString &id) {
        if (id == m_groupId)
            load();
    });
}

void GroupInspector::edit(const QString &field, const std::function<void(Group &)> &change)
{
    const Group *g = m_doc->group(m_groupId);
    if (!g)
        return;
    Group after = *g;
    change(after);
    if (!(after == *g))
        m_doc->undoStack()->push(new SetGroupFieldCommand(m_doc, after, field));
}

void GroupInspector::setGroup(const QString &groupId)
{
    m_groupId = groupId;
    load();
}

void GroupInspector::load()
{
    const Group *g = m_doc->group(m_groupId);
    if (!g)
        return;
    m_title->setText(GroupFrameItem::describe(*g));
    if (!m_displayName->hasFocus())
        m_displayName->setText(QString::fromStdString(g->displayName));
    m_conditionBox->setVisible(g->kind == Group::Kind::Condition);
    m_loopBox->setVisible(g->kind == Group::Kind::Loop);
    m_exitBox->setVisible(g->kind == Group::Kind::ExitHandler);
    const Condition cond = g->condition.value_or(Condition{});
    m_lhs->setBinding(cond.lhs);
    m_rhs->setBinding(cond.rhs);
    const QSignalBlocker b1(m_op), b2(m_parallelism), b3(m_exitTask);
    m_op->setCurrentText(QString::fromStdString(cond.op));
    m_items->setBinding(g->loop.items);
    m_parallelism->setValue(g->loop.parallelism);
    m_exitTask->clear();
    m_exitTask->addItem(tr("(none)"), QString());
    for (const Task &t : m_doc->graph().tasks)
        m_exitTask->addItem(QString::fromStdString(t.label()), QString::fromStdString(t.id));
    m_exitTask->setCurrentIndex(std::max(0, m_exitTask->findData(QString::fromStdString(g->exitTask))));
}

} // namespace pw
