// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/engine.h"
#include "model/pipeline.h"
#include "runs/rungraph.h"
#include "util/result.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <mutex>
#include <vector>

class QThread;
class QTimer;

namespace pw {

class RunStore;

// What a run started from the studio needs besides the pipeline.
struct RunRequest {
    std::map<std::string, std::string> parameters; // NAME -> text, as `pipewright run --param`
    QString workDir;  // where relative paths resolve; default: the pipeline file's folder
    QString runName;  // default: <pipeline>-<date>
    bool cache = true;
    int parallelism = 0;
};

// Starts local runs on worker threads (the same core path as `pipewright
// run`: apply parameters, validate, lower, Engine) and keeps a GUI-thread
// snapshot of every run a view shows. Engine callbacks arrive on the worker
// thread and are re-emitted here as queued signals; runs started by other
// processes (the CLI) are picked up by polling the shared SQLite store.
// The main window owns one; views read runs through run() and never touch
// the engine.
class RunController final : public QObject {
    Q_OBJECT
public:
    // dataDir: the store's directory; empty = RunStore::defaultDataDir().
    explicit RunController(const QString &dataDir = {}, QObject *parent = nullptr);
    ~RunController() override; // cancels the runs it started and waits for them

    bool isOpen() const { return m_store != nullptr; }
    QString errorString() const { return m_error; }
    QString dataDir() const { return m_dataDir; }

    Result<QString> startRun(const Pipeline &pipeline, const RunRequest &request = {});
    // The same IR and engine options (parameters included) as a stored run.
    Result<QString> rerun(const QString &runId);
    // Stops a run, whether this studio or another process executes it.
    void cancel(const QString &runId);
    bool isActive(const QString &runId) const { return m_active.count(runId) > 0; }
    int activeCount() const { return int(m_active.size()); }

    // Runs newest first, without tasks (as RunStore::listRuns).
    std::vector<RunGraph> listRuns();
    // The latest snapshot of a run, loaded on first use; null when unknown.
    const RunGraph *run(const QString &runId);
    // Rereads a run from the store (artifacts and metrics arrive there).
    void reload(const QString &runId);
    // Log lines of a task: live ones for runs executing here, else the log file's tail.
    QStringList logTail(const QString &runId, const QString &taskId, int maxLines = 2000);

    // Milliseconds between polls of the store for runs of other processes.
    void setPollInterval(int ms);

signals:
    void runCreated(const QString &runId);
    void taskChanged(const QString &runId, const QString &taskId);
    void logLines(const QString &runId, const QString &taskId, const QStringList &lines);
    // The snapshot changed as a whole (reloaded from the store).
    void runUpdated(const QString &runId);
    void runFinished(const QString &runId);
    // A run was added, removed or changed state in the store.
    void runsChanged();

private:
    struct Active;
    class Forwarder;
    Result<QString> launch(const ir::PipelineSpec &spec, const EngineOptions &options);
    void onTaskChanged(const QString &runId, const TaskRecord &task);
    void onRunStarted(const RunGraph &run);
    void flushLogs();
    void onThreadFinished(const QString &runId);
    void scheduleReload(const QString &runId);
    void poll();

    QString m_dataDir, m_error;
    std::unique_ptr<RunStore> m_store; // GUI thread only; each engine has its own connection
    std::map<QString, std::unique_ptr<Active>> m_active;
    std::map<QString, RunGraph> m_runs;
    // Live log lines per run and task, capped, for runs executing here.
    std::map<QString, QHash<QString, QStringList>> m_logs;

    struct PendingLine {
        QString runId, taskId, line;
    };
    std::mutex m_logMutex;
    std::vector<PendingLine> m_pendingLines; // filled by engine threads
    bool m_flushQueued = false;              // guarded by m_logMutex

    QTimer *m_pollTimer = nullptr;
    QTimer *m_reloadTimer = nullptr;
    QStringList m_reloadQueue;
    QString m_listSignature;
};

} // namespace pw
