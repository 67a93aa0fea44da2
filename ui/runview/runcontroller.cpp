// SPDX-License-Identifier: Apache-2.0
#include "runview/runcontroller.h"

#include "compiler/lower.h"
#include "compiler/parametervalues.h"
#include "engine/engine.h"
#include "ir/pipelinespecio.h"
#include "runs/localbackend.h"
#include "runs/runstore.h"
#include "validate/validator.h"

#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace pw {

namespace {

constexpr int kMaxLiveLines = 5000;

// How far a state is along pending -> running -> ended, to tell which of
// two pictures of a task is newer.
int progress(TaskState s) { return isTerminal(s) ? 2 : s == TaskState::Running ? 1 : 0; }

} // namespace

RunController::RunController(const QString &dataDir, QObject *parent)
    : QObject(parent), m_dataDir(dataDir.isEmpty() ? QString::fromStdString(RunStore::defaultDataDir()) : dataDir)
{
    m_backend = new LocalBackend(m_dataDir.toStdString(), this);
    // Backend signals come from run threads: the default connection queues them here.
    connect(m_backend, &Backend::runStarted, this, &RunController::scheduleReload);
    connect(m_backend, &Backend::taskChanged, this, &RunController::onTaskChanged);
    connect(m_backend, &Backend::logLine, this,
            [this](const QString &runId, const QString &taskId, bool, const QString &line) {
                onLogLine(runId, taskId, line);
            });
    connect(m_backend, &Backend::runFinished, this, &RunController::onRunFinished);

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(1000);
    connect(m_pollTimer, &QTimer::timeout, this, &RunController::poll);
    m_pollTimer->start();

    // Artifacts and metrics reach the store in the engine's next flush, just
    // after the state change is signalled; read them a moment later, once per burst.
    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(200);
    connect(m_reloadTimer, &QTimer::timeout, this, [this] {
        const QStringList ids = m_reloadQueue;
        m_reloadQueue.clear();
        for (const QString &id : ids)
            reload(id);
    });
    // Chatty tasks print thousands of lines; views append them in blocks.
    m_logTimer = new QTimer(this);
    m_logTimer->setSingleShot(true);
    m_logTimer->setInterval(50);
    connect(m_logTimer, &QTimer::timeout, this, &RunController::flushLogs);
}

RunController::~RunController()
{
    // The backend cancels and joins its runs; nothing must reach us meanwhile.
    disconnect(m_backend, nullptr, this, nullptr);
    delete m_backend;
}

Backend *RunController::backend() const { return m_backend; }

void RunController::setPollInterval(int ms) { m_pollTimer->setInterval(ms); }

Result<QString> RunController::startRun(const Pipeline &pipeline, const RunSettings &settings)
{
    Pipeline p = pipeline;
    if (auto applied = applyParameterValues(p, settings.parameters); !applied.ok())
        return applied.error();
    std::string problems;
    for (const Problem &problem : validatePipeline(p)) {
        if (problem.severity != Problem::Severity::Error)
            continue; // warnings belong to validation; a run only needs to be runnable
        if (!problems.empty())
            problems += '\n';
        problems += problem.toString();
    }
    if (!problems.empty())
        return Error{problems, {}};
    auto spec = lowerPipeline(p);
    if (!spec.ok())
        return spec.error();

    RunRequest request;
    request.spec = std::move(spec).value();
    request.runName = settings.runName.toStdString();
    request.cache = settings.cache;
    QString workDir = settings.workDir;
    if (workDir.isEmpty() && !pipeline.fileName.empty())
        workDir = QFileInfo(QString::fromStdString(pipeline.fileName)).absolutePath();
    request.options = {{"workDir", (workDir.isEmpty() ? QDir::currentPath() : workDir).toStdString()},
                       {"parallelism", settings.parallelism}};
    return submit(request);
}

Result<QString> RunController::rerun(const QString &runId)
{
    if (auto it = m_requests.find(runId); it != m_requests.end()) {
        RunRequest again = it->second;
        again.runName.clear(); // a new run gets a new name
        return submit(again);
    }
    // A run of another process (or an earlier session): its IR and options are in the store.
    if (!m_store) {
        auto store = RunStore::open(m_dataDir.toStdString());
        if (!store.ok())
            return store.error();
        m_store = std::move(store).value();
    }
    auto specText = m_store->runSpec(runId.toStdString());
    if (!specText.ok())
        return specText.error();
    auto spec = ir::readPipelineSpec(*specText, runId.toStdString());
    if (!spec.ok())
        return spec.error();
    auto stored = m_store->runOptions(runId.toStdString());
    if (!stored.ok())
        return stored.error();
    const EngineOptions o = EngineOptions::fromJson(*stored);
    RunRequest request;
    request.spec = std::move(spec).value();
    request.parameters = o.parameters;
    request.cache = o.cache;
    request.options = {{"workDir", o.workDir}, {"parallelism", o.parallelism}, {"runtime", o.runtime}};
    return submit(request);
}

Result<QString> RunController::submit(const RunRequest &request)
{
    auto id = m_backend->submit(request);
    if (!id.ok())
        return id.error();
    const QString runId = QString::fromStdString(*id);
    m_active.insert(runId, true);
    m_requests[runId] = request;
    m_logs[runId].clear();
    reload(runId);
    emit runCreated(runId);
    emit runsChanged();
    return runId;
}

