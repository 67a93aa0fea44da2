// SPDX-License-Identifier: Apache-2.0
#include "vertexjobs.h"

#include "jsonfields.h"
#include "pipelinetasks.h"

namespace pw::vertex {

namespace {

using Json = nlohmann::json;

// int64 fields come as JSON strings (proto3 JSON); accept numbers too.
std::string idText(const Json &j, const char *key)
{
    const auto it = j.find(key);
    if (it == j.end())
        return {};
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_number_integer())
        return std::to_string(it->get<long long>());
    return {};
}

// The execution's metadata: "input:NAME" and "output:NAME" parameter values.
Json parametersOf(const Json &metadata, const std::string &prefix)
{
    Json out = Json::object();
    for (const auto &[key, value] : metadata.items())
        if (key.rfind(prefix, 0) == 0)
            out[key.substr(prefix.size())] = value;
    return out;
}

} // namespace

RunState runStateFromVertex(const std::string &s)
{
    if (s == "PIPELINE_STATE_QUEUED" || s == "PIPELINE_STATE_PENDING" || s.empty() ||
        s == "PIPELINE_STATE_UNSPECIFIED")
        return RunState::Pending;
    if (s == "PIPELINE_STATE_RUNNING")
        return RunState::Running;
    if (s == "PIPELINE_STATE_SUCCEEDED")
        return RunState::Succeeded;
    if (s == "PIPELINE_STATE_FAILED")
        return RunState::Failed;
    if (s == "PIPELINE_STATE_CANCELLING")
        return RunState::Cancelling;
    if (s == "PIPELINE_STATE_CANCELLED")
        return RunState::Cancelled;
    if (s == "PIPELINE_STATE_PAUSED")
        return RunState::Paused;
    return RunState::Unknown;
}

TaskState taskStateFromVertex(const std::string &s)
{
    if (s == "RUNNING" || s == "CANCEL_PENDING" || s == "CANCELLING")
        return TaskState::Running;
    if (s == "SUCCEEDED")
        return TaskState::Succeeded;
    if (s == "FAILED")
        return TaskState::Failed;
    if (s == "CANCELLED")
        return TaskState::Cancelled;
    if (s == "SKIPPED") // Vertex: skipped because its result was cached
        return TaskState::Cached;
    if (s == "NOT_TRIGGERED") // its condition was false
        return TaskState::Skipped;
    return TaskState::Pending;
}

std::string vertexStateName(RunState s)
{
    switch (s) {
    case RunState::Pending: return "PIPELINE_STATE_PENDING";
    case RunState::Running: return "PIPELINE_STATE_RUNNING";
    case RunState::Succeeded: return "PIPELINE_STATE_SUCCEEDED";
    case RunState::Failed: return "PIPELINE_STATE_FAILED";
    case RunState::Cancelling: return "PIPELINE_STATE_CANCELLING";
    case RunState::Cancelled: return "PIPELINE_STATE_CANCELLED";
    case RunState::Paused: return "PIPELINE_STATE_PAUSED";
    case RunState::Skipped:
    case RunState::Interrupted:
    case RunState::Unknown: break;
    }
    return {};
}

std::string lastSegment(const std::string &name)
{
    const auto slash = name.rfind('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string consoleUrl(const Location &where, const std::string &jobId)
{
    return "https://console.cloud.google.com/vertex-ai/locations/" + where.location + "/pipelines/runs/" + jobId +
           "?project=" + where.project;
}

RunGraph runFromJob(const Json &job, const Location &where)
{
    RunGraph g;
    g.id = lastSegment(text(job, "name"));
    g.name = text(job, "displayName");
    g.state = runStateFromVertex(text(job, "state"));
    g.createdMs = epochMsFromRfc3339(text(job, "createTime"));
    g.finishedMs = isTerminal(g.state) ? epochMsFromRfc3339(text(job, "endTime")) : 0;
    g.webUrl = consoleUrl(where, g.id);
    const Json &runtime = member(job, "runtimeConfig");
    g.parameters = member(runtime, "parameterValues");
    g.message = text(member(job, "error"), "message");
    const Json &ir = member(job, "pipelineSpec");
    g.pipelineName = text(member(ir, "pipelineInfo"), "name");
    g.extra = {{"serviceAccount", text(job, "serviceAccount")},
               {"gcsOutputDirectory", text(runtime, "gcsOutputDirectory")},
               {"schedule", lastSegment(text(job, "scheduleName"))},
               {"labels", member(job, "labels")}};

    const Json taskDetails = member(job, "jobDetail").value("taskDetails", Json::array());
    std::vector<TaskDetail> details;
    for (const Json &d : taskDetails) {
        if (!d.is_object())
            continue;
        TaskDetail t;
        t.id = idText(d, "taskId");
        t.parentId = idText(d, "parentTaskId");
        t.name = text(d, "taskName");
        t.state = taskStateFromVertex(text(d, "state"));
        t.startedMs = epochMsFromRfc3339(text(d, "startTime"));
        t.finishedMs = epochMsFromRfc3339(text(d, "endTime"));
        t.message = text(member(d, "error"), "message");
        const Json &container = member(member(d, "executorDetail"), "containerDetail");
        std::string customJob = text(container, "mainJob");
        if (customJob.empty())
            customJob = text(member(member(d, "executorDetail"), "customJobDetail"), "job");
        if (!customJob.empty()) {
            t.logSource = "customJob:" + lastSegment(customJob);
            t.extra["customJob"] = customJob;
        }
        const auto failed = container.value("failedMainJobs", Json::array());
        if (failed.is_array() && !failed.empty())
            t.extra["failedAttempts"] = failed.size();
        t.extra["uniqueName"] = text(d, "taskUniqueName");
        details.push_back(std::move(t));
    }
    g.tasks = pipelineTasks(ir, details, {g.pipelineName, g.id}, isTerminal(g.state));

    // Parameters and artifacts, by the server's task id.
    std::map<std::string, const Json *> byTaskId;
    for (const Json &d : taskDetails)
        if (d.is_object())
            byTaskId[idText(d, "taskId")] = &d;
    for (TaskRecord &t : g.tasks) {
        const auto found = byTaskId.find(extraText(t.extra, "taskId"));
        if (found == byTaskId.end())
            continue;
        const Json &d = *found->second;
        const Json &metadata = member(member(d, "execution"), "metadata");
        t.inputs["parameters"] = parametersOf(metadata, "input:");
        t.outputs["parameters"] = parametersOf(metadata, "output:");
        if (const auto attempts = t.extra.find("failedAttempts"); attempts != t.extra.end())
            t.attempts += attempts->get<int>();
        for (const auto &[name, list] : member(d, "outputs").items()) {
            for (const Json &a : list.value("artifacts", Json::array())) {
                if (!a.is_object())
                    continue;
                ArtifactRecord r;
                r.task = t.id;
                r.name = name;
                r.uri = text(a, "uri");
                r.type = text(a, "schemaTitle");
                r.metadata = member(a, "metadata");
                r.extra = {{"artifact", text(a, "name")}};
                g.artifacts.push_back(std::move(r));
            }
        }
    }
    return g;
}

} // namespace pw::vertex
