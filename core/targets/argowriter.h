// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace pw {

struct ArgoOptions {
    std::string serviceAccount = "pipeline-runner";
    std::map<std::string, std::string> parameterValues; // --param overrides of defaults
};

// IR -> Argo Workflow in the KFP v1 shape: one container template per
// executor, DAG templates for groups, `when`, withItems/withParam, onExit.
// Valid against Argo's JSON schema; runs on plain Argo; a KFP v1 backend accepts it.
Result<nlohmann::json> argoWorkflow(const ir::PipelineSpec &spec, const ArgoOptions &options = {});

} // namespace pw
