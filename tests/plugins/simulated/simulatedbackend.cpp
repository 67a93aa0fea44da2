// SPDX-License-Identifier: Apache-2.0
#include "simulatedbackend.h"

#include "runs/pollingrunwatch.h"

#include <QPromise>
#include <QTimer>

namespace pw::test {

SimulatedBackend::SimulatedBackend(QString name, int pollMs) : m_name(std::move(name)), m_pollMs(pollMs) {}

template <typename T>
Future<T> SimulatedBackend::later(Result<T> result)
{
    auto promise = std::make_shared<QPromise<Result<T>>>();
    promise->start();
    QTimer::singleShot(0, this, [promise, result = std::move(result)]() mutable {
        promise->addResult(std::move(result));
        promise->finish();
    });
    return promise->future();
}

Future<ServerInfo> SimulatedBackend::probe() { return later<ServerInfo>(ServerInfo{"sim-1", "sim", {}}); }

Future<SubmittedRun> SimulatedBackend::submit(const RunRequest &request)
{
    if (!request.spec.root.dag)
        return later<SubmittedRun>(Error{"the pipeline has no DAG", {}});
    Sim sim;
    sim.run.id = "sim-" + std::to_string(m_next++);
    sim.run.name = request.runName.empty() ? request.spec.pipelineName + "-" + sim.run.id : request.runName;
    sim.run.pipelineName = request.spec.pipelineName;
    sim.run.createdMs = epochMs();
    sim.run.webUrl = "https://simulated.invalid/runs/" + sim.run.id;
    for (const auto &[name, value] : request.parameters)
        sim.run.parameters[name] = value;
    for (const auto &[name, task] : request.spec.root.dag->tasks) {
        TaskRecord t;
        t.id = t.name = t.displayName = name;
        t.kind = "container";
        for (const std::string &d : task.dependentTasks)
            t.dependsOn.push_back(d);
        sim.run.tasks.push_back(std::move(t));
    }
    const std::string id = sim.run.id;
    m_runs.emplace(id, std::move(sim));
    return later<SubmittedRun>(SubmittedRun{id, "https://simulated.invalid/runs/" + id});
}

void SimulatedBackend::advance(Sim &sim)
{
    RunGraph &run = sim.run;
    if (isTerminal(run.state))
        return;
    const std::int64_t now = epochMs();
    if (sim.cancelRequested) {
        for (TaskRecord &t : run.tasks)
            if (!isTerminal(t.state)) {
                t.state = TaskState::Cancelled;
                t.finishedMs = now;
            }
        run.state = RunState::Cancelled;
        run.finishedMs = now;
        return;
    }
    run.state = RunState::Running;
    for (TaskRecord &t : run.tasks) {
        if (t.state == TaskState::Running) {
            t.state = TaskState::Succeeded;
            t.finishedMs = now;
            sim.logs[t.id] += "done " + t.id + "\n";
            return;
        }
    }
    for (TaskRecord &t : run.tasks) {
        if (t.state != TaskState::Pending)
            continue;
        bool ready = true;
        for (const std::string &d : t.dependsOn)
            ready = ready && run.task(d) && run.task(d)->state == TaskState::Succeeded;
        if (!ready)
            continue;
        t.state = TaskState::Running;
        t.startedMs = now;
        t.attempts = 1;
        t.logSource = "sim://" + run.id + "/" + t.id;
        sim.logs[t.id] += "step " + t.id + "\n";
        return;
    }
    run.state = RunState::Succeeded;
    run.finishedMs = now;
}

Future<RunListPage> SimulatedBackend::listRuns(const RunQuery &query)
{
    std::vector<RunGraph> all;
    for (auto it = m_runs.rbegin(); it != m_runs.rend(); ++it) {
        RunGraph r = it->second.run;
        r.tasks.clear();
        if (!query.state || r.state == *query.state)
            all.push_back(std::move(r));
    }
    const std::size_t from = query.pageToken.empty() ? 0 : std::stoul(query.pageToken);
    const std::size_t size = query.pageSize > 0 ? std::size_t(query.pageSize) : all.size();
    RunListPage page;
    for (std::size_t i = from; i < all.size() && i < from + size; ++i)
        page.runs.push_back(all[i]);
    if (from + size < all.size())
        page.nextPageToken = std::to_string(from + size);
    return later<RunListPage>(page);
}

Future<RunGraph> SimulatedBackend::getRun(const std::string &runId)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return later<RunGraph>(Error{"run " + runId + " not found (404)", {}});
    advance(it->second);
    return later<RunGraph>(it->second.run);
}

Future<std::string> SimulatedBackend::logs(const std::string &runId, const std::string &taskId)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end() || !it->second.run.task(taskId))
        return later<std::string>(Error{"no task " + taskId + " in run " + runId, {}});
    return later<std::string>(it->second.logs[taskId]);
}

std::unique_ptr<RunWatch> SimulatedBackend::watch(const std::string &runId)
{
    return std::make_unique<PollingRunWatch>(this, runId, PollingRunWatch::Intervals{m_pollMs, m_pollMs * 4, 1.5});
}

Future<RunState> SimulatedBackend::cancel(const std::string &runId)
{
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return later<RunState>(Error{"run " + runId + " not found (404)", {}});
    it->second.cancelRequested = true;
    return later<RunState>(isTerminal(it->second.run.state) ? it->second.run.state : RunState::Cancelling);
}

std::vector<SettingSpec> SimulatedBackendFactory::settings() const
{
    return {{"pollMs", "milliseconds between readings while watching", {}, false}};
}

Result<bool> SimulatedBackendFactory::check(const BackendConfig &config) const
{
    if (auto ok = BackendFactory::check(config); !ok.ok())
        return ok;
    const std::string poll = config.setting("pollMs", "1000");
    if (poll.empty() || poll.find_first_not_of("0123456789") != std::string::npos)
        return Error{"pollMs must be a number of milliseconds (got '" + poll + "')", {}};
    return true;
}

Result<std::unique_ptr<Backend>> SimulatedBackendFactory::create(const BackendConfig &config) const
{
    if (auto ok = check(config); !ok.ok())
        return ok.error();
    const int pollMs = std::stoi(config.setting("pollMs", "1000"));
    return std::unique_ptr<Backend>(std::make_unique<SimulatedBackend>(QString::fromStdString(config.name), pollMs));
}

} // namespace pw::test
