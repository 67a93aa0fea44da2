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

namespace pw::kfp {

using Query = std::vector<std::pair<std::string, std::string>>;

// How to reach one KFP deployment.
struct Endpoint {
    std::string url;        // where the KFP UI answers (it proxies /apis to the API server)
    std::string ns;         // Kubeflow profile (multi-user) or empty
    std::string userHeader; // multi-user without a gateway: the user id sent as `kubeflow-userid`
    enum class Auth { None, Bearer, Cookie } auth = Auth::None; // how the token travels
};

// The KFP REST API over HTTP, blocking (the backend calls it on worker
// threads). Sends the credential, tries once more with a fresh one after a
// 401, and turns KFP's error replies ({error, code, message}) into errors
// that quote the server and say what to do.
class KfpConnection final {
public:
    KfpConnection(Endpoint endpoint, std::shared_ptr<TokenProvider> tokens, net::HttpTransport transport);

    const Endpoint &endpoint() const { return m_endpoint; }

    // A JSON call to the API server, e.g. ("GET", "/apis/v2beta1/runs", {{"page_size", "20"}}).
    Result<nlohmann::json> call(const std::string &method, const std::string &path, const Query &query = {},
                                const nlohmann::json *body = nullptr);
    // Any request; the reply's body as it came (pod logs, artifacts, uploads).
    Result<std::string> fetch(const std::string &method, const std::string &path, const Query &query = {},
                              const std::string &body = {}, const std::string &contentType = {});

private:
    Result<net::HttpReply> send(net::HttpRequest request);
    Error describe(const net::HttpRequest &request, const net::HttpReply &reply) const;

    Endpoint m_endpoint;
    std::shared_ptr<TokenProvider> m_tokens;
    net::HttpTransport m_transport;
};

std::string withQuery(const std::string &path, const Query &query);

} // namespace pw::kfp
