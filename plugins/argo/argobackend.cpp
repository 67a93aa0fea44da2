// SPDX-License-Identifier: Apache-2.0
#include "argobackend.h"

#include "archive.h"
#include "argonodes.h"
#include "argorunwatch.h"
#include "jsonfields.h"
#include "runs/asyncwork.h"
#include "targets/argowriter.h"

#include <QByteArray>

#include <algorithm>
#include <cctype>

namespace pw::argo {

namespace {

using Json = nlohmann::json;

constexpr const char *kPhaseLabel = "workflows.argoproj.io/phase";
constexpr const char *kCronLabel = "workflows.argoproj.io/cron-workflow";

// A terminated (or stopped) workflow goes on Running until its pods are
// gone, then ends Failed, its stopped nodes Failed with "Stopped with
// strategy 'Terminate'"; spec.shutdown says someone asked for it.
void applyShutdown(RunGraph &run, const Json &workflow)
{
    if (text(member(workflow, "spec"), "shutdown").empty())
        return;
    if (run.state == RunState::Running || run.state == RunState::Pending)
        run.state = RunState::Cancelling;
    else if (run.state == RunState::Failed)
        run.state = RunState::Cancelled;
    for (TaskRecord &t : run.tasks)
        if (t.state == TaskState::Failed && t.message.rfind("Stopped with strategy", 0) == 0)
            t.state = TaskState::Cancelled;
}

// What the backend's list shows of a workflow, and its get, as a RunGraph.
RunGraph runOf(const Json &workflow, const std::string &url, const std::string &ns)
{
    const Json &meta = member(workflow, "metadata");
    RunGraph run;
    run.id = text(meta, "name");
    const Json &annotations = member(meta, "annotations");
    const Json &labels = member(meta, "labels");
    run.name = text(annotations, "pipelines.kubeflow.org/run_name");
    if (run.name.empty())
        run.name = run.id;
    run.pipelineName = text(annotations, kPipelineNameAnnotation);
    if (run.pipelineName.empty())
        run.pipelineName = text(labels, kPipelineLabel);
    if (run.pipelineName.empty())
        run.pipelineName = text(meta, "generateName");
    while (!run.pipelineName.empty() && run.pipelineName.back() == '-')
        run.pipelineName.pop_back();
    run.createdMs = epochMsFromRfc3339(text(meta, "creationTimestamp"));
    run.webUrl = url + "/workflows/" + ns + "/" + run.id;
    for (const auto &p :
         member(workflow, "spec").value("arguments", Json::object()).value("parameters", Json::array()))
        if (p.is_object())
            run.parameters[text(p, "name")] = p.value("value", Json());
    run.extra = {{"uid", text(meta, "uid")}, {"namespace", ns}};
    if (const std::string cron = text(labels, kCronLabel); !cron.empty())
        run.extra["schedule"] = cron; // started by that CronWorkflow
    applyArgoWorkflow(run, workflow);
    applyShutdown(run, workflow);
    return run;
}

// Which workflows a state filter asks the server for: a label selector on
// the phase label (empty: all), or nothing when no workflow can be in that
// state. A workflow the controller has not seen yet has no phase label, so
// Pending is "none of the later phases" (a missing label satisfies notin).
// The rest (Cancelled among Failed, Cancelling among Running) is told apart
// from what the list shows.
std::optional<std::string> phaseSelector(const std::optional<RunState> &state)
{
    if (!state)
        return std::string();
    const std::string key = kPhaseLabel;
    switch (*state) {
    case RunState::Pending:
        return key + " notin (Running,Succeeded,Failed,Error)";
    case RunState::Running:
    case RunState::Cancelling:
        return key + "=Running";
    case RunState::Succeeded:
        return key + "=Succeeded";
    case RunState::Failed:
    case RunState::Cancelled:
        return key + " in (Failed,Error)";
    default:
        return std::nullopt;
    }
}

// Where a list goes on: the server's continue token, and the runs already
// listed from the page it names (a page of ours can end within one of the
// server's). Opaque to callers: "pw1:" + base64url of {c, t}; a bare
// continue token is the start of a server page.
struct ListCursor {
    std::string serverContinue;
    std::vector<std::string> taken;

