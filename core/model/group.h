// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/binding.h"
#include "model/porttype.h"

#include <optional>
#include <string>

namespace pw {

// A comparison as KFP's dsl.If / dsl.Condition write it: `lhs op rhs`.
struct Condition {
    Binding lhs;
    std::string op = "=="; // == != < <= > >=
    Binding rhs;

    bool operator==(const Condition &) const = default;
};

// What a loop iterates over.
struct LoopSpec {
    Binding items;              // Constant (a JSON list), Parameter or TaskOutput
    int parallelism = 0;        // 0 = unlimited
    std::string itemName;       // IR name of a literal list's item input; empty = KFP's
                                // default ("loop-item-param-<n-1>" for group "for-loop-<n>")
    std::optional<ParameterType> itemType; // item type when not inferable from `items`

    bool operator==(const LoopSpec &) const = default;
};

// A frame on the canvas and a sub-DAG in the IR. Tasks name their innermost
// group; groups name their parent, so nesting is a tree rooted at the graph.
struct Group {
    enum class Kind {
        Condition,   // runs its tasks when `condition` holds (if / elif / else inside Branches)
        Branches,    // if/elif/else chain: its children are Condition groups, in order
        Loop,        // runs its tasks once per item
        ExitHandler, // `exitTask` runs after the group ends, whatever its outcome
    };

    std::string id;     // unique in the graph, also the IR task name ("condition-1")
    Kind kind = Kind::Condition;
    std::string parent; // enclosing group id, empty for the graph root
    std::string displayName;
    int order = 0;      // position among siblings of a Branches group

    std::optional<pw::Condition> condition; // Condition (absent for `else`)
    LoopSpec loop;                          // Loop
    std::string exitTask;                   // ExitHandler: task that runs on exit

    bool operator==(const Group &) const = default;
};

} // namespace pw
