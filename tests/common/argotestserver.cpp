// SPDX-License-Identifier: Apache-2.0
#include "argotestserver.h"

#include <QFile>
#include <QUrl>

namespace pw::test {

ArgoTestServer::ArgoTestServer(const QStringList &extraArgs) : LoopbackServer(Deferred{})
{
    setToken("argo-token-1");
    start("argo/argo_server.py",
          QStringList{"--swagger",
                      QStringLiteral(PW_REFERENCE_DIR "/backends/argo/argo_workflows_swagger.json"),
                      "--schema", QStringLiteral(PW_REFERENCE_DIR "/argo/workflow.schema.json"), "--port",
                      "0", "--token-file", tokenFile(), "--check-responses"} +
              extraArgs);
}

void ArgoTestServer::setToken(const QByteArray &token)
{
    QFile f(tokenFile());
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(token + "\n");
}

std::string ArgoTestServer::advance(const std::string &ns, const std::string &name, int steps)
{
    const auto moved =
        control("POST", QStringLiteral("/_test/advance?namespace=%1&name=%2&steps=%3")
                            .arg(QString::fromUtf8(QUrl::toPercentEncoding(QString::fromStdString(ns))),
                                 QString::fromUtf8(QUrl::toPercentEncoding(QString::fromStdString(name))))
                            .arg(steps));
    return moved.value("phase", std::string());
}

} // namespace pw::test
