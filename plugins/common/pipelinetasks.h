// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace pw {

// One task as a PipelineSpec engine reports it (KFP v2's task_details,
// Vertex's jobDetail.taskDetails), already read out of the server's JSON.
struct TaskDetail {
    std::string id;       // the server's task id
    std::string parentId; // empty or unknown: at the top
    std::string name;     // what the server calls it: the IR's task key or its taskInfo.name
    TaskState state = TaskState::Pending;
    std::int64_t startedMs = 0, finishedMs = 0;
    std::string message;
    std::string logSource;
    nlohmann::json extra = nlohmann::json::object();
};

// The tasks of a run from its IR (`ir`: the PipelineSpec JSON) and what the
// server reported: groups nested by parent id, task names mapped to the IR's
// keys, dependencies from the IR, and the root DAG's tasks that have not
// started yet as pending (skipped once the run ended), so the whole DAG shows
// from the start. The root itself is the parentless task named one of
// `rootNames` or holding others; it is left out.
std::vector<TaskRecord> pipelineTasks(const nlohmann::json &ir, const std::vector<TaskDetail> &details,
                                      const std::vector<std::string> &rootNames, bool runEnded);

} // namespace pw
