// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <vector>

namespace pw {

// One element of a container's command or args, as a tree of placeholders.
// This is the union of what KFP v1 component.yaml and KFP v2 PipelineSpec can
// express; loaders build it and each target renders it in its own syntax.
struct CommandArg {
    enum class Kind {
        Literal,        // text
        InputValue,     // value of input `name`
        InputPath,      // local path of input `name` (artifact file)
        InputUri,       // URI of input artifact `name`
        InputMetadata,  // KFP v2 {{$.inputs.artifacts['x'].metadata}}
        InputArtifacts, // KFP v2 {{$.inputs.artifacts['x']}}: all artifacts of input `name` (a list), as JSON
        OutputPath,     // local path where output `name` is written (parameter output_file or artifact path)
        OutputUri,      // URI of output artifact `name`
        OutputMetadata,
        ExecutorInput, // the whole executor input JSON
        Concat,        // items joined into one string
        IfPresent,     // thenArgs if input `name` has a value, else elseArgs; expands to 0..n args
        RunValue,      // run-time value `name` (see runvalue.h); text = format spec
    };

    Kind kind = Kind::Literal;
    std::string text;               // Literal: the text; RunValue: encoded spec
    std::string name;               // port name for input/output kinds
    std::vector<CommandArg> items;  // Concat
    std::vector<CommandArg> thenArgs; // IfPresent
    std::vector<CommandArg> elseArgs; // IfPresent

    static CommandArg literal(std::string s)
    {
        CommandArg a;
        a.text = std::move(s);
        return a;
    }
    static CommandArg ref(Kind k, std::string port)
    {
        CommandArg a;
        a.kind = k;
        a.name = std::move(port);
        return a;
    }

    bool operator==(const CommandArg &) const = default;
};

} // namespace pw
