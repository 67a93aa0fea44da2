// SPDX-License-Identifier: Apache-2.0
#include "engine/runner.h"

#include "engine/taskenvironment.h"

#include "ir/pipelinespecio.h"

#include <QDateTime>
#include <QUuid>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <limits>
#include <thread>

#include <signal.h>

extern char **environ;

namespace pw {

namespace {

const char *kindName(RunNode::Kind k)
{
    switch (k) {
    case RunNode::Kind::Root: return "root";
    case RunNode::Kind::Container: return "container";
    case RunNode::Kind::Importer: return "importer";
    case RunNode::Kind::Dag: return "dag";
    case RunNode::Kind::Loop: return "loop";
    case RunNode::Kind::Iteration: return "iteration";
    }
    return "container";
}

bool isScope(RunNode::Kind k)
{
    return k == RunNode::Kind::Root || k == RunNode::Kind::Dag || k == RunNode::Kind::Loop ||
           k == RunNode::Kind::Iteration;
}

} // namespace

Runner::Runner(RunStore &store, EngineObserver *observer, std::atomic<bool> &cancel)
    : m_store(store), m_observer(observer), m_cancelFlag(cancel)
{
}

Result<std::string> Runner::create(const ir::PipelineSpec &spec, const EngineOptions &options)
{
    m_spec = spec;
    m_options = options;
    // Checked before anything is recorded, so a bad option leaves no run behind.
    auto runtime = containerRuntimeFromString(options.runtime);
    if (!runtime)
        return Error{"unknown runtime '" + options.runtime + "' (process, docker or podman)", {}};
    if (auto binary = findRuntimeBinary(*runtime); !binary.ok())
        return binary.error();
    const std::int64_t created = epochMs();
    m_run.id = QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    m_run.pipelineName = spec.pipelineName.empty() ? "pipeline" : spec.pipelineName;
    m_run.name = options.runName.empty()
        ? m_run.pipelineName + "-" +
              QDateTime::fromMSecsSinceEpoch(created).toString("yyyyMMdd-HHmmss").toStdString()
        : options.runName;
    m_run.createdMs = created;
    m_workDir = options.workDir.empty() ? std::filesystem::current_path().string() : options.workDir;
    m_runDir = m_store.runsDir() + "/" + m_run.id;
    local::setDirs(m_run, m_runDir, m_workDir);
    m_run.state = RunState::Pending;

    nlohmann::json params = nlohmann::json::object();
    for (const auto &[name, p] : spec.root.inputDefinitions.parameters)
        if (p.defaultValue)
            params[name] = *p.defaultValue;
    for (const auto &[name, value] : options.parameters) {
        if (!spec.root.inputDefinitions.parameters.count(name))
            return Error{"the pipeline has no parameter '" + name + "'", {}};
        params[name] = value;
    }
    for (const auto &[name, p] : spec.root.inputDefinitions.parameters)
        if (!params.contains(name) && !p.isOptional)
            return Error{"parameter '" + name + "' has no value; pass --param " + name + "=VALUE", {}};
    m_run.parameters = params;
    m_options.workDir = m_workDir;

    std::error_code ec;
    std::filesystem::create_directories(m_runDir + "/logs", ec);
    if (ec)
        return Error{"cannot create the run directory " + m_runDir + ": " + ec.message(), {}};
    if (auto r = m_store.createRun(m_run, ir::writePipelineSpecYaml(spec), m_options.toJson()); !r.ok())
        return r.error();
    if (auto r = prepare(); !r.ok())
        return r.error();
    return m_run.id;
}

Result<std::string> Runner::prepareResume(const std::string &runId)
{
    auto run = m_store.loadRun(runId);
    if (!run.ok())
        return run.error();
    if (!isTerminal(run->state))
        return Error{"run " + runId + " is already running (started or resumed by another process)", {}};
    if (run->state == RunState::Succeeded)
        return Error{"run " + runId + " already succeeded; there is nothing to resume", {}};
    auto specText = m_store.runSpec(runId);
    if (!specText.ok())
        return specText.error();
    auto spec = ir::readPipelineSpec(*specText, "run " + runId);
    if (!spec.ok())
        return spec.error();
    auto options = m_store.runOptions(runId);
    if (!options.ok())
        return options.error();
    m_spec = std::move(spec).value();
    m_options = EngineOptions::fromJson(*options);
    for (TaskRecord &t : run->tasks)
        m_prior.emplace(t.id, std::move(t));
    m_run = std::move(run).value();
    m_runDir = local::runDir(m_run);
    m_workDir = local::workDir(m_run);
    m_run.tasks.clear();
    m_run.artifacts.clear();
    m_run.metrics.clear();
    m_run.message.clear();
    if (auto r = prepare(); !r.ok())
        return r.error();
    // Claimed now, not when it executes, so that a second resume of the same
    // run fails before it does anything.
    if (auto r = m_store.claimRun(m_run.id, m_run.state); !r.ok())
        return r.error();
    m_run.state = RunState::Running;
    return m_run.id;
}

Result<bool> Runner::prepare()
{
    auto runtime = containerRuntimeFromString(m_options.runtime);
    if (!runtime)
        return Error{"unknown runtime '" + m_options.runtime + "' (process, docker or podman)", {}};
    m_runtime = *runtime;
    auto binary = findRuntimeBinary(m_runtime);
    if (!binary.ok())
        return binary.error();
    m_hostPaths = {m_workDir, *binary, {}, {}, {}};
    m_parallelism = m_options.parallelism > 0 ? m_options.parallelism
                                              : std::max(1u, std::thread::hardware_concurrency());
    m_runValues = {m_run.name, m_run.id, m_run.createdMs, m_runDir};
    std::vector<std::string> engineEnv;
    for (char **e = environ; e && *e; ++e)
        engineEnv.emplace_back(*e);
    m_baseEnv = m_runtime == ContainerRuntime::Process ? taskEnvironment(engineEnv) : engineEnv;
    if (!m_spec.root.dag)
        return Error{"the pipeline has no DAG to run", {}};

    RunNode root;
    root.kind = RunNode::Kind::Root;
    root.component = &m_spec.root;
    root.params = m_run.parameters;
    const int r = addNode(std::move(root));
    expand(r, m_spec.root);
    return true;
}

int Runner::addNode(RunNode node)
{
    node.index = static_cast<int>(m_nodes.size());
    m_nodes.push_back(std::move(node));
    if (m_nodes.back().kind != RunNode::Kind::Root)
        m_dirtyNodes.push_back(m_nodes.back().index);
    return m_nodes.back().index;
}

void Runner::expand(int scopeIndex, const ir::ComponentSpec &component)
{
    if (!component.dag)
        return;
    std::vector<int> added;
    for (const auto &[name, task] : component.dag->tasks) {
        RunNode n;
        const std::string &scopeId = m_nodes[scopeIndex].id;
        n.id = scopeId.empty() ? name : scopeId + "/" + name;
        n.name = name;
        n.displayName = task.taskInfoName.empty() ? name : task.taskInfoName;
        n.parent = scopeIndex;
        n.task = &task;
        auto c = m_spec.components.find(task.componentRef);
        n.component = c == m_spec.components.end() ? nullptr : &c->second;
        if (n.component && n.component->dag) {
            n.kind = task.parameterIterator || task.artifactIterator ? RunNode::Kind::Loop : RunNode::Kind::Dag;
        } else if (n.component) {
            n.executorLabel = n.component->executorLabel;
            auto e = m_spec.executors.find(n.executorLabel);
            n.executor = e == m_spec.executors.end() ? nullptr : &e->second;
            n.kind = n.executor && n.executor->importer ? RunNode::Kind::Importer : RunNode::Kind::Container;
        }
        const int index = addNode(std::move(n));
        m_nodes[scopeIndex].children.push_back(index);
        m_nodes[scopeIndex].childByName[name] = index;
        added.push_back(index);
    }
    for (int index : added) {
        RunNode &n = m_nodes[index];
        std::set<std::string> upstream(n.task->dependentTasks.begin(), n.task->dependentTasks.end());
        for (const auto &[_, p] : n.task->inputs.parameters) {
            if (p.taskOutputParameter)
                upstream.insert(p.taskOutputParameter->producerTask);
            if (p.taskFinalStatus)
                upstream.insert(*p.taskFinalStatus);
        }
        for (const auto &[_, a] : n.task->inputs.artifacts)
            if (a.taskOutputArtifact)
                upstream.insert(a.taskOutputArtifact->producerTask);
        for (const std::string &u : upstream)
            if (auto it = m_nodes[scopeIndex].childByName.find(u); it != m_nodes[scopeIndex].childByName.end())
                n.deps.push_back(it->second);
        if (n.kind == RunNode::Kind::Dag)
            expand(index, *n.component);
    }
}

TaskRecord Runner::record(const RunNode &n) const
{
    TaskRecord t;
    t.id = n.id;
    t.name = n.name;
    t.displayName = n.displayName;
    t.parent = n.parent >= 0 ? m_nodes[n.parent].id : std::string();
    t.kind = kindName(n.kind);
    t.state = n.state;
    t.attempts = n.attempts;
    t.startedMs = n.startedMs;
    t.finishedMs = n.finishedMs;
    TaskOutputs in;
    in.parameters = n.params;
    in.artifacts = n.artifacts;
    t.inputs = in.toJson();
    t.outputs = n.outputs.toJson();
    local::setLogPath(t, n.logPath);
    t.message = n.message;
    for (int d : n.deps)
        t.dependsOn.push_back(m_nodes[d].id);
    t.cacheKey = n.cacheKey;
    return t;
}

void Runner::touch(RunNode &n)
{
    if (!n.dirty && n.kind != RunNode::Kind::Root) {
        n.dirty = true;
        m_dirtyNodes.push_back(n.index);
    }
}

void Runner::setState(RunNode &n, TaskState s, std::string message)
{
    const bool changed = n.state != s;
    n.state = s;
    if (!message.empty() || changed)
        n.message = std::move(message);
    const std::int64_t now = epochMs();
    if (s == TaskState::Running && !n.startedMs)
        n.startedMs = now;
    if (isTerminal(s)) {
        n.finishedMs = now;
        n.queued = false;
        m_active.erase(n.index);
        if (n.parent >= 0) {
            m_dirtyScopes.insert(n.parent);
            RunNode &parent = m_nodes[n.parent];
            if (n.kind == RunNode::Kind::Iteration && parent.runningIterations > 0)
                --parent.runningIterations;
        }
    }
    touch(n);
    if (changed && m_observer && n.kind != RunNode::Kind::Root)
        m_observer->taskChanged(record(n));
}

void Runner::skipMembers(RunNode &scope, const std::string &why)
{
    const TaskState s = m_cancelling ? TaskState::Cancelled : TaskState::Skipped;
    for (int c : scope.children) {
        RunNode &child = m_nodes[c];
        if (child.state != TaskState::Pending)
            continue;
        child.upstreamFailed = scope.upstreamFailed;
        setState(child, s, why);
        skipMembers(child, why);
    }
}

void Runner::advanceScope(int index)
{
    RunNode &scope = m_nodes[index];
    if (scope.state != TaskState::Running)
        return;
    bool allDone = true;
    for (int c : scope.children) {
        RunNode &child = m_nodes[c];
        if (child.state == TaskState::Pending && !child.queued) {
            if (child.kind != RunNode::Kind::Iteration || scope.iterationLimit <= 0 || m_cancelling ||
                static_cast<int>(scope.runningIterations) < scope.iterationLimit)
                advance(child);
        }
        allDone = allDone && isTerminal(child.state);
    }
    if (allDone)
        completeScope(scope);
}

void Runner::advance(RunNode &n)
{
    if (m_cancelling) {
        setState(n, TaskState::Cancelled, "the run was cancelled");
        skipMembers(n, "the run was cancelled");
        return;
    }
    if (n.kind == RunNode::Kind::Iteration) {
        ++m_nodes[n.parent].runningIterations;
        setState(n, TaskState::Running);
        m_dirtyScopes.insert(n.index);
        return;
    }
    for (int d : n.deps)
        if (!isTerminal(m_nodes[d].state))
            return;
    std::string why;
    const bool runsAnyway = n.task && n.task->triggerStrategy == "ALL_UPSTREAM_TASKS_COMPLETED";
    if (!runsAnyway && dependencyFailed(n, why)) {
        n.upstreamFailed = true;
        setState(n, TaskState::Skipped, "not run: upstream task '" + why + "' did not succeed");
        skipMembers(n, "not run: upstream task '" + why + "' did not succeed");
        return;
    }
    switch (resolveInputs(n, why)) {
    case Resolution::Fail:
        setState(n, TaskState::Failed, why);
        skipMembers(n, "not run: its group failed");
        return;
    case Resolution::Skip:
        setState(n, TaskState::Skipped, why);
        skipMembers(n, why);
        return;
    case Resolution::Ready: break;
    }
    if (n.task && !n.task->triggerCondition.empty()) {
        auto ok = evaluateTrigger(n);
        if (!ok.ok()) {
            setState(n, TaskState::Failed, ok.error().message);
            skipMembers(n, "not run: its group failed");
            return;
        }
        if (!*ok) {
            setState(n, TaskState::Skipped, "condition not met: " + n.task->triggerCondition);
            skipMembers(n, "condition not met");
            return;
        }
    }
    switch (n.kind) {
    case RunNode::Kind::Container: startContainer(n); return;
    case RunNode::Kind::Importer: {
        auto out = importerOutputs(n);
        if (!out.ok()) {
            setState(n, TaskState::Failed, out.error().message);
            return;
        }
        n.outputs = std::move(out).value();
        setState(n, TaskState::Succeeded);
        return;
    }
    case RunNode::Kind::Loop:
        if (auto r = startLoop(n); !r.ok()) {
            setState(n, TaskState::Failed, r.error().message);
            return;
        }
        [[fallthrough]];
    case RunNode::Kind::Dag:
        setState(n, TaskState::Running);
        m_dirtyScopes.insert(n.index);
        return;
    case RunNode::Kind::Root:
    case RunNode::Kind::Iteration: return;
    }
}

void Runner::completeScope(RunNode &scope)
{
    TaskState s = TaskState::Succeeded;
    std::string why;
    for (int c : scope.children) {
        const RunNode &child = m_nodes[c];
        if (child.state == TaskState::Failed && s != TaskState::Failed) {
            s = TaskState::Failed;
            why = "task '" + child.id + "' failed" + (child.message.empty() ? "" : ": " + child.message);
        } else if (child.state == TaskState::Cancelled && s == TaskState::Succeeded) {
            s = TaskState::Cancelled;
            why = "cancelled";
        }
    }
    if (s != TaskState::Cancelled)
        collectScopeOutputs(scope);
    setState(scope, s, why);
    if (scope.kind == RunNode::Kind::Root) {
        m_run.state = s == TaskState::Succeeded ? RunState::Succeeded
                                                : (s == TaskState::Cancelled ? RunState::Cancelled : RunState::Failed);
        m_run.message = why;
    }
}

void Runner::beginCancel()
{
    m_cancelling = true;
    const std::int64_t now = epochMs();
    for (RunNode &n : m_nodes) {
        if (n.kind == RunNode::Kind::Container && n.state == TaskState::Running) {
            if (n.pid > 0) {
                m_pool.signalGroup(n.index, SIGTERM);
                n.cancelling = true;
                n.killAtMs = now + m_options.killGraceMs;
            } else { // waiting to retry
                setState(n, TaskState::Cancelled, "the run was cancelled");
            }
        } else if (n.queued) {
            setState(n, TaskState::Cancelled, "the run was cancelled");
        } else if (isScope(n.kind) && n.state == TaskState::Running) {
            m_dirtyScopes.insert(n.index);
        }
    }
}

RunGraph Runner::summary() const
{
    RunGraph g = m_run;
    for (const RunNode &n : m_nodes)
        if (n.kind != RunNode::Kind::Root)
            g.tasks.push_back(record(n));
    return g;
}

Result<bool> Runner::flush(bool final)
{
    RunStore::Batch batch;
    for (int i : m_dirtyNodes) {
        RunNode &n = m_nodes[i];
        n.dirty = false;
        batch.tasks.push_back(record(n));
        batch.pids.push_back(n.pid);
        if (m_observer && (!n.newArtifacts.empty() || !n.newMetrics.empty()))
            m_observer->outputsRecorded(n.id, n.newArtifacts, n.newMetrics);
        std::move(n.newArtifacts.begin(), n.newArtifacts.end(), std::back_inserter(batch.artifacts));
        std::move(n.newMetrics.begin(), n.newMetrics.end(), std::back_inserter(batch.metrics));
        n.newArtifacts.clear();
        n.newMetrics.clear();
    }
    m_dirtyNodes.clear();
    if (final) {
        batch.runState = m_run.state;
        batch.runFinishedMs = m_run.finishedMs;
        batch.runMessage = m_run.message;
    }
    return m_store.write(m_run.id, batch);
}

std::int64_t Runner::nextTimerMs() const
{
    std::int64_t next = std::numeric_limits<std::int64_t>::max();
    for (int i : m_active) {
        const RunNode &n = m_nodes[i];
        for (std::int64_t t : {n.retryAtMs, n.deadlineMs, n.killAtMs})
            if (t > 0)
                next = std::min(next, t);
    }
    return next;
}

Result<RunState> Runner::execute()
{
    if (m_run.state == RunState::Pending) {
        if (auto r = m_store.claimRun(m_run.id, RunState::Pending); !r.ok())
            return r.error();
        m_run.state = RunState::Running;
    }
    if (m_observer)
        m_observer->runStarted(summary());
    RunNode &root = m_nodes.front();
    root.state = TaskState::Running;
    root.startedMs = epochMs();
    m_dirtyScopes.insert(0);

    const auto onLine = [this](int tag, bool isStderr, std::string_view line) {
        if (m_observer)
            m_observer->logLine(m_nodes[tag].id, isStderr, line);
    };
    while (true) {
        while (!m_dirtyScopes.empty()) {
            const int index = *m_dirtyScopes.begin();
            m_dirtyScopes.erase(m_dirtyScopes.begin());
            advanceScope(index);
        }
        launchQueued();
        if (auto r = flush(); !r.ok())
            return r.error();
        if (isTerminal(root.state) && m_pool.running() == 0)
            break;
        if (m_pool.running() == 0 && m_queue.empty() && m_dirtyScopes.empty() && nextTimerMs() ==
                                                                                      std::numeric_limits<std::int64_t>::max()) {
            // Nothing can make progress: a bug, but never a hang.
            for (RunNode &n : m_nodes)
                if (!isTerminal(n.state) && n.kind != RunNode::Kind::Root && !isScope(n.kind))
                    setState(n, TaskState::Failed, "the engine could not schedule this task");
            for (RunNode &n : m_nodes)
                if (!isTerminal(n.state) && isScope(n.kind))
                    m_dirtyScopes.insert(n.index);
            if (m_dirtyScopes.empty())
                break;
            continue;
        }
        const std::int64_t now = epochMs();
        const std::int64_t timeout = std::clamp<std::int64_t>(nextTimerMs() - now, 0, 250);
        for (const ProcessPool::Exit &e : m_pool.wait(static_cast<int>(timeout), onLine))
            handleExit(e);
        handleTimers();
        const std::int64_t after = epochMs();
        if (!m_cancelling && (m_cancelFlag.load() || (after - m_lastCancelPollMs >= 250 &&
                                                      m_store.cancelRequested(m_run.id)))) {
            beginCancel();
        }
        if (after - m_lastCancelPollMs >= 250)
            m_lastCancelPollMs = after;
    }
    if (!isTerminal(m_run.state))
        m_run.state = RunState::Failed;
    m_run.finishedMs = epochMs();
    if (auto r = flush(true); !r.ok())
        return r.error();
    if (m_observer)
        m_observer->runFinished(summary());
    return m_run.state;
}

} // namespace pw
