// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

namespace pw::test {

// The loopback KFP server (tests/servers/kfp) for one test: started on a free
// port with a token file, stopped with the test. Its /_test/ calls inject
// faults and show what the client sent.
class KfpTestServer final {
public:
    // extraArgs: e.g. {"--namespace-mode"}.
    explicit KfpTestServer(const QStringList &extraArgs = {});
    ~KfpTestServer();

    bool ok() const { return m_port > 0; }
    QString error() const { return m_error; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    QString tokenFile() const { return m_dir.filePath("token"); }
    QByteArray token() const;
    void setToken(const QByteArray &token); // rotates it (the server reads the file per request)

    // POST (or GET) to /_test/...; the JSON answer.
    nlohmann::json control(const QString &method, const QString &pathAndQuery);
    // What the server received, oldest first.
    nlohmann::json requests() { return control("GET", "/_test/requests")["requests"]; }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    int m_port = 0;
    QString m_error;
};

} // namespace pw::test
