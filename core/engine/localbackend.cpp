// SPDX-License-Identifier: Apache-2.0
#include "engine/localbackend.h"

#include "engine/engine.h"
#include "engine/localrecords.h"
#include "engine/localrunwatch.h"
#include "engine/processpool.h"
#include "engine/runstore.h"
#include "ir/pipelinespecio.h"
#include "runs/asyncwork.h"
#include "runs/pollingrunwatch.h"

#include <QMetaObject>
#include <QPromise>

#include <algorithm>
#include <atomic>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

namespace pw {

namespace {

constexpr std::size_t kMaxKeptLines = 10000;         // per task, for watches that start late
constexpr std::int64_t kMaxArtifactBytes = 64 << 20; // readArtifact

// Engine callbacks (on the run's thread) become events on the backend's thread.
class PostingObserver final : public EngineObserver {
public:
    explicit PostingObserver(std::function<void(RunEvent)> post) : m_post(std::move(post)) {}
    void setRunId(const std::string &id) { m_runId = id; }

    void runStarted(const RunGraph &run) override
    {
        RunEvent e = event(RunEvent::Kind::Run);
        e.state = run.state;
        m_post(std::move(e));
    }
    void taskChanged(const TaskRecord &t) override
    {
        RunEvent e = event(RunEvent::Kind::Task);
        e.task = t;
        m_post(std::move(e));
    }
    void logLine(const std::string &taskId, bool isStderr, std::string_view line) override
    {
        RunEvent e = event(RunEvent::Kind::Log);
        e.taskId = taskId;
        // The same form as the task's log file.
        e.lines.push_back(ProcessPool::timestamp() + (isStderr ? " err " : " out ") + std::string(line));
        m_post(std::move(e));
    }
    void outputsRecorded(const std::string &taskId, const std::vector<ArtifactRecord> &artifacts,
                         const std::vector<MetricRecord> &metrics) override
    {
        RunEvent e = event(RunEvent::Kind::Outputs);
        e.taskId = taskId;
        e.artifacts = artifacts;
        e.metrics = metrics;
        m_post(std::move(e));
    }
    void runFinished(const RunGraph &run) override
    {
        RunEvent e = event(RunEvent::Kind::End);
        e.state = run.state;
        e.message = run.message;
        e.finishedMs = run.finishedMs;
        m_post(std::move(e));
    }

private:
    RunEvent event(RunEvent::Kind kind) const
    {
        RunEvent e;
        e.kind = kind;
        e.runId = m_runId;
        return e;
    }

    std::function<void(RunEvent)> m_post;
    std::string m_runId;
};

Result<std::string> readFile(const std::string &path, std::int64_t limit)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"cannot read " + path, {}};
    std::string text;
    text.resize(static_cast<std::size_t>(limit) + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (static_cast<std::int64_t>(text.size()) > limit)
        return Error{path + " is larger than " + std::to_string(limit >> 20) + " MiB", {}};
    return text;
}

} // namespace

struct LocalBackend::Active {
    std::string runId; // empty until the run is prepared; guarded by m_mutex
    std::unique_ptr<RunStore> store;
    std::unique_ptr<PostingObserver> observer;
    std::unique_ptr<Engine> engine;
    std::thread thread;
    std::atomic<bool> done{false};
    std::atomic<bool> cancel{false}; // asked for before the engine existed
};

// What this backend knows of a run it executes, on its own thread.
struct LocalBackend::Mirror {
    RunGraph run;
    std::map<std::string, std::deque<std::string>> logs;
    bool ended = false;
};

LocalBackend::LocalBackend(QString name, std::string dataDir, QObject *parent)
    : Backend(parent), m_name(std::move(name)),
      m_dataDir(dataDir.empty() ? RunStore::defaultDataDir() : std::move(dataDir))
{
    qRegisterMetaType<RunEvent>();
    m_io.setMaxThreadCount(1);
    m_io.setExpiryTimeout(-1);
}

LocalBackend::~LocalBackend()
{
    {
        std::lock_guard lock(m_mutex);
        for (const auto &a : m_active) {
            a->cancel = true;
            if (!a->runId.empty())
                a->engine->requestCancel();
        }
    }
    waitForAll();
    m_io.waitForDone();
}

