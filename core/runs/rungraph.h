// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// The backend-neutral picture of a run (DESIGN "Runs"): the local engine
// produces it, remote backends will too, and every view only reads it.

enum class TaskState { Pending, Running, Succeeded, Failed, Skipped, Cached, Cancelled };
// Interrupted: the engine that ran it stopped without finishing (killed, crashed).
enum class RunState { Pending, Running, Succeeded, Failed, Cancelled, Interrupted };

std::string_view toString(TaskState s);
std::string_view toString(RunState s);
std::optional<TaskState> taskStateFromString(std::string_view s);
std::optional<RunState> runStateFromString(std::string_view s);
bool isTerminal(TaskState s);
bool isTerminal(RunState s);

// One output artifact (or one visualization found in it).
struct ArtifactRecord {
    std::string task;          // task id
    std::string name;          // output name
    std::string path;          // local file or folder (absolute)
    std::string uri;           // what components received as the URI
    std::string type;          // schema title, e.g. system.Dataset
    std::string visualization; // "", metrics, confusion_matrix, roc, table, markdown, web-app, html
    nlohmann::json metadata = nlohmann::json::object();
};

struct MetricRecord {
    std::string task;
    std::string name;
    double value = 0;
    std::string format; // RAW or PERCENTAGE (KFP v1), empty otherwise
};

struct TaskRecord {
    std::string id;          // path in the run: "train", "for-loop-2/0/score"
    std::string name;        // task name in its DAG (IR taskInfo name)
    std::string displayName;
    std::string parent;      // id of the enclosing group task; empty at the root
    std::string kind;        // container, importer, dag, loop, iteration
    TaskState state = TaskState::Pending;
    int attempts = 0;
    std::int64_t startedMs = 0;  // ms since the epoch; 0 = not yet
    std::int64_t finishedMs = 0;
    nlohmann::json inputs = nlohmann::json::object();  // {parameters: {}, artifacts: {}}
    nlohmann::json outputs = nlohmann::json::object(); // {parameters: {}, artifacts: {}}
    std::string logPath;
    std::string message;     // why it failed or was skipped
    std::vector<std::string> dependsOn; // task ids
    std::string cacheKey;
    std::int64_t pid = 0;    // while running: process group of the task
};

struct RunGraph {
    std::string id;
    std::string name;
    std::string pipelineName;
    RunState state = RunState::Pending;
    std::int64_t createdMs = 0;
    std::int64_t finishedMs = 0;
    nlohmann::json parameters = nlohmann::json::object();
    std::string runDir;
    std::string workDir; // where relative paths in the run resolve (the launch directory)
    std::string message;
    std::vector<TaskRecord> tasks;
    std::vector<ArtifactRecord> artifacts;
    std::vector<MetricRecord> metrics;

    const TaskRecord *task(std::string_view id) const;
    // The task whose id or name is `key` (ids first); null when none or ambiguous.
    const TaskRecord *findTask(std::string_view key) const;
    // Tasks as a tree (each group followed by its members), siblings in the
    // order they started (not started yet: last, in DAG order).
    std::vector<const TaskRecord *> treeOrder() const;
};

// Times in a RunGraph: milliseconds since the epoch.
std::int64_t epochMs();
// "4.1 s" between two such times; empty when unknown.
std::string formatElapsed(std::int64_t fromMs, std::int64_t toMs);

nlohmann::json toJson(const TaskRecord &t);
nlohmann::json toJson(const RunGraph &run);

} // namespace pw
