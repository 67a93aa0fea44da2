// SPDX-License-Identifier: Apache-2.0
#include "restconnection.h"

#include <algorithm>
#include <cctype>

namespace pw::net {

namespace {

std::string trimSlash(std::string url)
{
    while (!url.empty() && url.back() == '/')
        url.pop_back();
    return url;
}

// The Authorization value for a token. Some tools print the whole value
// (`argo auth token`: "Bearer v2:..."), which is sent as it is.
std::string bearer(const std::string &token)
{
    std::string scheme = token.substr(0, 7);
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return token.size() > 7 && scheme == "bearer " ? token : "Bearer " + token;
}

std::string firstLine(const std::string &text, std::size_t max = 300)
{
    std::string line = text.substr(0, text.find('\n'));
    return line.size() > max ? line.substr(0, max) + "..." : line;
}

} // namespace

std::string withQuery(const std::string &path, const Query &query)
{
    return query.empty() ? path : path + "?" + formEncode(query);
}

RestConnection::RestConnection(Endpoint endpoint, std::shared_ptr<TokenProvider> tokens,
                               HttpTransport transport, HttpStreamTransport stream)
    : m_endpoint(std::move(endpoint)), m_tokens(std::move(tokens)), m_transport(std::move(transport)),
      m_stream(std::move(stream))
{
    m_endpoint.url = trimSlash(m_endpoint.url);
}

Result<HttpReply> RestConnection::send(HttpRequest request, const ChunkHandler *onChunk)
{
    for (int attempt = 0;; ++attempt) {
        HttpRequest r = request;
        if (m_endpoint.auth != Endpoint::Auth::None && m_tokens) {
            auto token = m_tokens->token();
            if (!token.ok())
                return token.error();
            if (m_endpoint.auth == Endpoint::Auth::Bearer)
                r.headers.emplace_back("Authorization", bearer(token->reveal()));
            else
                r.headers.emplace_back("Cookie", token->reveal());
        }
        if (!m_endpoint.userHeader.empty())
            r.headers.emplace_back("kubeflow-userid", m_endpoint.userHeader);
        auto reply = onChunk && m_stream ? m_stream(r, *onChunk) : m_transport(r);
        if (!reply.ok())
            return reply.error();
        // An expired token: fetch a new one and try once more.
        if (reply->status == 401 && attempt == 0 && m_endpoint.auth != Endpoint::Auth::None && m_tokens) {
            m_tokens->invalidate();
            continue;
        }
        return reply;
    }
}

Error RestConnection::describe(const HttpRequest &request, const HttpReply &reply) const
{
    std::string message;
    auto body = nlohmann::json::parse(reply.body, nullptr, false);
    if (body.is_object() && body.contains("error") && body["error"].is_object())
        body = body["error"]; // Google's shape: {error: {code, message, status}}
    if (body.is_object()) {
        for (const char *key : {"message", "error"})
            if (auto it = body.find(key);
                it != body.end() && it->is_string() && !it->get<std::string>().empty()) {
                message = it->get<std::string>();
                break;
            }
    }
    if (message.empty())
        message = firstLine(reply.body);
    std::string what = m_endpoint.service + " refused " + request.method + " " +
                       request.url.substr(m_endpoint.url.size()) + " (HTTP " + std::to_string(reply.status) +
                       "): " + message;
    switch (reply.status) {
    case 401:
        what += m_tokens
                    ? "; the credential (" + m_tokens->describe() + ") was refused twice: renew it"
                    : "; the server wants a credential: add one to the backend (--token-env, --token-file, "
                      "--token-command)";
        break;
    case 403:
        what += !m_endpoint.accessHint.empty() ? "; " + m_endpoint.accessHint
                : m_endpoint.ns.empty()
                    ? "; the identity may lack access (a namespaced server also needs --namespace)"
                    : "; does the identity have access to namespace '" + m_endpoint.ns + "'?";
        break;
    case 404:
        what += reply.body.find("\"code\"") == std::string::npos
                    ? "; is " + m_endpoint.url + " the " + m_endpoint.service +
                          " endpoint (and the API version right)?"
                    : "";
        break;
    default:
        break;
    }
    // A token that a server echoes back must not reach the message.
    if (m_tokens)
        if (auto token = m_tokens->token(); token.ok())
            what = token->redact(what);
    return Error{what, {}};
}

Result<std::string> RestConnection::fetch(const std::string &method, const std::string &path,
                                          const Query &query, const std::string &body,
                                          const std::string &contentType)
{
    HttpRequest request;
    request.method = method;
    request.url = m_endpoint.url + withQuery(path, query);
    request.body = body;
    if (!contentType.empty())
        request.headers.emplace_back("Content-Type", contentType);
    auto reply = send(request);
    if (!reply.ok())
        return Error{"cannot reach " + m_endpoint.service + " at " + m_endpoint.url + ": " +
                         reply.error().message,
                     {}};
    if (!reply->ok())
        return describe(request, *reply);
    return std::move(reply->body);
}

Result<nlohmann::json> RestConnection::call(const std::string &method, const std::string &path,
                                            const Query &query, const nlohmann::json *body)
{
    auto text =
        fetch(method, path, query,
              body ? body->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) : std::string(),
              body ? "application/json" : "");
    if (!text.ok())
        return text.error();
    if (text->empty())
        return nlohmann::json::object();
    auto json = nlohmann::json::parse(*text, nullptr, false);
    if (json.is_discarded())
        return Error{m_endpoint.service + " answered " + method + " " + path +
                         " with something that is not JSON: " + firstLine(*text, 120),
                     {}};
    return json;
}

Result<bool> RestConnection::stream(const std::string &path, const Query &query, const std::string &accept,
                                    const ChunkHandler &onChunk, std::function<bool()> stop)
{
    HttpRequest request;
    request.cancelled = std::move(stop);
    request.url = m_endpoint.url + withQuery(path, query);
    request.headers.emplace_back("Accept", accept);
    request.timeoutMs = 0; // a followed stream lasts as long as the run
    auto reply = send(request, &onChunk);
    if (!reply.ok())
        return Error{"cannot reach " + m_endpoint.service + " at " + m_endpoint.url + ": " +
                         reply.error().message,
                     {}};
    if (reply->status >= 300)
        return describe(request, *reply);
    return true;
}

} // namespace pw::net
