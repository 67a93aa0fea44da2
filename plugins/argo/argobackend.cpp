// SPDX-License-Identifier: Apache-2.0
#include "argobackend.h"

#include "archive.h"
#include "argonodes.h"
#include "argorunwatch.h"
#include "jsonfields.h"
#include "runs/asyncwork.h"
#include "targets/argowriter.h"

namespace pw::argo {

namespace {

using Json = nlohmann::json;

// What the backend's list shows of a workflow, and its get, as a RunGraph.
RunGraph runOf(const Json &workflow, const std::string &url, const std::string &ns)
{
    const Json &meta = member(workflow, "metadata");
    RunGraph run;
    run.id = text(meta, "name");
    const Json &annotations = member(meta, "annotations");
    run.name = text(annotations, "pipelines.kubeflow.org/run_name");
    if (run.name.empty())
        run.name = run.id;
    run.pipelineName = text(member(meta, "labels"), "pipelines.kubeflow.org/pipeline");
    if (run.pipelineName.empty())
        run.pipelineName = text(meta, "generateName");
    while (!run.pipelineName.empty() && run.pipelineName.back() == '-')
        run.pipelineName.pop_back();
    run.createdMs = epochMsFromRfc3339(text(meta, "creationTimestamp"));
    run.webUrl = url + "/workflows/" + ns + "/" + run.id;
    for (const auto &p : member(workflow, "spec").value("arguments", Json::object()).value("parameters", Json::array()))
        if (p.is_object())
            run.parameters[text(p, "name")] = p.value("value", Json());
    run.extra = {{"uid", text(meta, "uid")}, {"namespace", ns}};
    applyArgoWorkflow(run, workflow);
    return run;
}

} // namespace

std::vector<std::string> argoLogLines(std::string_view body)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t nl = body.find('\n', start);
        if (nl == std::string_view::npos)
            nl = body.size();
        std::string_view line = body.substr(start, nl - start);
        start = nl + 1;
        if (line.rfind("data:", 0) == 0)
            line.remove_prefix(5); // server-sent events
        while (!line.empty() && (line.front() == ' ' || line.back() == '\r'))
            line.front() == ' ' ? line.remove_prefix(1) : line.remove_suffix(1);
        if (line.empty() || line.front() != '{')
            continue;
        const Json entry = Json::parse(line, nullptr, false);
        const std::string content = text(member(entry, "result"), "content");
        if (!entry.is_object() || (!entry.contains("result")))
            continue;
        // With logOptions.timestamps: "2024-06-03T04:05:06.789Z text".
        const auto space = content.find(' ');
        if (space != std::string::npos && space >= 20 && epochMsFromRfc3339(content.substr(0, space)) > 0)
            lines.push_back(content.substr(0, space) + " out " + content.substr(space + 1));
        else
            lines.push_back(content);
    }
    return lines;
}

ArgoBackend::ArgoBackend(QString name, std::shared_ptr<net::RestConnection> connection, ArgoOptions options)
    : m_name(std::move(name)), m_argo(std::move(connection)), m_options(std::move(options))
{
    m_pool.setMaxThreadCount(4);
}

ArgoBackend::~ArgoBackend() { m_pool.waitForDone(); }

Capabilities ArgoBackend::capabilities() const
{
    return Capability::Cancel | Capability::Retry | Capability::LogsFollow | Capability::Artifacts |
           Capability::Schedules | Capability::Delete | Capability::ServiceAccount;
}

std::string ArgoBackend::path(const std::string &kind, const std::string &name) const
{
    std::string p = "/api/v1/";
    p += kind;
    p += '/';
    p += net::urlEncode(m_argo->endpoint().ns);
    if (!name.empty()) {
        p += '/';
        p += net::urlEncode(name);
    }
    return p;
}

Result<std::string> ArgoBackend::serverVersion()
{
    {
        std::lock_guard lock(m_mutex);
        if (m_version)
            return *m_version;
    }
    auto v = m_argo->call("GET", "/api/v1/version");
    if (!v.ok())
        return v.error();
    std::lock_guard lock(m_mutex);
    m_version = text(*v, "version");
    return *m_version;
}

Future<ServerInfo> ArgoBackend::probe()
{
    return runAsync<ServerInfo>(m_pool, [this]() -> Result<ServerInfo> {
        auto version = serverVersion();
        if (!version.ok())
            return version.error();
        // The namespace must be readable too, or every other call fails.
        auto list = m_argo->call("GET", path("workflows"), {{"listOptions.limit", "1"}});
        if (!list.ok())
            return list.error();
        return ServerInfo{"Argo " + *version, "v1", "namespace " + m_argo->endpoint().ns};
    });
}

