// SPDX-License-Identifier: Apache-2.0
#include "runview/runcontroller.h"

#include "engine/localbackend.h"
#include "engine/localbackendfactory.h"
#include "runs/await.h"

#include <QTimer>

#include <algorithm>

namespace pw {

namespace {

constexpr int kListPageSize = 500; // per backend, newest first

} // namespace

RunController::RunController(BackendRegistry &registry, QObject *parent)
    : QObject(parent), m_registry(&registry), m_service(registry)
{
    qRegisterMetaType<RunEvent>();
    m_logTimer = new QTimer(this);
    m_logTimer->setSingleShot(true);
    m_logTimer->setInterval(50);
    connect(m_logTimer, &QTimer::timeout, this, &RunController::flushLogs);
    // Runs of other processes and remote servers change without telling us.
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(2000);
    connect(m_pollTimer, &QTimer::timeout, this, &RunController::refreshRuns);
    m_pollTimer->start();
    QTimer::singleShot(0, this, &RunController::refreshRuns);
}

RunController::RunController(const QString &dataDir, QObject *parent)
    : RunController(*new BackendRegistry, parent)
{
    m_ownRegistry.reset(m_registry);
    (void)setUpRegistry(*m_registry); // a broken backends.yaml leaves the local backend
    if (!dataDir.isEmpty()) {
        std::vector<BackendConfig> configs = m_registry->configs();
        for (BackendConfig &c : configs)
            if (c.name == "local")
                c.settings["dataDir"] = dataDir.toStdString();
        m_registry->setConfigs(std::move(configs));
    }
}

RunController::~RunController()
{
    m_watch.reset(); // before the backends that feed it
}

QString RunController::dataDir() const
{
    auto b = m_registry->backend("local");
    if (const auto *local = b.ok() ? qobject_cast<LocalBackend *>(*b) : nullptr)
        return QString::fromStdString(local->dataDir());
    return {};
}

void RunController::setPollInterval(int ms)
{
    m_pollTimer->setInterval(ms);
}

Result<bool> RunController::startRun(const Pipeline &pipeline, const RunSettings &settings,
                                     const QString &backend)
{
    auto request = RunService::prepare(pipeline, settings);
    if (!request.ok())
        return request.error();
    if (auto b = m_registry->backend(backend.toStdString()); !b.ok())
        return b.error();
    submit(backend, *request);
    return true;
}

void RunController::submit(const QString &backend, const RunRequest &request)
{
    created(backend, m_service.submit(backend.toStdString(), request));
}

void RunController::created(const QString &backend, Future<SubmittedRun> submitted)
{
    whenReady(std::move(submitted), this, [this, backend](Result<SubmittedRun> r) {
        if (!r.ok()) {
            emit runFailed(QString::fromStdString(r.error().message));
            return;
        }
        const QString id = QString::fromStdString(r->id);
        m_backendOf[id] = backend;
        emit runCreated(id);
        refreshRuns();
    });
}

void RunController::rerun(const QString &runId)
{
    const QString backend = backendOf(runId);
    auto b = m_registry->backend(backend.toStdString());
    if (!b.ok()) {
        emit runFailed(QString::fromStdString(b.error().message));
        return;
    }
    if (!(*b)->can(Capability::Clone)) { // the server starts it again from its own record
        created(backend, (*b)->resubmit(runId.toStdString()));
        return;
    }
    whenReady((*b)->runRequest(runId.toStdString()), this, [this, backend](Result<RunRequest> r) {
        if (!r.ok()) {
            emit runFailed(QString::fromStdString(r.error().message));
            return;
        }
        RunRequest again = std::move(r).value();
        again.runName.clear(); // a new run gets a new name
        submit(backend, again);
    });
}

void RunController::retry(const QString &runId)
{
    const QString backend = backendOf(runId);
    auto b = m_registry->backend(backend.toStdString());
    if (!b.ok())
        return;
    whenReady((*b)->retry(runId.toStdString()), this, [this, backend](Result<std::string> r) {
        if (!r.ok()) {
            emit runFailed(QString::fromStdString(r.error().message));
            return;
        }
        const QString id = QString::fromStdString(*r);
        m_backendOf[id] = backend;
        if (id == m_watched)
            m_watch.reset(); // it saw the run end; the run goes on now
        emit runCreated(id);
        refreshRuns();
    });
}

void RunController::cancel(const QString &runId)
{
    auto b = m_registry->backend(backendOf(runId).toStdString());
    if (!b.ok())
        return;
    whenReady((*b)->cancel(runId.toStdString()), this, [this](Result<RunState>) { refreshRuns(); });
}

QString RunController::backendOf(const QString &runId) const
{
    const auto it = m_backendOf.find(runId);
    return it == m_backendOf.end() ? QStringLiteral("local") : it->second;
}

bool RunController::isActive(const QString &runId) const
{
    const auto it = m_runs.find(runId);
    return it != m_runs.end() && !isTerminal(it->second.state);
}

void RunController::refreshRuns()
{
    if (m_listsPending > 0)
        return; // one reading at a time
    auto parts = std::make_shared<std::map<std::string, std::vector<RunGraph>>>();
    for (const BackendConfig &config : m_registry->configs()) {
        auto b = m_registry->backend(config.name);
        if (!b.ok())
            continue;
        ++m_listsPending;
        RunQuery query;
        query.pageSize = kListPageSize;
        const std::string name = config.name;
        whenReady((*b)->listRuns(query), this, [this, parts, name](Result<RunListPage> page) {
            if (page.ok())
                (*parts)[name] = std::move(page->runs);
            else // an unreachable server keeps what it showed last
                for (const RunGraph &r : m_list)
                    if (r.backend == name)
                        (*parts)[name].push_back(r);
            if (--m_listsPending > 0)
                return;
            std::vector<RunGraph> all;
            for (auto &[backend, runs] : *parts)
                for (RunGraph &r : runs) {
                    r.backend = backend;
                    m_backendOf[QString::fromStdString(r.id)] = QString::fromStdString(backend);
                    all.push_back(std::move(r));
                }
            std::stable_sort(all.begin(), all.end(),
                             [](const RunGraph &a, const RunGraph &b) { return a.createdMs > b.createdMs; });
            QString signature;
            for (const RunGraph &r : all)
                signature +=
                    QString::fromStdString(r.id) + ':' + QString::fromUtf8(toString(r.state).data()) + ';';
            m_list = std::move(all);
            // A run someone else executes changes only in its backend: reread what is shown.
            for (const RunGraph &r : m_list) {
                const QString id = QString::fromStdString(r.id);
                auto known = m_runs.find(id);
                if (known != m_runs.end() && id != m_watched && known->second.state != r.state)
                    load(id);
            }
            if (signature != m_listSignature) {
                m_listSignature = signature;
                emit runsChanged();
            }
        });
    }
}

const RunGraph *RunController::run(const QString &runId)
{
    if (auto it = m_runs.find(runId); it != m_runs.end())
        return &it->second;
    load(runId);
    return nullptr;
}

void RunController::load(const QString &runId)
{
    if (m_loading.count(runId))
        return;
    const QString backend = backendOf(runId);
    auto b = m_registry->backend(backend.toStdString());
    if (!b.ok())
        return;
    m_loading.insert(runId);
    whenReady((*b)->getRun(runId.toStdString()), this, [this, runId, backend](Result<RunGraph> r) {
        m_loading.erase(runId);
        if (!r.ok() || runId == m_watched)
            return; // the watch keeps the watched run
        r->backend = backend.toStdString();
        m_runs[runId] = std::move(r).value();
        emit runUpdated(runId);
    });
}

void RunController::watchRun(const QString &runId)
{
    if (runId == m_watched && m_watch)
        return;
    flushLogs();
    m_watch.reset();
    m_watched = runId;
    m_logTask.clear();
    if (runId.isEmpty())
        return;
    auto b = m_registry->backend(backendOf(runId).toStdString());
    if (!b.ok())
        return;
    m_watch = (*b)->watch(runId.toStdString());
    connect(m_watch.get(), &RunWatch::event, this, &RunController::onEvent);
}

void RunController::followLogs(const QString &runId, const QString &taskId)
{
    if (runId != m_watched || !m_watch)
        return;
    flushLogs();
    m_logTask = taskId;
    m_watch->followLogs(taskId.toStdString());
}

void RunController::onEvent(const RunEvent &e)
{
    const QString runId = QString::fromStdString(e.runId);
    RunGraph &run = m_runs[runId];
    apply(run, e);
    run.backend = backendOf(runId).toStdString();
    switch (e.kind) {
    case RunEvent::Kind::Snapshot:
    case RunEvent::Kind::Outputs:
    case RunEvent::Kind::Run:
        emit runUpdated(runId);
        break;
    case RunEvent::Kind::Task:
        emit taskChanged(runId, QString::fromStdString(e.task.id));
        break;
    case RunEvent::Kind::Log: {
        const QString task = QString::fromStdString(e.taskId);
        if (task != m_logTask)
            break;
        QStringList lines;
        lines.reserve(qsizetype(e.lines.size()));
        for (const std::string &l : e.lines)
            lines << QString::fromStdString(l);
        if (e.reset) {
            m_pendingLines.clear();
            if (!e.message.empty())
                lines << tr("(no log: %1)").arg(QString::fromStdString(e.message));
            emit logLines(runId, task, lines, true);
            break;
        }
        m_pendingLines << lines;
        if (!m_logTimer->isActive())
            m_logTimer->start();
        break;
    }
    case RunEvent::Kind::Connection:
        emit connectionChanged(runId, e.connected, QString::fromStdString(e.message));
        break;
    case RunEvent::Kind::End:
        flushLogs();
        emit runUpdated(runId);
        emit runFinished(runId);
        refreshRuns();
        break;
    }
}

void RunController::flushLogs()
{
    m_logTimer->stop();
    if (m_pendingLines.isEmpty())
        return;
    const QStringList block = std::exchange(m_pendingLines, {});
    emit logLines(m_watched, m_logTask, block, false);
}

} // namespace pw
