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

constexpr std::array<std::pair<RunState, std::string_view>, 10> kRunStates{{
    {RunState::Pending, "pending"},
    {RunState::Running, "running"},
    {RunState::Succeeded, "succeeded"},
    {RunState::Failed, "failed"},
    {RunState::Cancelled, "cancelled"},
    {RunState::Interrupted, "interrupted"},
    {RunState::Cancelling, "cancelling"},
    {RunState::Paused, "paused"},
    {RunState::Skipped, "skipped"},
    {RunState::Unknown, "unknown"},
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
bool isTerminal(RunState s)
{
    switch (s) {
    case RunState::Succeeded:
    case RunState::Failed:
    case RunState::Cancelled:
    case RunState::Interrupted:
    case RunState::Skipped:
        return true;
    case RunState::Pending:
    case RunState::Running:
    case RunState::Cancelling:
    case RunState::Paused:
    case RunState::Unknown:
        break;
    }
    return false;
}

const TaskRecord *RunGraph::task(std::string_view id) const
{
    for (const TaskRecord &t : tasks)
        if (t.id == id)
            return &t;
    return nullptr;
}

TaskRecord *RunGraph::task(std::string_view id)
{
    for (TaskRecord &t : tasks)
        if (t.id == id)
            return &t;
    return nullptr;
}

void RunGraph::upsert(TaskRecord record)
{
    if (TaskRecord *t = task(record.id))
        *t = std::move(record);
    else
        tasks.push_back(std::move(record));
}

std::string extraText(const nlohmann::json &extra, const char *key)
{
    const auto it = extra.find(key);
    return it != extra.end() && it->is_string() ? it->get<std::string>() : std::string();
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

namespace {

// A backend's own fields sit beside the neutral ones; a neutral field wins.
void mergeExtra(nlohmann::json &j, const nlohmann::json &extra)
{
    if (!extra.is_object())
        return;
    for (const auto &[k, v] : extra.items())
        if (!j.contains(k))
            j[k] = v;
}

} // namespace

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
                        {"dependsOn", t.dependsOn}};
    if (!t.logSource.empty())
        j["logSource"] = t.logSource;
    if (!t.message.empty())
        j["message"] = t.message;
    if (!t.cacheKey.empty())
        j["cacheKey"] = t.cacheKey;
    mergeExtra(j, t.extra);
    return j;
}

nlohmann::json toJson(const ArtifactRecord &a)
{
    nlohmann::json j = {{"task", a.task},
                        {"name", a.name},
                        {"uri", a.uri},
                        {"type", a.type},
                        {"visualization", a.visualization},
                        {"metadata", a.metadata}};
    mergeExtra(j, a.extra);
    return j;
}

nlohmann::json toJson(const RunGraph &run)
{
    nlohmann::json tasks = nlohmann::json::array();
    for (const TaskRecord &t : run.tasks)
        tasks.push_back(toJson(t));
    nlohmann::json artifacts = nlohmann::json::array();
    for (const ArtifactRecord &a : run.artifacts)
        artifacts.push_back(toJson(a));
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
                        {"tasks", tasks},
                        {"artifacts", artifacts},
                        {"metrics", metrics}};
    for (const auto &[key, value] : {std::pair{"backend", &run.backend}, std::pair{"experiment", &run.experiment},
                                     std::pair{"webUrl", &run.webUrl}, std::pair{"message", &run.message}})
        if (!value->empty())
            j[key] = *value;
    mergeExtra(j, run.extra);
    return j;
}

} // namespace pw
