// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <nlohmann/json.hpp>

#include <string>

namespace pw::kfp {

// KFP's run states (v2 RuntimeState, v1 status text) as Pipewright's.
RunState runStateFromV2(const std::string &state);
TaskState taskStateFromV2(const std::string &state);
RunState runStateFromV1(const std::string &status);
// The v2 filter/API name of a state ("SUCCEEDED"); empty when KFP has none.
std::string v2StateName(RunState state);

// A v2beta1 Run as a RunGraph. Tasks come from run_details.task_details (the
// root DAG left out, groups nested by parent_task_id); tasks the pipeline has
// but the server has not started yet come from the run's pipeline_spec as
// pending, so the whole DAG shows from the start. `uiUrl` makes webUrl.
RunGraph runFromV2(const nlohmann::json &run, const std::string &uiUrl);
// A v1beta1 RunDetail ({run, pipeline_runtime}): tasks from the Argo
// workflow_manifest's node statuses, metrics from run.metrics.
RunGraph runFromV1(const nlohmann::json &detail, const std::string &uiUrl);

} // namespace pw::kfp
