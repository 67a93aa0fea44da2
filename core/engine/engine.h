// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"
#include "runs/rungraph.h"
#include "util/result.h"

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace pw {

class RunStore;
class Runner;

struct EngineOptions {
    int parallelism = 0;     // concurrent task processes; 0 = number of cores
    bool cache = true;       // false: never reuse outputs (--no-cache)
    std::string runtime = "process"; // process, docker or podman
    std::string workDir;     // where relative paths resolve; default: the current directory
    std::string runName;     // default: <pipeline>-<yyyymmdd-hhmmss>
    std::map<std::string, nlohmann::json> parameters; // override the spec's parameter defaults
    std::int64_t killGraceMs = 3000; // SIGTERM, then SIGKILL after this long

    nlohmann::json toJson() const;
    static EngineOptions fromJson(const nlohmann::json &j);
};

// What the engine reports while it runs; called on the engine's thread.
class EngineObserver {
public:
    virtual ~EngineObserver() = default;
    virtual void runStarted(const RunGraph &) {}
    virtual void taskChanged(const TaskRecord &) {}
    virtual void logLine(const std::string & /*taskId*/, bool /*isStderr*/, std::string_view /*line*/) {}
    // A task's artifacts (with the visualizations found in them) and metrics,
    // replacing any it had; called as they reach the store.
    virtual void outputsRecorded(const std::string & /*taskId*/, const std::vector<ArtifactRecord> &,
                                 const std::vector<MetricRecord> &)
    {
    }
    virtual void runFinished(const RunGraph &) {}
};

// Runs a PipelineSpec (the IR) on this machine: container tasks as local
// processes (or docker/podman), DAG order with a parallelism limit, trigger
// conditions, loops with their own limit and fan-in, exit handlers, retries
// with backoff, timeouts, caching, cancel. Every state change lands in the
// RunStore, so other processes (and `resume` after a crash) see the run.
// One Engine runs one run; execute() blocks, so a GUI calls it on a worker thread.
class Engine final {
public:
    explicit Engine(RunStore &store, EngineObserver *observer = nullptr);
    ~Engine();
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    // Records a new run and prepares it; returns its id.
    Result<std::string> create(const ir::PipelineSpec &spec, const EngineOptions &options);
    // Prepares a stored run again: tasks that succeeded (or came from the cache)
    // with the same inputs keep their outputs, everything else runs.
    Result<std::string> prepareResume(const std::string &runId);

    // The prepared run: header and every task known so far.
    RunGraph graph() const;
    // Runs until the run ends; returns its final state.
    Result<RunState> execute();

    // Safe from any thread and from a signal handler.
    void requestCancel();

private:
    RunStore &m_store;
    EngineObserver *m_observer;
    std::unique_ptr<Runner> m_runner;
    std::atomic<bool> m_cancel{false};
};

} // namespace pw
