// SPDX-License-Identifier: Apache-2.0
#include "runs/rungraph.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <utility>

namespace pw {

namespace {

constexpr std::array<std::pair<TaskState, std::string_view>, 7> kTaskStates{{
    {TaskState::Pending, "pending"},
    {TaskState::Running, "running"},
    {TaskState::Succeeded, "succeeded"},
    {TaskState::Failed, "failed"},
    {TaskState::Skipped, "skipped"},
    {TaskState::Cached, "cached"},
    {TaskState::Cancelled, "cancelled"},
}};

constexpr std::array<std::pair<RunState, std::string_view>, 6> kRunStates{{
    {RunState::Pending, "pending"},
    {RunState::Running, "running"},
    {RunState::Succeeded, "succeeded"},
    {RunState::Failed, "failed"},
    {RunState::Cancelled, "cancelled"},
    {RunState::Interrupted, "interrupted"},
}};

template <typename E, std::size_t N>
std::string_view nameOf(const std::array<std::pair<E, std::string_view>, N> &table, E value)
{
    for (const auto &[v, n] : table)
        if (v == value)
            return n;
    return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> valueOf(const std::array<std::pair<E, std::string_view>, N> &table, std::string_view name)
{
    for (const auto &[v, n] : table)
        if (n == name)
            return v;
    return std::nullopt;
}

} // namespace

std::string_view toString(TaskState s) { return nameOf(kTaskStates, s); }
std::string_view toString(RunState s) { return nameOf(kRunStates, s); }
std::optional<TaskState> taskStateFromString(std::string_view s) { return valueOf(kTaskStates, s); }
std::optional<RunState> runStateFromString(std::string_view s) { return valueOf(kRunStates, s); }

bool isTerminal(TaskState s) { return s != TaskState::Pending && s != TaskState::Running; }
bool isTerminal(RunState s) { return s != RunState::Pending && s != RunState::Running; }

const TaskRecord *RunGraph::task(std::string_view id) const
{
    for (const TaskRecord &t : tasks)
        if (t.id == id)
            return &t;
    return nullptr;
}

const TaskRecord *RunGraph::findTask(std::string_view key) const
{
    if (const TaskRecord *t = task(key))
        return t;
    const TaskRecord *found = nullptr;
    for (const TaskRecord &t : tasks) {
        if (t.name != key && t.displayName != key)
            continue;
        if (found)
            return nullptr;
        found = &t;
    }
    return found;
}

std::int64_t epochMs()
{
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string formatElapsed(std::int64_t fromMs, std::int64_t toMs)
{
    if (fromMs <= 0 || toMs < fromMs)
        return {};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(toMs - fromMs) / 1000.0);
    return buf;
}

std::vector<const TaskRecord *> RunGraph::treeOrder() const
{
    std::map<std::string, std::vector<const TaskRecord *>> children;
    for (const TaskRecord &t : tasks)
        children[t.parent].push_back(&t);
    for (auto &[_, list] : children)
        std::stable_sort(list.begin(), list.end(), [](const TaskRecord *a, const TaskRecord *b) {
            const auto ka = a->startedMs > 0 ? a->startedMs : std::numeric_limits<std::int64_t>::max();
            const auto kb = b->startedMs > 0 ? b->startedMs : std::numeric_limits<std::int64_t>::max();
            return ka < kb;
        });
    std::vector<const TaskRecord *> out;
    std::vector<const TaskRecord *> stack;
    auto pushChildren = [&](const std::string &parent) {
        auto it = children.find(parent);
        if (it != children.end())
            stack.insert(stack.end(), it->second.rbegin(), it->second.rend());
    };
    pushChildren("");
    while (!stack.empty() && out.size() <= tasks.size()) {
        const TaskRecord *t = stack.back();
        stack.pop_back();
        out.push_back(t);
        pushChildren(t->id);
    }
    return out;
}

nlohmann::json toJson(const TaskRecord &t)
{
    nlohmann::json j = {{"id", t.id},
                        {"name", t.name},
                        {"displayName", t.displayName},
                        {"parent", t.parent},
                        {"kind", t.kind},
                        {"state", toString(t.state)},
                        {"attempts", t.attempts},
                        {"startedMs", t.startedMs},
                        {"finishedMs", t.finishedMs},
                        {"inputs", t.inputs},
                        {"outputs", t.outputs},
                        {"logPath", t.logPath},
                        {"dependsOn", t.dependsOn}};
    if (!t.message.empty())
        j["message"] = t.message;
    if (!t.cacheKey.empty())
        j["cacheKey"] = t.cacheKey;
    return j;
}

nlohmann::json toJson(const RunGraph &run)
{
    nlohmann::json tasks = nlohmann::json::array();
    for (const TaskRecord &t : run.tasks)
        tasks.push_back(toJson(t));
    nlohmann::json artifacts = nlohmann::json::array();
    for (const ArtifactRecord &a : run.artifacts)
        artifacts.push_back({{"task", a.task}, {"name", a.name}, {"path", a.path}, {"uri", a.uri},
                             {"type", a.type}, {"visualization", a.visualization}, {"metadata", a.metadata}});
    nlohmann::json metrics = nlohmann::json::array();
    for (const MetricRecord &m : run.metrics)
        metrics.push_back({{"task", m.task}, {"name", m.name}, {"value", m.value}, {"format", m.format}});
    nlohmann::json j = {{"id", run.id},
                        {"name", run.name},
                        {"pipeline", run.pipelineName},
                        {"state", toString(run.state)},
                        {"createdMs", run.createdMs},
                        {"finishedMs", run.finishedMs},
                        {"parameters", run.parameters},
                        {"runDir", run.runDir},
                        {"workDir", run.workDir},
                        {"tasks", tasks},
                        {"artifacts", artifacts},
                        {"metrics", metrics}};
    if (!run.message.empty())
        j["message"] = run.message;
    return j;
}

} // namespace pw
