// SPDX-License-Identifier: Apache-2.0
#include "document/commands/settingscommands.h"

#include "document/commands/commandids.h"

#include <QCoreApplication>

namespace pw {

SetTaskFieldCommand::SetTaskFieldCommand(PipelineDocument *doc, const Task &after, const QString &field,
                                         QUndoCommand *parent)
    : DocumentEditCommand(doc, QCoreApplication::translate("pw::Commands", "Change %1").arg(field), parent),
      m_taskId(QString::fromStdString(after.id)), m_field(field)
{
    if (const Task *before = doc->task(m_taskId); before && !(*before == after))
        m_edit.changeTask(*before, after);
}

int SetTaskFieldCommand::id() const
{
    return SetTaskFieldId;
}

bool SetTaskFieldCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetTaskFieldCommand *>(other);
    return o->m_taskId == m_taskId && o->m_field == m_field && mergeChange(o);
}

SetPipelineInfoCommand::SetPipelineInfoCommand(PipelineDocument *doc, PipelineInfo after, const QString &field,
                                               QUndoCommand *parent)
    : QUndoCommand(QCoreApplication::translate("pw::Commands", "Change pipeline %1").arg(field), parent),
      m_doc(doc), m_before(PipelineInfo::of(doc->pipeline())), m_after(std::move(after)), m_field(field)
{
}

void SetPipelineInfoCommand::redo()
{
    m_doc->setInfo(m_after);
}

void SetPipelineInfoCommand::undo()
{
    m_doc->setInfo(m_before);
}

int SetPipelineInfoCommand::id() const
{
    return SetPipelineInfoId;
}

bool SetPipelineInfoCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const SetPipelineInfoCommand *>(other);
    if (o->m_field != m_field)
        return false;
    m_after = o->m_after;
    if (m_after == m_before)
        setObsolete(true);
    return true;
}

} // namespace pw

namespace pw {

bool pushTaskEdit(PipelineDocument *doc, const QString &taskId, const QString &field,
                  const std::function<void(Task &)> &change)
{
    const Task *t = doc->task(taskId);
    if (!t)
        return false;
    Task after = *t;
    change(after);
    if (after == *t)
        return false;
    doc->undoStack()->push(new SetTaskFieldCommand(doc, after, field));
    return true;
}

} // namespace pw
