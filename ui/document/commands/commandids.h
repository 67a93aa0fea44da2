// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw {

// QUndoCommand::id() values. Commands with the same id may merge (typing in
// one field, nudging the same selection), so every mergeable command has its
// own id here and nowhere else.
enum CommandId : int {
    NoMerge = -1,
    SetArgumentId = 100,
    SetTaskFieldId,
    SetPipelineInfoId,
    SetGroupFieldId,
    NudgeItemsId,
};

} // namespace pw
