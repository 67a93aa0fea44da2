// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/documentedit.h"

namespace pw {

// Binds (or with nullopt unbinds) one input of a task: a constant, a
// parameter, an upstream output (an edge on the canvas) or a run-time value.
// Consecutive edits of the same input merge, so typing a value is one step.
class SetArgumentCommand final : public DocumentEditCommand {
public:
    SetArgumentCommand(PipelineDocument *doc, const QString &taskId, const QString &input,
                       std::optional<Binding> binding, QUndoCommand *parent = nullptr);
    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;
    bool isNoOp() const { return m_edit.isEmpty(); }

private:
    QString m_taskId, m_input;
    bool m_edge = false; // edges (connect/disconnect) never merge with typing
};

} // namespace pw
