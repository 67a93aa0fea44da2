// SPDX-License-Identifier: Apache-2.0
#include "kfpbackend.h"

#include "archive.h"
#include "argonodes.h"
#include "ir/pipelinespecio.h"
#include "jsonfields.h"
#include "kfpruns.h"
#include "runs/asyncwork.h"
#include "runs/pollingrunwatch.h"

namespace pw::kfp {

namespace {

using Json = nlohmann::json;

// v1's filter predicates name their operation "op", v2's "operation".
const char *opKey(const std::string &version)
{
    return version == "v2" ? "operation" : "op";
}

// A KFP filter: {"predicates": [...]} as a query value. KFP unescapes the
// filter once more after decoding the query string (and so does its UI
// server), so the JSON is escaped here once before the query escapes it again.
std::string filterOf(const Json &predicates)
{
    return net::urlEncode(Json{{"predicates", predicates}}.dump());
}

// Where /artifacts/get finds an object, from its URI.
Result<net::Query> artifactQuery(const std::string &uri)
{
    static const std::pair<const char *, const char *> kSchemes[] = {
        {"minio://", "minio"}, {"s3://", "s3"}, {"gs://", "gcs"}, {"https://", "https"}, {"http://", "http"}};
    for (const auto &[prefix, source] : kSchemes) {
        if (uri.rfind(prefix, 0) != 0)
            continue;
        const std::string rest = uri.substr(std::string(prefix).size());
        const auto slash = rest.find('/');
        if (slash == std::string::npos)
            break;
        return net::Query{
            {"source", source}, {"bucket", rest.substr(0, slash)}, {"key", rest.substr(slash + 1)}};
    }
    return Error{"KFP serves no artifact at '" + uri + "' (minio://, s3://, gs:// and http(s):// are served)",
                 {}};
}

} // namespace

KfpBackend::KfpBackend(QString name, std::shared_ptr<net::RestConnection> connection, KfpOptions options)
    : m_name(std::move(name)), m_kfp(std::move(connection)), m_options(std::move(options))
{
    m_pool.setMaxThreadCount(4);
    if (!m_options.api.empty())
        m_api = m_options.api;
}

KfpBackend::~KfpBackend()
{
    m_pool.waitForDone();
}

Capabilities KfpBackend::capabilities() const
{
    return Capability::Cancel | Capability::Retry | Capability::Clone | Capability::LogsFollow |
           Capability::Artifacts | Capability::Experiments | Capability::Schedules | Capability::Delete |
           Capability::ServiceAccount | Capability::Archive | Capability::Pipelines;
}

net::Query KfpBackend::namespaceQuery() const
{
    const std::string &ns = m_kfp->endpoint().ns;
    return ns.empty() ? net::Query{} : net::Query{{"namespace", ns}};
}

Result<ServerInfo> KfpBackend::detect()
{
    ServerInfo info;
    for (const char *version : {"v2", "v1"}) {
        if (!m_options.api.empty() && m_options.api != version)
            continue;
        auto health = m_kfp->call("GET", std::string("/apis/") + version + "beta1/healthz");
        if (!health.ok()) {
            // Only "no such API" lets us try the older one.
            if (health.error().message.find("HTTP 404") != std::string::npos && std::string(version) == "v2")
                continue;
            return health.error();
        }
        info.api = std::string(version) + "beta1";
        // v1 servers name their build; v2 healthz says only how it is set up.
        info.version = text(*health, "tag_name");
        if (info.version.empty())
            info.version = text(*health, "commit_sha").substr(0, 12);
        info.version =
            "KFP " + (info.version.empty() ? (std::string(version) == "v2" ? "2.x" : "1.x") : info.version);
        if (health->value("multi_user", false) || health->value("apiServerMultiUser", false))
            info.detail = "multi-user";
        std::lock_guard lock(m_mutex);
        m_api = version;
        return info;
    }
    return Error{
        "no KFP API at " + m_kfp->endpoint().url + " (neither /apis/v2beta1 nor /apis/v1beta1 answered)", {}};
}

Result<std::string> KfpBackend::api()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_api)
            return *m_api;
    }
    auto info = detect();
    if (!info.ok())
        return info.error();
    std::lock_guard lock(m_mutex);
    return *m_api;
}

Future<ServerInfo> KfpBackend::probe()
{
    return runAsync<ServerInfo>(m_pool, [this] { return detect(); });
}

