// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/pipeline.h"
#include "runs/backendregistry.h"
#include "runs/rungraph.h"
#include "runs/runservice.h"
#include "runs/runwatch.h"
#include "util/result.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <map>
#include <memory>
#include <set>

class QTimer;

namespace pw {

// The run views' link to the runs, on the GUI thread. It starts runs through
// core's RunService on any configured backend, keeps a snapshot of each run a
// view asked for, and watches the shown run (its events patch the snapshot
// as they come, so every transition reaches the views in order). The runs
// list is reread from every backend now and then. Nothing here blocks: backend
// answers arrive as signals.
class RunController final : public QObject {
    Q_OBJECT
public:
    // Uses (does not own) `registry`.
    explicit RunController(BackendRegistry &registry, QObject *parent = nullptr);
    // A registry of its own: the local engine storing runs in `dataDir`
    // (empty: the default), every plugin, and the user's backends.yaml.
    explicit RunController(const QString &dataDir = {}, QObject *parent = nullptr);
    ~RunController() override;

    BackendRegistry *registry() const { return m_registry; }
    RunService &service() { return m_service; }
    // The local backend's run store folder.
    QString dataDir() const;

    // Validates and lowers at once (the error says why the pipeline cannot
    // run), then submits to `backend`; runCreated or runFailed follow.
    Result<bool> startRun(const Pipeline &pipeline, const RunSettings &settings,
                          const QString &backend = QStringLiteral("local"));
    // The same pipeline and parameters as an earlier run, as a new run.
    void rerun(const QString &runId);
    // Runs again what did not succeed, in the same run (local: resume).
    void retry(const QString &runId);
    void cancel(const QString &runId);

    // Runs of every backend, newest first, without tasks (as last read).
    const std::vector<RunGraph> &runs() const { return m_list; }
    // Rereads the runs list now.
    void refreshRuns();
    // The latest snapshot of a run; null until it has been read (runUpdated follows).
    const RunGraph *run(const QString &runId);
    // Watches a run (one at a time): its events patch the snapshot.
    void watchRun(const QString &runId);
    // The log of a task of the watched run: logLines with `reset`, then new lines.
    void followLogs(const QString &runId, const QString &taskId);
    // Which backend a run belongs to ("" when not known yet).
    QString backendOf(const QString &runId) const;
    bool isActive(const QString &runId) const;

    // Milliseconds between rereadings of the runs list.
    void setPollInterval(int ms);

signals:
    void runCreated(const QString &runId);
    void runFailed(const QString &message);
    void taskChanged(const QString &runId, const QString &taskId);
    void logLines(const QString &runId, const QString &taskId, const QStringList &lines, bool reset);
    // The snapshot changed as a whole (read, or its outputs changed).
    void runUpdated(const QString &runId);
    void runFinished(const QString &runId);
    // The watched run's backend lost (or regained) its server.
    void connectionChanged(const QString &runId, bool connected, const QString &message);
    // The runs list changed.
    void runsChanged();

private:
    void submit(const QString &backend, const RunRequest &request);
    // runCreated or runFailed, once `submitted` is ready.
    void created(const QString &backend, Future<SubmittedRun> submitted);
    void load(const QString &runId);
    void onEvent(const RunEvent &event);
    void flushLogs();

    std::unique_ptr<BackendRegistry> m_ownRegistry;
    BackendRegistry *m_registry;
    RunService m_service;
    std::map<QString, QString> m_backendOf; // run id -> backend name
    std::map<QString, RunGraph> m_runs;
    std::set<QString> m_loading;
    std::vector<RunGraph> m_list;
    QString m_listSignature;
    int m_listsPending = 0;

    QString m_watched;
    std::unique_ptr<RunWatch> m_watch;
    // Log lines arrive one by one from busy tasks; views get them in blocks.
    QTimer *m_logTimer = nullptr;
    QString m_logTask;
    QStringList m_pendingLines;
    QTimer *m_pollTimer = nullptr;
};

} // namespace pw
