// SPDX-License-Identifier: Apache-2.0
#include "kfptestserver.h"

#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

namespace pw::test {

KfpTestServer::KfpTestServer(const QStringList &extraArgs)
{
    setToken("token-1");
    QStringList args{QStringLiteral(PW_SOURCE_DIR "/tests/servers/kfp/kfp_server.py"),
                     "--swagger-dir",
                     QStringLiteral(PW_REFERENCE_DIR "/kfp-api"),
                     "--port",
                     "0",
                     "--token-file",
                     tokenFile(),
                     "--check-responses"};
    args << extraArgs;
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start(QStringLiteral(PW_PYTHON), args);
    if (!m_process.waitForStarted(10000)) {
        m_error = "cannot start " PW_PYTHON ": " + m_process.errorString();
        return;
    }
    // It prints "listening on PORT" once it accepts connections.
    QByteArray said;
    while (!said.contains('\n')) {
        if (!m_process.waitForReadyRead(30000)) {
            m_error = "the KFP test server did not start: " + QString::fromUtf8(said);
            return;
        }
        said += m_process.readAllStandardOutput();
    }
    const QByteArray line = said.left(said.indexOf('\n')).trimmed();
    if (line.startsWith("listening on "))
        m_port = line.mid(13).toInt();
    else
        m_error = "unexpected first line from the KFP test server: " + QString::fromUtf8(line);
}

KfpTestServer::~KfpTestServer()
{
    m_process.terminate();
    if (!m_process.waitForFinished(5000))
        m_process.kill();
}

QByteArray KfpTestServer::token() const
{
    QFile f(tokenFile());
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

void KfpTestServer::setToken(const QByteArray &token)
{
    QFile f(tokenFile());
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(token + "\n");
}

nlohmann::json KfpTestServer::control(const QString &method, const QString &pathAndQuery)
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
