// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/kfpargument.h"
#include "model/commandarg.h"
#include "model/component.h"
#include "model/runvalue.h"
#include "util/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace pw {

// CommandArg (the model) <-> KFP v2 IR strings:
//   "{{$.inputs.parameters['x']}}", "{{$.inputs.artifacts['x'].path}}",
//   "{{$.outputs.parameters['y'].output_file}}", "{{$.outputs.artifacts['y'].uri}}",
//   "{{$}}" (executor input), and Concat / IfPresent as JSON strings
//   ({"Concat": [...]}, {"IfPresent": {"InputName": ..., "Then": [...], "Else": [...]}}).
// Port kinds (parameter or artifact) come from the component's interface.
ir::KfpArgument toKfpArgument(const CommandArg &arg, const Component &component);
std::string toKfpString(const CommandArg &arg, const Component &component);

// The reverse; a string without placeholders is a Literal. A string that holds
// placeholders mixed with text becomes a Concat marked as written inline, so
// it prints back as that one string. Placeholders a component cannot hold
// (the task's uuid, an artifact list, a metadata key, ...) are an error.
Result<CommandArg> fromKfpArgument(const ir::KfpArgument &arg);
Result<CommandArg> fromKfpString(std::string_view text);

// The Concat of `items` marked as written inline (the current SDK's form of
// an f-string argument), and whether a Concat carries that mark; for file
// formats that keep the two forms apart.
CommandArg interpolatedConcat(std::vector<CommandArg> items);
bool isMarkedInterpolated(const CommandArg &arg);

// A run value as the placeholder that carries it in a command line: KFP's own
// for plain values, Pipewright's run_time / schedule_time extension for
// formatted times. nullopt for what no placeholder can carry.
std::optional<ir::KfpPlaceholder> placeholderForRunValue(const RunValue &value);
// The reverse; nullopt for placeholders that are no run value, or whose
// format or time zone a RunValue cannot hold.
std::optional<RunValue> runValueForPlaceholder(const ir::KfpPlaceholder &placeholder);

} // namespace pw
