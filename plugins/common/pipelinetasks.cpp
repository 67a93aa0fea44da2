// SPDX-License-Identifier: Apache-2.0
#include "pipelinetasks.h"

#include "jsonfields.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

namespace pw {

namespace {

using Json = nlohmann::json;

std::string kindOf(const std::string &name, bool hasChildren, const std::string &parentKind)
{
    if (parentKind == "loop")
        return "iteration";
    if (name.rfind("for-loop-", 0) == 0)
        return "loop";
    return hasChildren || name.rfind("condition-", 0) == 0 || name.rfind("exit-handler-", 0) == 0 ? "dag"
                                                                                                 : "container";
}

// Each DAG's tasks and what they wait for, from the IR, by component ("" is the root).
struct IrDag {
    std::map<std::string, std::vector<std::string>> dependsOn;
    std::map<std::string, std::string> componentOf; // task -> component (for nested DAGs)
    std::map<std::string, std::string> keyOf;       // taskInfo.name (what servers show) -> task key
    std::set<std::string> loops;                    // tasks that iterate
};

// What a task is, from the IR where it says (a group with no members started
// yet is still a group), else from the server's picture.
std::string kindOf(const std::map<std::string, IrDag> &dags, const IrDag *dag, const std::string &task,
                   bool hasChildren, const std::string &parentKind)
{
    if (parentKind != "loop" && dag) {
        if (dag->loops.count(task))
            return "loop";
        if (auto c = dag->componentOf.find(task); c != dag->componentOf.end() && dags.count(c->second))
            return "dag";
    }
    return kindOf(task, hasChildren, parentKind);
}

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
            d.keyOf[task] = task;
            if (t.contains("parameterIterator") || t.contains("artifactIterator"))
                d.loops.insert(task);
        }
    };
    read("", member(member(ir, "root"), "dag"));
    for (const auto &[name, c] : member(ir, "components").items())
        if (c.contains("dag"))
            read(name, member(c, "dag"));
    return dags;
}

} // namespace

std::vector<TaskRecord> pipelineTasks(const Json &ir, const std::vector<TaskDetail> &details,
                                      const std::vector<std::string> &rootNames, bool runEnded)
{
    std::map<std::string, const TaskDetail *> byId;
    std::map<std::string, std::vector<std::string>> children;
    for (const TaskDetail &d : details)
        byId[d.id] = &d;
    for (const auto &[id, d] : byId)
        children[d->parentId].push_back(id);
    const auto isRootName = [&](const std::string &name) {
        return std::find(rootNames.begin(), rootNames.end(), name) != rootNames.end();
    };
    std::string rootId;
    for (const auto &[id, d] : byId)
        if (!byId.count(d->parentId) && (!children[id].empty() || isRootName(d->name)))
            rootId = id;

    const auto dags = irDags(ir);
    std::vector<TaskRecord> tasks;
    std::set<std::string> used;
    std::function<void(const std::string &, const std::string &, const std::string &, const std::string &)> visit =
        [&](const std::string &detailId, const std::string &parentPath, const std::string &parentKind,
            const std::string &component) {
            const TaskDetail &d = *byId[detailId];
            std::string name = d.name;
            const auto dag = dags.find(component);
            if (dag != dags.end())
                if (auto key = dag->second.keyOf.find(d.name); key != dag->second.keyOf.end())
                    name = key->second;
            TaskRecord t;
            t.name = name;
            t.displayName = d.name;
            const std::string base = parentPath.empty() ? name : parentPath + "/" + name;
            t.id = base;
            for (int n = 2; used.count(t.id); ++n)
                t.id = base + "#" + std::to_string(n);
            used.insert(t.id);
            t.parent = parentPath;
            t.kind = kindOf(dags, dag != dags.end() ? &dag->second : nullptr, name, !children[detailId].empty(),
                            parentKind);
            t.state = d.state;
            t.startedMs = d.startedMs;
            t.finishedMs = isTerminal(t.state) ? d.finishedMs : 0;
            t.message = d.message;
            t.extra = d.extra;
            t.extra["taskId"] = d.id;
            if (t.state != TaskState::Pending && t.state != TaskState::Skipped)
                t.logSource = d.logSource;
            t.attempts = t.state == TaskState::Pending ? 0 : 1;
            std::string childComponent;
            if (dag != dags.end()) {
                if (auto deps = dag->second.dependsOn.find(name); deps != dag->second.dependsOn.end())
                    for (const std::string &dep : deps->second)
                        t.dependsOn.push_back(parentPath.empty() ? dep : parentPath + "/" + dep);
                if (auto c = dag->second.componentOf.find(name); c != dag->second.componentOf.end())
                    childComponent = c->second;
            }
            const std::string kind = t.kind, path = t.id;
            tasks.push_back(std::move(t));
            // A loop's iterations run the loop's component; an iteration's tasks are in it.
            for (const std::string &child : children[detailId])
                visit(child, path, kind, kind == "iteration" ? component : childComponent);
        };
    for (const std::string &top : children[rootId])
        visit(top, "", "", "");
    if (rootId.empty()) // no root yet: any tasks the server listed sit at the top
        for (const auto &[id, d] : byId)
            if (!byId.count(d->parentId))
                visit(id, "", "", "");
    // What has not started yet, from the IR's root DAG (nested DAGs appear as they start).
    if (auto root = dags.find(""); root != dags.end())
        for (const auto &[task, _] : root->second.componentOf) {
            if (std::any_of(tasks.begin(), tasks.end(), [&](const TaskRecord &t) { return t.id == task; }))
                continue;
            TaskRecord t;
            t.id = t.name = t.displayName = task;
            t.kind = kindOf(dags, &root->second, task, false, "");
            if (auto d = root->second.dependsOn.find(task); d != root->second.dependsOn.end())
                t.dependsOn = d->second;
            if (runEnded)
                t.state = TaskState::Skipped; // the run ended without it
            tasks.push_back(std::move(t));
        }
    return tasks;
}

} // namespace pw
