// SPDX-License-Identifier: Apache-2.0
#include "httpexchange.h"

#include <QTcpSocket>

#include <nlohmann/json.hpp>

#include <sys/socket.h>

namespace pw::serve {

const char *reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 415:
        return "Unsupported Media Type";
    case 431:
        return "Request Header Fields Too Large";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    default:
        return status < 400 ? "OK" : "Error";
    }
}

HttpExchange::HttpExchange(QTcpSocket *socket, HttpRequestParser::Limits limits, int requestTimeoutMs,
                           QObject *parent)
    : QObject(parent), m_socket(socket), m_parser(limits)
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &HttpExchange::readMore);
    connect(m_socket, &QTcpSocket::disconnected, this, &HttpExchange::drop);
    connect(m_socket, &QTcpSocket::errorOccurred, this, &HttpExchange::drop);
    // A client that never finishes its request (slowloris) is answered and dropped.
    m_deadline.setSingleShot(true);
    connect(&m_deadline, &QTimer::timeout, this, [this] {
        if (!m_responded)
            respondError(408, "timeout", "the request did not arrive in time");
        else
            drop();
    });
    m_deadline.start(requestTimeoutMs);
    QMetaObject::invokeMethod(this, &HttpExchange::readMore, Qt::QueuedConnection);
}

HttpExchange::~HttpExchange() = default;

void HttpExchange::addHeader(std::string name, std::string value)
{
    m_headers.emplace_back(std::move(name), std::move(value));
}

void HttpExchange::readMore()
{
    const QByteArray bytes = m_socket->readAll();
    if (m_closing || m_parser.state() != HttpRequestParser::State::Incomplete)
        return; // after the response: what still comes is read and discarded
    switch (m_parser.feed(bytes)) {
    case HttpRequestParser::State::Incomplete:
        return;
    case HttpRequestParser::State::Failed:
        respondError(m_parser.errorStatus(), m_parser.errorStatus() == 413 ? "too_large" : "bad_request",
                     m_parser.errorMessage());
        return;
    case HttpRequestParser::State::Complete:
        m_deadline.stop();
        emit requestReady(this);
        return;
    }
}

void HttpExchange::writeHead(int status, const std::string &contentType, qint64 length,
                             const HeaderList &extra)
{
    m_responded = true;
    std::string head = "HTTP/1.1 " + std::to_string(status) + " " + reasonPhrase(status) + "\r\n";
    if (!contentType.empty())
        head += "Content-Type: " + contentType + "\r\n";
    if (length >= 0)
        head += "Content-Length: " + std::to_string(length) + "\r\n";
    head += "Connection: close\r\nX-Content-Type-Options: nosniff\r\nReferrer-Policy: no-referrer\r\n";
    for (const auto &[k, v] : m_headers)
        head += k + ": " + v + "\r\n";
    for (const auto &[k, v] : extra)
        head += k + ": " + v + "\r\n";
    head += "\r\n";
    m_socket->write(head.data(), static_cast<qint64>(head.size()));
}

void HttpExchange::respond(int status, const std::string &contentType, const QByteArray &body,
                           const HeaderList &extra)
{
    if (m_responded || m_closing)
        return;
    writeHead(status, contentType, body.size(), extra);
    if (request().method != "HEAD")
        m_socket->write(body);
    finishAfterWrite();
}

void HttpExchange::respondJson(int status, const std::string &json)
{
    respond(status, "application/json", QByteArray::fromStdString(json + "\n"),
            {{"Cache-Control", "no-store"}});
}

void HttpExchange::respondError(int status, const std::string &code, const std::string &message,
                                const std::string &field)
{
    nlohmann::json error = {{"code", code}, {"message", message}};
    if (!field.empty())
        error["field"] = field;
    respondJson(status, nlohmann::json{{"error", error}}.dump());
}

void HttpExchange::beginStream(int status, const std::string &contentType)
{
    if (m_responded || m_closing)
        return;
    writeHead(status, contentType, -1, {{"Cache-Control", "no-store"}, {"X-Accel-Buffering", "no"}});
}

bool HttpExchange::send(const QByteArray &bytes)
{
    if (m_closing || m_socket->state() != QAbstractSocket::ConnectedState)
        return false;
    m_socket->write(bytes);
    // Into the kernel as far as it takes it now: what stays here is what the
    // client has not read, not what the event loop had no time to send.
    m_socket->flush();
    if (m_socket->bytesToWrite() > kMaxBuffered) {
        drop();
        return false;
    }
    return true;
}

void HttpExchange::endStream()
{
    if (!m_closing)
        finishAfterWrite();
}

// Sends what is buffered, then half-closes: a client still sending a body we
// refused reads the answer instead of a reset; it closes, or the deadline does.
void HttpExchange::finishAfterWrite()
{
    m_closing = true;
    auto shutdownWrite = [this] {
        if (m_socket->bytesToWrite() == 0 && m_socket->socketDescriptor() >= 0)
            ::shutdown(static_cast<int>(m_socket->socketDescriptor()), SHUT_WR);
    };
    connect(m_socket, &QTcpSocket::bytesWritten, this, shutdownWrite);
    m_socket->flush();
    shutdownWrite();
    m_deadline.start(10000);
}

void HttpExchange::drop()
{
    if (m_socket->state() != QAbstractSocket::UnconnectedState)
        m_socket->abort();
    if (!m_dropped) {
        m_dropped = true;
        emit closed();
        deleteLater();
    }
}

} // namespace pw::serve