Result<Json> ArgoBackend::workflowFor(const RunRequest &request)
{
    ArgoOptions options = m_options;
    pw::ArgoOptions argo;
    const std::string sa = request.serviceAccount.empty() ? options.serviceAccount : request.serviceAccount;
    if (!sa.empty())
        argo.serviceAccount = sa;
    for (const auto &[name, value] : request.parameters)
        argo.parameterValues[name] = value.is_string() ? value.get<std::string>() : value.dump();
    auto wf = argoWorkflow(request.spec, argo);
    if (!wf.ok())
        return wf.error();
    Json workflow = std::move(wf).value();
    workflow["metadata"]["namespace"] = m_argo->endpoint().ns;
    const std::string pipeline = request.spec.pipelineName.empty() ? "pipeline" : request.spec.pipelineName;
    workflow["metadata"]["labels"]["pipelines.kubeflow.org/pipeline"] = pipeline;
    workflow["metadata"]["labels"]["pipewright.dev/submitted"] = "true";
    if (!request.runName.empty())
        workflow["metadata"]["annotations"]["pipelines.kubeflow.org/run_name"] = request.runName;
    if (!request.cache) // KFP v1's cache webhook reads this label; plain Argo has no cache to skip
        workflow["metadata"]["labels"]["pipelines.kubeflow.org/cache_enabled"] = "false";
    return workflow;
}

Future<SubmittedRun> ArgoBackend::submit(const RunRequest &request)
{
    return runAsync<SubmittedRun>(m_pool, [this, request]() -> Result<SubmittedRun> {
        auto workflow = workflowFor(request);
        if (!workflow.ok())
            return workflow.error();
        if (m_options.lint || request.options.value("lint", false)) {
            const Json lint = {{"namespace", m_argo->endpoint().ns}, {"workflow", *workflow}};
            if (auto r = m_argo->call("POST", path("workflows") + "/lint", {}, &lint); !r.ok())
                return Error{"the Argo server's lint refused the workflow: " + r.error().message, {}};
        }
        const Json body = {{"namespace", m_argo->endpoint().ns}, {"workflow", *workflow}};
        auto made = m_argo->call("POST", path("workflows"), {}, &body);
        if (!made.ok())
            return made.error();
        const std::string name = text(member(*made, "metadata"), "name");
        return SubmittedRun{name, m_argo->endpoint().url + "/workflows/" + m_argo->endpoint().ns + "/" + name};
    });
}

Future<RunListPage> ArgoBackend::listRuns(const RunQuery &query)
{
    return runAsync<RunListPage>(m_pool, [this, query]() -> Result<RunListPage> {
        net::Query q{{"listOptions.limit", std::to_string(query.pageSize > 0 ? query.pageSize : 100)}};
        if (!query.pageToken.empty())
            q.emplace_back("listOptions.continue", query.pageToken);
        std::string selector;
        if (query.state) {
            static const std::pair<RunState, const char *> kPhases[] = {
                {RunState::Pending, "Pending"}, {RunState::Running, "Running"}, {RunState::Succeeded, "Succeeded"},
                {RunState::Failed, "Failed"}};
            for (const auto &[state, phase] : kPhases)
                if (state == *query.state)
                    selector = std::string("workflows.argoproj.io/phase=") + phase;
        }
        if (!selector.empty())
            q.emplace_back("listOptions.labelSelector", selector);
        // Leave the nodes out of a list: a page of big workflows is otherwise megabytes.
        q.emplace_back("fields", "metadata.continue,items.metadata,items.spec.arguments,items.status.phase,"
                                 "items.status.startedAt,items.status.finishedAt,items.status.message");
        auto reply = m_argo->call("GET", path("workflows"), q);
        if (!reply.ok())
            return reply.error();
        RunListPage page;
        page.nextPageToken = text(member(*reply, "metadata"), "continue");
        const Json items = reply->value("items", Json::array());
        for (const Json &wf : items.is_array() ? items : Json::array()) {
            RunGraph run = runOf(wf, m_argo->endpoint().url, m_argo->endpoint().ns);
            run.tasks.clear();
            run.artifacts.clear();
            run.backend = m_name.toStdString();
            if (!query.nameContains.empty() && run.name.find(query.nameContains) == std::string::npos)
                continue;
            page.runs.push_back(std::move(run));
        }
        std::stable_sort(page.runs.begin(), page.runs.end(),
                         [](const RunGraph &a, const RunGraph &b) { return a.createdMs > b.createdMs; });
        return page;
    });
}

Result<RunGraph> ArgoBackend::fetchRun(const std::string &runId)
{
    auto reply = m_argo->call("GET", path("workflows", runId));
    if (!reply.ok())
        return reply.error();
    RunGraph run = runOf(*reply, m_argo->endpoint().url, m_argo->endpoint().ns);
    run.backend = m_name.toStdString();
    addOutputs(run);
    std::lock_guard lock(m_mutex);
    m_last[runId] = run;
    return run;
}

