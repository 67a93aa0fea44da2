// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "layout/graphlayout.h"

class QUndoCommand;

namespace pw {

class PipelineScene;

// Lays the whole pipeline out with Graphviz dot (node sizes from the canvas,
// groups as clusters) and returns the move as one undo command, or nullptr
// when nothing would move.
QUndoCommand *makeAutoLayoutCommand(PipelineScene *scene, LayoutRequest::Direction direction);

} // namespace pw
