// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace pw {

// Text from a command line (`--param n=3`) as the JSON value a parameter of
// type `t` holds: "3" -> 3 for integers, JSON for lists and structs,
// true/false for booleans, the text itself for strings.
Result<nlohmann::json> parseParameterValue(const std::string &text, ParameterType t);

// Splits "NAME=VALUE" pairs; the error names the malformed one.
Result<std::map<std::string, std::string>> parseAssignments(const std::vector<std::string> &pairs);

// Makes the values the defaults of the pipeline's parameters. Unknown names
// and values that do not fit the parameter's type are errors.
Result<bool> applyParameterValues(Pipeline &pipeline, const std::map<std::string, std::string> &values);

} // namespace pw