Capabilities LocalBackend::capabilities() const
{
    return Capability::Cancel | Capability::Retry | Capability::Clone | Capability::LogsFollow |
           Capability::Artifacts;
}

template <typename T, typename F> Future<T> LocalBackend::onIoThread(F &&work)
{
    return runAsync<T>(m_io, [this, work = std::forward<F>(work)]() mutable -> Result<T> {
        if (!m_ioStore) { // one thread: the store connection stays on it
            auto store = RunStore::open(m_dataDir);
            if (!store.ok())
                return store.error();
            m_ioStore = std::move(store).value();
        }
        return work(*m_ioStore);
    });
}

Future<ServerInfo> LocalBackend::probe()
{
    return onIoThread<ServerInfo>([this](RunStore &) -> Result<ServerInfo> {
        return ServerInfo{PW_VERSION, "local", "runs in " + m_dataDir};
    });
}

Future<std::string> LocalBackend::start(std::function<Result<std::string>(Engine &)> prepare)
{
    auto promise = std::make_shared<QPromise<Result<std::string>>>();
    Future<std::string> future = promise->future();
    promise->start();
    auto active = std::make_shared<Active>();
    const auto post = [this](RunEvent e) {
        QMetaObject::invokeMethod(
            this, [this, e = std::move(e)] { dispatch(e); }, Qt::QueuedConnection);
    };
    active->observer = std::make_unique<PostingObserver>(post);
    {
        std::lock_guard lock(m_mutex);
        // Reap the threads of runs that ended.
        for (auto it = m_active.begin(); it != m_active.end();) {
            if ((*it)->done) {
                (*it)->thread.join();
                it = m_active.erase(it);
            } else {
                ++it;
            }
        }
        m_active.push_back(active);
    }
    Active *a = active.get(); // m_active keeps it alive until the thread is joined
    a->thread = std::thread([this, a, promise, prepare = std::move(prepare), post] {
        const auto fail = [&](Error error) {
            promise->addResult(Result<std::string>(std::move(error)));
            promise->finish();
            a->done = true;
        };
        auto store = RunStore::open(m_dataDir);
        if (!store.ok())
            return fail(store.error());
        // The store connection and the engine stay on this thread.
        a->store = std::move(store).value();
        a->engine = std::make_unique<Engine>(*a->store, a->observer.get());
        auto id = prepare(*a->engine);
        if (!id.ok())
            return fail(id.error());
        a->observer->setRunId(*id);
        {
            std::lock_guard lock(m_mutex);
            a->runId = *id;
        }
        if (a->cancel)
            a->engine->requestCancel();
        // The mirror exists before anyone learns the id, so a watch made in
        // the future's continuation sees the run from its first event on
        // (events posted to one thread arrive in the order they were posted).
        RunEvent opening;
        opening.kind = RunEvent::Kind::Snapshot;
        opening.runId = *id;
        opening.run = std::make_shared<const RunGraph>(a->engine->graph());
        post(std::move(opening));
        promise->addResult(std::move(id));
        promise->finish();
        if (auto state = a->engine->execute(); !state.ok()) {
            // The engine stopped before it could finish the run (its store failed).
            RunEvent end;
            end.kind = RunEvent::Kind::End;
            end.runId = a->runId;
            end.state = RunState::Failed;
            end.message = state.error().message;
            end.finishedMs = epochMs();
            post(std::move(end));
        }
        a->done = true;
    });
    return future;
}

void LocalBackend::waitForAll()
{
    std::vector<std::shared_ptr<Active>> all;
    {
        std::lock_guard lock(m_mutex);
        all.swap(m_active);
    }
    for (const auto &a : all)
        if (a->thread.joinable())
            a->thread.join();
}

bool LocalBackend::isExecuting(const std::string &runId) const
{
    std::lock_guard lock(m_mutex);
    return std::any_of(m_active.begin(), m_active.end(),
                       [&](const auto &a) { return a->runId == runId && !a->done; });
}

