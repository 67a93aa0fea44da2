// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "loopbackserver.h"

namespace pw::test {

// The loopback Argo Server (tests/servers/argo), with a token file and its
// answers checked against the Swagger. Workflows move one step each time
// they are observed; with "--manual-steps" only by advance().
class ArgoTestServer final : public LoopbackServer {
public:
    // extraArgs: e.g. {"--version", "v3.6.2"}, {"--manual-steps"}.
    explicit ArgoTestServer(const QStringList &extraArgs = {});

    QString tokenFile() const { return filePath("token"); }
    void setToken(const QByteArray &token); // rotates it (the server reads the file per request)

    // Moves a workflow `steps` steps without observing it; its phase after.
    std::string advance(const std::string &ns, const std::string &name, int steps = 1);
};

} // namespace pw::test
