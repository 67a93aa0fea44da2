// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "endedoutputs.h"
#include "restconnection.h"
#include "runs/backend.h"

#include <QThreadPool>

#include <map>
#include <mutex>
#include <optional>

namespace pw::argo {

struct ArgoOptions {
    std::string serviceAccount; // the workflows' Kubernetes service account; empty: the server's default
    bool lint = false;          // ask the server to lint each workflow before submitting it
    bool stop = false;          // cancel with stop (exit handlers run) instead of terminate
    int pollMinMs = 1000;
    int pollMaxMs = 10000;
};

// A plain Argo Workflows installation behind the Backend interface, over
// the Argo Server REST API: the Argo Workflow `compile --target argo` writes
// is submitted with the {workflow} wrapper; runs are workflows (their name is
// the run id), read as RunGraphs from status.nodes; logs come from the log
// endpoint (server-sent events when followed); schedules are CronWorkflows
// with a native time zone.
class ArgoBackend final : public Backend {
    Q_OBJECT

public:
    ArgoBackend(QString name, std::shared_ptr<net::RestConnection> connection, ArgoOptions options);
    ~ArgoBackend() override;

    QString name() const override { return m_name; }
    QString kind() const override { return QStringLiteral("argo"); }
    Capabilities capabilities() const override;

    Future<ServerInfo> probe() override;
    Future<SubmittedRun> submit(const RunRequest &request) override;
    Future<RunListPage> listRuns(const RunQuery &query) override;
    Future<RunGraph> getRun(const std::string &runId) override;
    Future<std::string> logs(const std::string &runId, const std::string &taskId) override;
    std::unique_ptr<RunWatch> watch(const std::string &runId) override;
    Future<RunState> cancel(const std::string &runId) override;
    Future<std::string> retry(const std::string &runId) override;
    Future<Done> deleteRun(const std::string &runId) override;
    Future<SubmittedRun> resubmit(const std::string &runId) override;
    Future<std::string> readArtifact(const std::string &runId, const ArtifactRecord &artifact) override;
    Future<Schedule> createSchedule(const ScheduleRequest &request) override;
    Future<std::vector<Schedule>> listSchedules() override;
    Future<Done> setScheduleEnabled(const std::string &scheduleId, bool enabled) override;
    Future<Done> deleteSchedule(const std::string &scheduleId) override;

    // For the watch: streams a pod's log to `onLine` until `stop` says so or
    // the server ends the stream (which the Argo Server does only once the
    // whole workflow has completed). Blocks (a worker thread calls it).
    Result<bool> followPodLog(const std::string &runId, const std::string &pod,
                              const std::function<bool()> &stop,
                              const std::function<void(std::string)> &onLine);
    // A pod's whole log as far as it is written, one line each. Blocks.
    Result<std::string> podLog(const std::string &runId, const std::string &pod);
    Result<RunGraph> fetchRun(const std::string &runId);

private:
    Result<nlohmann::json> workflowFor(const RunRequest &request);
    Result<RunListPage> listPage(const RunQuery &query);
    SubmittedRun submitted(const nlohmann::json &workflow) const;
    Result<std::string> serverVersion();
    void addOutputs(RunGraph &run);
    std::string path(const std::string &kind, const std::string &name = {}) const;

    QString m_name;
    std::shared_ptr<net::RestConnection> m_argo;
    ArgoOptions m_options;
    QThreadPool m_pool;
    std::mutex m_mutex;
    std::optional<std::string> m_version;
    std::map<std::string, RunGraph> m_last;
    EndedTaskOutputs m_outputs;
};

// The workflow label the pipeline's name goes in, and the annotation that
// keeps it whole: a label value is at most 63 characters of [A-Za-z0-9._-],
// alphanumeric at both ends, and a pipeline's name need not be.
inline constexpr const char *kPipelineLabel = "pipelines.kubeflow.org/pipeline";
inline constexpr const char *kPipelineNameAnnotation = "pipewright.dev/pipeline-name";
std::string labelValue(std::string_view text);

// Argo server log lines ({"result": {"content", "podName"}}, one JSON object a
// line, or server-sent events of them) as log text lines; content with a
// leading RFC 3339 timestamp becomes "<time> out <text>" like local logs.
std::vector<std::string> argoLogLines(std::string_view body);

} // namespace pw::argo
