// SPDX-License-Identifier: Apache-2.0
#include "vertexbackend.h"

#include "ir/pipelinespecio.h"
#include "jsonfields.h"
#include "runs/asyncwork.h"
#include "runs/pollingrunwatch.h"
#include "specoptions.h"
#include "targets/vertexwriter.h"

#include <QDateTime>

#include <cctype>

namespace pw::vertex {

namespace {

using Json = nlohmann::json;

// A PipelineJob id: lowercase letters, digits and '-', at most 128, made
// from a name and a time stamp as the KFP SDK makes them.
std::string jobIdFor(const std::string &name, const std::string &stamp)
{
    std::string id;
    for (char c : name) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) && u < 0x80)
            id += static_cast<char>(std::tolower(u));
        else if (!id.empty() && id.back() != '-')
            id += '-';
    }
    id = id.substr(0, 127 - stamp.size());
    while (!id.empty() && id.back() == '-')
        id.pop_back();
    return (id.empty() ? std::string("pipeline") : id) + "-" + stamp;
}

// An AIP-160 string literal.
std::string quoted(const std::string &value)
{
    std::string out = "\"";
    for (char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string parameterText(const Json &value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

// gs://bucket/key -> (bucket, key); empty bucket when it is not one.
std::pair<std::string, std::string> splitGcsUri(const std::string &uri)
{
    if (uri.rfind("gs://", 0) != 0)
        return {};
    const std::string rest = uri.substr(5);
    const auto slash = rest.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == rest.size())
        return {};
    return {rest.substr(0, slash), rest.substr(slash + 1)};
}

} // namespace

VertexBackend::VertexBackend(QString name, Connections connections, VertexSettings settings)
    : m_name(std::move(name)), m_net(std::move(connections)), m_settings(std::move(settings))
{
    m_pool.setMaxThreadCount(4);
}

VertexBackend::~VertexBackend() { m_pool.waitForDone(); }

Capabilities VertexBackend::capabilities() const
{
    return Capability::Cancel | Capability::Clone | Capability::LogsFollow | Capability::Artifacts |
           Capability::Schedules | Capability::Delete | Capability::ServiceAccount;
}

Future<ServerInfo> VertexBackend::probe()
{
    return runAsync<ServerInfo>(m_pool, [this]() -> Result<ServerInfo> {
        auto page = m_net.vertex->call("GET", jobsPath(), {{"pageSize", "1"}});
        if (!page.ok())
            return page.error();
        ServerInfo info;
        info.version = "Vertex AI Pipelines";
        info.api = "v1";
        info.detail = "project " + m_settings.where.project + ", " + m_settings.where.location;
        return info;
    });
}

Result<Json> VertexBackend::jobFor(const RunRequest &request) const
{
    if (!request.experiment.empty())
        return Error{"Vertex AI keeps experiments in Vertex ML Metadata, which this backend does not write; leave out "
                     "the experiment (labels in the backend's settings group runs)",
                     {}};
    pw::VertexOptions job;
    job.displayName = request.runName;
    if (job.displayName.empty())
        job.displayName = (request.spec.pipelineName.empty() ? std::string("pipeline") : request.spec.pipelineName) +
                          " " + QDateTime::currentDateTime().toString("yyyy-MM-dd HH:mm:ss").toStdString();
    // Where outputs go: the request's, else the pipeline's own Cloud Storage
    // root, else the backend's default.
    if (!request.pipelineRoot.empty())
        job.gcsOutputDirectory = request.pipelineRoot;
    else if (request.spec.defaultPipelineRoot.rfind("gs://", 0) != 0)
        job.gcsOutputDirectory = m_settings.outputDirectory;
    job.serviceAccount = request.serviceAccount.empty() ? m_settings.serviceAccount : request.serviceAccount;
    job.labels = m_settings.labels;
    if (const auto labels = request.options.find("labels"); labels != request.options.end() && labels->is_object())
        for (const auto &[k, v] : labels->items())
            job.labels[k] = parameterText(v);
    for (const auto &[name, value] : request.parameters)
        job.parameterValues[name] = parameterText(value);
    auto body = vertexPipelineJob(withCaching(request.spec, request.cache), job);
    if (!body.ok()) {
        Error e = body.error();
        if (e.where.field == "runtimeConfig.gcsOutputDirectory" && m_settings.outputDirectory.empty())
            e.message += " (or the backend's outputDir setting)";
        return e;
    }
    if (!m_settings.network.empty())
        (*body)["network"] = m_settings.network;
    return body;
}

Future<SubmittedRun> VertexBackend::submit(const RunRequest &request)
{
    return runAsync<SubmittedRun>(m_pool, [this, request]() -> Result<SubmittedRun> {
        auto body = jobFor(request);
        if (!body.ok())
            return body.error();
        const std::string stamp = QDateTime::currentDateTimeUtc().toString("yyyyMMddHHmmss").toStdString();
        const std::string base =
            jobIdFor(request.runName.empty() ? request.spec.pipelineName : request.runName, stamp);
        // Ids are the caller's to choose; a second run in the same second takes the next one.
        for (int n = 1; n <= 20; ++n) {
            const std::string id = n == 1 ? base : base + "-" + std::to_string(n);
            auto made = m_net.vertex->call("POST", jobsPath(), {{"pipelineJobId", id}}, &*body);
            if (made.ok())
                return SubmittedRun{lastSegment(text(*made, "name")), consoleUrl(m_settings.where, id)};
            if (made.error().message.find("(HTTP 409)") == std::string::npos)
                return made.error();
        }
        return Error{"Vertex AI already has pipeline jobs " + base + " to " + base + "-20", {}};
    });
}

Future<RunListPage> VertexBackend::listRuns(const RunQuery &query)
{
    return runAsync<RunListPage>(m_pool, [this, query]() -> Result<RunListPage> {
        if (!query.experiment.empty())
            return Error{"Vertex AI runs are not grouped in experiments here; filter by name instead", {}};
        std::vector<std::string> terms;
        if (!query.nameContains.empty())
            terms.push_back("display_name:" + quoted("*" + query.nameContains + "*"));
        if (query.state) {
            const std::string state = vertexStateName(*query.state);
            if (state.empty())
                return RunListPage{}; // no Vertex run is in that state
            terms.push_back("state=" + state);
        }
        std::string filter;
        for (const std::string &t : terms)
            filter += (filter.empty() ? "" : " AND ") + t;
        net::Query q{{"pageSize", std::to_string(query.pageSize > 0 ? std::min(query.pageSize, 100) : 100)},
                     {"orderBy", "create_time desc"}};
        if (!filter.empty())
            q.emplace_back("filter", filter);
        if (!query.pageToken.empty())
            q.emplace_back("pageToken", query.pageToken);
        auto reply = m_net.vertex->call("GET", jobsPath(), q);
        if (!reply.ok())
            return reply.error();
        RunListPage page;
        page.nextPageToken = text(*reply, "nextPageToken");
        for (const Json &job : reply->value("pipelineJobs", Json::array())) {
            RunGraph run = runFromJob(job, m_settings.where);
            run.tasks.clear(); // lists carry no job details
            run.artifacts.clear();
            run.backend = m_name.toStdString();
            page.runs.push_back(std::move(run));
        }
        return page;
    });
}

std::optional<std::string> VertexBackend::readObject(const std::string &gsUri)
{
    const auto [bucket, key] = splitGcsUri(gsUri);
    if (bucket.empty())
        return std::nullopt;
    auto bytes = m_net.storage->fetch("GET", "/storage/v1/b/" + net::urlEncode(bucket) + "/o/" + net::urlEncode(key),
                                      {{"alt", "media"}});
    return bytes.ok() ? std::optional<std::string>(std::move(bytes).value()) : std::nullopt;
}

Result<RunGraph> VertexBackend::fetchRun(const std::string &runId)
{
    auto job = m_net.vertex->call("GET", jobsPath() + "/" + net::urlEncode(runId));
    if (!job.ok())
        return job.error();
    RunGraph run = runFromJob(*job, m_settings.where);
    run.backend = m_name.toStdString();
    m_outputs.apply(run, [this](const std::string &location) { return readObject(location); });
    std::lock_guard lock(m_mutex);
    m_last[runId] = run;
    return run;
}

Future<RunGraph> VertexBackend::getRun(const std::string &runId)
{
    return runAsync<RunGraph>(m_pool, [this, runId] { return fetchRun(runId); });
}

Result<std::string> VertexBackend::readLog(const std::string &customJobId)
{
    std::string out;
    std::string pageToken;
    for (int page = 0; page < 50; ++page) {
        Json body = {{"resourceNames", Json::array({"projects/" + m_settings.where.project})},
                     {"filter", "resource.type=\"ml_job\" AND resource.labels.job_id=" + quoted(customJobId)},
                     {"orderBy", "timestamp asc"},
                     {"pageSize", 1000}};
        if (!pageToken.empty())
            body["pageToken"] = pageToken;
        auto reply = m_net.logging->call("POST", "/v2/entries:list", {}, &body);
        if (!reply.ok())
            return reply.error();
        for (const Json &entry : reply->value("entries", Json::array())) {
            std::string line = text(entry, "textPayload");
            if (line.empty() && entry.contains("jsonPayload")) {
                const Json &payload = member(entry, "jsonPayload");
                line = payload.contains("message") ? text(payload, "message") : payload.dump();
            }
            while (!line.empty() && line.back() == '\n')
                line.pop_back();
            // The engine's form, "<time> out|err <text>": views split it the same way.
            const std::string severity = text(entry, "severity");
            const bool error = severity == "ERROR" || severity == "CRITICAL" || severity == "ALERT" ||
                               severity == "EMERGENCY";
            out += text(entry, "timestamp") + (error ? " err " : " out ") + line + "\n";
        }
        pageToken = text(*reply, "nextPageToken");
        if (pageToken.empty())
            break;
    }
    return out;
}

Future<std::string> VertexBackend::logs(const std::string &runId, const std::string &taskId)
{
    return runAsync<std::string>(m_pool, [this, runId, taskId]() -> Result<std::string> {
        std::string source;
        {
            std::lock_guard lock(m_mutex);
            if (auto it = m_last.find(runId); it != m_last.end())
                if (const TaskRecord *t = it->second.findTask(taskId))
                    source = t->logSource;
        }
        if (source.empty()) {
            auto run = fetchRun(runId);
            if (!run.ok())
                return run.error();
            const TaskRecord *t = run->findTask(taskId);
            if (!t)
                return Error{"run " + runId + " has no task '" + taskId + "'", {}};
            source = t->logSource;
            if (source.empty())
                return Error{"task '" + taskId + "' has no CustomJob (yet): it has no log", {}};
        }
        if (source.rfind("customJob:", 0) != 0)
            return Error{"task '" + taskId + "' logs to " + source + ", which this backend cannot read", {}};
        return readLog(source.substr(10));
    });
}

std::unique_ptr<RunWatch> VertexBackend::watch(const std::string &runId)
{
    return std::make_unique<PollingRunWatch>(
        this, runId, PollingRunWatch::Intervals{m_settings.pollMinMs, m_settings.pollMaxMs, 1.5});
}

Future<RunState> VertexBackend::cancel(const std::string &runId)
{
    return runAsync<RunState>(m_pool, [this, runId]() -> Result<RunState> {
        const Json empty = Json::object();
        if (auto r = m_net.vertex->call("POST", jobsPath() + "/" + net::urlEncode(runId) + ":cancel", {}, &empty); !r.ok())
            return r.error();
        return RunState::Cancelling;
    });
}

Future<RunRequest> VertexBackend::runRequest(const std::string &runId)
{
    return runAsync<RunRequest>(m_pool, [this, runId]() -> Result<RunRequest> {
        auto job = m_net.vertex->call("GET", jobsPath() + "/" + net::urlEncode(runId));
        if (!job.ok())
            return job.error();
        const Json &spec = member(*job, "pipelineSpec");
        if (spec.empty())
            return Error{"pipeline job " + runId + " was started from a template (" + text(*job, "templateUri") +
                             "); clone it from that",
                         {}};
        auto ir = ir::readPipelineSpec(spec.dump(), "pipeline job " + runId);
        if (!ir.ok())
            return ir.error();
        RunRequest request;
        request.spec = std::move(ir).value();
        const Json &runtime = member(*job, "runtimeConfig");
        for (const auto &[k, v] : member(runtime, "parameterValues").items())
            request.parameters[k] = v;
        request.pipelineRoot = text(runtime, "gcsOutputDirectory");
        request.serviceAccount = text(*job, "serviceAccount");
        Json labels = member(*job, "labels");
        labels.erase("vertex-ai-pipelines-run-billing-id"); // Vertex sets it on every job
        if (!labels.empty())
            request.options["labels"] = labels;
        return request;
    });
}

Future<Done> VertexBackend::deleteRun(const std::string &runId)
{
    return runAsync<Done>(m_pool, [this, runId]() -> Result<Done> {
        // Deleting is a long-running operation; the job is gone from lists once it is accepted.
        if (auto r = m_net.vertex->call("DELETE", jobsPath() + "/" + net::urlEncode(runId)); !r.ok())
            return r.error();
        return Done{};
    });
}

Future<std::string> VertexBackend::readArtifact(const std::string &, const ArtifactRecord &artifact)
{
    return runAsync<std::string>(m_pool, [this, artifact]() -> Result<std::string> {
        const auto [bucket, key] = splitGcsUri(artifact.uri);
        if (bucket.empty())
            return Error{"artifact '" + artifact.name + "' is at '" + artifact.uri +
                             "', not in Cloud Storage (gs://BUCKET/OBJECT)",
                         {}};
        return m_net.storage->fetch("GET", "/storage/v1/b/" + net::urlEncode(bucket) + "/o/" + net::urlEncode(key),
                                    {{"alt", "media"}});
    });
}

} // namespace pw::vertex
