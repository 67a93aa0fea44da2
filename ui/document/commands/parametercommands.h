// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/documentedit.h"

namespace pw {

// Points every reference to pipeline parameter `from` at `to` (task
// arguments and settings, group conditions and loops, pipeline outputs), so
// renaming a parameter in the inspector keeps what was bound to it.
class RenameParameterReferencesCommand final : public DocumentEditCommand {
public:
    RenameParameterReferencesCommand(PipelineDocument *doc, const std::string &from, const std::string &to,
                                     QUndoCommand *parent = nullptr);
};

} // namespace pw
