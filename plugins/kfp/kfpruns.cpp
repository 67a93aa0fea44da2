// SPDX-License-Identifier: Apache-2.0
#include "kfpruns.h"

#include "argonodes.h"

#include <functional>
#include <map>
#include <set>

namespace pw::kfp {

namespace {

using Json = nlohmann::json;

std::string text(const Json &j, const char *key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const Json &member(const Json &j, const char *key)
{
    static const Json empty = Json::object();
    const auto it = j.find(key);
    return it != j.end() && it->is_object() ? *it : empty;
}

// The IR inside a run's pipeline_spec (which may wrap it with a platform spec).
const Json &irOf(const Json &run)
{
    const Json &spec = member(run, "pipeline_spec");
    return spec.contains("pipeline_spec") ? member(spec, "pipeline_spec") : spec;
}

std::string kindOf(const std::string &name, bool hasChildren, const std::string &parentKind)
{
    if (parentKind == "loop")
        return "iteration";
    if (name.rfind("for-loop-", 0) == 0)
        return "loop";
    return hasChildren || name.rfind("condition-", 0) == 0 || name.rfind("exit-handler-", 0) == 0 ? "dag"
                                                                                                 : "container";
}

// Each DAG's tasks and what they wait for, from the IR: component -> task -> deps.
struct IrDag {
    std::map<std::string, std::vector<std::string>> dependsOn;
    std::map<std::string, std::string> componentOf; // task -> component (for nested DAGs)
    std::map<std::string, std::string> keyOf;       // taskInfo.name (what KFP shows) -> task key
};

std::map<std::string, IrDag> irDags(const Json &ir)
{
    std::map<std::string, IrDag> dags;
    auto read = [&](const std::string &component, const Json &dag) {
        IrDag &d = dags[component];
        for (const auto &[task, t] : member(dag, "tasks").items()) {
            for (const auto &dep : t.value("dependentTasks", Json::array()))
                if (dep.is_string())
                    d.dependsOn[task].push_back(dep.get<std::string>());
            d.componentOf[task] = text(member(t, "componentRef"), "name");
            const std::string shown = text(member(t, "taskInfo"), "name");
            d.keyOf[shown.empty() ? task : shown] = task;
        }
    };
    read("", member(member(ir, "root"), "dag"));
    for (const auto &[name, c] : member(ir, "components").items())
        if (c.contains("dag"))
            read(name, member(c, "dag"));
    return dags;
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

    const Json details = member(run, "run_details").value("task_details", Json::array());
    std::map<std::string, const Json *> byId;
    std::map<std::string, std::vector<std::string>> children;
    for (const Json &d : details)
        if (d.is_object())
            byId[text(d, "task_id")] = &d;
    for (const auto &[id, d] : byId)
        children[text(*d, "parent_task_id")].push_back(id);
    // The root DAG: the task without a known parent that holds the others
    // (KFP names it "root"; it may not hold anything yet).
    std::string rootId;
    for (const auto &[id, d] : byId)
        if (!byId.count(text(*d, "parent_task_id")) && (!children[id].empty() || text(*d, "display_name") == "root"))
            rootId = id;

    const auto dags = irDags(ir);
    std::set<std::string> used;
    std::function<void(const std::string &, const std::string &, const std::string &, const std::string &)> visit =
        [&](const std::string &detailId, const std::string &parentPath, const std::string &parentKind,
            const std::string &component) {
            const Json &d = *byId[detailId];
            // KFP shows a task's taskInfo.name; the IR keys it by its task name.
            const std::string shown = text(d, "display_name");
            std::string name = shown;
            if (auto dag = dags.find(component); dag != dags.end())
                if (auto key = dag->second.keyOf.find(shown); key != dag->second.keyOf.end())
                    name = key->second;
            TaskRecord t;
            t.name = name;
            t.displayName = shown;
            t.id = parentPath.empty() ? name : parentPath + "/" + name;
            for (int n = 2; used.count(t.id); ++n)
                t.id = (parentPath.empty() ? name : parentPath + "/" + name) + "#" + std::to_string(n);
            used.insert(t.id);
            t.parent = parentPath;
            t.kind = kindOf(name, !children[detailId].empty(), parentKind);
            t.state = taskStateFromV2(text(d, "state"));
            t.startedMs = epochMsFromRfc3339(text(d, "start_time"));
            t.finishedMs = isTerminal(t.state) ? epochMsFromRfc3339(text(d, "end_time")) : 0;
            t.message = text(member(d, "error"), "message");
            std::string pod = text(d, "pod_name");
            for (const auto &c : d.value("child_tasks", Json::array()))
                if (c.is_object() && !text(c, "pod_name").empty())
                    pod = text(c, "pod_name"); // the executor's pod comes after the driver's
            t.extra = {{"taskId", detailId}, {"executionId", text(d, "execution_id")}};
            if (!pod.empty()) {
                t.extra["podName"] = pod;
                if (t.state != TaskState::Pending && t.state != TaskState::Skipped)
                    t.logSource = "pod:" + pod;
            }
            t.attempts = t.state == TaskState::Pending ? 0 : 1;
            if (auto dag = dags.find(component); dag != dags.end())
                if (auto deps = dag->second.dependsOn.find(name); deps != dag->second.dependsOn.end())
                    for (const std::string &dep : deps->second)
                        t.dependsOn.push_back(parentPath.empty() ? dep : parentPath + "/" + dep);
            std::string childComponent;
            if (auto dag = dags.find(component); dag != dags.end())
                if (auto c = dag->second.componentOf.find(name); c != dag->second.componentOf.end())
                    childComponent = c->second;
            const std::string kind = t.kind, path = t.id;
            g.tasks.push_back(std::move(t));
            for (const std::string &child : children[detailId])
                visit(child, path, kind, kind == "loop" ? childComponent : kind == "iteration" ? component : childComponent);
        };
    for (const std::string &top : children[rootId])
        visit(top, "", "", "");
    if (rootId.empty()) // no root yet: any tasks the server listed sit at the top
        for (const auto &[id, d] : byId)
            if (!byId.count(text(*d, "parent_task_id")))
                visit(id, "", "", "");
    // What has not started yet, from the IR's root DAG (nested DAGs appear as they start).
    if (auto root = dags.find(""); root != dags.end())
        for (const auto &[task, deps] : root->second.componentOf) {
            (void)deps;
            if (g.task(task))
                continue;
            TaskRecord t;
            t.id = t.name = t.displayName = task;
            const auto &componentOf = root->second.componentOf;
            const std::string component = componentOf.count(task) ? componentOf.at(task) : std::string();
            t.kind = kindOf(task, dags.count(component) > 0, "");
            if (auto d = root->second.dependsOn.find(task); d != root->second.dependsOn.end())
                t.dependsOn = d->second;
            if (isTerminal(g.state))
                t.state = TaskState::Skipped; // the run ended without it
            g.tasks.push_back(std::move(t));
        }
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
