// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "endedoutputs.h"
#include "restconnection.h"
#include "runs/backend.h"

#include <QThreadPool>

#include <functional>
#include <map>
#include <mutex>
#include <optional>

namespace pw::kfp {

struct KfpOptions {
    std::string api;      // "v1", "v2" or "" (ask the server)
    int pollMinMs = 1000; // watch intervals (the server is asked, with backoff)
    int pollMaxMs = 10000;
};

// A Kubeflow Pipelines deployment behind the Backend interface, over its
// REST API: v2beta1 (KFP 2.x, PipelineSpec) or v1beta1 (KFP 1.x, the Argo
// Workflow `compile --target argo` writes). Calls run on a small pool of
// worker threads; runs are watched by polling (one request at a time per
// watch, with backoff). Logs and artifacts come from the KFP UI server
// (/k8s/pod/logs, /artifacts/get), as the KFP UI reads them.
class KfpBackend final : public Backend {
    Q_OBJECT

public:
    KfpBackend(QString name, std::shared_ptr<net::RestConnection> connection, KfpOptions options);
    ~KfpBackend() override;

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("kfp"); }
    Capabilities capabilities() const override;

    Future<ServerInfo> probe() override;
    Future<SubmittedRun> submit(const RunRequest &request) override;
    Future<RunListPage> listRuns(const RunQuery &query) override;
    Future<RunGraph> getRun(const std::string &runId) override;
    Future<std::string> logs(const std::string &runId, const std::string &taskId) override;
    std::unique_ptr<RunWatch> watch(const std::string &runId) override;
    Future<RunState> cancel(const std::string &runId) override;
    Future<std::string> retry(const std::string &runId) override;
    Future<RunRequest> runRequest(const std::string &runId) override;
    Future<Done> deleteRun(const std::string &runId) override;
    Future<std::string> readArtifact(const std::string &runId, const ArtifactRecord &artifact) override;
    Future<Done> archiveRun(const std::string &runId) override;
    Future<std::vector<Experiment>> listExperiments() override;
    Future<Done> archiveExperiment(const std::string &experimentId) override;
    Future<std::vector<StoredPipeline>> listPipelines() override;
    Future<Schedule> createSchedule(const ScheduleRequest &request) override;
    Future<std::vector<Schedule>> listSchedules() override;
    Future<Done> setScheduleEnabled(const std::string &scheduleId, bool enabled) override;
    Future<Done> deleteSchedule(const std::string &scheduleId) override;

private:
    // Everything below runs on the worker threads.
    Result<std::string> api();
    Result<ServerInfo> detect();
    Result<std::string> experimentId(const std::string &name, bool create);
    Result<nlohmann::json> pipelineSpecBody(const RunRequest &request);
    Result<nlohmann::json> versionReference(const RunRequest &request);
    Result<RunGraph> fetchRun(const std::string &runId);
    // Reads the metrics and visualizations of tasks that ended (once per task)
    // and adds them to the run, as the local engine records them.
    void addOutputs(RunGraph &run, const nlohmann::json &raw, bool v2);
    std::optional<std::string> readLocation(const std::string &location);
    Result<SubmittedRun> submitV2(const RunRequest &request);
    Result<SubmittedRun> submitV1(const RunRequest &request);
    Result<Schedule> scheduleV2(const ScheduleRequest &request);
    Result<Schedule> scheduleV1(const ScheduleRequest &request);
    net::Query namespaceQuery() const;
    // A call whose answer says only that it was done (delete, archive,
    // enable): `path` makes its path for the API version ("v1" or "v2").
    Future<Done> callForDone(const char *method, std::function<std::string(const std::string &version)> path);
    // An experiment's name for its id (v2 runs carry only the id): from a
    // list of the experiments, read again when an id is new.
    std::string experimentName(const std::string &version, const std::string &id);
    // Every page of a KFP list call: `items` of each answer, in order.
    Result<std::vector<nlohmann::json>> listAll(const std::string &path, net::Query query, const char *items);

    QString m_name;
    std::shared_ptr<net::RestConnection> m_kfp;
    KfpOptions m_options;
    QThreadPool m_pool;
    std::mutex m_mutex;                                   // guards what follows
    std::optional<std::string> m_api;                     // "v1" or "v2" once known
    std::map<std::string, RunGraph> m_last;               // the last reading of each run (pod names for logs)
    std::mutex m_experimentsMutex;                        // guards m_experimentNames
    std::map<std::string, std::string> m_experimentNames; // id -> name
    EndedTaskOutputs m_outputs;
};

} // namespace pw::kfp
