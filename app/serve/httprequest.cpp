// SPDX-License-Identifier: Apache-2.0
#include "httprequest.h"

#include <QList>

#include <charconv>

namespace pw::serve {

std::string HttpRequest::header(const std::string &lowerName) const
{
    auto it = headers.find(lowerName);
    return it == headers.end() ? std::string() : it->second;
}

std::string HttpRequest::queryValue(const std::string &name) const
{
    auto it = query.find(name);
    return it == query.end() ? std::string() : it->second;
}

std::string percentDecode(const QByteArray &text, bool plusIsSpace)
{
    QByteArray t = text;
    if (plusIsSpace)
        t.replace('+', ' ');
    return QByteArray::fromPercentEncoding(t).toStdString();
}

HttpRequestParser::State HttpRequestParser::fail(int status, std::string message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    return m_state;
}

HttpRequestParser::State HttpRequestParser::feed(const QByteArray &bytes)
{
    if (m_state != State::Incomplete)
        return m_state;
    m_buffer.append(bytes);
    if (!m_headDone) {
        const qsizetype end = m_buffer.indexOf("\r\n\r\n");
        if (end < 0) {
            if (m_buffer.size() > m_limits.maxHeaderBytes)
                return fail(431, "the request line and headers exceed " +
                                     std::to_string(m_limits.maxHeaderBytes) + " bytes");
            return m_state;
        }
        if (end > m_limits.maxHeaderBytes)
            return fail(431, "the request line and headers exceed " +
                                 std::to_string(m_limits.maxHeaderBytes) + " bytes");
        if (parseHead(m_buffer.left(end)) == State::Failed)
            return m_state;
        m_buffer.remove(0, end + 4);
        m_headDone = true;
    }
    if (m_buffer.size() >= m_bodyLength) {
        m_request.body = m_buffer.left(m_bodyLength);
        m_buffer.clear();
        m_state = State::Complete;
    }
    return m_state;
}

HttpRequestParser::State HttpRequestParser::parseHead(const QByteArray &head)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> start = lines.front().trimmed().split(' ');
    if (start.size() != 3 || !start[2].startsWith("HTTP/1."))
        return fail(400, "malformed request line");
    m_request.method = start[0].toStdString();
    const QByteArray target = start[1];
    if (!target.startsWith('/'))
        return fail(400, "the request target must be a path");
    const qsizetype q = target.indexOf('?');
    const QByteArray path = q < 0 ? target : target.left(q);
    m_request.rawPath = path.toStdString();
    for (const QByteArray &segment : path.split('/')) {
        if (segment.isEmpty())
            continue;
        if (segment == "." || segment == "..")
            return fail(400, "the path may not contain '.' or '..' segments");
        std::string decoded = percentDecode(segment, false);
        if (decoded.find('\0') != std::string::npos)
            return fail(400, "the path may not contain NUL");
        m_request.segments.push_back(std::move(decoded));
    }
    if (q >= 0)
        for (const QByteArray &pair : target.mid(q + 1).split('&')) {
            if (pair.isEmpty())
                continue;
            const qsizetype eq = pair.indexOf('=');
            m_request.query[percentDecode(eq < 0 ? pair : pair.left(eq), true)] =
                eq < 0 ? std::string() : percentDecode(pair.mid(eq + 1), true);
        }
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return fail(400, "malformed header line");
        m_request.headers[line.left(colon).trimmed().toLower().toStdString()] =
            line.mid(colon + 1).trimmed().toStdString();
    }
    if (!m_request.header("transfer-encoding").empty())
        return fail(411, "chunked request bodies are not accepted; send Content-Length");
    const std::string length = m_request.header("content-length");
    if (!length.empty()) {
        long long n = -1;
        auto [ptr, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
        if (ec != std::errc() || ptr != length.data() + length.size() || n < 0)
            return fail(400, "malformed Content-Length");
        if (n > m_limits.maxBodyBytes)
            return fail(413, "the request body exceeds " + std::to_string(m_limits.maxBodyBytes) + " bytes");
        m_bodyLength = static_cast<qsizetype>(n);
    }
    return m_state;
}

} // namespace pw::serve
