// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>

#include <map>
#include <string>
#include <vector>

namespace pw::serve {

// One parsed HTTP/1.1 request. Path segments are percent-decoded one by one,
// so an encoded '/' stays inside its segment: handlers compare segments with
// names they know and never turn them into file paths.
struct HttpRequest {
    std::string method;
    std::string rawPath;               // as sent, before '?'
    std::vector<std::string> segments; // decoded, without empty ones
    std::map<std::string, std::string> query;
    std::map<std::string, std::string> headers; // lower-case names
    QByteArray body;

    std::string header(const std::string &lowerName) const;
    std::string queryValue(const std::string &name) const;
};

// Reads a request from bytes as they arrive, within limits: the request line
// and headers, then a body of Content-Length bytes. Chunked request bodies
// are refused (no client of this API needs them).
class HttpRequestParser final {
public:
    struct Limits {
        qsizetype maxHeaderBytes = 16 * 1024;
        qsizetype maxBodyBytes = 1024 * 1024;
    };
    enum class State { Incomplete, Complete, Failed };

    explicit HttpRequestParser(Limits limits) : m_limits(limits) {}

    State feed(const QByteArray &bytes);
    State state() const { return m_state; }
    // When Failed: the status to answer with and why.
    int errorStatus() const { return m_errorStatus; }
    const std::string &errorMessage() const { return m_errorMessage; }
    const HttpRequest &request() const { return m_request; }

private:
    State fail(int status, std::string message);
    State parseHead(const QByteArray &head);

    Limits m_limits;
    State m_state = State::Incomplete;
    QByteArray m_buffer;
    bool m_headDone = false;
    qsizetype m_bodyLength = 0;
    HttpRequest m_request;
    int m_errorStatus = 0;
    std::string m_errorMessage;
};

// Percent-decodes one path segment or query part ('+' is a space in queries).
std::string percentDecode(const QByteArray &text, bool plusIsSpace);

} // namespace pw::serve
