// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/pipelinedocument.h"

#include <QUndoCommand>

namespace pw {

// Swaps in a whole other pipeline as one undoable step: recovering unsaved
// changes after a crash, so the recovered edits can be undone back to the
// file on disk.
class ReplacePipelineCommand final : public QUndoCommand {
public:
    ReplacePipelineCommand(PipelineDocument *doc, Pipeline after, const QString &text,
                           QUndoCommand *parent = nullptr);
    void redo() override;
    void undo() override;

private:
    PipelineDocument *m_doc;
    Pipeline m_before, m_after;
};

} // namespace pw
