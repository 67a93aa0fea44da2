// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace pw {

// Evaluates a KFP trigger condition: the subset of CEL the KFP compiler
// emits, e.g.
//   inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'
//   int(inputs.parameter_values['x']) > 3 && !(inputs.parameter_values['y'] == 'a')
// Supported: parameter_values['name'] (either quote), string / number / bool /
// null literals, int() double() string() bool(), == != < <= > >=, !, &&, ||
// and parentheses. `parameters` maps input names to their JSON values.
Result<bool> evaluateCondition(std::string_view expression, const nlohmann::json &parameters);

} // namespace pw