Result<RunGraph> KfpBackend::fetchRun(const std::string &runId)
{
    auto version = api();
    if (!version.ok())
        return version.error();
    const std::string ui = m_kfp->endpoint().url;
    auto reply = m_kfp->call("GET", "/apis/" + *version + "beta1/runs/" + net::urlEncode(runId));
    if (!reply.ok())
        return reply.error();
    RunGraph run = *version == "v2" ? runFromV2(*reply, ui) : runFromV1(*reply, ui);
    run.backend = m_name.toStdString();
    run.experiment = experimentName(*version, run.experiment);
    addOutputs(run, *reply, *version == "v2");
    std::lock_guard lock(m_mutex);
    m_last[runId] = run;
    return run;
}

std::optional<std::string> KfpBackend::readLocation(const std::string &location)
{
    auto q = artifactQuery(location);
    if (!q.ok())
        return std::nullopt;
    if (!m_kfp->endpoint().ns.empty())
        q->emplace_back("namespace", m_kfp->endpoint().ns);
    auto bytes = m_kfp->fetch("GET", "/artifacts/get", *q);
    if (!bytes.ok())
        return std::nullopt;
    auto file = unpackArtifact(*bytes);
    return file.ok() ? std::optional<std::string>(std::move(file).value()) : std::nullopt;
}

void KfpBackend::addOutputs(RunGraph &run, const Json &raw, bool v2)
{
    // KFP 2.x keeps outputs at <pipeline root>/<pipeline>/<run id>/<task>/<execution id>/<output>.
    std::string root;
    if (v2) {
        root = text(raw.value("runtime_config", Json::object()), "pipeline_root");
        const Json spec = raw.value("pipeline_spec", Json::object());
        const Json ir = spec.contains("pipeline_spec") ? spec["pipeline_spec"] : spec;
        if (root.empty())
            root = text(ir, "defaultPipelineRoot");
        if (root.empty())
            root = "minio://mlpipeline/v2/artifacts";
        // Declared outputs of each task's component, from the IR.
        for (TaskRecord &t : run.tasks) {
            if (t.kind != "container" || (t.state != TaskState::Succeeded && t.state != TaskState::Failed))
                continue;
            const Json task = ir.value("root", Json::object())
                                  .value("dag", Json::object())
                                  .value("tasks", Json::object())
                                  .value(t.name, Json::object());
            const std::string component = text(task.value("componentRef", Json::object()), "name");
            const Json outputs = ir.value("components", Json::object())
                                     .value(component, Json::object())
                                     .value("outputDefinitions", Json::object())
                                     .value("artifacts", Json::object());
            for (const auto &[name, def] : outputs.items()) {
                ArtifactRecord a;
                a.task = t.id;
                a.name = name;
                const std::string execution = extraText(t.extra, "executionId");
                a.uri = root + "/" + run.pipelineName + "/" + run.id + "/" + t.name + "/" +
                        (execution.empty() ? std::string() : execution + "/") + name;
                a.type = text(def.value("artifactType", Json::object()), "schemaTitle");
                run.artifacts.push_back(std::move(a));
            }
        }
    }
    m_outputs.apply(run, [this](const std::string &location) { return readLocation(location); });
}

Future<RunGraph> KfpBackend::getRun(const std::string &runId)
{
    return runAsync<RunGraph>(m_pool, [this, runId] { return fetchRun(runId); });
}

Future<RunListPage> KfpBackend::listRuns(const RunQuery &query)
{
    return runAsync<RunListPage>(m_pool, [this, query]() -> Result<RunListPage> {
        auto version = api();
        if (!version.ok())
            return version.error();
        net::Query q = namespaceQuery();
        q.emplace_back("page_size", std::to_string(query.pageSize > 0 ? query.pageSize : 100));
        q.emplace_back("sort_by", "created_at desc");
        if (!query.pageToken.empty())
            q.emplace_back("page_token", query.pageToken);
        std::string experiment;
        if (!query.experiment.empty()) {
            auto id = experimentId(query.experiment, false);
            if (!id.ok())
                return id.error();
            experiment = *id;
        }
        Json predicates = Json::array();
        if (!query.nameContains.empty())
            predicates.push_back({{"key", *version == "v2" ? "display_name" : "name"},
                                  {opKey(*version), "IS_SUBSTRING"},
                                  {"string_value", query.nameContains}});
        // Like the KFP UI's "Active" and "Archive" tabs.
        predicates.push_back({{"key", "storage_state"},
                              {opKey(*version), query.archived ? "EQUALS" : "NOT_EQUALS"},
                              {"string_value", *version == "v2" ? "ARCHIVED" : "STORAGESTATE_ARCHIVED"}});
        if (query.state && *version == "v2")
            predicates.push_back(
                {{"key", "state"}, {"operation", "EQUALS"}, {"string_value", v2StateName(*query.state)}});
        if (!predicates.empty())
            q.emplace_back("filter", filterOf(predicates));
        if (!experiment.empty()) {
            if (*version == "v2") {
                q.emplace_back("experiment_id", experiment);
            } else {
                q.emplace_back("resource_reference_key.type", "EXPERIMENT");
                q.emplace_back("resource_reference_key.id", experiment);
            }
        }
        auto reply = m_kfp->call("GET", "/apis/" + *version + "beta1/runs", q);
        if (!reply.ok())
            return reply.error();
        RunListPage page;
        page.nextPageToken = text(*reply, "next_page_token");
        for (const Json &r : reply->value("runs", Json::array())) {
            RunGraph run = *version == "v2" ? runFromV2(r, m_kfp->endpoint().url)
                                            : runFromV1(Json{{"run", r}}, m_kfp->endpoint().url);
            run.tasks.clear(); // lists carry no tasks
            run.artifacts.clear();
            run.backend = m_name.toStdString();
            run.experiment = experimentName(*version, run.experiment);
            if (query.state && run.state != *query.state)
                continue; // v1 cannot filter by state on the server
            page.runs.push_back(std::move(run));
        }
        return page;
    });
}

