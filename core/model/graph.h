// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/binding.h"
#include "model/group.h"
#include "model/task.h"

#include <string>
#include <vector>

namespace pw {

// The body of a pipeline or sub-pipeline: tasks and group frames, plus where
// each of the graph's outputs comes from.
struct Graph {
    std::vector<Task> tasks;
    std::vector<Group> groups;
    std::map<std::string, Binding> outputs; // graph output name -> TaskOutput or OneOf binding

    Task *task(std::string_view id);
    const Task *task(std::string_view id) const;
    Group *group(std::string_view id);
    const Group *group(std::string_view id) const;

    // Innermost-first chain of groups containing `groupId` (itself first).
    std::vector<const Group *> groupChain(std::string_view groupId) const;

    bool operator==(const Graph &) const = default;
};

} // namespace pw
