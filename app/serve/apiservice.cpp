// SPDX-License-Identifier: Apache-2.0
// Routing, authentication, CORS, the web view's files, pipelines and backends.
#include "apiservice.h"

#include "httpexchange.h"
#include "pipelinejson.h"

#include "runs/backendregistry.h"

#include <QFile>

#include <algorithm>

namespace pw::serve {

namespace {

const char *kContentSecurityPolicy =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-src 'self' blob: data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'";

std::string contentType(const QString &file)
{
    if (file.endsWith(".html"))
        return "text/html; charset=utf-8";
    if (file.endsWith(".js"))
        return "text/javascript; charset=utf-8";
    if (file.endsWith(".css"))
        return "text/css; charset=utf-8";
    if (file.endsWith(".svg"))
        return "image/svg+xml";
    if (file.endsWith(".json"))
        return "application/json";
    return "application/octet-stream";
}

// Compares without stopping at the first difference, so the time taken does
// not tell how much of a guess was right.
bool sameSecret(const std::string &a, const std::string &b)
{
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff |= static_cast<unsigned char>(a[i] ^ b[i % std::max<std::size_t>(b.size(), 1)]);
    return diff == 0 && !b.empty();
}

} // namespace

ApiService::ApiService(ServeOptions options, BackendRegistry &registry, PipelineCatalog catalog,
                       QObject *parent)
    : QObject(parent), m_options(std::move(options)), m_registry(registry), m_catalog(std::move(catalog))
{
}

bool ApiService::authorized(const std::string &header) const
{
    const std::string prefix = "Bearer ";
    if (header.compare(0, prefix.size(), prefix) != 0)
        return false;
    return sameSecret(header.substr(prefix.size()), m_options.token);
}

void ApiService::handle(HttpExchange *e)
{
    const HttpRequest &r = e->request();
    const std::string origin = r.header("origin");
    const bool corsAllowed =
        !origin.empty() && std::find(m_options.corsOrigins.begin(), m_options.corsOrigins.end(), origin) !=
                               m_options.corsOrigins.end();
    if (corsAllowed) {
        e->addHeader("Access-Control-Allow-Origin", origin);
        e->addHeader("Vary", "Origin");
    }
    if (r.method == "OPTIONS") {
        if (!corsAllowed)
            return e->respondError(403, "forbidden",
                                   "cross-origin requests from this origin are not allowed");
        return e->respond(204, {}, {},
                          {{"Access-Control-Allow-Methods", "GET, POST, OPTIONS"},
                           {"Access-Control-Allow-Headers", "Authorization, Content-Type"},
                           {"Access-Control-Max-Age", "600"}});
    }
    if (r.segments.empty() || r.segments.front() != "api")
        return serveStatic(e);
    if (!authorized(r.header("authorization"))) {
        e->addHeader("WWW-Authenticate", "Bearer");
        return e->respondError(401, "unauthorized",
                               "send the server's token as 'Authorization: Bearer TOKEN'");
    }
    route(e);
}

void ApiService::route(HttpExchange *e)
{
    const HttpRequest &r = e->request();
    const std::vector<std::string> &s = r.segments;
    const bool get = r.method == "GET" || r.method == "HEAD";
    const bool post = r.method == "POST";
    auto wrongMethod = [e] {
        e->respondError(405, "method_not_allowed", "this path does not take that method");
    };
    if (s.size() == 2 && s[1] == "openapi.json") {
        if (!get)
            return wrongMethod();
        QFile f(":/pipewright-api/openapi.json");
        (void)f.open(QIODevice::ReadOnly);
        return e->respond(200, "application/json", f.readAll());
    }
    if (s.size() < 3 || s[1] != "v1")
        return e->respondError(404, "not_found", "no such API path: " + r.rawPath);
    const std::string &what = s[2];
    if (what == "pipelines" && s.size() <= 4) {
        if (!get)
            return wrongMethod();
        return s.size() == 3 ? listPipelines(e) : getPipeline(e, s[3]);
    }
    if (what == "backends" && s.size() == 3)
        return get ? listBackends(e) : wrongMethod();
    if (what == "runs" && s.size() == 3) {
        if (post)
            return createRun(e);
        return get ? listRuns(e) : wrongMethod();
    }
    if (what != "runs")
        return e->respondError(404, "not_found", "no such API path: " + r.rawPath);
    const std::string id = s[3];
    if (s.size() == 4 && get)
        return withRun(e, id, [this, e](Backend *b, const std::string &full) { getRun(e, b, full); });
    if (s.size() == 5 && s[4] == "events" && get)
        return withRun(e, id, [this, e](Backend *b, const std::string &full) { streamEvents(e, b, full); });
    if (s.size() == 6 && s[4] == "logs" && get)
        return withRun(e, id, [this, e, task = s[5]](Backend *b, const std::string &full) {
            streamLogs(e, b, full, task);
        });
    if (s.size() == 7 && s[4] == "artifacts" && get)
        return withRun(e, id, [this, e, task = s[5], name = s[6]](Backend *b, const std::string &full) {
            getArtifact(e, b, full, task, name);
        });
    if (s.size() == 5 && post && (s[4] == "cancel" || s[4] == "retry" || s[4] == "rerun"))
        return withRun(e, id, [this, e, action = s[4]](Backend *b, const std::string &full) {
            if (action == "cancel")
                cancelRun(e, b, full);
            else if (action == "retry")
                retryRun(e, b, full);
            else
                rerunRun(e, b, full);
        });
    const bool known =
        s.size() == 4 ||
        (s.size() == 5 && (s[4] == "events" || s[4] == "cancel" || s[4] == "retry" || s[4] == "rerun")) ||
        (s.size() == 6 && s[4] == "logs") || (s.size() == 7 && s[4] == "artifacts");
    if (known)
        return wrongMethod();
    e->respondError(404, "not_found", "no such API path: " + r.rawPath);
}

void ApiService::serveStatic(HttpExchange *e)
{
    const HttpRequest &r = e->request();
    if (r.method != "GET" && r.method != "HEAD")
        return e->respondError(405, "method_not_allowed", "the web view's files are read with GET");
    // The web view is a handful of files in one folder of the binary's resources.
    const std::string name = r.segments.empty() ? "index.html" : r.segments.front();
    if (r.segments.size() > 1 || name.find('/') != std::string::npos || name.front() == '.')
        return e->respondError(404, "not_found", "no such file");
    QFile f(":/pipewright-web/" + QString::fromStdString(name));
    if (!f.open(QIODevice::ReadOnly))
        return e->respondError(404, "not_found", "no such file");
    e->respond(200, contentType(f.fileName()), f.readAll(),
               {{"Content-Security-Policy", kContentSecurityPolicy}, {"Cache-Control", "no-cache"}});
}

void ApiService::listPipelines(HttpExchange *e)
{
    nlohmann::json list = nlohmann::json::array();
    for (const PipelineCatalog::Entry &entry : m_catalog.entries()) {
        auto pipeline = m_catalog.load(entry);
        if (pipeline.ok()) {
            list.push_back(pipelineSummaryJson(entry, *pipeline));
        } else {
            list.push_back({{"name", entry.name},
                            {"kind", entry.kind},
                            {"parameters", nlohmann::json::array()},
                            {"error", pipeline.error().message}});
        }
    }
    e->respondJson(200, nlohmann::json{{"pipelines", list}}.dump());
}

void ApiService::getPipeline(HttpExchange *e, const std::string &name)
{
    auto entry = m_catalog.find(name);
    if (!entry)
        return e->respondError(404, "not_found", "no pipeline named '" + name + "'", "name");
    auto pipeline = m_catalog.load(*entry);
    if (!pipeline.ok())
        return e->respondError(422, "invalid_pipeline", pipeline.error().message);
    QFile f(QString::fromStdString(entry->path));
    (void)f.open(QIODevice::ReadOnly);
    e->respondJson(200, pipelineDetailJson(*entry, *pipeline, f.readAll().toStdString()).dump());
}

std::vector<std::string> ApiService::backendNames() const
{
    if (!m_options.backends.empty())
        return m_options.backends;
    std::vector<std::string> names;
    for (const BackendConfig &c : m_registry.configs())
        names.push_back(c.name);
    return names;
}

Backend *ApiService::backendFor(HttpExchange *e, const std::string &name)
{
    const std::vector<std::string> names = backendNames();
    std::string chosen = name;
    if (chosen.empty())
        chosen = std::find(names.begin(), names.end(), "local") != names.end() || names.empty()
                     ? "local"
                     : names.front();
    if (std::find(names.begin(), names.end(), chosen) == names.end()) {
        e->respondError(404, "not_found", "no backend named '" + chosen + "'", "backend");
        return nullptr;
    }
    auto backend = m_registry.backend(chosen);
    if (!backend.ok()) {
        e->respondError(503, "backend_unavailable", backend.error().message, "backend");
        return nullptr;
    }
    return *backend;
}

void ApiService::listBackends(HttpExchange *e)
{
    nlohmann::json list = nlohmann::json::array();
    for (const std::string &name : backendNames()) {
        const BackendConfig *c = m_registry.config(name);
        nlohmann::json j = {{"name", name}, {"kind", c ? c->kind : ""}};
        if (c && !c->url.empty())
            j["url"] = c->url;
        if (auto backend = m_registry.backend(name); backend.ok()) {
            j["available"] = true;
            j["capabilities"] = capabilityNames((*backend)->capabilities());
        } else {
            j["available"] = false;
            j["capabilities"] = nlohmann::json::array();
            j["error"] = backend.error().message;
        }
        list.push_back(j);
    }
    e->respondJson(200, nlohmann::json{{"backends", list}}.dump());
}

} // namespace pw::serve
