// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace YAML {
class Node;
}

namespace pw::ir {

// PipelineSpec YAML/JSON (one document, plus an optional second document with
// `platforms.kubernetes`) -> IR. Errors carry file:line:column and the field.
Result<PipelineSpec> readPipelineSpec(std::string_view text, const std::string &fileName);
Result<PipelineSpec> readPipelineSpec(const std::vector<YAML::Node> &docs, const std::string &fileName);

// IR -> JSON objects with KFP's field names (keys sorted as the SDK writes them).
nlohmann::json pipelineSpecToJson(const PipelineSpec &spec);
nlohmann::json platformSpecToJson(const PipelineSpec &spec); // null when there is no platform config

// Both documents as YAML, with the same header comment the KFP SDK writes.
std::string writePipelineSpecYaml(const PipelineSpec &spec);

} // namespace pw::ir
