// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/celexpression.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace pw {

// Evaluates a KFP trigger condition (ir/celexpression.h has the forms), e.g.
//   inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'
//   int(inputs.parameter_values['x']) > 3 && !(inputs.parameter_values['y'] == 'a')
// `parameters` maps input names to their JSON values. Numbers compare as
// numbers, strings as strings; anything else only for (in)equality.
Result<bool> evaluateCondition(std::string_view expression, const nlohmann::json &parameters);
Result<bool> evaluateCondition(const ir::CelExpression &condition, const nlohmann::json &parameters);

} // namespace pw