void ArgoBackend::addOutputs(RunGraph &run)
{
    const std::string runId = run.id;
    // The server hands out a node's output artifacts by name.
    const auto locate = [](const RunGraph &r, const ArtifactRecord &a) {
        const TaskRecord *t = r.task(a.task);
        return "argo-artifact:" + (t ? extraText(t->extra, "argoNode") : std::string()) + "/" + a.name;
    };
    const auto read = [this, runId](const std::string &location) -> std::optional<std::string> {
        if (location.rfind("argo-artifact:", 0) != 0)
            return std::nullopt; // a source outside the workflow: not reachable through the server
        const std::string rest = location.substr(14);
        const auto slash = rest.find('/');
        auto bytes = m_argo->fetch("GET", "/artifact-files/" + net::urlEncode(m_argo->endpoint().ns) + "/workflows/" +
                                              net::urlEncode(runId) + "/" + net::urlEncode(rest.substr(0, slash)) +
                                              "/outputs/" + net::urlEncode(rest.substr(slash + 1)));
        if (!bytes.ok())
            return std::nullopt;
        auto file = unpackArtifact(*bytes);
        return file.ok() ? std::optional<std::string>(std::move(file).value()) : std::nullopt;
    };
    m_outputs.apply(run, read, locate);
}

Future<RunGraph> ArgoBackend::getRun(const std::string &runId)
{
    return runAsync<RunGraph>(m_pool, [this, runId] { return fetchRun(runId); });
}

Future<std::string> ArgoBackend::logs(const std::string &runId, const std::string &taskId)
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
                return Error{"workflow " + runId + " has no task '" + taskId + "'", {}};
            pod = extraText(t->extra, "podName");
            if (pod.empty())
                return Error{"task '" + taskId + "' has no pod (yet): it has no log", {}};
        }
        auto body = m_argo->fetch("GET", path("workflows", runId) + "/log",
                                  {{"podName", pod}, {"logOptions.container", "main"}, {"logOptions.timestamps", "true"}});
        if (!body.ok())
            return body.error();
        std::string out;
        for (const std::string &line : argoLogLines(*body))
            out += line + "\n";
        return out;
    });
}

Result<bool> ArgoBackend::followPodLog(const std::string &runId, const std::string &pod,
                                       const std::function<bool()> &stop,
                                       const std::function<void(std::string)> &onLine)
{
    std::string pending;
    return m_argo->stream(
        path("workflows", runId) + "/log",
        {{"podName", pod}, {"logOptions.container", "main"}, {"logOptions.follow", "true"},
         {"logOptions.timestamps", "true"}},
        "text/event-stream",
        [&](std::string_view chunk) {
            pending.append(chunk);
            // Server-sent events end with a blank line; hand on whole events.
            for (std::size_t end; (end = pending.find("\n\n")) != std::string::npos;) {
                for (std::string &line : argoLogLines(std::string_view(pending).substr(0, end)))
                    onLine(std::move(line));
                pending.erase(0, end + 2);
            }
            return !stop();
        },
        stop);
}

std::unique_ptr<RunWatch> ArgoBackend::watch(const std::string &runId)
{
    return std::make_unique<ArgoRunWatch>(this, runId, m_options.pollMinMs, m_options.pollMaxMs);
}

Future<RunState> ArgoBackend::cancel(const std::string &runId)
{
    return runAsync<RunState>(m_pool, [this, runId]() -> Result<RunState> {
        // terminate: stop now (stop would let exit handlers run first, as `argo stop` does).
        const Json body = {{"name", runId}, {"namespace", m_argo->endpoint().ns}};
        if (auto r = m_argo->call("PUT", path("workflows", runId) + "/terminate", {}, &body); !r.ok())
            return r.error();
        return RunState::Cancelling;
    });
}

Future<std::string> ArgoBackend::retry(const std::string &runId)
{
    return runAsync<std::string>(m_pool, [this, runId]() -> Result<std::string> {
        // Only what failed runs again (restartSuccessful false).
        const Json body = {{"name", runId}, {"namespace", m_argo->endpoint().ns}, {"restartSuccessful", false}};
        if (auto r = m_argo->call("PUT", path("workflows", runId) + "/retry", {}, &body); !r.ok())
            return r.error();
        return runId;
    });
}

Future<Done> ArgoBackend::deleteRun(const std::string &runId)
{
    return runAsync<Done>(m_pool, [this, runId]() -> Result<Done> {
        if (auto r = m_argo->call("DELETE", path("workflows", runId)); !r.ok())
            return r.error();
        return Done{};
    });
}

Future<std::string> ArgoBackend::readArtifact(const std::string &runId, const ArtifactRecord &artifact)
{
    return runAsync<std::string>(m_pool, [this, runId, artifact]() -> Result<std::string> {
        const std::string node = extraText(artifact.extra, "argoNode");
        std::string nodeId = node;
        if (nodeId.empty()) {
            std::lock_guard lock(m_mutex);
            if (auto it = m_last.find(runId); it != m_last.end())
                if (const TaskRecord *t = it->second.task(artifact.task))
                    nodeId = extraText(t->extra, "argoNode");
        }
        if (nodeId.empty())
            return Error{"no Argo node for task " + artifact.task, {}};
        auto bytes = m_argo->fetch("GET", "/artifact-files/" + net::urlEncode(m_argo->endpoint().ns) + "/workflows/" +
                                              net::urlEncode(runId) + "/" + net::urlEncode(nodeId) + "/outputs/" +
                                              net::urlEncode(artifact.name));
        if (!bytes.ok())
            return bytes.error();
        return unpackArtifact(*bytes);
    });
}

} // namespace pw::argo
