// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "httprequest.h"

#include <QHostAddress>
#include <QObject>
#include <QTcpServer>

#include <functional>

namespace pw::serve {

class HttpExchange;

// Accepts connections and hands each complete request to the handler; the
// handler answers through the exchange, now or later (futures, streams).
class HttpServer final : public QObject {
    Q_OBJECT
public:
    using Handler = std::function<void(HttpExchange *)>;

    struct Limits {
        HttpRequestParser::Limits request;
        int requestTimeoutMs = 30000;
        int maxConnections = 512;
    };

    HttpServer(Limits limits, Handler handler, QObject *parent = nullptr);

    bool listen(const QHostAddress &address, quint16 port);
    QString errorString() const { return m_server.errorString(); }
    quint16 port() const { return m_server.serverPort(); }

private:
    void accept();

    QTcpServer m_server;
    Limits m_limits;
    Handler m_handler;
    int m_open = 0;
};

} // namespace pw::serve
