// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

#include "ir/pipelinespec.h"
#include "runs/runevent.h"
#include "runs/rungraph.h"
#include "util/result.h"

#include <QFlags>
#include <QFuture>
#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pw {

// Every backend call answers through a future: it never blocks the caller's
// thread. Continue on a thread of your choice with `.then(context, ...)`;
// the CLI waits with pw::await (runs/await.h).
template <typename T> using Future = QFuture<Result<T>>;

// What a call that returns nothing returns.
struct Done {};

enum class Capability : std::uint32_t {
    Cancel = 1u << 0,
    Retry = 1u << 1,          // run again what did not succeed, in the same run
    Clone = 1u << 2,          // runRequest(): the request a run was started from
    LogsFollow = 1u << 3,     // watches deliver new log lines while a task runs
    Artifacts = 1u << 4,      // readArtifact()
    Experiments = 1u << 5,    // runs are grouped in experiments
    Schedules = 1u << 6,      // recurring runs
    Delete = 1u << 7,         // deleteRun()
    ServiceAccount = 1u << 8, // a run can get its own identity
    Archive = 1u << 9,        // archiveRun(), archiveExperiment(): hidden from lists, kept
    Pipelines = 1u << 10,     // listPipelines(): pipelines uploaded to the server
    Resubmit = 1u << 11,      // resubmit(): a new run from a run's own spec, kept by the server
};
Q_DECLARE_FLAGS(Capabilities, Capability)
Q_DECLARE_OPERATORS_FOR_FLAGS(Capabilities)

// "cancel,retry,logs-follow" and back; for `backend list --json` and servers.
std::vector<std::string> capabilityNames(Capabilities caps);

// A validated, lowered pipeline and how to run it (RunService builds these).
struct RunRequest {
    ir::PipelineSpec spec;
    std::map<std::string, nlohmann::json> parameters; // override the spec's defaults
    std::string runName;                              // empty: the backend picks one
    bool cache = true;
    std::string experiment;     // empty: the backend's default
    std::string serviceAccount; // empty: the backend's default identity
    std::string pipelineRoot;   // where artifacts go; empty: the backend's default
    // Where relative paths in the pipeline resolve (the local engine runs
    // there); remote backends ignore it.
    std::string workDir;
    // Backend-specific settings, e.g. for the local backend
    // {"parallelism": 4, "runtime": "docker"}; for KFP {"pipeline": NAME, "version": V}.
    nlohmann::json options = nlohmann::json::object();
};

struct SubmittedRun {
    std::string id;
    std::string webUrl; // the run in its server's UI, when there is one
};

struct RunQuery {
    std::string experiment;
    std::optional<RunState> state;
    std::string nameContains;
    bool archived = false; // where runs can be archived: the archived ones instead of the active ones
    std::string pageToken; // from the previous page
    int pageSize = 0;      // 0: the backend's default
};

struct RunListPage {
    std::vector<RunGraph> runs; // newest first, without tasks
    std::string nextPageToken;  // empty on the last page
};

struct Experiment {
    std::string id;
    std::string name;
    std::string description;
    std::int64_t createdMs = 0;
    bool archived = false;
};

// A pipeline kept on a server (KFP's uploaded pipelines) and its versions.
struct StoredPipelineVersion {
    std::string id;
    std::string name;
    std::int64_t createdMs = 0;
};
struct StoredPipeline {
    std::string id;
    std::string name;
    std::string description;
    std::int64_t createdMs = 0;
    std::vector<StoredPipelineVersion> versions; // newest first
};

struct ScheduleRequest {
    RunRequest run;
    std::string name;
    std::string cron;                 // five fields ("0 6 * * *") or six (seconds first)
    std::string timeZone;             // IANA name; empty = UTC
    std::int64_t intervalSeconds = 0; // instead of cron
    int maxConcurrency = 1;
    bool catchUp = true;
    std::int64_t startMs = 0, endMs = 0; // 0: open
};

