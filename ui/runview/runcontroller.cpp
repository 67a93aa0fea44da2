// SPDX-License-Identifier: Apache-2.0
#include "runview/runcontroller.h"

#include "compiler/lower.h"
#include "compiler/parametervalues.h"
#include "ir/pipelinespecio.h"
#include "runs/runstore.h"
#include "runview/runstatestyle.h"
#include "validate/validator.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QThread>
#include <QTimer>

namespace pw {

namespace {
constexpr int kMaxLiveLines = 5000;
constexpr qint64 kTailBytes = 256 * 1024;
} // namespace

// Runs on the engine's thread: copies what it is told and posts it to the
// controller's thread. Log lines are batched, so a chatty task costs one
// event per flush instead of one per line.
class RunController::Forwarder final : public EngineObserver {
public:
    Forwarder(RunController *c) : m_c(c) {}
    void setRunId(const QString &id) { m_runId = id; }

    void runStarted(const RunGraph &run) override
    {
        QMetaObject::invokeMethod(m_c, [c = m_c, run] { c->onRunStarted(run); }, Qt::QueuedConnection);
    }
    void taskChanged(const TaskRecord &t) override
    {
        QMetaObject::invokeMethod(m_c, [c = m_c, id = m_runId, t] { c->onTaskChanged(id, t); },
                                  Qt::QueuedConnection);
    }
    void logLine(const std::string &taskId, bool isStderr, std::string_view line) override
    {
        Q_UNUSED(isStderr); // the log file mixes both streams too; keep the view the same
        bool post = false;
        {
            std::lock_guard lock(m_c->m_logMutex);
            m_c->m_pendingLines.push_back({m_runId, QString::fromStdString(taskId), toQString(line)});
            post = !m_c->m_flushQueued;
            m_c->m_flushQueued = true;
        }
        if (post)
            QMetaObject::invokeMethod(m_c, [c = m_c] { c->flushLogs(); }, Qt::QueuedConnection);
    }

private:
    RunController *m_c;
    QString m_runId;
};

// Destroyed in reverse: the engine before the observer and store it uses.
struct RunController::Active {
    std::unique_ptr<RunStore> store;
    std::unique_ptr<Forwarder> forwarder;
    std::unique_ptr<Engine> engine;
    QThread *thread = nullptr;
};

RunController::RunController(const QString &dataDir, QObject *parent)
    : QObject(parent), m_dataDir(dataDir.isEmpty() ? QString::fromStdString(RunStore::defaultDataDir()) : dataDir)
{
    auto store = RunStore::open(m_dataDir.toStdString());
    if (store.ok())
        m_store = std::move(store).value();
    else
        m_error = QString::fromStdString(store.error().message);

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(1000);
    connect(m_pollTimer, &QTimer::timeout, this, &RunController::poll);
    m_pollTimer->start();

    // Artifacts and metrics reach the store in the engine's next flush, just
    // after the task's state change; read them a moment later, once per burst.
    m_reloadTimer = new QTimer(this);
    m_reloadTimer->setSingleShot(true);
    m_reloadTimer->setInterval(250);
    connect(m_reloadTimer, &QTimer::timeout, this, [this] {
        const QStringList ids = m_reloadQueue;
        m_reloadQueue.clear();
        for (const QString &id : ids)
            reload(id);
    });
}

RunController::~RunController()
{
    for (auto &[id, a] : m_active)
        a->engine->requestCancel();
    for (auto &[id, a] : m_active) {
        a->thread->wait();
        delete a->thread;
    }
    m_active.clear();
}

void RunController::setPollInterval(int ms) { m_pollTimer->setInterval(ms); }

Result<QString> RunController::startRun(const Pipeline &pipeline, const RunRequest &request)
{
    Pipeline p = pipeline;
    if (auto applied = applyParameterValues(p, request.parameters); !applied.ok())
        return applied.error();
    std::string problems;
    for (const Problem &problem : validatePipeline(p))
        if (problem.severity == Problem::Severity::Error) {
            if (!problems.empty())
                problems += '\n';
            problems += problem.toString();
        }
    if (!problems.empty())
        return Error{problems, {}};
    auto spec = lowerPipeline(p);
    if (!spec.ok())
        return spec.error();

    EngineOptions options;
    options.cache = request.cache;
    options.parallelism = request.parallelism;
    options.runName = request.runName.toStdString();
    QString workDir = request.workDir;
    if (workDir.isEmpty() && !pipeline.fileName.empty())
        workDir = QFileInfo(QString::fromStdString(pipeline.fileName)).absolutePath();
    options.workDir = (workDir.isEmpty() ? QDir::currentPath() : workDir).toStdString();
    return launch(*spec, options);
}

Result<QString> RunController::rerun(const QString &runId)
{
    if (!m_store)
        return Error{m_error.toStdString(), {}};
    auto specText = m_store->runSpec(runId.toStdString());
    if (!specText.ok())
        return specText.error();
    auto spec = ir::readPipelineSpec(*specText, runId.toStdString());
    if (!spec.ok())
        return spec.error();
    auto options = m_store->runOptions(runId.toStdString());
    if (!options.ok())
        return options.error();
    EngineOptions o = EngineOptions::fromJson(*options);
    o.runName.clear(); // a new run gets a new name
    return launch(*spec, o);
}

Result<QString> RunController::launch(const ir::PipelineSpec &spec, const EngineOptions &options)
{
    auto a = std::make_unique<Active>();
    auto store = RunStore::open(m_dataDir.toStdString());
    if (!store.ok())
        return store.error();
    a->store = std::move(store).value();
    a->forwarder = std::make_unique<Forwarder>(this);
    a->engine = std::make_unique<Engine>(*a->store, a->forwarder.get());
    auto id = a->engine->create(spec, options);
    if (!id.ok())
        return id.error();
    const QString runId = QString::fromStdString(*id);
    a->forwarder->setRunId(runId);

    // create() and execute() use the engine's store connection one after the
    // other, never at once, so handing it to the worker thread is safe.
    Engine *engine = a->engine.get();
    a->thread = QThread::create([engine] { (void)engine->execute(); });
    a->thread->setObjectName("pw-engine");
    connect(a->thread, &QThread::finished, this, [this, runId] { onThreadFinished(runId); });
    m_active.emplace(runId, std::move(a));
    m_logs[runId].clear();
    reload(runId);
    m_active[runId]->thread->start();
    emit runCreated(runId);
    emit runsChanged();
    return runId;
}

void RunController::cancel(const QString &runId)
{
    if (auto it = m_active.find(runId); it != m_active.end()) {
        it->second->engine->requestCancel();
        return;
    }
    if (m_store) // another process runs it: it polls the store's flag
        (void)m_store->requestCancel(runId.toStdString());
    reload(runId);
}

std::vector<RunGraph> RunController::listRuns()
{
    if (!m_store)
        return {};
    auto runs = m_store->listRuns();
    return runs.ok() ? std::move(runs).value() : std::vector<RunGraph>{};
}

const RunGraph *RunController::run(const QString &runId)
{
    if (auto it = m_runs.find(runId); it != m_runs.end())
        return &it->second;
    if (!m_store)
        return nullptr;
    auto loaded = m_store->loadRun(runId.toStdString());
    if (!loaded.ok())
        return nullptr;
    return &(m_runs[runId] = std::move(loaded).value());
}

void RunController::reload(const QString &runId)
{
    if (!m_store)
        return;
    auto loaded = m_store->loadRun(runId.toStdString());
    if (!loaded.ok())
        return;
    RunGraph fresh = std::move(loaded).value();
    auto it = m_runs.find(runId);
    if (it != m_runs.end() && isActive(runId)) {
        // The engine's callbacks may be ahead of its last flush: keep the
        // newer task records and the running state, take artifacts and metrics.
        for (TaskRecord &t : fresh.tasks)
            if (const TaskRecord *live = it->second.task(t.id))
                t = *live;
        for (const TaskRecord &live : it->second.tasks)
            if (!fresh.task(live.id))
                fresh.tasks.push_back(live);
        if (!isTerminal(fresh.state))
            fresh.state = it->second.state;
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

void RunController::onRunStarted(const RunGraph &run)
{
    const QString id = QString::fromStdString(run.id);
    RunGraph &snapshot = m_runs[id];
    std::vector<ArtifactRecord> artifacts = std::move(snapshot.artifacts);
    std::vector<MetricRecord> metrics = std::move(snapshot.metrics);
    snapshot = run;
    snapshot.artifacts = std::move(artifacts);
    snapshot.metrics = std::move(metrics);
    emit runUpdated(id);
    emit runsChanged();
}

void RunController::onTaskChanged(const QString &runId, const TaskRecord &task)
{
    RunGraph &run = m_runs[runId];
    bool found = false;
    for (TaskRecord &t : run.tasks) {
        if (t.id == task.id) {
            t = task;
            found = true;
            break;
        }
    }
    if (!found)
        run.tasks.push_back(task);
    emit taskChanged(runId, QString::fromStdString(task.id));
    if (isTerminal(task.state))
        scheduleReload(runId);
}

void RunController::flushLogs()
{
    std::vector<PendingLine> lines;
    {
        std::lock_guard lock(m_logMutex);
        lines.swap(m_pendingLines);
        m_flushQueued = false;
    }
    // Group consecutive lines of one task, so views append in blocks.
    std::size_t i = 0;
    while (i < lines.size()) {
        const QString &runId = lines[i].runId;
        const QString &taskId = lines[i].taskId;
        QStringList block;
        for (; i < lines.size() && lines[i].runId == runId && lines[i].taskId == taskId; ++i)
            block << lines[i].line;
        QStringList &buffer = m_logs[runId][taskId];
        buffer << block;
        if (buffer.size() > kMaxLiveLines)
            buffer.remove(0, buffer.size() - kMaxLiveLines);
        emit logLines(runId, taskId, block);
    }
}

void RunController::onThreadFinished(const QString &runId)
{
    auto it = m_active.find(runId);
    if (it == m_active.end())
        return;
    it->second->thread->deleteLater();
    m_active.erase(it);
    flushLogs();
    reload(runId); // the final flush is in the store now
    emit runFinished(runId);
    emit runsChanged();
}

QStringList RunController::logTail(const QString &runId, const QString &taskId, int maxLines)
{
    if (auto r = m_logs.find(runId); r != m_logs.end() && isActive(runId)) {
        const QStringList lines = r->second.value(taskId);
        return lines.mid(std::max<qsizetype>(0, lines.size() - maxLines));
    }
    const RunGraph *g = run(runId);
    const TaskRecord *t = g ? g->task(taskId.toStdString()) : nullptr;
    if (!t || t->logPath.empty())
        return {};
    QFile f(QString::fromStdString(t->logPath));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const qint64 from = std::max<qint64>(0, f.size() - kTailBytes);
    f.seek(from);
    QString text = QString::fromUtf8(f.readAll());
    if (text.endsWith('\n'))
        text.chop(1);
    QStringList lines = text.split('\n');
    if (from > 0 && !lines.isEmpty())
        lines.removeFirst(); // cut mid-line
    return lines.mid(std::max<qsizetype>(0, lines.size() - maxLines));
}

void RunController::poll()
{
    if (!m_store)
        return;
    const std::vector<RunGraph> runs = listRuns();
    QString signature;
    for (const RunGraph &r : runs)
        signature += QString::fromStdString(r.id) + ':' + toQString(toString(r.state)) + ';';
    if (signature != m_listSignature) {
        m_listSignature = signature;
        emit runsChanged();
    }
    // Runs another process executes: their snapshots only change in the store.
    for (const RunGraph &r : runs) {
        const QString id = QString::fromStdString(r.id);
        auto it = m_runs.find(id);
        if (it != m_runs.end() && !isActive(id) && (!isTerminal(it->second.state) || it->second.state != r.state))
            reload(id);
    }
}

} // namespace pw
