// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/runvalue.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pw {

// Where a task input (or a group condition operand, or a pipeline output)
// takes its value from. References are by id within the same graph; crossing
// group boundaries is the compiler's job, never the model's.
struct Binding {
    enum class Kind {
        None,       // unbound (optional input or default)
        Constant,   // `value`
        Parameter,  // input `name` of the enclosing graph (a pipeline parameter)
        TaskOutput, // output `name` of task `task` (parameter or artifact)
        LoopItem,   // item of loop group `group`; `field` selects a struct key
        RunValue,   // `run`
        TaskStatus, // final status of exit-handler group `task` (exit task inputs)
        OneOf,      // first of `options` that ran (if/elif/else outputs)
        Template,   // `options` joined as strings (Constant parts are text)
    };

    Kind kind = Kind::None;
    nlohmann::json value;          // Constant
    std::string name;              // Parameter name, TaskOutput output name
    std::string task;              // TaskOutput / TaskStatus producer
    std::string group;             // LoopItem
    std::string field;             // LoopItem subfield
    pw::RunValue run;              // RunValue
    std::vector<Binding> options;  // OneOf / Template

    static Binding constant(nlohmann::json v) { Binding b; b.kind = Kind::Constant; b.value = std::move(v); return b; }
    static Binding parameter(std::string n) { Binding b; b.kind = Kind::Parameter; b.name = std::move(n); return b; }
    static Binding taskOutput(std::string t, std::string o)
    {
        Binding b;
        b.kind = Kind::TaskOutput;
        b.task = std::move(t);
        b.name = std::move(o);
        return b;
    }
    static Binding loopItem(std::string g, std::string f = {})
    {
        Binding b;
        b.kind = Kind::LoopItem;
        b.group = std::move(g);
        b.field = std::move(f);
        return b;
    }
    static Binding runValue(pw::RunValue r) { Binding b; b.kind = Kind::RunValue; b.run = std::move(r); return b; }
    static Binding taskStatus(std::string t) { Binding b; b.kind = Kind::TaskStatus; b.task = std::move(t); return b; }

    bool isSet() const { return kind != Kind::None; }
    bool operator==(const Binding &) const = default;
};

} // namespace pw
