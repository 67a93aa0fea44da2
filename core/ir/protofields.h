// SPDX-License-Identifier: Apache-2.0
#pragma once

// The field names of KFP's messages (pipeline_spec.proto and
// kubernetes_executor_config.proto) that the PipelineSpec reader keeps as
// read without modelling them. KFP parses both documents with protobuf's JSON
// parser, which refuses a field its message does not have; the reader does
// the same, so a misspelt field is a located error instead of a setting that
// silently disappears.

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace YAML {
class Node;
}

namespace pw::ir {

// One field of a message: its JSON name and, for a message-typed field, the
// name of that message in the table (empty for scalars, lists of scalars,
// string maps and google.protobuf.Struct/Value, whose content is free).
struct ProtoField {
    std::string_view name;
    std::string_view message;
};

// "unknown field 'k' in 'path'" with the spelling the SDK writes (for a
// snake_case proto name) or the nearest known name.
std::string unknownFieldMessage(const std::string &key, const std::string &path,
                                std::initializer_list<std::string_view> modelled,
                                std::initializer_list<ProtoField> kept = {});

struct FieldProblem {
    int line = 0, column = 0; // 1-based, of the offending key
    std::string field;        // dotted path of the offending key
    std::string message;
};

// Checks a kept value against the table's message `message`, down through
// its sub-messages (a list holds items of the message, a map field's values
// are of it). The first unknown field, or nullopt.
std::optional<FieldProblem> checkMessage(const YAML::Node &node, std::string_view message,
                                         const std::string &path);

} // namespace pw::ir
