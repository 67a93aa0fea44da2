// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "loopbackserver.h"

namespace pw::test {

// The loopback Vertex AI, Cloud Logging and Cloud Storage server
// (tests/servers/vertex), playing us-central1, with a token file (one valid
// token a line) and its answers checked against the protos.
class VertexTestServer final : public LoopbackServer {
public:
    explicit VertexTestServer(const QStringList &extraArgs = {});

    QString tokenFile() const { return filePath("tokens"); }
    // Replaces the valid tokens (the server reads the file per request).
    void setTokens(const QByteArrayList &tokens);
};

} // namespace pw::test
