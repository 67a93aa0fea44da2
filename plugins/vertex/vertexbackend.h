// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "endedoutputs.h"
#include "restconnection.h"
#include "runs/backend.h"
#include "vertexjobs.h"

#include <QThreadPool>

#include <map>
#include <mutex>

namespace pw::vertex {

struct VertexSettings {
    Location where;
    std::string outputDirectory; // gs://...; the default runtimeConfig.gcsOutputDirectory
    std::string serviceAccount;  // the default identity of a run
    std::string network;         // VPC peering, projects/NUMBER/global/networks/NAME
    std::map<std::string, std::string> labels; // put on every job
    int pollMinMs = 2000;
    int pollMaxMs = 20000;
};

// Vertex AI Pipelines behind the Backend interface: PipelineJobs and
// Schedules over the Vertex AI REST API (v1), task logs from Cloud Logging
// (entries:list on each task's CustomJob), artifacts from Cloud Storage. The
// three connections share one Google token source. Calls run on worker
// threads; runs are watched by polling.
class VertexBackend final : public Backend {
    Q_OBJECT

public:
    struct Connections {
        std::shared_ptr<net::RestConnection> vertex;  // https://LOCATION-aiplatform.googleapis.com
        std::shared_ptr<net::RestConnection> logging; // https://logging.googleapis.com
        std::shared_ptr<net::RestConnection> storage; // https://storage.googleapis.com
    };
    VertexBackend(QString name, Connections connections, VertexSettings settings);
    ~VertexBackend() override;

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("vertex"); }
    Capabilities capabilities() const override;

    Future<ServerInfo> probe() override;
    Future<SubmittedRun> submit(const RunRequest &request) override;
    Future<RunListPage> listRuns(const RunQuery &query) override;
    Future<RunGraph> getRun(const std::string &runId) override;
    Future<std::string> logs(const std::string &runId, const std::string &taskId) override;
    std::unique_ptr<RunWatch> watch(const std::string &runId) override;
    Future<RunState> cancel(const std::string &runId) override;
    Future<RunRequest> runRequest(const std::string &runId) override;
    Future<Done> deleteRun(const std::string &runId) override;
    Future<std::string> readArtifact(const std::string &runId, const ArtifactRecord &artifact) override;
    Future<Schedule> createSchedule(const ScheduleRequest &request) override;
    Future<std::vector<Schedule>> listSchedules() override;
    Future<Done> setScheduleEnabled(const std::string &scheduleId, bool enabled) override;
    Future<Done> deleteSchedule(const std::string &scheduleId) override;

private:
    // Everything below runs on the worker threads.
    std::string jobsPath() const { return "/v1/" + m_settings.where.parent() + "/pipelineJobs"; }
    std::string schedulesPath() const { return "/v1/" + m_settings.where.parent() + "/schedules"; }
    // The PipelineJob body for a request (not yet created).
    Result<nlohmann::json> jobFor(const RunRequest &request) const;
    Result<RunGraph> fetchRun(const std::string &runId);
    Result<std::string> readLog(const std::string &customJobId);
    std::optional<std::string> readObject(const std::string &gsUri);
    Schedule scheduleFrom(const nlohmann::json &schedule) const;

    QString m_name;
    Connections m_net;
    VertexSettings m_settings;
    QThreadPool m_pool;
    std::mutex m_mutex;                     // guards m_last
    std::map<std::string, RunGraph> m_last; // the last reading of each run (CustomJobs for logs)
    EndedTaskOutputs m_outputs;
};

} // namespace pw::vertex
