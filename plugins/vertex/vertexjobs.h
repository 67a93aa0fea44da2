// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <nlohmann/json.hpp>

#include <string>

namespace pw::vertex {

// Where jobs live: projects/PROJECT/locations/LOCATION.
struct Location {
    std::string project;
    std::string location;
    std::string parent() const { return "projects/" + project + "/locations/" + location; }
};

// PipelineState ("PIPELINE_STATE_RUNNING") and PipelineTaskDetail.State as Pipewright's.
RunState runStateFromVertex(const std::string &state);
TaskState taskStateFromVertex(const std::string &state);
// The filter name of a state; empty when Vertex has none.
std::string vertexStateName(RunState state);

// The last part of a resource name: ".../pipelineJobs/abc" -> "abc".
std::string lastSegment(const std::string &name);

// The run in the Google Cloud console.
std::string consoleUrl(const Location &where, const std::string &jobId);

// A PipelineJob as a RunGraph: tasks from jobDetail.taskDetails (nested by
// parentTaskId, the pipeline's own root task left out, the IR's tasks that
// have not started yet as pending); each container task's CustomJob as its
// log source ("customJob:ID"), its input and output parameters from its
// execution's metadata, its output artifacts with their metadata.
RunGraph runFromJob(const nlohmann::json &job, const Location &where);

} // namespace pw::vertex
