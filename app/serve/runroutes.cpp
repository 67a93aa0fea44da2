// SPDX-License-Identifier: Apache-2.0
// The run endpoints: start, list, show, cancel, retry, rerun, artifacts.
#include "apiservice.h"

#include "httpexchange.h"
#include "runjson.h"

#include "report/runreport.h"
#include "report/visualizationrenderer.h"
#include "runs/await.h"
#include "runs/runservice.h"

#include <QFileInfo>

namespace pw::serve {

namespace {

void backendError(HttpExchange *e, const Error &error, int status = 502)
{
    e->respondError(status, status == 409 ? "conflict" : "backend_error", error.message);
}

// What a client may name as an artifact's type of content; anything else
// (HTML above all: it would run in this origin) is sent as bytes to download.
std::string artifactContentType(const std::string &name, const std::string &bytes)
{
    const auto ends = [&](const char *suffix) {
        const std::string s = suffix;
        return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
    };
    if (ends(".json"))
        return "application/json";
    if (ends(".png"))
        return "image/png";
    if (ends(".csv"))
        return "text/csv; charset=utf-8";
    const bool text = bytes.find('\0') == std::string::npos;
    return text && !ends(".html") && !ends(".htm") && !ends(".svg") ? "text/plain; charset=utf-8"
                                                                    : "application/octet-stream";
}

// A local artifact must be a file of its own run (not a link a task left
// pointing elsewhere on the machine).
bool insideRun(const RunGraph &run, const ArtifactRecord &a)
{
    const std::string path = extraText(a.extra, "path");
    const std::string runDir = extraText(run.extra, "runDir");
    if (path.empty() || runDir.empty())
        return true; // a remote backend's artifact: its server says what it is
    const QString real = QFileInfo(QString::fromStdString(path)).canonicalFilePath();
    const QString root = QFileInfo(QString::fromStdString(runDir)).canonicalFilePath();
    return !real.isEmpty() && !root.isEmpty() && real.startsWith(root + '/');
}

} // namespace

void ApiService::createRun(HttpExchange *e)
{
    const auto body = nlohmann::json::parse(e->request().body.toStdString(), nullptr, false);
    if (body.is_discarded() || !body.is_object())
        return e->respondError(400, "invalid_json", "the body must be a JSON object");
    auto text = [&](const char *key) -> std::optional<std::string> {
        if (!body.contains(key) || body[key].is_null())
            return std::string();
        if (!body[key].is_string())
            return std::nullopt;
        return body[key].get<std::string>();
    };
    for (const char *key : {"pipeline", "backend", "name"})
        if (!text(key))
            return e->respondError(400, "invalid_field", std::string("'") + key + "' must be a string", key);
    for (const auto &[key, value] : body.items())
        if (key != "pipeline" && key != "parameters" && key != "backend" && key != "name" && key != "cache")
            return e->respondError(400, "invalid_field", "unknown field '" + key + "'", key);
    const std::string name = *text("pipeline");
    if (name.empty())
        return e->respondError(400, "invalid_field", "'pipeline' names the pipeline to run", "pipeline");
    RunSettings settings;
    if (body.contains("parameters")) {
        if (!body["parameters"].is_object())
            return e->respondError(400, "invalid_field", "'parameters' must be an object", "parameters");
        for (const auto &[key, value] : body["parameters"].items()) {
            if (value.is_null())
                return e->respondError(400, "invalid_parameter", "parameter '" + key + "' has no value",
                                       "parameters." + key);
            // Typed by the parameter exactly as `run --param NAME=VALUE` types it.
            settings.parameters[key] = value.is_string() ? value.get<std::string>() : value.dump();
        }
    }
    settings.runName = *text("name");
    if (body.contains("cache")) {
        if (!body["cache"].is_boolean())
            return e->respondError(400, "invalid_field", "'cache' must be true or false", "cache");
        settings.cache = body["cache"].get<bool>(); // false: every task runs, as `run --no-cache`
    }
    auto entry = m_catalog.find(name);
    if (!entry)
        return e->respondError(404, "not_found", "no pipeline named '" + name + "'", "pipeline");
    Backend *backend = backendFor(e, *text("backend"));
    if (!backend)
        return;
    if (backend->kind() == "local")
        settings.options["runtime"] = "process";
    auto pipeline = m_catalog.load(*entry);
    if (!pipeline.ok())
        return e->respondError(422, "invalid_pipeline", pipeline.error().message, "pipeline");
    // The engine would refuse these only once submitted; a client is told at once.
    for (const PortSpec &input : pipeline->inputs)
        if (input.type.isParameter() && !input.defaultValue && !input.optional &&
            !settings.parameters.count(input.name))
            return e->respondError(400, "invalid_parameter", "parameter '" + input.name + "' needs a value",
                                   "parameters." + input.name);
    std::vector<Problem> problems;
    auto request = RunService::prepare(*pipeline, settings, &problems);
    if (!request.ok()) {
        Error error = request.error();
        for (const Problem &p : problems)
            if (p.severity == Problem::Severity::Error) {
                error = Error{p.message, p.where};
                break;
            }
        const std::string &message = error.message;
        // A value that does not fit is located at "--param NAME", as on the command line.
        const std::string field = error.where.field.rfind("--param ", 0) == 0
                                      ? "parameters." + error.where.field.substr(8)
                                      : "pipeline";
        return e->respondError(400, field == "pipeline" ? "invalid_pipeline" : "invalid_parameter", message,
                               field);
    }
    const std::string backendName = backend->name().toStdString();
    whenReady(backend->submit(*request), e, [e, backendName, name](Result<SubmittedRun> run) {
        if (!run.ok())
            return backendError(e, run.error());
        nlohmann::json j = {{"id", run->id}, {"backend", backendName}, {"pipeline", name}};
        if (!run->webUrl.empty())
            j["webUrl"] = run->webUrl;
        e->respond(201, "application/json", QByteArray::fromStdString(j.dump() + "\n"),
                   {{"Location", "/api/v1/runs/" + run->id + "?backend=" + backendName}});
    });
}

void ApiService::listRuns(HttpExchange *e)
{
    const HttpRequest &r = e->request();
    RunQuery query;
    if (const std::string state = r.queryValue("state"); !state.empty()) {
        query.state = runStateFromString(state);
        if (!query.state)
            return e->respondError(400, "invalid_field", "unknown state '" + state + "'", "state");
    }
    Backend *backend = backendFor(e, r.queryValue("backend"));
    if (!backend)
        return;
    const std::string pipeline = r.queryValue("pipeline");
    const std::string backendName = backend->name().toStdString();
    whenReady(backend->listRuns(query), e, [e, pipeline, backendName](Result<RunListPage> page) {
        if (!page.ok())
            return backendError(e, page.error());
        nlohmann::json runs = nlohmann::json::array();
        for (const RunGraph &run : page->runs)
            if (pipeline.empty() || run.pipelineName == pipeline)
                runs.push_back(runSummaryJson(run, backendName));
        nlohmann::json j = {{"runs", runs}};
        if (!page->nextPageToken.empty())
            j["more"] = true;
        e->respondJson(200, j.dump());
    });
}

void ApiService::withRun(HttpExchange *e, const std::string &id,
                         std::function<void(Backend *, const std::string &)> fn)
{
    Backend *backend = backendFor(e, e->request().queryValue("backend"));
    if (!backend)
        return;
    whenReady(backend->resolveRunId(id), e, [e, backend, id, fn = std::move(fn)](Result<std::string> full) {
        if (!full.ok())
            return e->respondError(404, "not_found",
                                   "no run '" + id + "' on backend '" + backend->name().toStdString() + "'");
        fn(backend, *full);
    });
}

void ApiService::getRun(HttpExchange *e, Backend *b, const std::string &id)
{
    whenReady(b->getRun(id), e, [e, name = b->name().toStdString()](Result<RunGraph> run) {
        if (!run.ok())
            return backendError(e, run.error());
        e->respondJson(200, runDetailJson(*run, name).dump());
    });
}

void ApiService::cancelRun(HttpExchange *e, Backend *b, const std::string &id)
{
    whenReady(b->cancel(id), e, [e, id](Result<RunState> state) {
        if (!state.ok())
            return backendError(e, state.error(), 409);
        e->respondJson(200, nlohmann::json{{"id", id}, {"state", toString(*state)}}.dump());
    });
}

void ApiService::retryRun(HttpExchange *e, Backend *b, const std::string &id)
{
    whenReady(b->retry(id), e, [e](Result<std::string> continued) {
        if (!continued.ok())
            return backendError(e, continued.error(), 409);
        e->respondJson(200, nlohmann::json{{"id", *continued}}.dump());
    });
}

void ApiService::rerunRun(HttpExchange *e, Backend *b, const std::string &id)
{
    auto started = [e, name = b->name().toStdString()](Result<SubmittedRun> run) {
        if (!run.ok())
            return backendError(e, run.error(), 409);
        e->respondJson(201, nlohmann::json{{"id", run->id}, {"backend", name}}.dump());
    };
    if (!b->can(Capability::Clone) && b->can(Capability::Resubmit))
        return whenReady(b->resubmit(id), e, started); // the server's own copy (Argo)
    whenReady(b->runRequest(id), e, [e, b, started](Result<RunRequest> request) {
        if (!request.ok())
            return backendError(e, request.error(), 409);
        request->runName.clear(); // a new run gets a new name
        whenReady(b->submit(*request), e, started);
    });
}

void ApiService::getArtifact(HttpExchange *e, Backend *b, const std::string &id, const std::string &task,
                             const std::string &name)
{
    const std::string kind = e->request().queryValue("visualization");
    whenReady(b->getRun(id), e, [e, b, id, task, name, kind](Result<RunGraph> run) {
        if (!run.ok())
            return backendError(e, run.error());
        // One artifact (mlpipeline_ui_metadata) may hold several visualizations:
        // all of them, or the one ?visualization=KIND names.
        const ArtifactRecord *found = nullptr;
        std::string fragments;
        for (const ArtifactRecord &a : run->artifacts) {
            if (a.task != task || a.name != name)
                continue;
            found = &a;
            if (!a.visualization.empty() && (kind.empty() || a.visualization == kind))
                fragments += renderVisualization(a);
        }
        if (!found || (!kind.empty() && fragments.empty()))
            return e->respondError(404, "not_found",
                                   "task '" + task + "' of run " + id + " has no artifact '" + name + "'" +
                                       (kind.empty() ? "" : " with a " + kind + " visualization"));
        if (!fragments.empty()) {
            // The same self-contained fragments the run report shows, as a page of their own.
            const std::string page = htmlPage(task + " / " + name, fragments);
            return e->respond(
                200, "text/html; charset=utf-8", QByteArray::fromStdString(page),
                {{"Content-Security-Policy", "sandbox; default-src 'none'; style-src 'unsafe-inline'; "
                                             "img-src data:; frame-src data: blob:"}});
        }
        if (!insideRun(*run, *found))
            return e->respondError(403, "forbidden", "the artifact '" + name + "' is not a file of this run");
        whenReady(b->readArtifact(id, *found), e, [e, name](Result<std::string> bytes) {
            if (!bytes.ok())
                return backendError(e, bytes.error());
            e->respond(200, artifactContentType(name, *bytes), QByteArray::fromStdString(*bytes),
                       {{"Content-Security-Policy", "sandbox; default-src 'none'"},
                        {"Content-Disposition", "inline; filename=\"artifact\""}});
        });
    });
}

} // namespace pw::serve
