// SPDX-License-Identifier: Apache-2.0
#include "inspector/groupinspector.h"

#include "canvas/groupframeitem.h"
#include "document/commands/groupcommands.h"
#include "document/pipelinedocument.h"
#include "inspector/bindingeditor.h"
#include "inspector/valuetext.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QVBoxLayout>

namespace pw {

namespace {

// The type of what a condition operand reads; nullopt for constants and
// what cannot be known here.
std::optional<PortType> operandType(const Pipeline &p, const Binding &b)
{
    if (b.kind == Binding::Kind::Parameter) {
        for (const PortSpec &in : p.inputs)
            if (in.name == b.name)
                return in.type;
    } else if (b.kind == Binding::Kind::TaskOutput) {
        const Task *t = p.root.task(b.task);
        const Component *c = t ? p.component(t->component) : nullptr;
        for (const PortSpec &out : c ? c->outputs : std::vector<PortSpec>{})
            if (out.name == b.name)
                return out.type;
    }
    return std::nullopt;
}

// Tasks inside group `id`, however deep.
QStringList tasksInside(const Graph &g, const std::string &id)
{
    QStringList inside;
    for (const Task &t : g.tasks)
        for (const Group *chain : g.groupChain(t.group))
            if (chain->id == id)
                inside << QString::fromStdString(t.id);
    return inside;
}

} // namespace

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
    m_op->setObjectName("group:op");
    m_op->addItems({"==", "!=", "<", "<=", ">", ">="});
    m_rhs = new BindingEditor(doc, "group:rhs", cond);
    cf->addRow(tr("Value"), m_lhs);
    cf->addRow(tr("Is"), m_op);
    cf->addRow(tr("Compared with"), m_rhs);
    m_conditionWarning = new QLabel(cond);
    m_conditionWarning->setObjectName("group:conditionWarning");
    m_conditionWarning->setStyleSheet("color: #b26a00");
    m_conditionWarning->setWordWrap(true);
    m_conditionWarning->hide();
    cf->addRow(m_conditionWarning);
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

void GroupInspector::showConditionWarning(const Condition &cond)
{
    const auto type = operandType(m_doc->pipeline(), cond.lhs);
    QString why;
    if (type && cond.rhs.kind == Binding::Kind::Constant &&
        !valuetext::toJson(valuetext::fromJson(cond.rhs.value), *type, &why))
        m_conditionWarning->setText(tr("%1 is %2; it is compared with %3: %4")
                                        .arg(valuetext::describe(cond.lhs), valuetext::typeName(*type),
                                             valuetext::fromJson(cond.rhs.value), why));
    else if (const auto rhsType = operandType(m_doc->pipeline(), cond.rhs);
             type && rhsType && !isAssignable(*rhsType, *type) && !isAssignable(*type, *rhsType))
        m_conditionWarning->setText(tr("%1 (%2) is compared with %3 (%4)")
                                        .arg(valuetext::describe(cond.lhs), valuetext::typeName(*type),
                                             valuetext::describe(cond.rhs), valuetext::typeName(*rhsType)));
    else
        m_conditionWarning->clear();
    m_conditionWarning->setVisible(!m_conditionWarning->text().isEmpty());
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
    // Operands are parameters from outside the condition; the right side is
    // typed like the left one, so 100 compared with an Integer is a number.
    const QStringList inside = tasksInside(m_doc->graph(), g->id);
    m_lhs->setOperandContext(std::nullopt, inside);
    m_rhs->setOperandContext(operandType(m_doc->pipeline(), cond.lhs), inside);
    m_lhs->setBinding(cond.lhs);
    m_rhs->setBinding(cond.rhs);
    showConditionWarning(cond);
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
