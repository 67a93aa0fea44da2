// SPDX-License-Identifier: Apache-2.0
#include "httpserver.h"

#include "httpexchange.h"

#include <QTcpSocket>

namespace pw::serve {

HttpServer::HttpServer(Limits limits, Handler handler, QObject *parent)
    : QObject(parent), m_limits(limits), m_handler(std::move(handler))
{
    connect(&m_server, &QTcpServer::newConnection, this, &HttpServer::accept);
}

bool HttpServer::listen(const QHostAddress &address, quint16 port)
{
    return m_server.listen(address, port);
}

void HttpServer::accept()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        auto *exchange = new HttpExchange(socket, m_limits.request, m_limits.requestTimeoutMs, this);
        ++m_open;
        connect(exchange, &HttpExchange::closed, this, [this] { --m_open; });
        if (m_open > m_limits.maxConnections) {
            exchange->respondError(503, "busy", "too many open connections; try again later");
            continue;
        }
        connect(exchange, &HttpExchange::requestReady, this, [this](HttpExchange *e) { m_handler(e); });
    }
}

} // namespace pw::serve
