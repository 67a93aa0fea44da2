// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httprequest.h"

#include <QObject>
#include <QTimer>

#include <string>
#include <utility>
#include <vector>

class QTcpSocket;

namespace pw::serve {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// One connection, one request, one response (keep-alive is off): reads the
// request within the parser's limits and a deadline, then lets a handler
// answer in full or as a stream. It deletes itself when the client goes.
class HttpExchange final : public QObject {
    Q_OBJECT
public:
    // Streams stop when the client has this much unread (a slow reader is
    // dropped rather than buffered without end or waited for).
    static constexpr qint64 kMaxBuffered = 4 * 1024 * 1024;

    HttpExchange(QTcpSocket *socket, HttpRequestParser::Limits limits, int requestTimeoutMs, QObject *parent);
    ~HttpExchange() override;

    const HttpRequest &request() const { return m_parser.request(); }
    // Headers every response gets (CORS); set before answering.
    void addHeader(std::string name, std::string value);

    void respond(int status, const std::string &contentType, const QByteArray &body,
                 const HeaderList &extra = {});
    void respondJson(int status, const std::string &json);
    void respondError(int status, const std::string &code, const std::string &message,
                      const std::string &field = {});

    // A body of unknown length that ends when the connection closes.
    void beginStream(int status, const std::string &contentType);
    // False when the client is gone or too far behind (it is then dropped).
    bool send(const QByteArray &bytes);
    void endStream();
    bool responded() const { return m_responded; }

signals:
    void requestReady(pw::serve::HttpExchange *exchange);
    // The client went away (or was dropped); the exchange is deleted soon.
    void closed();

private:
    void readMore();
    void writeHead(int status, const std::string &contentType, qint64 length, const HeaderList &extra);
    void finishAfterWrite();
    void drop();

    QTcpSocket *m_socket;
    HttpRequestParser m_parser;
    QTimer m_deadline;
    HeaderList m_headers;
    bool m_responded = false;
    bool m_closing = false;
    bool m_dropped = false;
};

const char *reasonPhrase(int status);

} // namespace pw::serve
