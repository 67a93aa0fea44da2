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
// Cancelling, Paused: remote servers report these while a run is still alive.
// Skipped: KFP's state for a run that never started (its pipeline was skipped).
// Unknown: a state the server reported that has no equivalent here.
enum class RunState { Pending, Running, Succeeded, Failed, Cancelled, Interrupted, Cancelling, Paused, Skipped, Unknown };

std::string_view toString(TaskState s);
std::string_view toString(RunState s);
std::optional<TaskState> taskStateFromString(std::string_view s);
std::optional<RunState> runStateFromString(std::string_view s);
bool isTerminal(TaskState s);
bool isTerminal(RunState s);

// Each record has an `extra` object for what only its backend knows (the
// local engine: log file and run directory; KFP: pod names). Views never
// read it; `toJson` shows it beside the neutral fields.

// One output artifact (or one visualization found in it).
struct ArtifactRecord {
    std::string task;          // task id
    std::string name;          // output name
    std::string uri;           // where it lives: a local path, file://, gs://, s3://, minio://, https://
    std::string type;          // schema title, e.g. system.Dataset
    std::string visualization; // "", metrics, confusion_matrix, roc, table, markdown, web-app, html
    nlohmann::json metadata = nlohmann::json::object();
    nlohmann::json extra = nlohmann::json::object();
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
    // Where its log comes from, for people (a file, a pod, a Cloud Logging
    // job); Backend::logs reads it. Empty: the task has no log (yet).
    std::string logSource;
    std::string message;     // why it failed or was skipped
    std::vector<std::string> dependsOn; // task ids
    std::string cacheKey;
    nlohmann::json extra = nlohmann::json::object();
};

struct RunGraph {
    std::string id;
    std::string name;
    std::string pipelineName;
    std::string backend;    // the configuration it came from ("local", "prod-kfp")
    std::string experiment; // where the backend groups runs; empty when it has none
    std::string webUrl;     // the run in its server's own UI, when there is one
    RunState state = RunState::Pending;
    std::int64_t createdMs = 0;
    std::int64_t finishedMs = 0;
    nlohmann::json parameters = nlohmann::json::object();
    std::string message;
    std::vector<TaskRecord> tasks;
    std::vector<ArtifactRecord> artifacts;
    std::vector<MetricRecord> metrics;
    nlohmann::json extra = nlohmann::json::object();

    const TaskRecord *task(std::string_view id) const;
    TaskRecord *task(std::string_view id);
    // The task whose id or name is `key` (ids first); null when none or ambiguous.
    const TaskRecord *findTask(std::string_view key) const;
    // Tasks as a tree (each group followed by its members), siblings in the
    // order they started (not started yet: last, in DAG order).
    std::vector<const TaskRecord *> treeOrder() const;
    // Inserts the task or replaces the one with its id.
    void upsert(TaskRecord task);
};

// A string field of an `extra` object; empty when absent.
std::string extraText(const nlohmann::json &extra, const char *key);

// Times in a RunGraph: milliseconds since the epoch.
std::int64_t epochMs();
// "4.1 s" between two such times; empty when unknown.
std::string formatElapsed(std::int64_t fromMs, std::int64_t toMs);

nlohmann::json toJson(const TaskRecord &t);
nlohmann::json toJson(const ArtifactRecord &a);
nlohmann::json toJson(const RunGraph &run);

} // namespace pw
