// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace pw {

struct VertexOptions {
    std::string displayName;        // default: pipeline name
    std::string gcsOutputDirectory; // runtimeConfig.gcsOutputDirectory; default: pipeline root
    std::string serviceAccount;
    std::map<std::string, std::string> labels;
    std::map<std::string, std::string> parameterValues; // raw text values, typed by the spec
};

// IR -> Vertex AI PipelineJob JSON (displayName, pipelineSpec, runtimeConfig
// {gcsOutputDirectory, parameterValues}, serviceAccount, labels).
Result<nlohmann::json> vertexPipelineJob(const ir::PipelineSpec &spec, const VertexOptions &options = {});

} // namespace pw