Future<SubmittedRun> LocalBackend::submit(const RunRequest &request)
{
    EngineOptions options;
    options.parameters = request.parameters;
    options.runName = request.runName;
    options.cache = request.cache;
    options.parallelism = request.options.value("parallelism", 0);
    options.runtime = request.options.value("runtime", "process");
    options.workDir = request.workDir;
    auto id = start([spec = request.spec, options](Engine &engine) { return engine.create(spec, options); });
    return id.then([](Result<std::string> r) -> Result<SubmittedRun> {
        if (!r.ok())
            return r.error();
        return SubmittedRun{*r, {}};
    });
}

Future<std::string> LocalBackend::retry(const std::string &runId)
{
    return start([runId](Engine &engine) { return engine.prepareResume(runId); });
}

Future<RunListPage> LocalBackend::listRuns(const RunQuery &query)
{
    return onIoThread<RunListPage>([query](RunStore &store) -> Result<RunListPage> {
        if (query.archived)
            return RunListPage{}; // local runs are never archived
        auto runs = store.listRuns();
        if (!runs.ok())
            return runs.error();
        std::vector<RunGraph> matching;
        for (RunGraph &r : *runs) {
            if (query.state && r.state != *query.state)
                continue;
            if (!query.nameContains.empty() && r.name.find(query.nameContains) == std::string::npos)
                continue;
            matching.push_back(std::move(r));
        }
        // Page tokens are offsets into the (newest first) list.
        std::size_t from = 0;
        if (!query.pageToken.empty())
            from =
                std::min<std::size_t>(std::strtoull(query.pageToken.c_str(), nullptr, 10), matching.size());
        const std::size_t size =
            query.pageSize > 0 ? static_cast<std::size_t>(query.pageSize) : matching.size();
        RunListPage page;
        const std::size_t to = std::min(matching.size(), from + size);
        page.runs.assign(std::make_move_iterator(matching.begin() + static_cast<std::ptrdiff_t>(from)),
                         std::make_move_iterator(matching.begin() + static_cast<std::ptrdiff_t>(to)));
        if (to < matching.size())
            page.nextPageToken = std::to_string(to);
        return page;
    });
}

Future<RunGraph> LocalBackend::getRun(const std::string &runId)
{
    if (auto it = m_mirrors.find(runId); it != m_mirrors.end() && !it->second->ended)
        return ready<RunGraph>(it->second->run); // newer than the store, which the engine flushes in batches
    return onIoThread<RunGraph>([runId](RunStore &store) { return store.loadRun(runId); });
}

Future<std::string> LocalBackend::resolveRunId(const std::string &idOrPrefix)
{
    return onIoThread<std::string>([idOrPrefix](RunStore &store) { return store.resolveRunId(idOrPrefix); });
}

