// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httpclient.h"
#include "tokenprovider.h"
#include "util/result.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace pw::net {

using Query = std::vector<std::pair<std::string, std::string>>;

// How to reach one server.
struct Endpoint {
    std::string service;    // for messages: "KFP", "Argo", "Vertex AI"
    std::string url;        // base URL; paths are appended
    std::string ns;         // Kubernetes namespace / Kubeflow profile, or empty
    std::string userHeader; // KFP multi-user without a gateway: the user id sent as `kubeflow-userid`
    enum class Auth { None, Bearer, Cookie } auth = Auth::None; // how the token travels
    std::string accessHint; // said after a 403 (default: about namespaces)
};

// A REST API over HTTP, blocking (backends call it on worker threads). Sends
// the credential, tries once more with a fresh one after a 401, and turns
// error replies (gRPC-gateway's {error, code, message}, Google's
// {error: {code, message, status}}) into errors that quote the server and
// say what to do.
class RestConnection final {
public:
    RestConnection(Endpoint endpoint, std::shared_ptr<TokenProvider> tokens, HttpTransport transport,
                   HttpStreamTransport stream = {});

    const Endpoint &endpoint() const { return m_endpoint; }

    // A JSON call, e.g. ("GET", "/apis/v2beta1/runs", {{"page_size", "20"}}).
    Result<nlohmann::json> call(const std::string &method, const std::string &path, const Query &query = {},
                                const nlohmann::json *body = nullptr);
    // Any request; the reply's body as it came (pod logs, artifacts, uploads).
    Result<std::string> fetch(const std::string &method, const std::string &path, const Query &query = {},
                              const std::string &body = {}, const std::string &contentType = {});
    // A GET whose reply is handed on as it arrives (server-sent events);
    // `accept` is the Accept header. Ends when the server ends or onChunk says so.
    Result<bool> stream(const std::string &path, const Query &query, const std::string &accept,
                        const ChunkHandler &onChunk, std::function<bool()> stop = {});

private:
    Result<HttpReply> send(HttpRequest request, const ChunkHandler *onChunk = nullptr);
    Error describe(const HttpRequest &request, const HttpReply &reply) const;

    Endpoint m_endpoint;
    std::shared_ptr<TokenProvider> m_tokens;
    HttpTransport m_transport;
    HttpStreamTransport m_stream;
};

std::string withQuery(const std::string &path, const Query &query);

} // namespace pw::net
