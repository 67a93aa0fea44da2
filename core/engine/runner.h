// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internal to the engine (engine.h is the interface): the state of one run
// while it executes. runner.cpp has the loop and state changes,
// runnerinputs.cpp input resolution, conditions, loops and DAG outputs,
// runnercontainers.cpp launching, exits, retries, timeouts and caching.

#include "engine/containerruntime.h"
#include "engine/engine.h"
#include "engine/localrecords.h"
#include "engine/outputcollector.h"
#include "engine/processpool.h"
#include "engine/taskcontext.h"
#include "engine/runstore.h"

#include <atomic>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace pw {

struct RunNode {
    enum class Kind { Root, Container, Importer, Dag, Loop, Iteration };
    Kind kind = Kind::Container;
    int index = 0;
    std::string id;          // path in the run
    std::string name;        // name in its DAG
    std::string displayName;
    int parent = -1;
    const ir::PipelineTask *task = nullptr; // null for the root and loop iterations
    const ir::ComponentSpec *component = nullptr;
    const ir::Executor *executor = nullptr;
    std::string executorLabel;

    std::vector<int> children;              // DAG members, or a loop's iterations
    std::map<std::string, int> childByName;
    std::vector<int> deps;                  // siblings this one waits for

    TaskState state = TaskState::Pending;
    bool upstreamFailed = false; // skipped because something it waits for failed
    bool queued = false;         // waiting for a process slot
    std::string message;
    int attempts = 0;
    std::int64_t startedMs = 0, finishedMs = 0;

    // Inputs once resolved; for group tasks these are what members read.
    nlohmann::json params = nlohmann::json::object();
    std::map<std::string, std::vector<ArtifactValue>> artifacts;
    TaskOutputs outputs;

    // Loops
    nlohmann::json items;
    std::size_t runningIterations = 0;
    int iterationLimit = 0;

    // Container processes
    TaskContext ctx;
    ContainerCommand command;
    std::string taskDir, logPath, cacheKey;
    long pid = 0;
    std::int64_t timeoutMs = 0; // per attempt, from the platform spec (activeDeadlineSeconds)
    std::int64_t deadlineMs = 0, retryAtMs = 0, killAtMs = 0; // absolute times
    bool timedOut = false, cancelling = false;

    bool dirty = true;
    std::vector<ArtifactRecord> newArtifacts;
    std::vector<MetricRecord> newMetrics;
};

class Runner final {
public:
    Runner(RunStore &store, EngineObserver *observer, std::atomic<bool> &cancel);

    Result<std::string> create(const ir::PipelineSpec &spec, const EngineOptions &options);
    Result<std::string> prepareResume(const std::string &runId);
    Result<RunState> execute();
    void wake() { m_pool.wake(); }
    // The run's header with every task's record.
    RunGraph summary() const;

private:
    // runner.cpp
    Result<bool> prepare();
    int addNode(RunNode node);
    void expand(int scope, const ir::ComponentSpec &component);
    void setState(RunNode &n, TaskState s, std::string message = {});
    void touch(RunNode &n);
    void skipMembers(RunNode &scope, const std::string &why);
    void advanceScope(int scope);
    void advance(RunNode &n);
    void completeScope(RunNode &scope);
    void beginCancel();
    Result<bool> flush(bool final = false);
    TaskRecord record(const RunNode &n) const;
    std::int64_t nextTimerMs() const;

    // runnerinputs.cpp
    enum class Resolution { Ready, Skip, Fail };
    Resolution resolveInputs(RunNode &n, std::string &why);
    bool dependencyFailed(const RunNode &n, std::string &who) const;
    nlohmann::json finalStatus(const RunNode &producer) const;
    Result<bool> evaluateTrigger(const RunNode &n) const;
    Result<bool> startLoop(RunNode &loop);
    void collectScopeOutputs(RunNode &scope);
    Result<TaskOutputs> importerOutputs(RunNode &n);

    // runnercontainers.cpp
    void startContainer(RunNode &n);
    Result<bool> prepareContainer(RunNode &n);
    bool restoreFromPrior(RunNode &n);
    bool restoreFromCache(RunNode &n);
    void launchQueued();
    void launch(RunNode &n);
    Result<std::vector<std::string>> prepareOutputFolders(const TaskContext &ctx);
    void handleExit(const ProcessPool::Exit &e);
    void containerSucceeded(RunNode &n);
    void containerFailed(RunNode &n, const std::string &why);
    void handleTimers();
    bool cachingEnabled(const RunNode &n) const;
    void appendLog(const RunNode &n, const std::string &line);

    RunStore &m_store;
    EngineObserver *m_observer;
    std::atomic<bool> &m_cancelFlag;
    ProcessPool m_pool;

    ir::PipelineSpec m_spec;
    EngineOptions m_options;
    ContainerRuntime m_runtime = ContainerRuntime::Process;
    HostPaths m_hostPaths;
    RunGraph m_run; // header fields only; tasks live in m_nodes
    std::string m_runDir;  // logs/, tasks/ of this run
    std::string m_workDir; // where relative paths resolve
    RunValues m_runValues;
    std::vector<std::string> m_baseEnv;
    std::map<std::string, TaskRecord> m_prior; // resume: what the earlier attempt recorded

    std::deque<RunNode> m_nodes;
    std::set<int> m_dirtyScopes;
    std::deque<int> m_queue;        // ready containers waiting for a slot
    std::map<int, int> m_byTag;     // process tag -> node
    std::set<int> m_active;         // containers running or waiting to retry (timers)
    std::vector<int> m_dirtyNodes;  // changed since the last flush
    int m_parallelism = 1;
    bool m_cancelling = false;
    std::int64_t m_lastCancelPollMs = 0;
};

} // namespace pw
