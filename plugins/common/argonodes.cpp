// SPDX-License-Identifier: Apache-2.0
#include "argonodes.h"

#include "jsonfields.h"

#include <QDateTime>

#include <functional>
#include <map>
#include <set>

namespace pw {

namespace {

using Json = nlohmann::json;

bool isGroup(const std::string &type)
{
    return type == "DAG" || type == "Steps" || type == "StepGroup" || type == "TaskGroup";
}

// Argo names pods after the node (v1), or after the workflow, template and the
// node id's hash (v2, the default from Argo 3.4 on).
std::string podName(const Json &workflow, const Json &node)
{
    const std::string id = text(node, "id");
    const Json annotations = workflow.value("metadata", Json::object()).value("annotations", Json::object());
    if (annotations.value("workflows.argoproj.io/pod-name-format", "") != "v2")
        return id;
    const std::string wf = text(workflow.value("metadata", Json::object()), "name");
    const std::string hash = id.substr(id.rfind('-') + 1);
    const std::string tmpl = text(node, "templateName");
    return tmpl.empty() || id == wf ? id : wf + "-" + tmpl + "-" + hash;
}

// Where an Argo artifact lives, as a URI; its full location stays in extra.
std::string artifactUri(const Json &a)
{
    if (const auto s3 = a.find("s3"); s3 != a.end() && s3->is_object())
        return "minio://" + text(*s3, "bucket") + "/" + text(*s3, "key");
    if (const auto gcs = a.find("gcs"); gcs != a.end() && gcs->is_object())
        return "gs://" + text(*gcs, "bucket") + "/" + text(*gcs, "key");
    if (const auto http = a.find("http"); http != a.end() && http->is_object())
        return text(*http, "url");
    if (const auto raw = a.find("raw"); raw != a.end())
        return "raw:";
    return text(a, "path");
}

} // namespace

TaskState taskStateFromArgo(const std::string &phase)
{
    if (phase == "Running")
        return TaskState::Running;
    if (phase == "Succeeded")
        return TaskState::Succeeded;
    if (phase == "Failed" || phase == "Error")
        return TaskState::Failed;
    if (phase == "Skipped" || phase == "Omitted")
        return TaskState::Skipped;
    return TaskState::Pending;
}

RunState runStateFromArgo(const std::string &phase)
{
    if (phase == "Running")
        return RunState::Running;
    if (phase == "Succeeded")
        return RunState::Succeeded;
    if (phase == "Failed" || phase == "Error")
        return RunState::Failed;
    if (phase.empty() || phase == "Pending")
        return RunState::Pending;
    return RunState::Unknown;
}

void applyArgoWorkflow(RunGraph &run, const Json &workflow)
{
    const Json status = workflow.value("status", Json::object());
    run.state = runStateFromArgo(text(status, "phase"));
    if (const std::int64_t finished = epochMsFromRfc3339(text(status, "finishedAt")))
        run.finishedMs = finished;
    if (!text(status, "message").empty())
        run.message = text(status, "message");
    const Json nodes = status.value("nodes", Json::object());
    if (!nodes.is_object())
        return;
    const std::string rootId = text(workflow.value("metadata", Json::object()), "name");

    // Who contains whom: a node listed by a TaskGroup or Retry belongs to it;
    // any other node to its boundary (the DAG or Steps it is part of).
    std::map<std::string, std::string> container;
    std::set<std::string> attempts; // pods of a Retry node: shown as the Retry task
    for (const auto &[id, node] : nodes.items()) {
        const std::string type = text(node, "type");
        if (type != "TaskGroup" && type != "StepGroup" && type != "Retry")
            continue;
        for (const auto &child : node.value("children", Json::array()))
            if (child.is_string()) {
                container[child.get<std::string>()] = id;
                if (type == "Retry")
                    attempts.insert(child.get<std::string>());
            }
    }
    for (const auto &[id, node] : nodes.items())
        if (!container.count(id))
            container[id] = text(node, "boundaryID");

    // Task ids are paths of display names, so they read like the pipeline.
    std::map<std::string, std::string> taskId;
    std::set<std::string> used;
    std::function<std::string(const std::string &)> idOf = [&](const std::string &nodeId) -> std::string {
        if (auto it = taskId.find(nodeId); it != taskId.end())
            return it->second;
        if (nodeId.empty() || nodeId == rootId)
            return {};
        const Json &node = nodes.contains(nodeId) ? nodes[nodeId] : Json::object();
        const std::string parent = idOf(container[nodeId]);
        std::string name = text(node, "displayName");
        if (name.empty())
            name = nodeId;
        std::string id = parent.empty() ? name : parent + "/" + name;
        for (int n = 2; used.count(id); ++n)
            id = (parent.empty() ? name : parent + "/" + name) + "#" + std::to_string(n);
        used.insert(id);
        return taskId[nodeId] = id;
    };

    std::vector<TaskRecord> tasks;
    std::map<std::string, std::vector<std::string>> dependsOn;
    for (const auto &[id, node] : nodes.items()) {
        const std::string type = text(node, "type");
        if (attempts.count(id)) {
            // What runs after an attempt runs after the Retry task it belongs to.
            const std::string retry = container[id];
            for (const auto &child : node.value("children", Json::array()))
                if (child.is_string() && container[child.get<std::string>()] == container[retry])
                    dependsOn[child.get<std::string>()].push_back(retry);
            continue;
        }
        const bool single = id == rootId && type == "Pod"; // a one-step workflow
        if (id == rootId && !single)
            continue;
        // A task node's children in the same DAG run after it.
        if (!isGroup(type))
            for (const auto &child : node.value("children", Json::array()))
                if (child.is_string() && container[child.get<std::string>()] == container[id])
                    dependsOn[child.get<std::string>()].push_back(id);
        TaskRecord t;
        t.id = single ? text(node, "displayName") : idOf(id);
        t.name = text(node, "displayName");
        t.displayName = t.name;
        t.parent = single ? std::string() : idOf(container[id]);
        t.kind = type == "TaskGroup" ? "loop" : isGroup(type) ? "dag" : "container";
        t.state = taskStateFromArgo(text(node, "phase"));
        t.startedMs = epochMsFromRfc3339(text(node, "startedAt"));
        t.finishedMs = epochMsFromRfc3339(text(node, "finishedAt"));
        t.message = text(node, "message");
        t.extra = {{"argoNode", id}, {"argoType", type}};
        std::string podNode = id;
        if (type == "Retry") {
            const Json children = node.value("children", Json::array());
            t.attempts = static_cast<int>(children.size());
            if (!children.empty() && children.back().is_string())
                podNode = children.back().get<std::string>(); // the last attempt's log
        } else if (type == "Pod") {
            t.attempts = 1;
        }
        if (type == "Pod" || type == "Retry") {
            const std::string pod = podName(workflow, nodes.contains(podNode) ? nodes[podNode] : node);
            t.extra["podName"] = pod;
            if (t.state != TaskState::Pending && t.state != TaskState::Skipped)
                t.logSource = "pod:" + pod;
        }
        const Json outputs = (nodes.contains(podNode) ? nodes[podNode] : node).value("outputs", Json::object());
        Json params = Json::object();
        for (const auto &p : outputs.value("parameters", Json::array()))
            if (p.is_object())
                params[text(p, "name")] = p.value("value", Json());
        t.outputs = {{"parameters", params}};
        for (const auto &a : outputs.value("artifacts", Json::array())) {
            if (!a.is_object())
                continue;
            ArtifactRecord r;
            r.task = t.id;
            r.name = text(a, "name");
            r.uri = artifactUri(a);
            r.extra = {{"argoArtifact", a}};
            run.artifacts.push_back(std::move(r));
        }
        tasks.push_back(std::move(t));
    }
    for (TaskRecord &t : tasks)
        for (const std::string &dep : dependsOn[text(t.extra, "argoNode")])
            t.dependsOn.push_back(idOf(dep));
    // In the order they started (not started yet: last).
    std::stable_sort(tasks.begin(), tasks.end(), [](const TaskRecord &a, const TaskRecord &b) {
        return a.startedMs && b.startedMs ? a.startedMs < b.startedMs : a.startedMs != 0;
    });
    run.tasks = std::move(tasks);
}

} // namespace pw