void RunController::cancel(const QString &runId)
{
    (void)m_backend->cancel(runId.toStdString());
    if (!isActive(runId))
        reload(runId);
}

std::vector<RunGraph> RunController::listRuns()
{
    auto runs = m_backend->listRuns();
    return runs.ok() ? std::move(runs).value() : std::vector<RunGraph>{};
}

const RunGraph *RunController::run(const QString &runId)
{
    if (auto it = m_runs.find(runId); it != m_runs.end())
        return &it->second;
    auto loaded = m_backend->getRun(runId.toStdString());
    if (!loaded.ok())
        return nullptr;
    return &(m_runs[runId] = std::move(loaded).value());
}

void RunController::reload(const QString &runId)
{
    auto loaded = m_backend->getRun(runId.toStdString());
    if (!loaded.ok())
        return;
    RunGraph fresh = std::move(loaded).value();
    auto it = m_runs.find(runId);
    if (it != m_runs.end() && isActive(runId)) {
        // Signals can be ahead of the engine's last flush: keep the newer
        // state of each task, take everything else from the store.
        for (TaskRecord &t : fresh.tasks) {
            const TaskRecord *live = it->second.task(t.id);
            if (live && progress(live->state) > progress(t.state)) {
                t.state = live->state;
                t.startedMs = t.startedMs ? t.startedMs : live->startedMs;
                t.finishedMs = t.finishedMs ? t.finishedMs : live->finishedMs;
            }
        }
        // Tasks signalled before the engine's flush are not in the store yet.
        for (const TaskRecord &live : it->second.tasks)
            if (!fresh.task(live.id))
                fresh.tasks.push_back(live);
        if (!isTerminal(fresh.state))
            fresh.state = RunState::Running;
    }
    m_runs[runId] = std::move(fresh);
    emit runUpdated(runId);
}

void RunController::scheduleReload(const QString &runId)
{
    if (!m_reloadQueue.contains(runId))
        m_reloadQueue << runId;
    if (!m_reloadTimer->isActive())
        m_reloadTimer->start();
}

void RunController::onTaskChanged(const QString &runId, const TaskRecord &record)
{
    scheduleReload(runId);
    auto it = m_runs.find(runId);
    if (it == m_runs.end())
        return; // nobody looked at this run yet: run() loads it whole
    // A task the store had not flushed yet when the snapshot was read (a fast
    // task, a loop iteration) joins the snapshot now, so no transition is lost.
    std::vector<TaskRecord> &tasks = it->second.tasks;
    auto task = std::find_if(tasks.begin(), tasks.end(), [&](const TaskRecord &t) { return t.id == record.id; });
    if (task == tasks.end())
        tasks.push_back(record);
    else
        *task = record;
    emit taskChanged(runId, QString::fromStdString(record.id));
}

void RunController::onLogLine(const QString &runId, const QString &taskId, const QString &line)
{
    auto key = std::make_pair(runId, taskId);
    QStringList &pending = m_pendingLines[key];
    if (pending.isEmpty())
        m_unflushed.push_back(key);
    pending << line;
    if (!m_logTimer->isActive())
        m_logTimer->start();
}

void RunController::flushLogs()
{
    const auto keys = std::move(m_unflushed);
    m_unflushed.clear();
    for (const auto &key : keys) {
        const QStringList block = std::move(m_pendingLines[key]);
        m_pendingLines.erase(key);
        QStringList &buffer = m_logs[key.first][key.second];
        buffer << block;
        if (buffer.size() > kMaxLiveLines)
            buffer.remove(0, buffer.size() - kMaxLiveLines);
        emit logLines(key.first, key.second, block);
    }
}

void RunController::onRunFinished(const QString &runId)
{
    flushLogs();
    m_active.remove(runId);
    reload(runId); // the engine's final flush is in the store now
    emit runFinished(runId);
    emit runsChanged();
}

QStringList RunController::logTail(const QString &runId, const QString &taskId, int maxLines)
{
    flushLogs(); // lines still waiting for the next block belong to the tail too
    QStringList lines;
    if (auto r = m_logs.find(runId); r != m_logs.end() && isActive(runId)) {
        lines = r->second.value(taskId);
    } else {
        auto text = m_backend->logs(runId.toStdString(), taskId.toStdString());
        if (!text.ok())
            return {};
        QString all = QString::fromStdString(*text);
        if (all.endsWith('\n'))
            all.chop(1);
        if (!all.isEmpty())
            lines = all.split('\n');
    }
    return lines.mid(std::max<qsizetype>(0, lines.size() - maxLines));
}

void RunController::poll()
{
    const std::vector<RunGraph> runs = listRuns();
    QString signature;
    for (const RunGraph &r : runs)
        signature += QString::fromStdString(r.id) + ':' + QString::fromUtf8(toString(r.state).data()) + ';';
    if (signature != m_listSignature) {
        m_listSignature = signature;
        emit runsChanged();
    }
    // Runs another process executes change only in the store.
    for (const RunGraph &r : runs) {
        const QString id = QString::fromStdString(r.id);
        auto it = m_runs.find(id);
        if (it != m_runs.end() && !isActive(id) && (!isTerminal(it->second.state) || it->second.state != r.state))
            reload(id);
    }
}

} // namespace pw
