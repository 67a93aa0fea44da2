// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/graph.h"

#include <string>

namespace pw {

// Points every reference to pipeline parameter `from` in a graph at `to`:
// task arguments (inside templates and oneOf too), settings taken from
// parameters (secret, volume and selector names) and `{{param.NAME}}` in
// resource fields, group conditions and loop items, and graph outputs.
// Returns whether anything changed. Sub-pipelines keep their own inputs.
bool renameParameterReferences(Graph &graph, const std::string &from, const std::string &to);

// The same for one task or group, for editors that record each change.
bool renameParameterReferences(Task &task, const std::string &from, const std::string &to);
bool renameParameterReferences(Group &group, const std::string &from, const std::string &to);

} // namespace pw
