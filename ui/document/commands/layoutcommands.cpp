// SPDX-License-Identifier: Apache-2.0
#include "document/commands/layoutcommands.h"

#include "document/commands/commandids.h"

namespace pw {

MoveItemsCommand::MoveItemsCommand(PipelineDocument *doc, std::map<QString, Move> tasks,
                                   std::map<QString, Move> groups, const QString &text, bool nudge,
                                   QUndoCommand *parent)
    : QUndoCommand(text, parent), m_doc(doc), m_tasks(std::move(tasks)), m_groups(std::move(groups)), m_nudge(nudge)
{
}

void MoveItemsCommand::redo()
{
    for (const auto &[id, m] : m_tasks)
        m_doc->setTaskPosition(id, m.to);
    for (const auto &[id, m] : m_groups)
        m_doc->setGroupPosition(id, m.to);
}

void MoveItemsCommand::undo()
{
    for (const auto &[id, m] : m_tasks)
        m_doc->setTaskPosition(id, m.from);
    for (const auto &[id, m] : m_groups)
        m_doc->setGroupPosition(id, m.from);
}

int MoveItemsCommand::id() const
{
    return m_nudge ? NudgeItemsId : NoMerge;
}

bool MoveItemsCommand::mergeWith(const QUndoCommand *other)
{
    const auto *o = static_cast<const MoveItemsCommand *>(other);
    auto sameKeys = [](const std::map<QString, Move> &a, const std::map<QString, Move> &b) {
        if (a.size() != b.size())
            return false;
        for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j)
            if (i->first != j->first)
                return false;
        return true;
    };
    if (!o->m_nudge || !sameKeys(m_tasks, o->m_tasks) || !sameKeys(m_groups, o->m_groups))
        return false;
    for (auto &[id, m] : m_tasks)
        m.to = o->m_tasks.at(id).to;
    for (auto &[id, m] : m_groups)
        m.to = o->m_groups.at(id).to;
    return true;
}

} // namespace pw
