// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pw::net {

struct HttpRequest {
    std::string method = "GET";
    std::string url;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    int timeoutMs = 60000;
    // Checked while the request runs (a followed stream): true ends it.
    std::function<bool()> cancelled;
};

struct HttpReply {
    int status = 0;
    std::vector<std::pair<std::string, std::string>> headers; // names in lower case
    std::string body;

    std::string header(std::string_view name) const; // case-insensitive; empty when absent
    bool ok() const { return status >= 200 && status < 300; }
};

// Sends one request and waits for the whole reply (call it on a worker
// thread). No connection, a TLS failure or a timeout is an Error; an HTTP
// error status is a reply.
using HttpTransport = std::function<Result<HttpReply>(const HttpRequest &)>;

struct TlsOptions {
    std::string caFile;   // PEM bundle to trust besides the system's; empty: the system's
    bool verify = true;   // off only for tests against self-signed loopback servers
};

// Receives a streamed body as it arrives (server-sent events, a followed
// log); returning false ends the stream.
using ChunkHandler = std::function<bool(std::string_view chunk)>;
// Sends a request whose reply is read as it comes; the reply's status and
// headers are returned once the stream ends (its body is what the handler saw).
using HttpStreamTransport = std::function<Result<HttpReply>(const HttpRequest &, const ChunkHandler &)>;

// libcurl, TLS verification on. One call, one easy handle: simple, and the
// callers (backend worker pools) bound how many run at once.
class CurlTransport final {
public:
    explicit CurlTransport(TlsOptions tls = {});
    Result<HttpReply> operator()(const HttpRequest &request) const;
    // Streams the body to `onChunk` (no timeout but the request's, which 0 turns off).
    Result<HttpReply> operator()(const HttpRequest &request, const ChunkHandler &onChunk) const;

private:
    TlsOptions m_tls;
};

// "a=1&b=two%20words" (application/x-www-form-urlencoded) from pairs.
std::string formEncode(const std::vector<std::pair<std::string, std::string>> &fields);
// Percent-encodes one query or path component.
std::string urlEncode(std::string_view text);

// A multipart/form-data body with one file field (KFP's uploadfile); returns
// {content type with its boundary, body}.
std::pair<std::string, std::string> multipartFile(const std::string &field, const std::string &fileName,
                                                  const std::string &contentType, std::string_view content);

} // namespace pw::net
