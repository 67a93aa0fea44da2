// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace pw {

// JSON text exactly as Python's json.dumps writes it with default settings
// (", " and ": " separators, ASCII-only with \uXXXX escapes). The KFP SDK
// embeds such strings in PipelineSpec (loop `items.raw`, pipeline_spec
// annotations), so matching it byte for byte keeps our output equal to the SDK's.
std::string pythonJsonDumps(const nlohmann::json &value);

} // namespace pw