    static Result<ListCursor> parse(const std::string &token)
    {
        if (token.rfind("pw1:", 0) != 0)
            return ListCursor{token, {}};
        const QByteArray raw =
            QByteArray::fromBase64(QByteArray::fromStdString(token.substr(4)),
                                   QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
        const Json j = Json::parse(raw.toStdString(), nullptr, false);
        if (!j.is_object() || !j.contains("c") || !j["c"].is_string() || !j.contains("t") ||
            !j["t"].is_array())
            return Error{"the page token was not made by this backend's list", {}};
        ListCursor cursor{j["c"].get<std::string>(), {}};
        for (const Json &id : j["t"])
            if (id.is_string())
                cursor.taken.push_back(id.get<std::string>());
        return cursor;
    }

    std::string token() const
    {
        if (taken.empty())
            return serverContinue;
        const Json j = {{"c", serverContinue}, {"t", taken}};
        return "pw1:" + QByteArray::fromStdString(j.dump())
                            .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)
                            .toStdString();
    }
};

} // namespace

std::string labelValue(std::string_view text)
{
    const auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
    std::string out;
    for (char c : text)
        out += alnum(c) || c == '.' || c == '_' || c == '-' ? c : '-';
    out.erase(out.begin(), std::find_if(out.begin(), out.end(), alnum));
    if (out.size() > 63)
        out.resize(63);
    while (!out.empty() && !alnum(out.back()))
        out.pop_back();
    return out.empty() ? std::string("pipeline") : out;
}

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

ArgoBackend::~ArgoBackend()
{
    m_pool.waitForDone();
}

Capabilities ArgoBackend::capabilities() const
{
    return Capability::Cancel | Capability::Retry | Capability::LogsFollow | Capability::Artifacts |
           Capability::Schedules | Capability::Delete | Capability::ServiceAccount | Capability::Resubmit;
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
    workflow["metadata"]["labels"][kPipelineLabel] = labelValue(pipeline);
    workflow["metadata"]["annotations"][kPipelineNameAnnotation] = pipeline;
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
        return submitted(*made);
    });
}

SubmittedRun ArgoBackend::submitted(const Json &workflow) const
{
    const std::string name = text(member(workflow, "metadata"), "name");
    return SubmittedRun{name, m_argo->endpoint().url + "/workflows/" + m_argo->endpoint().ns + "/" + name};
}

Future<SubmittedRun> ArgoBackend::resubmit(const std::string &runId)
{
    return runAsync<SubmittedRun>(m_pool, [this, runId]() -> Result<SubmittedRun> {
        // As `argo resubmit`: a new workflow from the old one's spec and
        // parameters, nothing memoized.
        const Json body = {{"name", runId}, {"namespace", m_argo->endpoint().ns}, {"memoized", false}};
        auto made = m_argo->call("PUT", path("workflows", runId) + "/resubmit", {}, &body);
        if (!made.ok())
            return made.error();
        return submitted(*made);
    });
}

Future<RunListPage> ArgoBackend::listRuns(const RunQuery &query)
{
    return runAsync<RunListPage>(m_pool, [this, query] { return listPage(query); });
}

