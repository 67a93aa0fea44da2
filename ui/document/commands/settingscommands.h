// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/documentedit.h"

namespace pw {

// Replaces a task's non-structural fields (display name, execution settings,
// ordering). `field` names what the inspector edited: edits of the same
// field of the same task merge into one undo step.
class SetTaskFieldCommand final : public DocumentEditCommand {
public:
    SetTaskFieldCommand(PipelineDocument *doc, const Task &after, const QString &field,
                        QUndoCommand *parent = nullptr);
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    QString m_taskId, m_field;
};

// Replaces the pipeline-level fields (name, description, parameters, root,
// node pools, ...).
class SetPipelineInfoCommand final : public QUndoCommand {
public:
    SetPipelineInfoCommand(PipelineDocument *doc, PipelineInfo after, const QString &field,
                           QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;

private:
    PipelineDocument *m_doc;
    PipelineInfo m_before, m_after;
    QString m_field;
};

} // namespace pw

#include <functional>

namespace pw {

// Applies `change` to a copy of the task and pushes a SetTaskFieldCommand
// when that changed anything. Returns false for unknown tasks and no-ops.
bool pushTaskEdit(PipelineDocument *doc, const QString &taskId, const QString &field,
                  const std::function<void(Task &)> &change);

} // namespace pw
