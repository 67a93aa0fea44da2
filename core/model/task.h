// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/binding.h"
#include "model/executionsettings.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

using TaskId = std::string;

// One use of a component in a graph.
struct Task {
    TaskId id;                // unique in its graph; a Kubernetes-safe name ("train-model")
    std::string displayName;  // shown to users; the id when empty
    std::string component;    // key into Pipeline::components
    std::string group;        // innermost group id; empty = graph root
    std::map<std::string, Binding> arguments; // input name -> binding
    std::vector<TaskId> after;                // explicit ordering besides data edges
    bool runAfterFailure = false;             // runs when upstream tasks fail (ALL_UPSTREAM_TASKS_COMPLETED)
    ExecutionSettings settings;

    const std::string &label() const { return displayName.empty() ? id : displayName; }
    bool operator==(const Task &) const = default;
};

} // namespace pw
