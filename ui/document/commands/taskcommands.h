// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/documentedit.h"

#include <QStringList>

namespace pw {

// Adds one task using `component` (added to the pipeline's components unless
// an equal one is there already) at `position`, inside group `group`.
class AddTaskCommand final : public DocumentEditCommand {
public:
    AddTaskCommand(PipelineDocument *doc, const Component &component, Layout::Point position,
                   const std::string &group = {}, QUndoCommand *parent = nullptr);
    QString taskId() const { return m_taskId; }

private:
    QString m_taskId;
};

// Deletes tasks and groups. Inputs bound to a deleted task's outputs are
// unbound, members of a deleted group move to its parent, components nothing
// uses any more are dropped; undo restores all of it with the same ids.
class RemoveItemsCommand final : public DocumentEditCommand {
public:
    RemoveItemsCommand(PipelineDocument *doc, const QStringList &taskIds, const QStringList &groupIds,
                       QUndoCommand *parent = nullptr);
};

} // namespace pw
