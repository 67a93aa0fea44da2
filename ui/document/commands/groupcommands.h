// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/documentedit.h"

#include <QStringList>

namespace pw {

// Wraps tasks in a new group frame (condition, loop or exit handler). The new
// group sits where the tasks sat when they all shared one group.
class AddGroupCommand final : public DocumentEditCommand {
public:
    AddGroupCommand(PipelineDocument *doc, Group::Kind kind, const QStringList &memberTasks,
                    std::optional<Layout::Point> position, QUndoCommand *parent = nullptr);
    QString groupId() const { return m_groupId; }

private:
    QString m_groupId;
};

// Adds an else-if (or else) branch after condition `conditionId` and moves
// tasks into it. A standalone condition first becomes the first branch of a
// new if/elif/else chain (a Branches group) in its place.
class AddBranchCommand final : public DocumentEditCommand {
public:
    AddBranchCommand(PipelineDocument *doc, const QString &conditionId, const QStringList &memberTasks,
                     bool elseBranch, QUndoCommand *parent = nullptr);
    QString groupId() const { return m_groupId; }
    // Why the branch cannot be added (not a condition, the chain already ends
    // in an else); empty when it can.
    QString problem() const { return m_problem; }

private:
    QString m_groupId, m_problem;
};

// Moves tasks into group `groupId` (empty: the graph root), e.g. after a drag
// into or out of a frame.
class SetTaskGroupCommand final : public DocumentEditCommand {
public:
    SetTaskGroupCommand(PipelineDocument *doc, const QStringList &taskIds, const QString &groupId,
                        QUndoCommand *parent = nullptr);
};

// Replaces a group's fields (condition, loop items, parallelism, name, exit
// task); edits of one field of one group merge.
class SetGroupFieldCommand final : public DocumentEditCommand {
public:
    SetGroupFieldCommand(PipelineDocument *doc, const Group &after, const QString &field,
                         QUndoCommand *parent = nullptr);
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    QString m_groupId, m_field;
};

} // namespace pw