struct Schedule {
    std::string id;
    std::string name;
    std::string cron;     // as the server keeps it
    std::string timeZone; // empty when the server has no time zone (it runs in UTC)
    std::int64_t intervalSeconds = 0;
    int maxConcurrency = 1;
    bool enabled = true;
    std::string experiment;
    std::int64_t createdMs = 0;
    // How the request became what the server keeps, e.g.
    // "06:00 in Asia/Tokyo is 21:00 UTC: cron 0 0 21 * * *".
    std::string conversion;
};

struct ServerInfo {
    std::string version; // the server's own version, when it says
    std::string api;     // e.g. "v2beta1"
    std::string detail;  // anything else worth showing in `backend test`
};

class RunWatch;

// Where runs live (DESIGN "Runs"): the local engine, a KFP cluster, an Argo
// server, Vertex AI. Views and commands only see RunGraphs, RunEvents and
// these calls. A backend lives on the thread that created it; its futures
// may finish on any thread.
class PW_EXPORT Backend : public QObject {
    Q_OBJECT

public:
    using QObject::QObject;
    ~Backend() override = default;

    virtual QString name() const = 0; // its configuration's name
    virtual QString kind() const = 0; // local, kfp, argo, vertex
    virtual Capabilities capabilities() const = 0;
    bool can(Capability c) const { return capabilities().testFlag(c); }

    // Can the backend be reached, and what is it?
    virtual Future<ServerInfo> probe() = 0;
    virtual Future<SubmittedRun> submit(const RunRequest &request) = 0;
    virtual Future<RunListPage> listRuns(const RunQuery &query) = 0;
    virtual Future<RunGraph> getRun(const std::string &runId) = 0;
    // A full run id from what a user typed (the local backend takes unique prefixes).
    virtual Future<std::string> resolveRunId(const std::string &idOrPrefix);
    // The task's whole log as far as it is written.
    virtual Future<std::string> logs(const std::string &runId, const std::string &taskId) = 0;
    // Watches one run: a Snapshot at once, then every change (see RunEvent).
    // Delete the watch to stop; it must not outlive the backend.
    virtual std::unique_ptr<RunWatch> watch(const std::string &runId);

    // Returns the run's state once the backend took the request.
    virtual Future<RunState> cancel(const std::string &runId);
    // Runs again what did not succeed; returns the id of the run that goes on.
    virtual Future<std::string> retry(const std::string &runId);
    virtual Future<RunRequest> runRequest(const std::string &runId);
    virtual Future<Done> deleteRun(const std::string &runId);
    virtual Future<std::string> readArtifact(const std::string &runId, const ArtifactRecord &artifact);

    virtual Future<Done> archiveRun(const std::string &runId);
    // A new run of what a run ran, made by the server from its own record of
    // it (where runRequest() cannot give the request back, as on Argo).
    virtual Future<SubmittedRun> resubmit(const std::string &runId);

    virtual Future<std::vector<Experiment>> listExperiments();
    virtual Future<Done> archiveExperiment(const std::string &experimentId);
    virtual Future<std::vector<StoredPipeline>> listPipelines();
    virtual Future<Schedule> createSchedule(const ScheduleRequest &request);
    virtual Future<std::vector<Schedule>> listSchedules();
    virtual Future<Done> setScheduleEnabled(const std::string &scheduleId, bool enabled);
    virtual Future<Done> deleteSchedule(const std::string &scheduleId);

protected:
    // An already finished future.
    template <typename T> static Future<T> ready(Result<T> result);
    // An error future: "the NAME backend (KIND) cannot WHAT".
    template <typename T> Future<T> unsupported(const std::string &what) const
    {
        return ready<T>(unsupportedError(what));
    }
    Error unsupportedError(const std::string &what) const;
};

template <typename T> Future<T> Backend::ready(Result<T> result)
{
    return QtFuture::makeReadyFuture(std::move(result));
}

} // namespace pw

Q_DECLARE_METATYPE(pw::TaskRecord)
