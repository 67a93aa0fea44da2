// SPDX-License-Identifier: Apache-2.0
#include "document/commands/pipelinecommands.h"

namespace pw {

ReplacePipelineCommand::ReplacePipelineCommand(PipelineDocument *doc, Pipeline after, const QString &text,
                                               QUndoCommand *parent)
    : QUndoCommand(text, parent), m_doc(doc), m_before(doc->pipeline()), m_after(std::move(after))
{
}

void ReplacePipelineCommand::redo()
{
    m_doc->replacePipeline(m_after);
}

void ReplacePipelineCommand::undo()
{
    m_doc->replacePipeline(m_before);
}

} // namespace pw
