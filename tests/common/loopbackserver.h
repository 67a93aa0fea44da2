// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QProcess>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

namespace pw::test {

// One of the Python loopback servers in tests/servers, for one test: started
// on a free port (it prints "listening on PORT"), stopped with the test. Its
// /_test/ calls inject faults and show what the client sent.
class LoopbackServer {
public:
    // script: relative to tests/servers, e.g. "kfp/kfp_server.py".
    LoopbackServer(const QString &script, const QStringList &args);
    virtual ~LoopbackServer();
    LoopbackServer(const LoopbackServer &) = delete;
    LoopbackServer &operator=(const LoopbackServer &) = delete;

    bool ok() const { return m_port > 0; }
    QString error() const { return m_error; }
    int port() const { return m_port; }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    // A folder that lives as long as the server (token files, keys).
    QString filePath(const QString &name) const { return m_dir.filePath(name); }

    // POST (or GET) to /_test/...; the JSON answer.
    nlohmann::json control(const QString &method, const QString &pathAndQuery);
    // What the server received, oldest first.
    nlohmann::json requests() { return control("GET", "/_test/requests")["requests"]; }

protected:
    // For subclasses that write files the server reads before it starts.
    struct Deferred {};
    explicit LoopbackServer(Deferred) {}
    void start(const QString &script, const QStringList &args);

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    int m_port = 0;
    QString m_error;
};

} // namespace pw::test
