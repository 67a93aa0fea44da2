// SPDX-License-Identifier: Apache-2.0
#include "runs/localbackend.h"

#include "engine/engine.h"
#include "runs/runstore.h"

#include <atomic>
#include <fstream>
#include <sstream>

namespace pw {

namespace {

// Turns engine callbacks (on the run's thread) into the backend's signals.
class SignalObserver final : public EngineObserver {
public:
    explicit SignalObserver(Backend *backend) : m_backend(backend) {}

    void runStarted(const RunGraph &run) override { emit m_backend->runStarted(QString::fromStdString(run.id)); }
    void taskChanged(const TaskRecord &t) override { emit m_backend->taskChanged(m_runId, t); }
    void logLine(const std::string &taskId, bool isStderr, std::string_view line) override
    {
        emit m_backend->logLine(m_runId, QString::fromStdString(taskId), isStderr,
                                QString::fromUtf8(line.data(), static_cast<qsizetype>(line.size())));
    }
    void runFinished(const RunGraph &run) override
    {
        emit m_backend->runFinished(QString::fromStdString(run.id),
                                    QString::fromUtf8(toString(run.state).data(), toString(run.state).size()));
    }
    void setRunId(const std::string &id) { m_runId = QString::fromStdString(id); }

private:
    Backend *m_backend;
    QString m_runId;
};

} // namespace

struct LocalBackend::Active {
    std::unique_ptr<RunStore> store;
    std::unique_ptr<SignalObserver> observer;
    std::unique_ptr<Engine> engine;
    std::thread thread;
    std::atomic<bool> done{false};
};

LocalBackend::LocalBackend(std::string dataDir, QObject *parent)
    : Backend(parent), m_dataDir(dataDir.empty() ? RunStore::defaultDataDir() : std::move(dataDir))
{
    qRegisterMetaType<TaskRecord>(); // queued from run threads
}

LocalBackend::~LocalBackend()
{
    {
        std::lock_guard lock(m_mutex);
        for (auto &[_, a] : m_active)
            a->engine->requestCancel();
    }
    waitForAll();
}

Result<RunStore *> LocalBackend::readStore()
{
    if (!m_readStore) {
        auto store = RunStore::open(m_dataDir);
        if (!store.ok())
            return store.error();
        m_readStore = std::move(store).value();
    }
    return m_readStore.get();
}

Result<std::string> LocalBackend::start(const std::function<Result<std::string>(Engine &)> &prepare)
{
    reap();
    auto store = RunStore::open(m_dataDir);
    if (!store.ok())
        return store.error();
    auto active = std::make_unique<Active>();
    active->store = std::move(store).value();
    active->observer = std::make_unique<SignalObserver>(this);
    active->engine = std::make_unique<Engine>(*active->store, active->observer.get());
    auto id = prepare(*active->engine);
    if (!id.ok())
        return id.error();
    active->observer->setRunId(*id);
    Active *a = active.get();
    // The store connection moves to the run's thread with the engine; only
    // that thread touches it from now on.
    a->thread = std::thread([a] {
        (void)a->engine->execute();
        a->done = true;
    });
    std::lock_guard lock(m_mutex);
    m_active[*id] = std::move(active);
    return id;
}

void LocalBackend::reap()
{
    std::lock_guard lock(m_mutex);
    for (auto it = m_active.begin(); it != m_active.end();) {
        if (it->second->done) {
            it->second->thread.join();
            it = m_active.erase(it);
        } else {
            ++it;
        }
    }
}

void LocalBackend::waitForAll()
{
    std::map<std::string, std::unique_ptr<Active>> all;
    {
        std::lock_guard lock(m_mutex);
        all.swap(m_active);
    }
    for (auto &[_, a] : all)
        if (a->thread.joinable())
            a->thread.join();
}

Result<std::string> LocalBackend::submit(const RunRequest &request)
{
    EngineOptions options;
    options.parameters = request.parameters;
    options.runName = request.runName;
    options.cache = request.cache;
    options.parallelism = request.options.value("parallelism", 0);
    options.runtime = request.options.value("runtime", "process");
    options.workDir = request.options.value("workDir", "");
    return start([&](Engine &engine) { return engine.create(request.spec, options); });
}

Result<std::string> LocalBackend::resume(const std::string &runId)
{
    return start([&](Engine &engine) { return engine.prepareResume(runId); });
}

Result<std::vector<RunGraph>> LocalBackend::listRuns()
{
    auto store = readStore();
    if (!store.ok())
        return store.error();
    return (*store)->listRuns();
}

Result<RunGraph> LocalBackend::getRun(const std::string &runId)
{
    auto store = readStore();
    if (!store.ok())
        return store.error();
    return (*store)->loadRun(runId);
}

Result<std::string> LocalBackend::logs(const std::string &runId, const std::string &taskId)
{
    auto run = getRun(runId);
    if (!run.ok())
        return run.error();
    const TaskRecord *t = run->findTask(taskId);
    if (!t)
        return Error{"run " + runId + " has no task '" + taskId + "'", {}};
    std::ifstream in(t->logPath, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<bool> LocalBackend::cancel(const std::string &runId)
{
    {
        std::lock_guard lock(m_mutex);
        if (auto it = m_active.find(runId); it != m_active.end()) {
            it->second->engine->requestCancel();
            return true;
        }
    }
    auto store = readStore();
    if (!store.ok())
        return store.error();
    auto state = (*store)->requestCancel(runId); // a run of another process
    if (!state.ok())
        return state.error();
    return true;
}

} // namespace pw
