// SPDX-License-Identifier: Apache-2.0
#include "kfpruns.h"

#include "argonodes.h"
#include "jsonfields.h"
#include "pipelinetasks.h"

#include <map>

namespace pw::kfp {

namespace {

using Json = nlohmann::json;

// The IR inside a run's pipeline_spec (which may wrap it with a platform spec).
const Json &irOf(const Json &run)
{
    const Json &spec = member(run, "pipeline_spec");
    return spec.contains("pipeline_spec") ? member(spec, "pipeline_spec") : spec;
}

} // namespace

RunState runStateFromV2(const std::string &s)
{
    if (s == "PENDING")
        return RunState::Pending;
    if (s == "RUNNING")
        return RunState::Running;
    if (s == "SUCCEEDED")
        return RunState::Succeeded;
    if (s == "SKIPPED")
        return RunState::Skipped;
    if (s == "FAILED")
        return RunState::Failed;
    if (s == "CANCELING")
        return RunState::Cancelling;
    if (s == "CANCELED")
        return RunState::Cancelled;
    if (s == "PAUSED")
        return RunState::Paused;
    return s.empty() || s == "RUNTIME_STATE_UNSPECIFIED" ? RunState::Pending : RunState::Unknown;
}

TaskState taskStateFromV2(const std::string &s)
{
    if (s == "RUNNING" || s == "CANCELING")
        return TaskState::Running;
    if (s == "SUCCEEDED")
        return TaskState::Succeeded;
    if (s == "SKIPPED")
        return TaskState::Skipped;
    if (s == "FAILED")
        return TaskState::Failed;
    if (s == "CANCELED")
        return TaskState::Cancelled;
    if (s == "CACHED")
        return TaskState::Cached;
    return TaskState::Pending;
}

RunState runStateFromV1(const std::string &s)
{
    if (s.empty() || s == "Pending")
        return RunState::Pending;
    if (s == "Running")
        return RunState::Running;
    if (s == "Succeeded" || s == "Completed")
        return RunState::Succeeded;
    if (s == "Failed" || s == "Error")
        return RunState::Failed;
    if (s == "Terminating")
        return RunState::Cancelling;
    if (s == "Skipped")
        return RunState::Skipped;
    return RunState::Unknown;
}

std::string v2StateName(RunState s)
{
    switch (s) {
    case RunState::Pending: return "PENDING";
    case RunState::Running: return "RUNNING";
    case RunState::Succeeded: return "SUCCEEDED";
    case RunState::Failed: return "FAILED";
    case RunState::Cancelled: return "CANCELED";
    case RunState::Cancelling: return "CANCELING";
    case RunState::Paused: return "PAUSED";
    case RunState::Skipped: return "SKIPPED";
    case RunState::Interrupted:
    case RunState::Unknown: break;
    }
    return {};
}

RunGraph runFromV2(const Json &run, const std::string &uiUrl)
{
    RunGraph g;
    g.id = text(run, "run_id");
    g.name = text(run, "display_name");
    g.experiment = text(run, "experiment_id");
    g.state = runStateFromV2(text(run, "state"));
    g.createdMs = epochMsFromRfc3339(text(run, "created_at"));
    g.finishedMs = isTerminal(g.state) ? epochMsFromRfc3339(text(run, "finished_at")) : 0;
    g.webUrl = uiUrl + "/#/runs/details/" + g.id;
    g.parameters = member(member(run, "runtime_config"), "parameters");
    g.message = text(member(run, "error"), "message");
    const Json &ir = irOf(run);
    g.pipelineName = text(member(ir, "pipelineInfo"), "name");
    if (g.pipelineName.empty())
        g.pipelineName = text(run, "pipeline_version_id");
    g.extra = {{"experimentId", g.experiment}, {"storageState", text(run, "storage_state")},
               {"serviceAccount", text(run, "service_account")}};

    std::vector<TaskDetail> details;
    for (const Json &d : member(run, "run_details").value("task_details", Json::array())) {
        if (!d.is_object())
            continue;
        TaskDetail t;
        t.id = text(d, "task_id");
        t.parentId = text(d, "parent_task_id");
        t.name = text(d, "display_name");
        t.state = taskStateFromV2(text(d, "state"));
        t.startedMs = epochMsFromRfc3339(text(d, "start_time"));
        t.finishedMs = epochMsFromRfc3339(text(d, "end_time"));
        t.message = text(member(d, "error"), "message");
        std::string pod = text(d, "pod_name");
        for (const auto &c : d.value("child_tasks", Json::array()))
            if (c.is_object() && !text(c, "pod_name").empty())
                pod = text(c, "pod_name"); // the executor's pod comes after the driver's
        t.extra = {{"executionId", text(d, "execution_id")}};
        if (!pod.empty()) {
            t.extra["podName"] = pod;
            t.logSource = "pod:" + pod;
        }
        details.push_back(std::move(t));
    }
    g.tasks = pipelineTasks(ir, details, {"root"}, isTerminal(g.state));
    return g;
}

RunGraph runFromV1(const Json &detail, const std::string &uiUrl)
{
    const Json &run = member(detail, "run");
    RunGraph g;
    g.id = text(run, "id");
    g.name = text(run, "name");
    g.state = runStateFromV1(text(run, "status"));
    g.createdMs = epochMsFromRfc3339(text(run, "created_at"));
    g.webUrl = uiUrl + "/#/runs/details/" + g.id;
    g.message = text(run, "error");
    const Json &spec = member(run, "pipeline_spec");
    g.pipelineName = text(spec, "pipeline_name");
    for (const auto &p : spec.value("parameters", Json::array()))
        if (p.is_object())
            g.parameters[text(p, "name")] = p.value("value", Json());
    for (const auto &ref : run.value("resource_references", Json::array()))
        if (text(member(ref, "key"), "type") == "EXPERIMENT")
            g.experiment = text(member(ref, "key"), "id");
    g.extra = {{"experimentId", g.experiment}, {"storageState", text(run, "storage_state")},
               {"serviceAccount", text(run, "service_account")}};
    const std::string manifest = text(member(detail, "pipeline_runtime"), "workflow_manifest");
    if (!manifest.empty()) {
        const Json workflow = Json::parse(manifest, nullptr, false);
        if (workflow.is_object()) {
            const RunState listed = g.state;
            applyArgoWorkflow(g, workflow);
            if (listed != RunState::Pending && listed != RunState::Unknown)
                g.state = listed; // the API's status wins over the manifest's phase
            // v1 reports a terminated run as Failed; Argo says why.
            if (g.state == RunState::Failed && g.message.find("Stopped with strategy 'Terminate'") != std::string::npos)
                g.state = RunState::Cancelled;
            if (g.pipelineName.empty())
                g.pipelineName = text(member(workflow, "metadata"), "generateName");
        }
    }
    if (isTerminal(g.state) && !g.finishedMs)
        g.finishedMs = epochMsFromRfc3339(text(run, "finished_at"));
    // Metrics name the Argo node; the task that node became.
    std::map<std::string, std::string> taskOfNode;
    for (const TaskRecord &t : g.tasks)
        taskOfNode[extraText(t.extra, "argoNode")] = t.id;
    for (const auto &m : run.value("metrics", Json::array())) {
        if (!m.is_object() || !m.contains("number_value"))
            continue;
        MetricRecord r;
        r.task = taskOfNode.count(text(m, "node_id")) ? taskOfNode[text(m, "node_id")] : text(m, "node_id");
        r.name = text(m, "name");
        r.value = m["number_value"].is_number() ? m["number_value"].get<double>() : 0;
        r.format = text(m, "format");
        g.metrics.push_back(std::move(r));
    }
    return g;
}

} // namespace pw::kfp