Future<std::string> KfpBackend::logs(const std::string &runId, const std::string &taskId)
{
    return runAsync<std::string>(m_pool, [this, runId, taskId]() -> Result<std::string> {
        std::string pod;
        {
            std::lock_guard lock(m_mutex);
            if (auto it = m_last.find(runId); it != m_last.end())
                if (const TaskRecord *t = it->second.findTask(taskId))
                    pod = extraText(t->extra, "podName");
        }
        if (pod.empty()) {
            auto run = fetchRun(runId);
            if (!run.ok())
                return run.error();
            const TaskRecord *t = run->findTask(taskId);
            if (!t)
                return Error{"run " + runId + " has no task '" + taskId + "'", {}};
            pod = extraText(t->extra, "podName");
            if (pod.empty())
                return Error{"task '" + taskId + "' has no pod (yet): it has no log", {}};
        }
        net::Query q{{"podname", pod}, {"runid", runId}};
        if (!m_kfp->endpoint().ns.empty())
            q.emplace_back("podnamespace", m_kfp->endpoint().ns);
        return m_kfp->fetch("GET", "/k8s/pod/logs", q);
    });
}

std::unique_ptr<RunWatch> KfpBackend::watch(const std::string &runId)
{
    return std::make_unique<PollingRunWatch>(
        this, runId, PollingRunWatch::Intervals{m_options.pollMinMs, m_options.pollMaxMs, 1.5});
}

Future<RunState> KfpBackend::cancel(const std::string &runId)
{
    return runAsync<RunState>(m_pool, [this, runId]() -> Result<RunState> {
        auto version = api();
        if (!version.ok())
            return version.error();
        const std::string path = *version == "v2"
                                     ? "/apis/v2beta1/runs/" + net::urlEncode(runId) + ":terminate"
                                     : "/apis/v1beta1/runs/" + net::urlEncode(runId) + "/terminate";
        if (auto r = m_kfp->call("POST", path); !r.ok())
            return r.error();
        return RunState::Cancelling;
    });
}

Future<std::string> KfpBackend::retry(const std::string &runId)
{
    return runAsync<std::string>(m_pool, [this, runId]() -> Result<std::string> {
        auto version = api();
        if (!version.ok())
            return version.error();
        const std::string path = *version == "v2" ? "/apis/v2beta1/runs/" + net::urlEncode(runId) + ":retry"
                                                  : "/apis/v1beta1/runs/" + net::urlEncode(runId) + "/retry";
        if (auto r = m_kfp->call("POST", path); !r.ok())
            return r.error();
        return runId; // KFP retries in the same run
    });
}

