// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "ir/pipelinespec.h"
#include "runs/rungraph.h"
#include "util/result.h"

#include <QObject>
#include <QString>

#include <map>
#include <string>
#include <vector>

namespace pw {

struct RunRequest {
    ir::PipelineSpec spec;
    std::map<std::string, nlohmann::json> parameters; // override the spec's defaults
    std::string runName;                             // empty: the backend picks one
    bool cache = true;
    // Backend-specific settings, e.g. for the local backend
    // {"parallelism": 4, "runtime": "docker", "workDir": "/data"}.
    nlohmann::json options = nlohmann::json::object();
};

struct ScheduleRequest {
    RunRequest run;
    std::string cron;     // "0 6 * * *"
    std::string timeZone; // IANA name; empty = UTC
};

// Where runs live (DESIGN "Runs"): the local engine today, KFP, Argo and
// Vertex as plugins later. Views only see RunGraphs and these signals, never
// how a backend gets them. Signals may be emitted from a backend's worker
// thread; connect with the default (queued across threads) connection.
class Backend : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~Backend() override = default;

    virtual QString name() const = 0;

    // Starts a run and returns its id at once; progress arrives by signals.
    virtual Result<std::string> submit(const RunRequest &request) = 0;
    virtual Result<std::vector<RunGraph>> listRuns() = 0; // without tasks
    virtual Result<RunGraph> getRun(const std::string &runId) = 0;
    virtual Result<std::string> logs(const std::string &runId, const std::string &taskId) = 0;
    virtual Result<bool> cancel(const std::string &runId) = 0;
    // Runs again what did not finish; returns the run id.
    virtual Result<std::string> resume(const std::string &runId) = 0;
    virtual Result<std::string> createSchedule(const ScheduleRequest &)
    {
        return Error{"the " + name().toStdString() + " backend does not support schedules", {}};
    }

signals:
    void runStarted(const QString &runId);
    // Every state change of every task, in the order it happened, with the
    // whole record: a view can show a task it has not seen before.
    void taskChanged(const QString &runId, const pw::TaskRecord &task);
    void logLine(const QString &runId, const QString &taskId, bool isStderr, const QString &line);
    void runFinished(const QString &runId, const QString &state);
};

} // namespace pw

Q_DECLARE_METATYPE(pw::TaskRecord)
