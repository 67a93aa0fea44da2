// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "loopbackserver.h"

namespace pw::test {

// The loopback KFP server (tests/servers/kfp), with a token file and its
// answers checked against the Swagger.
class KfpTestServer final : public LoopbackServer {
public:
    // extraArgs: e.g. {"--namespace-mode"}.
    explicit KfpTestServer(const QStringList &extraArgs = {});

    QString tokenFile() const { return filePath("token"); }
    QByteArray token() const;
    void setToken(const QByteArray &token); // rotates it (the server reads the file per request)
};

} // namespace pw::test
