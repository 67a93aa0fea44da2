// SPDX-License-Identifier: Apache-2.0
#include "document/commands/bindingcommands.h"

#include "document/commands/commandids.h"

#include <QCoreApplication>

namespace pw {

SetArgumentCommand::SetArgumentCommand(PipelineDocument *doc, const QString &taskId, const QString &input,
                                       std::optional<Binding> binding, QUndoCommand *parent)
    : DocumentEditCommand(doc, {}, parent), m_taskId(taskId), m_input(input)
{
    const Task *task = doc->task(taskId);
    if (!task)
        return;
    Task after = *task;
    const std::string name = input.toStdString();
    auto it = after.arguments.find(name);
    const bool wasEdge = it != after.arguments.end() && it->second.kind == Binding::Kind::TaskOutput;
    m_edge = wasEdge || (binding && binding->kind == Binding::Kind::TaskOutput);
    if (binding && binding->isSet())
        after.arguments[name] = *binding;
    else
        after.arguments.erase(name);
    if (!(after == *task))
        m_edit.changeTask(*task, after);
    const char *what = !m_edge                                          ? "Set %1"
                       : binding && binding->kind == Binding::Kind::TaskOutput ? "Connect %1"
                                                                               : "Disconnect %1";
    setText(QCoreApplication::translate("pw::Commands", what).arg(input));
}

int SetArgumentCommand::id() const
{
    return m_edge ? NoMerge : SetArgumentId;
}

bool SetArgumentCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetArgumentCommand *>(other);
    return o->m_taskId == m_taskId && o->m_input == m_input && !o->m_edge && mergeChange(o);
}

} // namespace pw
