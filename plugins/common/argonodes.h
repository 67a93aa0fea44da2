// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "jsonfields.h"
#include "runs/rungraph.h"

#include <nlohmann/json.hpp>

#include <string>

namespace pw {

// An Argo Workflow's status.nodes as RunGraph tasks, for KFP v1 runs
// (pipeline_runtime.workflow_manifest) and plain Argo servers alike:
// DAG and Steps nodes become groups, Pod nodes container tasks, a Retry node
// one task with its attempts, a TaskGroup (withItems/withParam fan-out) a
// loop with its items, Skipped nodes skipped tasks, and the onExit node the
// exit handler. Dependencies come from the children of task nodes within the
// same DAG. Each task's `extra` has the Argo node id and the pod name its log
// is read from; artifacts keep their S3/GCS/HTTP location in `extra`.
// Also sets the run's state, times and message from status.
void applyArgoWorkflow(RunGraph &run, const nlohmann::json &workflow);

// Argo's phase of a node or workflow as a state.
TaskState taskStateFromArgo(const std::string &phase);
RunState runStateFromArgo(const std::string &phase);

} // namespace pw
