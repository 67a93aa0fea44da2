// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pw {

// An artifact as the engine passes it between tasks. Locally the URI is the
// absolute path of the file or folder under the run directory.
struct ArtifactValue {
    std::string name;
    std::string uri;
    std::string path;
    std::string schemaTitle = "system.Artifact";
    std::string schemaVersion = "0.0.1";
    nlohmann::json metadata = nlohmann::json::object();

    nlohmann::json toJson() const;
    static ArtifactValue fromJson(const nlohmann::json &j);
};

// Values the run knows when it starts; they fill KFP's run placeholders.
struct RunValues {
    std::string jobName;     // {{$.pipeline_job_name}}
    std::string jobId;       // {{$.pipeline_job_uuid}}
    std::int64_t createdMs = 0; // {{$.pipeline_job_create_time_utc}} (also the schedule time)
    std::string pipelineRoot;   // {{$.pipeline_root}}
};

// Everything a container task's command is resolved against.
struct TaskContext {
    std::string taskName; // {{$.pipeline_task_name}}
    nlohmann::json parameters = nlohmann::json::object(); // present input parameters
    std::map<std::string, std::vector<ArtifactValue>> artifacts;
    std::map<std::string, std::string> outputParameterFiles;
    std::map<std::string, ArtifactValue> outputArtifacts;
    std::string executorOutputFile;
    const RunValues *run = nullptr;

    // KFP's executor input ({{$}}), as the KFP launcher passes it.
    nlohmann::json executorInput() const;
};

// A parameter value as it appears on a command line: strings as they are,
// numbers and booleans as JSON, lists and structs as compact JSON.
std::string parameterText(const nlohmann::json &value);

} // namespace pw
