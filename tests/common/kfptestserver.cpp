// SPDX-License-Identifier: Apache-2.0
#include "kfptestserver.h"

#include <QFile>

namespace pw::test {

KfpTestServer::KfpTestServer(const QStringList &extraArgs) : LoopbackServer(Deferred{})
{
    setToken("token-1");
    start("kfp/kfp_server.py", QStringList{"--swagger-dir", QStringLiteral(PW_REFERENCE_DIR "/kfp-api"), "--port", "0",
                                           "--token-file", tokenFile(), "--check-responses"} +
                                   extraArgs);
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

} // namespace pw::test
