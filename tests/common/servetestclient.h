// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QTcpSocket>
#include <QTemporaryDir>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace pw::test {

// A real `pipewright serve` on a free loopback port with its own
// configuration and data folders; it reads the address and the token from
// the start-up lines and is stopped (SIGTERM) with the test.
class ServeProcess final {
public:
    // extraEnv: NAME=VALUE pairs added to the environment; backendsYaml: the
    // configuration's backends.yaml, when the test needs more than `local`.
    explicit ServeProcess(const QStringList &args, const QStringList &extraEnv = {},
                          const QByteArray &backendsYaml = {});
    ~ServeProcess();
    ServeProcess(const ServeProcess &) = delete;
    ServeProcess &operator=(const ServeProcess &) = delete;

    bool ok() const { return m_port > 0; }
    QString error() const { return m_error; }
    quint16 port() const { return m_port; }
    QString baseUrl() const { return QStringLiteral("http://127.0.0.1:%1").arg(m_port); }
    const QString &token() const { return m_token; } // empty when one was given
    // Everything the process printed so far (stdout and stderr).
    QString output();
    // Files under its configuration and data folders that hold `secret`.
    QStringList filesContaining(const QString &secret) const;

private:
    QTemporaryDir m_home;
    QProcess m_process;
    quint16 m_port = 0;
    QString m_token;
    QString m_error;
    QByteArray m_out, m_err;
};

struct HttpReply {
    int status = 0;                             // 0: no answer
    std::map<std::string, std::string> headers; // lower-case names
    QByteArray body;
    nlohmann::json json() const;
    std::string header(const std::string &name) const;
};

// One request on a fresh connection with the bytes exactly as given (no URL
// normalisation, so '..' and '%2F' reach the server as written); the reply
// once the server closes the connection.
HttpReply httpCall(quint16 port, const QByteArray &method, const QByteArray &target,
                   const std::vector<std::pair<QByteArray, QByteArray>> &headers = {},
                   const QByteArray &body = {});

// A client reading a stream as it comes (on the test's event loop): the
// events of a text/event-stream, and the raw bytes of any answer.
class SseReader final : public QObject {
    Q_OBJECT
public:
    struct Event {
        std::string kind;
        nlohmann::json data;
    };
    SseReader(quint16 port, const QByteArray &target, const QByteArray &token, QObject *parent = nullptr);

    int status() const { return m_status; }
    const std::vector<Event> &events() const { return m_events; }
    bool closed() const { return m_closed; }
    // The first event of this kind, or null.
    const Event *find(const std::string &kind) const;
    void abort() { m_socket.abort(); }
    const QByteArray &raw() const { return m_raw; }

private:
    void read();

    QTcpSocket m_socket;
    QByteArray m_raw, m_pending;
    int m_status = 0;
    bool m_headDone = false, m_closed = false, m_eventStream = false;
    std::vector<Event> m_events;
};

} // namespace pw::test
