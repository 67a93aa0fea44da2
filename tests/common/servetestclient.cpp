// SPDX-License-Identifier: Apache-2.0
#include "servetestclient.h"

#include "testdata.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcessEnvironment>
#include <QRegularExpression>

#include <csignal>

namespace pw::test {

namespace {

constexpr int kWaitMs = 60000;

// "HTTP/1.1 200 OK\r\nName: value..." -> status and headers.
int parseHead(const QByteArray &head, std::map<std::string, std::string> &headers)
{
    const QList<QByteArray> lines = head.split('\n');
    const QList<QByteArray> first = lines.front().split(' ');
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon > 0)
            headers[lines[i].left(colon).trimmed().toLower().toStdString()] =
                lines[i].mid(colon + 1).trimmed().toStdString();
    }
    return first.size() >= 2 ? first[1].toInt() : 0;
}

} // namespace

ServeProcess::ServeProcess(const QStringList &args, const QStringList &extraEnv,
                           const QByteArray &backendsYaml)
{
    if (!backendsYaml.isEmpty()) {
        QDir().mkpath(m_home.filePath("config"));
        QFile config(m_home.filePath("config/backends.yaml"));
        if (config.open(QIODevice::WriteOnly)) {
            config.write(backendsYaml);
            config.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        }
    }
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PIPEWRIGHT_CONFIG_DIR", m_home.filePath("config"));
    env.insert("XDG_DATA_HOME", m_home.filePath("data"));
    env.insert("XDG_CONFIG_HOME", m_home.filePath("xdg-config"));
    for (const QString &pair : extraEnv)
        env.insert(pair.section('=', 0, 0), pair.section('=', 1));
    m_process.setProcessEnvironment(env);
    m_process.setWorkingDirectory(m_home.path());
    m_process.start(binPath("pipewright"), QStringList{"serve", "--listen", "127.0.0.1:0"} + args);
    static const QRegularExpression listening("listening on http://127\\.0\\.0\\.1:(\\d+)\\n");
    static const QRegularExpression tokenLine("#token=([A-Za-z0-9_-]+)\\n");
    QDeadlineTimer deadline(kWaitMs);
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(200) && m_process.state() == QProcess::NotRunning)
            break;
        m_out += m_process.readAllStandardOutput();
        const QString text = QString::fromUtf8(m_out);
        const auto port = listening.match(text);
        if (!port.hasMatch())
            continue;
        const auto token = tokenLine.match(text);
        if (!token.hasMatch() && !args.contains("--token-env") && !args.contains("--token-file"))
            continue;
        m_token = token.captured(1);
        m_port = static_cast<quint16>(port.captured(1).toUInt());
        return;
    }
    m_error =
        "pipewright serve did not start: " + QString::fromUtf8(m_out + m_process.readAllStandardError());
}

ServeProcess::~ServeProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        ::kill(static_cast<pid_t>(m_process.processId()), SIGTERM);
        if (!m_process.waitForFinished(kWaitMs))
            m_process.kill();
        m_process.waitForFinished();
    }
}

QString ServeProcess::output()
{
    m_out += m_process.readAllStandardOutput();
    m_err += m_process.readAllStandardError();
    return QString::fromUtf8(m_out + m_err);
}

QStringList ServeProcess::filesContaining(const QString &secret) const
{
    QStringList found;
    QDirIterator it(m_home.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(secret.toUtf8()))
            found << f.fileName();
    }
    return found;
}

nlohmann::json HttpReply::json() const
{
    return nlohmann::json::parse(body.toStdString(), nullptr, false);
}

std::string HttpReply::header(const std::string &name) const
{
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
}

HttpReply httpCall(quint16 port, const QByteArray &method, const QByteArray &target,
                   const std::vector<std::pair<QByteArray, QByteArray>> &headers, const QByteArray &body)
{
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", port);
    HttpReply reply;
    if (!socket.waitForConnected(kWaitMs))
        return reply;
    QByteArray request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const auto &[k, v] : headers)
        request += k + ": " + v + "\r\n";
    if (!body.isEmpty() || method == "POST")
        request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    request += "\r\n" + body;
    socket.write(request);
    QByteArray received;
    QDeadlineTimer deadline(kWaitMs);
    while (socket.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
        socket.waitForReadyRead(500);
        received += socket.readAll();
    }
    received += socket.readAll();
    const qsizetype end = received.indexOf("\r\n\r\n");
    if (end < 0)
        return reply;
    reply.status = parseHead(received.left(end), reply.headers);
    reply.body = received.mid(end + 4);
    return reply;
}

SseReader::SseReader(quint16 port, const QByteArray &target, const QByteArray &token, QObject *parent)
    : QObject(parent)
{
    connect(&m_socket, &QTcpSocket::readyRead, this, &SseReader::read);
    connect(&m_socket, &QTcpSocket::disconnected, this, [this] {
        read();
        m_closed = true;
    });
    connect(&m_socket, &QTcpSocket::errorOccurred, this, [this] { m_closed = true; });
    connect(&m_socket, &QTcpSocket::connected, this, [this, target, token] {
        m_socket.write("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n" +
                       "Authorization: Bearer " + token + "\r\n\r\n");
    });
    m_socket.connectToHost("127.0.0.1", port);
}

const SseReader::Event *SseReader::find(const std::string &kind) const
{
    for (const Event &e : m_events)
        if (e.kind == kind)
            return &e;
    return nullptr;
}

void SseReader::read()
{
    if (!m_socket.isOpen())
        return;
    const QByteArray bytes = m_socket.readAll();
    m_raw += bytes;
    m_pending += bytes;
    if (!m_headDone) {
        const qsizetype end = m_pending.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        std::map<std::string, std::string> headers;
        m_status = parseHead(m_pending.left(end), headers);
        m_eventStream = headers["content-type"].rfind("text/event-stream", 0) == 0;
        m_pending.remove(0, end + 4);
        m_headDone = true;
    }
    // Events are separated by a blank line; "event:" and "data:" fields.
    // (A plain-text stream, a followed log, has none: it is only kept in raw().)
    if (!m_eventStream) {
        m_pending.clear();
        return;
    }
    for (qsizetype end = m_pending.indexOf("\n\n"); end >= 0; end = m_pending.indexOf("\n\n")) {
        Event e;
        for (const QByteArray &line : m_pending.left(end).split('\n')) {
            if (line.startsWith("event: "))
                e.kind = line.mid(7).toStdString();
            else if (line.startsWith("data: "))
                e.data = nlohmann::json::parse(line.mid(6).toStdString(), nullptr, false);
        }
        m_pending.remove(0, end + 2);
        if (!e.kind.empty())
            m_events.push_back(std::move(e));
    }
}

} // namespace pw::test
