// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backend.h"

#include <QThreadPool>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>
#include <string>

namespace pw {

class LocalRunWatch;
class RunStore;

// The embedded engine behind the Backend interface. Each run it starts
// executes on a thread of its own with its own store connection; reads go to
// the store on a worker thread, so runs started by other processes (another
// `pipewright run`, the studio) show up as well. Runs it executes itself are
// mirrored in memory from the engine's callbacks: their watches see every
// transition and every log line, in order, with no polling.
class LocalBackend final : public Backend {
    Q_OBJECT

public:
    // dataDir: the run store's directory (default: RunStore::defaultDataDir()).
    explicit LocalBackend(QString name = QStringLiteral("local"), std::string dataDir = {},
                          QObject *parent = nullptr);
    ~LocalBackend() override; // cancels and waits for runs still going

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("local"); }
    Capabilities capabilities() const override;
    const std::string &dataDir() const { return m_dataDir; }

    Future<ServerInfo> probe() override;
    Future<SubmittedRun> submit(const RunRequest &request) override;
    Future<RunListPage> listRuns(const RunQuery &query) override;
    Future<RunGraph> getRun(const std::string &runId) override;
    Future<std::string> resolveRunId(const std::string &idOrPrefix) override;
    Future<std::string> logs(const std::string &runId, const std::string &taskId) override;
    std::unique_ptr<RunWatch> watch(const std::string &runId) override;
    Future<RunState> cancel(const std::string &runId) override;
    // Resumes the run: what succeeded (with the same inputs) is kept, the rest runs.
    Future<std::string> retry(const std::string &runId) override;
    Future<RunRequest> runRequest(const std::string &runId) override;
    Future<std::string> readArtifact(const std::string &runId, const ArtifactRecord &artifact) override;

    // Is this backend executing the run right now?
    bool isExecuting(const std::string &runId) const;
    // Blocks until the runs this backend started have ended (tests, shutdown).
    void waitForAll();

private:
    struct Active;
    struct Mirror;
    friend class LocalRunWatch;

    // Opens a store for a new run and starts its thread; `prepare` runs on
    // that thread and its result (the run id or an error) answers the future.
    Future<std::string> start(std::function<Result<std::string>(class Engine &)> prepare);
    // On this object's thread: applies an engine event to the mirror and
    // passes it to the watches of the run.
    void dispatch(const RunEvent &event);
    // For LocalRunWatch: what a new watch starts with (a Snapshot, and End if
    // the run is over), the log lines kept of a task, and unsubscribing.
    std::vector<RunEvent> openingEvents(const std::string &runId) const;
    RunEvent logTail(const std::string &runId, const std::string &taskId) const;
    void detach(LocalRunWatch *watch);
    template <typename T, typename F>
    Future<T> onIoThread(F &&work);

    QString m_name;
    std::string m_dataDir;
    QThreadPool m_io; // one thread: store reads, in order
    std::unique_ptr<RunStore> m_ioStore; // used on m_io only

    mutable std::mutex m_mutex; // guards m_active and each Active's runId
    std::vector<std::shared_ptr<Active>> m_active;

    // This object's thread only.
    std::map<std::string, std::unique_ptr<Mirror>> m_mirrors;
    std::set<LocalRunWatch *> m_watches;
};

} // namespace pw
