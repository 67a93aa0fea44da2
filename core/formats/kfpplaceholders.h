// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/commandarg.h"
#include "model/component.h"
#include "util/result.h"

#include <string>
#include <string_view>

namespace pw {

// CommandArg <-> KFP v2 IR strings:
//   "{{$.inputs.parameters['x']}}", "{{$.inputs.artifacts['x'].path}}",
//   "{{$.outputs.parameters['y'].output_file}}", "{{$.outputs.artifacts['y'].uri}}",
//   "{{$}}" (executor input), and Concat / IfPresent as JSON strings
//   ({"Concat": [...]}, {"IfPresent": {"InputName": ..., "Then": [...], "Else": [...]}}).
// Port kinds (parameter or artifact) come from the component's interface.
std::string toKfpString(const CommandArg &arg, const Component &component);

// The reverse; a string without placeholders is a Literal. A string that holds
// placeholders mixed with text becomes a Concat. Unknown `{{$...}}` forms are an error.
Result<CommandArg> fromKfpString(std::string_view text);

} // namespace pw
