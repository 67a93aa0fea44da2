// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipelinecatalog.h"

#include "runs/backend.h"

#include <QObject>

#include <string>
#include <vector>

namespace pw {
class BackendRegistry;
}

namespace pw::serve {

class HttpExchange;

struct ServeOptions {
    std::string token;                    // every /api/ request must present it
    std::vector<std::string> corsOrigins; // exact origins that may call the API from a browser
    std::vector<std::string> backends;    // offered backends; empty: every configured one
    int maxStreams = 64;                  // event and log streams open at once
};

// The REST API and the web view over the backend registry and the pipeline
// catalog (see docs/api.md). Each handler answers through the exchange, at
// once or when the backend's future finishes; nothing here blocks.
class ApiService final : public QObject {
    Q_OBJECT
public:
    ApiService(ServeOptions options, BackendRegistry &registry, PipelineCatalog catalog,
               QObject *parent = nullptr);

    void handle(HttpExchange *e);
    int openStreams() const { return m_streams; }

private:
    bool authorized(const std::string &header) const;
    void route(HttpExchange *e);
    void serveStatic(HttpExchange *e);

    // pipelines and backends (apiservice.cpp)
    void listPipelines(HttpExchange *e);
    void getPipeline(HttpExchange *e, const std::string &name);
    void listBackends(HttpExchange *e);
    std::vector<std::string> backendNames() const;
    // The backend `name` (empty: the default one), or null once it has answered.
    Backend *backendFor(HttpExchange *e, const std::string &name);

    // runs (runroutes.cpp)
    void createRun(HttpExchange *e);
    void listRuns(HttpExchange *e);
    void withRun(HttpExchange *e, const std::string &id,
                 std::function<void(Backend *, const std::string &)> fn);
    void getRun(HttpExchange *e, Backend *b, const std::string &id);
    void cancelRun(HttpExchange *e, Backend *b, const std::string &id);
    void retryRun(HttpExchange *e, Backend *b, const std::string &id);
    void rerunRun(HttpExchange *e, Backend *b, const std::string &id);
    void getArtifact(HttpExchange *e, Backend *b, const std::string &id, const std::string &task,
                     const std::string &name);

    // streams (runstreams.cpp)
    bool openStream(HttpExchange *e);
    void streamEvents(HttpExchange *e, Backend *b, const std::string &id);
    void streamLogs(HttpExchange *e, Backend *b, const std::string &id, const std::string &task);

    ServeOptions m_options;
    BackendRegistry &m_registry;
    PipelineCatalog m_catalog;
    int m_streams = 0;
};

} // namespace pw::serve