// The server pages by its own order; the name and the finer state are
// matched here, so a page of ours is filled from as many of the server's
// pages as it takes (each asked with the same limit, as continue tokens
// require), and may end within one of them.
Result<RunListPage> ArgoBackend::listPage(const RunQuery &query)
{
    const auto selector = phaseSelector(query.state);
    if (!selector)
        return RunListPage{}; // no workflow is ever in that state
    auto cursor = ListCursor::parse(query.pageToken);
    if (!cursor.ok())
        return cursor.error();
    const std::size_t want = query.pageSize > 0 ? static_cast<std::size_t>(query.pageSize) : 100;
    const auto wanted = [&](const RunGraph &run) {
        return (query.nameContains.empty() || run.name.find(query.nameContains) != std::string::npos) &&
               (!query.state || run.state == *query.state);
    };
    RunListPage page;
    for (;;) {
        net::Query q{{"listOptions.limit", std::to_string(want)}};
        if (!cursor->serverContinue.empty())
            q.emplace_back("listOptions.continue", cursor->serverContinue);
        if (!selector->empty())
            q.emplace_back("listOptions.labelSelector", *selector);
        // Leave the nodes out of a list: a page of big workflows is otherwise megabytes.
        q.emplace_back("fields", "metadata.continue,items.metadata,items.spec.arguments,items.spec.shutdown,"
                                 "items.status.phase,items.status.startedAt,items.status.finishedAt,"
                                 "items.status.message");
        auto reply = m_argo->call("GET", path("workflows"), q);
        if (!reply.ok())
            return reply.error();
        const Json items = reply->value("items", Json::array());
        ListCursor here = *cursor;
        bool more = false; // a wanted run of this server page did not fit
        for (const Json &wf : items.is_array() ? items : Json::array()) {
            RunGraph run = runOf(wf, m_argo->endpoint().url, m_argo->endpoint().ns);
            if (!wanted(run) || std::find(here.taken.begin(), here.taken.end(), run.id) != here.taken.end())
                continue;
            if (page.runs.size() == want) {
                more = true;
                break;
            }
            run.tasks.clear();
            run.artifacts.clear();
            run.backend = m_name.toStdString();
            here.taken.push_back(run.id);
            page.runs.push_back(std::move(run));
        }
        const std::string next = text(member(*reply, "metadata"), "continue");
        if (more) {
            page.nextPageToken = here.token(); // this server page again, without what was listed
            break;
        }
        if (next.empty())
            break; // the end of the list
        cursor = ListCursor{next, {}};
        if (page.runs.size() == want) {
            page.nextPageToken = next;
            break;
        }
    }
    std::stable_sort(page.runs.begin(), page.runs.end(),
                     [](const RunGraph &a, const RunGraph &b) { return a.createdMs > b.createdMs; });
    return page;
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
        auto bytes =
            m_argo->fetch("GET", "/artifact-files/" + net::urlEncode(m_argo->endpoint().ns) + "/workflows/" +
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
        return podLog(runId, pod);
    });
}

namespace {

// The main container's log of one pod (the task's own output), with the
// kubelet's timestamps.
net::Query podLogQuery(const std::string &pod, bool follow)
{
    net::Query q{{"podName", pod}, {"logOptions.container", "main"}};
    if (follow)
        q.emplace_back("logOptions.follow", "true");
    q.emplace_back("logOptions.timestamps", "true");
    return q;
}

} // namespace

Result<std::string> ArgoBackend::podLog(const std::string &runId, const std::string &pod)
{
    auto body = m_argo->fetch("GET", path("workflows", runId) + "/log", podLogQuery(pod, false));
    if (!body.ok())
        return body.error();
    std::string out;
    for (const std::string &line : argoLogLines(*body))
        out += line + "\n";
    return out;
}

Result<bool> ArgoBackend::followPodLog(const std::string &runId, const std::string &pod,
                                       const std::function<bool()> &stop,
                                       const std::function<void(std::string)> &onLine)
{
    std::string pending;
    return m_argo->stream(
        path("workflows", runId) + "/log", podLogQuery(pod, true), "text/event-stream",
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
        // terminate: stop now; stop (the `cancel: stop` setting) lets exit
        // handlers run first, as `argo stop` does.
        const Json body = {{"name", runId}, {"namespace", m_argo->endpoint().ns}};
        auto r = m_argo->call("PUT", path("workflows", runId) + (m_options.stop ? "/stop" : "/terminate"), {},
                              &body);
        if (r.ok())
            return RunState::Cancelling;
        // Argo refuses to shut down a workflow that has completed (400 "cannot
        // shutdown a completed workflow"): nothing is left to cancel, and the
        // answer is the state it ended in.
        if (auto run = fetchRun(runId); run.ok() && isTerminal(run->state))
            return run->state;
        return r.error();
    });
}

Future<std::string> ArgoBackend::retry(const std::string &runId)
{
    return runAsync<std::string>(m_pool, [this, runId]() -> Result<std::string> {
        // Only what failed runs again (restartSuccessful false).
        const Json body = {
            {"name", runId}, {"namespace", m_argo->endpoint().ns}, {"restartSuccessful", false}};
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
        auto bytes =
            m_argo->fetch("GET", "/artifact-files/" + net::urlEncode(m_argo->endpoint().ns) + "/workflows/" +
                                     net::urlEncode(runId) + "/" + net::urlEncode(nodeId) + "/outputs/" +
                                     net::urlEncode(artifact.name));
        if (!bytes.ok())
            return bytes.error();
        return unpackArtifact(*bytes);
    });
}

} // namespace pw::argo