Future<std::string> LocalBackend::logs(const std::string &runId, const std::string &taskId)
{
    return onIoThread<std::string>([runId, taskId](RunStore &store) -> Result<std::string> {
        auto run = store.loadRun(runId);
        if (!run.ok())
            return run.error();
        const TaskRecord *t = run->findTask(taskId);
        if (!t)
            return Error{"run " + runId + " has no task '" + taskId + "'", {}};
        std::ifstream in(local::logPath(*t), std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        return text.str();
    });
}

std::unique_ptr<RunWatch> LocalBackend::watch(const std::string &runId)
{
    if (!m_mirrors.count(runId)) {
        // A run of another process, or one that ended: the store tells.
        return std::make_unique<PollingRunWatch>(this, runId, PollingRunWatch::Intervals{250, 1000, 1.5});
    }
    auto w = std::make_unique<LocalRunWatch>(this, runId);
    m_watches.insert(w.get());
    return w;
}

std::vector<RunEvent> LocalBackend::openingEvents(const std::string &runId) const
{
    std::vector<RunEvent> events;
    const auto it = m_mirrors.find(runId);
    if (it == m_mirrors.end())
        return events;
    RunEvent snapshot;
    snapshot.kind = RunEvent::Kind::Snapshot;
    snapshot.runId = runId;
    snapshot.run = std::make_shared<const RunGraph>(it->second->run);
    events.push_back(std::move(snapshot));
    if (it->second->ended) {
        RunEvent end;
        end.kind = RunEvent::Kind::End;
        end.runId = runId;
        end.state = it->second->run.state;
        end.message = it->second->run.message;
        end.finishedMs = it->second->run.finishedMs;
        events.push_back(std::move(end));
    }
    return events;
}

RunEvent LocalBackend::logTail(const std::string &runId, const std::string &taskId) const
{
    RunEvent e;
    e.kind = RunEvent::Kind::Log;
    e.runId = runId;
    e.taskId = taskId;
    e.reset = true;
    if (auto it = m_mirrors.find(runId); it != m_mirrors.end())
        if (auto lines = it->second->logs.find(taskId); lines != it->second->logs.end())
            e.lines.assign(lines->second.begin(), lines->second.end());
    return e;
}

void LocalBackend::dispatch(const RunEvent &event)
{
    auto it = m_mirrors.find(event.runId);
    if (it == m_mirrors.end()) {
        if (event.kind != RunEvent::Kind::Snapshot)
            return;
        it = m_mirrors.emplace(event.runId, std::make_unique<Mirror>()).first;
    }
    Mirror &m = *it->second;
    apply(m.run, event);
    if (event.kind == RunEvent::Kind::Log) {
        std::deque<std::string> &kept = m.logs[event.taskId];
        kept.insert(kept.end(), event.lines.begin(), event.lines.end());
        while (kept.size() > kMaxKeptLines)
            kept.pop_front();
    }
    if (event.kind == RunEvent::Kind::End)
        m.ended = true;
    bool watched = false;
    for (LocalRunWatch *w : m_watches) {
        if (w->runId() != event.runId)
            continue;
        watched = true;
        w->deliver(event);
    }
    if (m.ended && !watched)
        m_mirrors.erase(it);
}

void LocalBackend::detach(LocalRunWatch *watch)
{
    m_watches.erase(watch);
    const auto it = m_mirrors.find(watch->runId());
    if (it == m_mirrors.end() || !it->second->ended)
        return;
    for (LocalRunWatch *w : m_watches)
        if (w->runId() == watch->runId())
            return;
    m_mirrors.erase(it);
}

Future<RunState> LocalBackend::cancel(const std::string &runId)
{
    {
        std::lock_guard lock(m_mutex);
        for (const auto &a : m_active) {
            if (a->runId == runId && !a->done) {
                a->engine->requestCancel();
                const auto m = m_mirrors.find(runId);
                return ready<RunState>(m != m_mirrors.end() ? m->second->run.state : RunState::Running);
            }
        }
    }
    // A run of another process: a flag in the store that its engine polls.
    return onIoThread<RunState>([runId](RunStore &store) { return store.requestCancel(runId); });
}

Future<RunRequest> LocalBackend::runRequest(const std::string &runId)
{
    return onIoThread<RunRequest>([runId](RunStore &store) -> Result<RunRequest> {
        auto specText = store.runSpec(runId);
        if (!specText.ok())
            return specText.error();
        auto spec = ir::readPipelineSpec(*specText, "run " + runId);
        if (!spec.ok())
            return spec.error();
        auto stored = store.runOptions(runId);
        if (!stored.ok())
            return stored.error();
        const EngineOptions o = EngineOptions::fromJson(*stored);
        RunRequest request;
        request.spec = std::move(spec).value();
        request.parameters = o.parameters;
        request.cache = o.cache;
        request.workDir = o.workDir;
        request.options = {{"parallelism", o.parallelism}, {"runtime", o.runtime}};
        return request;
    });
}

Future<std::string> LocalBackend::readArtifact(const std::string &, const ArtifactRecord &artifact)
{
    std::string path = local::path(artifact);
    if (path.empty())
        path = artifact.uri.rfind("file://", 0) == 0 ? artifact.uri.substr(7) : artifact.uri;
    return onIoThread<std::string>([path](RunStore &) { return readFile(path, kMaxArtifactBytes); });
}

} // namespace pw
