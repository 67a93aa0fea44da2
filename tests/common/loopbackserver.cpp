// SPDX-License-Identifier: Apache-2.0
#include "loopbackserver.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace pw::test {

LoopbackServer::LoopbackServer(const QString &script, const QStringList &args) { start(script, args); }

void LoopbackServer::start(const QString &script, const QStringList &args)
{
    const QString name = QFileInfo(script).baseName();
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(QStringLiteral(PW_PYTHON), QStringList{QStringLiteral(PW_SOURCE_DIR "/tests/servers/") + script} + args);
    if (!m_process.waitForStarted(10000)) {
        m_error = "cannot start " PW_PYTHON ": " + m_process.errorString();
        return;
    }
    QByteArray said;
    while (!said.contains('\n')) {
        if (!m_process.waitForReadyRead(30000)) {
            m_error = name + " did not start: " + QString::fromUtf8(said);
            return;
        }
        said += m_process.readAllStandardOutput();
    }
    const QByteArray line = said.left(said.indexOf('\n')).trimmed();
    if (line.startsWith("listening on "))
        m_port = line.mid(13).toInt();
    else
        m_error = "unexpected first line from " + name + ": " + QString::fromUtf8(line);
}

LoopbackServer::~LoopbackServer()
{
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        m_process.kill();
}

nlohmann::json LoopbackServer::control(const QString &method, const QString &pathAndQuery)
{
    QNetworkAccessManager network;
    QNetworkRequest request(QUrl(url() + pathAndQuery));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArray("application/json"));
    QNetworkReply *reply = method == "GET" ? network.get(request) : network.post(request, QByteArray());
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(30000, &loop, &QEventLoop::quit); // a hung server fails the test, not CI
    loop.exec();
    const QByteArray body = reply->readAll();
    reply->deleteLater();
    auto json = nlohmann::json::parse(body.toStdString(), nullptr, false);
    return json.is_discarded() ? nlohmann::json::object() : json;
}

} // namespace pw::test