Future<RunRequest> KfpBackend::runRequest(const std::string &runId)
{
    return runAsync<RunRequest>(m_pool, [this, runId]() -> Result<RunRequest> {
        auto version = api();
        if (!version.ok())
            return version.error();
        if (*version != "v2")
            return Error{
                "a KFP v1 run keeps only its Argo workflow; it cannot be cloned into a pipeline here", {}};
        auto run = m_kfp->call("GET", "/apis/v2beta1/runs/" + net::urlEncode(runId));
        if (!run.ok())
            return run.error();
        Json spec = run->value("pipeline_spec", Json::object());
        if (spec.contains("pipeline_spec"))
            spec = spec["pipeline_spec"]; // platform spec: not needed to run again with the same settings
        if (!spec.is_object() || spec.empty())
            return Error{
                "run " + runId + " was started from an uploaded pipeline version; clone it from that", {}};
        auto ir = ir::readPipelineSpec(spec.dump(), "run " + runId);
        if (!ir.ok())
            return ir.error();
        RunRequest request;
        request.spec = std::move(ir).value();
        const Json parameters =
            run->value("runtime_config", Json::object()).value("parameters", Json::object());
        for (const auto &[k, v] : parameters.items())
            request.parameters[k] = v;
        request.pipelineRoot = text(run->value("runtime_config", Json::object()), "pipeline_root");
        request.serviceAccount = text(*run, "service_account");
        request.options["experimentId"] = text(*run, "experiment_id");
        return request;
    });
}

Future<Done> KfpBackend::callForDone(const char *method,
                                     std::function<std::string(const std::string &version)> path)
{
    return runAsync<Done>(m_pool, [this, method, path = std::move(path)]() -> Result<Done> {
        auto version = api();
        if (!version.ok())
            return version.error();
        if (auto r = m_kfp->call(method, path(*version)); !r.ok())
            return r.error();
        return Done{};
    });
}

Future<Done> KfpBackend::deleteRun(const std::string &runId)
{
    return callForDone("DELETE", [runId](const std::string &version) {
        return "/apis/" + version + "beta1/runs/" + net::urlEncode(runId);
    });
}

Future<std::string> KfpBackend::readArtifact(const std::string &, const ArtifactRecord &artifact)
{
    return runAsync<std::string>(m_pool, [this, artifact]() -> Result<std::string> {
        auto q = artifactQuery(artifact.uri);
        if (!q.ok())
            return q.error();
        if (!m_kfp->endpoint().ns.empty())
            q->emplace_back("namespace", m_kfp->endpoint().ns);
        return m_kfp->fetch("GET", "/artifacts/get", *q);
    });
}

Result<std::string> KfpBackend::experimentId(const std::string &name, bool create)
{
    auto version = api();
    if (!version.ok())
        return version.error();
    const std::string base = "/apis/" + *version + "beta1/experiments";
    const char *nameKey = *version == "v2" ? "display_name" : "name";
    const char *idKey = *version == "v2" ? "experiment_id" : "id";
    net::Query q = namespaceQuery();
    if (*version == "v1" && !m_kfp->endpoint().ns.empty()) {
        q = {{"resource_reference_key.type", "NAMESPACE"},
             {"resource_reference_key.id", m_kfp->endpoint().ns}};
    }
    q.emplace_back("filter", filterOf(Json::array(
                                 {{{"key", nameKey}, {opKey(*version), "EQUALS"}, {"string_value", name}}})));
    auto found = m_kfp->call("GET", base, q);
    if (!found.ok())
        return found.error();
    for (const Json &e : found->value("experiments", Json::array()))
        if (text(e, nameKey) == name)
            return text(e, idKey);
    if (!create)
        return Error{"no experiment named '" + name + "' on " + m_kfp->endpoint().url, {}};
    Json body = {{nameKey, name}};
    if (!m_kfp->endpoint().ns.empty()) {
        if (*version == "v2")
            body["namespace"] = m_kfp->endpoint().ns;
        else
            body["resource_references"] =
                Json::array({{{"key", {{"type", "NAMESPACE"}, {"id", m_kfp->endpoint().ns}}},
                              {"relationship", "OWNER"}}});
    }
    auto made = m_kfp->call("POST", base, {}, &body);
    if (!made.ok())
        return made.error();
    return text(*made, idKey);
}

Future<std::vector<Experiment>> KfpBackend::listExperiments()
{
    return runAsync<std::vector<Experiment>>(m_pool, [this]() -> Result<std::vector<Experiment>> {
        auto version = api();
        if (!version.ok())
            return version.error();
        auto all = listAll("/apis/" + *version + "beta1/experiments", namespaceQuery(), "experiments");
        if (!all.ok())
            return all.error();
        std::vector<Experiment> out;
        for (const Json &e : *all) {
            Experiment x;
            x.id = text(e, *version == "v2" ? "experiment_id" : "id");
            x.name = text(e, *version == "v2" ? "display_name" : "name");
            x.description = text(e, "description");
            x.createdMs = epochMsFromRfc3339(text(e, "created_at"));
            x.archived = text(e, "storage_state").find("ARCHIVED") != std::string::npos;
            out.push_back(std::move(x));
        }
        return out;
    });
}

} // namespace pw::kfp
