// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "runs/backend.h"
#include "runs/rungraph.h"
#include "util/result.h"

#include <QHash>
#include <QObject>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>

class QTimer;

namespace pw {

class LocalBackend;
class RunStore;

// What a run started from the studio needs besides the pipeline.
struct RunSettings {
    std::map<std::string, std::string> parameters; // NAME -> text, as `pipewright run --param`
    QString workDir;  // where relative paths resolve; default: the pipeline file's folder
    QString runName;  // default: <pipeline>-<date>
    bool cache = true;
    int parallelism = 0;
};

// The run view's link to the runs: starts runs of a Pipeline through the
// same core path as `pipewright run` (parameters, validation, lowering) and
// the Backend interface (the local engine on worker threads), and keeps a
// GUI-thread snapshot of every run a view shows. Backend signals patch the
// snapshot at once; details (times, outputs, artifacts, metrics) follow
// from the store a moment later. Runs started by other processes (the CLI)
// are found by polling. The main window owns one; views read run().
class RunController final : public QObject {
    Q_OBJECT
public:
    // dataDir: the local run store; empty = RunStore::defaultDataDir().
    explicit RunController(const QString &dataDir = {}, QObject *parent = nullptr);
    ~RunController() override; // cancels the runs it started and waits for them

    Backend *backend() const;
    QString dataDir() const { return m_dataDir; }

    Result<QString> startRun(const Pipeline &pipeline, const RunSettings &settings = {});
    // The same IR, parameters and engine options as an earlier run.
    Result<QString> rerun(const QString &runId);
    // Stops a run, whether this studio or another process executes it.
    void cancel(const QString &runId);
    bool isActive(const QString &runId) const { return m_active.contains(runId); }

    // Runs newest first, without tasks.
    std::vector<RunGraph> listRuns();
    // The latest snapshot of a run, loaded on first use; null when unknown.
    const RunGraph *run(const QString &runId);
    // Rereads a run from the backend.
    void reload(const QString &runId);
    // Log lines of a task: live ones for runs executing here, else the log's tail.
    QStringList logTail(const QString &runId, const QString &taskId, int maxLines = 2000);

    // Milliseconds between polls for runs of other processes.
    void setPollInterval(int ms);

signals:
    void runCreated(const QString &runId);
    void taskChanged(const QString &runId, const QString &taskId);
    void logLines(const QString &runId, const QString &taskId, const QStringList &lines);
    // The snapshot changed as a whole (reloaded).
    void runUpdated(const QString &runId);
    void runFinished(const QString &runId);
    // A run was added or changed state.
    void runsChanged();

private:
    Result<QString> submit(const RunRequest &request);
    void onTaskChanged(const QString &runId, const TaskRecord &record);
    void onLogLine(const QString &runId, const QString &taskId, const QString &line);
    void onRunFinished(const QString &runId);
    void flushLogs();
    void scheduleReload(const QString &runId);
    void poll();

    QString m_dataDir;
    LocalBackend *m_backend = nullptr;
    std::unique_ptr<RunStore> m_store; // for re-running runs of other processes, opened on demand
    QHash<QString, bool> m_active;
    std::map<QString, RunRequest> m_requests; // what this studio submitted, for re-run
    std::map<QString, RunGraph> m_runs;
    // Live log lines per run and task (capped), and those not yet emitted.
    std::map<QString, QHash<QString, QStringList>> m_logs;
    std::vector<std::pair<QString, QString>> m_unflushed; // (run, task) with new lines, in order
    std::map<std::pair<QString, QString>, QStringList> m_pendingLines;

    QTimer *m_pollTimer = nullptr;
    QTimer *m_reloadTimer = nullptr;
    QTimer *m_logTimer = nullptr;
    QStringList m_reloadQueue;
    QString m_listSignature;
};

} // namespace pw
