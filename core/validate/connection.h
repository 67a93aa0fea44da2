// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"

#include <string>

namespace pw {

// Why binding output `output` of task `fromTask` to input `input` of task
// `toTask` (both in `graph`) would be wrong, in words for a tooltip; empty
// when the connection is fine. Checks that both ports exist, that the types
// are assignable (KFP rules) and that no cycle would form. The canvas asks
// before it creates an edge; full validation still runs afterwards.
std::string connectionProblem(const Pipeline &pipeline, const Graph &graph, const std::string &fromTask,
                              const std::string &output, const std::string &toTask, const std::string &input);

// True when `to` depends, directly or not, on `from` through data edges or
// `after` (so an edge to -> from would close a cycle). Fills `path` with the
// chain from -> ... -> to when it does.
bool dependsOn(const Graph &graph, const std::string &to, const std::string &from, std::vector<std::string> *path);

} // namespace pw
