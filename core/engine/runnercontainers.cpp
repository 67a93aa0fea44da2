// SPDX-License-Identifier: Apache-2.0
#include "engine/cachekey.h"
#include "engine/commandresolver.h"
#include "engine/runner.h"
#include "engine/visualizationindex.h"
#include "util/confinedpath.h"
#include "util/duration.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

namespace pw {

namespace fs = std::filesystem;

namespace {

std::string logFileName(const std::string &taskId)
{
    std::string name = taskId;
    std::replace(name.begin(), name.end(), '/', '.');
    return name + ".log";
}

} // namespace

bool Runner::cachingEnabled(const RunNode &n) const
{
    return m_options.cache && n.task && n.task->enableCache.value_or(false);
}

void Runner::appendLog(const RunNode &n, const std::string &line)
{
    const int fd = ::open(n.logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        const std::string text = ProcessPool::timestamp() + " err " + line + "\n";
        [[maybe_unused]] auto w = ::write(fd, text.data(), text.size());
        ::close(fd);
    }
    if (m_observer)
        m_observer->logLine(n.id, true, line);
}

void Runner::startContainer(RunNode &n)
{
    if (restoreFromPrior(n))
        return;
    if (!n.executor || !n.executor->container) {
        setState(n, TaskState::Failed, "executor '" + n.executorLabel + "' has no container to run");
        return;
    }
    if (auto r = prepareContainer(n); !r.ok()) {
        setState(n, TaskState::Failed, r.error().message);
        return;
    }
    if (cachingEnabled(n) && restoreFromCache(n))
        return;
    n.queued = true;
    m_queue.push_back(n.index);
}

Result<bool> Runner::prepareContainer(RunNode &n)
{
    const ir::ContainerExecutor &container = *n.executor->container;
    n.taskDir = m_runDir + "/tasks/" + n.id;
    n.logPath = m_runDir + "/logs/" + logFileName(n.id);
    TaskContext &ctx = n.ctx;
    ctx = TaskContext{};
    ctx.taskName = n.name;
    ctx.parameters = n.params;
    ctx.artifacts = n.artifacts;
    ctx.run = &m_runValues;
    for (const auto &[name, spec] : n.component->outputDefinitions.parameters) {
        auto path = pathInside(n.taskDir + "/outputs", name);
        if (!path.ok())
            return path.error();
        ctx.outputParameterFiles[name] = *path;
    }
    for (const auto &[name, spec] : n.component->outputDefinitions.artifacts) {
        auto path = pathInside(n.taskDir + "/artifacts", name);
        if (!path.ok())
            return path.error();
        ArtifactValue a;
        a.name = name;
        a.path = *path;
        a.uri = *path;
        if (!spec.artifactType.schemaTitle.empty())
            a.schemaTitle = spec.artifactType.schemaTitle;
        if (!spec.artifactType.schemaVersion.empty())
            a.schemaVersion = spec.artifactType.schemaVersion;
        ctx.outputArtifacts[name] = a;
    }
    ctx.executorOutputFile = n.taskDir + "/executor_output.json";
    auto command = resolveArguments(container.command, ctx);
    if (!command.ok())
        return command.error();
    auto args = resolveArguments(container.args, ctx);
    if (!args.ok())
        return args.error();
    n.command = {container.image, std::move(command).value(), std::move(args).value(), container.env};
    if (auto k = m_spec.k8s.find(n.executorLabel); k != m_spec.k8s.end() && k->second.activeDeadlineSeconds)
        n.timeoutMs = *k->second.activeDeadlineSeconds * 1000;
    if (cachingEnabled(n))
        n.cacheKey = cacheKey(*n.component, container, ctx);
    return true;
}

bool Runner::restoreFromPrior(RunNode &n)
{
    auto it = m_prior.find(n.id);
    if (it == m_prior.end())
        return false;
    const TaskRecord &prior = it->second;
    if (prior.state != TaskState::Succeeded && prior.state != TaskState::Cached)
        return false;
    TaskOutputs in;
    in.parameters = n.params;
    in.artifacts = n.artifacts;
    if (in.toJson() != prior.inputs)
        return false; // something upstream changed: run it again
    n.outputs = TaskOutputs::fromJson(prior.outputs);
    n.attempts = prior.attempts;
    n.logPath = local::logPath(prior);
    n.cacheKey = prior.cacheKey;
    setState(n, prior.state, prior.message);
    n.startedMs = prior.startedMs;
    n.finishedMs = prior.finishedMs;
    return true;
}

bool Runner::restoreFromCache(RunNode &n)
{
    auto entry = m_store.cacheLookup(n.cacheKey);
    if (!entry)
        return false;
    TaskOutputs out = TaskOutputs::fromJson(*entry);
    for (const auto &[name, list] : out.artifacts)
        for (const ArtifactValue &a : list)
            if (!a.path.empty() && !fs::exists(a.path))
                return false; // the earlier run's directory was deleted
    for (const auto &[name, spec] : n.component->outputDefinitions.parameters)
        if (!out.parameters.contains(name))
            return false;
    n.outputs = std::move(out);
    const IndexedOutputs index = indexOutputs(n.id, n.outputs.artifacts, m_workDir, m_store.runsDir());
    n.newArtifacts = index.artifacts;
    n.newMetrics = index.metrics;
    n.logPath.clear();
    setState(n, TaskState::Cached, "outputs reused from an earlier run");
    return true;
}

void Runner::launchQueued()
{
    while (!m_queue.empty() && static_cast<int>(m_pool.running()) < m_parallelism) {
        RunNode &n = m_nodes[m_queue.front()];
        m_queue.pop_front();
        if (!n.queued || isTerminal(n.state))
            continue;
        n.queued = false;
        if (m_cancelling) {
            setState(n, TaskState::Cancelled, "the run was cancelled");
            continue;
        }
        launch(n);
    }
}

// As KFP's launcher does: output folders exist, stale outputs of an earlier
// attempt do not; never through a link that leaves the run. Returns the
// folders (resolved), which a container may write.
Result<std::vector<std::string>> Runner::prepareOutputFolders(const TaskContext &ctx)
{
    std::vector<std::string> folders;
    if (ctx.outputParameterFiles.empty() && ctx.outputArtifacts.empty())
        return folders;
    std::error_code ec;
    std::vector<std::string> stale{ctx.executorOutputFile},
        wanted{fs::path(ctx.executorOutputFile).parent_path()};
    for (const auto &[_, file] : ctx.outputParameterFiles) {
        stale.push_back(file);
        wanted.push_back(fs::path(file).parent_path().string());
    }
    for (const auto &[_, a] : ctx.outputArtifacts)
        wanted.push_back(fs::path(a.path).parent_path().string());
    for (const std::string &path : stale) {
        auto real = resolveInside(m_runDir, path);
        if (!real.ok())
            return Error{"output path " + real.error().message, {}};
        fs::remove(*real, ec);
    }
    for (const std::string &folder : wanted) {
        auto real = resolveInside(m_runDir, folder);
        if (!real.ok())
            return Error{"output folder " + real.error().message, {}};
        fs::create_directories(*real, ec);
        if (std::find(folders.begin(), folders.end(), *real) == folders.end())
            folders.push_back(*real);
    }
    return folders;
}

void Runner::launch(RunNode &n)
{
    auto outputFolders = prepareOutputFolders(n.ctx);
    if (!outputFolders.ok()) {
        containerFailed(n, outputFolders.error().message);
        return;
    }
    ++n.attempts;
    HostPaths paths = m_hostPaths;
    paths.containerName = "pw-" + m_run.id.substr(0, 8) + "-" + std::to_string(n.index) + "-" +
                          std::to_string(n.attempts);
    paths.readWrite = *outputFolders;
    if (m_runtime != ContainerRuntime::Process)
        for (const std::string &folder : outputFoldersNamedBy(n.command, m_workDir))
            paths.readWrite.push_back(folder);
    for (const auto &[_, list] : n.ctx.artifacts)
        for (const ArtifactValue &a : list)
            if (std::error_code ec; !a.path.empty() && fs::exists(a.path, ec))
                paths.readOnly.push_back(a.path);
    LaunchSpec spec;
    spec.argv = launchArgv(m_runtime, n.command, paths);
    spec.env = m_baseEnv;
    if (m_runtime == ContainerRuntime::Process) {
        for (const auto &[k, v] : n.command.env) {
            const std::string prefix = k + "=";
            std::erase_if(spec.env, [&](const std::string &e) { return e.rfind(prefix, 0) == 0; });
            spec.env.push_back(prefix + v);
        }
    }
    spec.workDir = m_workDir;
    spec.logPath = n.logPath;
    spec.owner = m_run.id + "/" + n.id;
    m_active.insert(n.index);
    auto pid = m_pool.start(n.index, spec);
    if (!pid.ok()) {
        containerFailed(n, pid.error().message);
        return;
    }
    n.pid = *pid;
    n.timedOut = false;
    n.retryAtMs = 0;
    n.killAtMs = 0;
    n.deadlineMs = n.timeoutMs > 0 ? epochMs() + n.timeoutMs : 0;
    if (n.state == TaskState::Running)
        touch(n);
    else
        setState(n, TaskState::Running);
}

void Runner::handleExit(const ProcessPool::Exit &e)
{
    RunNode &n = m_nodes[e.tag];
    n.pid = 0;
    n.killAtMs = 0;
    n.deadlineMs = 0;
    if (n.cancelling || m_cancelling) {
        setState(n, TaskState::Cancelled, "cancelled while running");
        return;
    }
    if (n.timedOut) {
        containerFailed(n, "timed out after " + std::to_string(n.timeoutMs / 1000) + " s");
        return;
    }
    if (e.exitCode == 0) {
        containerSucceeded(n);
        return;
    }
    containerFailed(n, e.signal ? "killed by signal " + std::to_string(e.signal)
                                : "exited with code " + std::to_string(e.exitCode));
}

void Runner::containerSucceeded(RunNode &n)
{
    auto out = collectOutputs(*n.component, n.ctx, m_runDir);
    if (!out.ok()) {
        containerFailed(n, out.error().message);
        return;
    }
    n.outputs = std::move(out).value();
    const IndexedOutputs index = indexOutputs(n.id, n.outputs.artifacts, m_workDir, m_store.runsDir());
    n.newArtifacts = index.artifacts;
    n.newMetrics = index.metrics;
    if (!n.cacheKey.empty())
        (void)m_store.cacheStore(n.cacheKey, n.outputs.toJson(), m_run.id, n.id); // a lost entry only costs a rerun
    setState(n, TaskState::Succeeded);
}

void Runner::containerFailed(RunNode &n, const std::string &why)
{
    n.pid = 0;
    const ir::RetryPolicy *retry = n.task && n.task->retryPolicy ? &*n.task->retryPolicy : nullptr;
    if (retry && n.attempts <= retry->maxRetryCount && !m_cancelling) {
        const double base = static_cast<double>(parseDurationMs(retry->backoffDuration).value_or(0));
        const double factor = retry->backoffFactor.value_or(2.0);
        std::int64_t delay = static_cast<std::int64_t>(base * std::pow(factor, n.attempts - 1));
        const std::int64_t cap = retry->backoffMaxDuration.empty()
            ? 3600000
            : parseDurationMs(retry->backoffMaxDuration).value_or(3600000);
        delay = std::min(delay, cap);
        n.retryAtMs = epochMs() + std::max<std::int64_t>(delay, 1);
        m_active.insert(n.index);
        n.message = "attempt " + std::to_string(n.attempts) + " " + why;
        char wait[32];
        std::snprintf(wait, sizeof wait, "%.1f s", static_cast<double>(delay) / 1000.0);
        appendLog(n, "pipewright: attempt " + std::to_string(n.attempts) + " of " +
                         std::to_string(retry->maxRetryCount + 1) + " " + why + "; retrying in " + wait);
        touch(n);
        return;
    }
    if (n.attempts > 1)
        appendLog(n, "pipewright: attempt " + std::to_string(n.attempts) + " " + why + "; giving up");
    setState(n, TaskState::Failed, why);
}

void Runner::handleTimers()
{
    const std::int64_t now = epochMs();
    const std::vector<int> active(m_active.begin(), m_active.end());
    for (int i : active) {
        RunNode &n = m_nodes[i];
        if (n.retryAtMs > 0 && n.pid == 0 && now >= n.retryAtMs) {
            n.retryAtMs = 0;
            if (m_cancelling) {
                setState(n, TaskState::Cancelled, "the run was cancelled");
                continue;
            }
            n.queued = true;
            m_queue.push_back(n.index);
        }
        if (n.pid > 0 && n.deadlineMs > 0 && now >= n.deadlineMs) {
            n.timedOut = true;
            n.deadlineMs = 0;
            m_pool.signalGroup(n.index, SIGTERM);
            n.killAtMs = now + m_options.killGraceMs;
        }
        if (n.pid > 0 && n.killAtMs > 0 && now >= n.killAtMs) {
            n.killAtMs = 0;
            m_pool.signalGroup(n.index, SIGKILL);
        }
    }
}

} // namespace pw
