// SPDX-License-Identifier: Apache-2.0
#include "vertextestserver.h"

#include <QFile>

namespace pw::test {

VertexTestServer::VertexTestServer(const QStringList &extraArgs) : LoopbackServer(Deferred{})
{
    setTokens({"vertex-token-1"});
    start("vertex/vertex_server.py",
          QStringList{"--proto-dir", QStringLiteral(PW_REFERENCE_DIR "/backends/vertex"), "--ir-dir",
                      QStringLiteral(PW_REFERENCE_DIR "/kfp-ir"), "--port", "0", "--token-file", tokenFile(),
                      "--check-responses"} +
              extraArgs);
}

void VertexTestServer::setTokens(const QByteArrayList &tokens)
{
    QFile f(tokenFile());
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(tokens.join('\n') + "\n");
}

} // namespace pw::test
