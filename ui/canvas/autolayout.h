// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "layout/graphlayout.h"
#include "model/pipeline.h"

#include <functional>
#include <vector>

class QUndoCommand;

namespace pw {

class PipelineScene;

// The bindings a group reads from tasks: a loop's items, a condition's
// operands (task outputs or states).
std::vector<const Binding *> groupTaskInputs(const Group &group);

// What to lay out for the pipeline's root graph: every task (height from
// `height`), groups as clusters, and an edge for each data binding, ordering
// and group input; a group's input becomes an edge from its producer to every
// task inside, so a loop over an upstream output comes after its producer.
LayoutRequest pipelineLayoutRequest(const Pipeline &p, const std::function<double(const Task &)> &height);
// The same for any graph (a sub-pipeline's inside), with each box's size.
LayoutRequest graphLayoutRequest(const Graph &graph,
                                 const std::function<std::pair<double, double>(const Task &)> &size);

// Lays the whole pipeline out (layoutGraph: node sizes from the canvas,
// groups as clusters) and returns the move as one undo command, or nullptr
// when nothing would move.
QUndoCommand *makeAutoLayoutCommand(PipelineScene *scene, LayoutRequest::Direction direction);

} // namespace pw
