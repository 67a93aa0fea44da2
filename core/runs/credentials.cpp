// SPDX-License-Identifier: Apache-2.0
#include "runs/credentials.h"

#include "util/yamljson.h"

#include <QEventLoop>
#include <QProcess>

#include <qt6keychain/keychain.h>

#include <algorithm>
#include <cstdlib>

namespace pw {

namespace {

constexpr const char *kKeyringService = "pipewright";

std::string trimmed(std::string s)
{
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start])))
        ++start;
    return s.substr(start);
}

Error sourceError(const CredentialSource &source, const std::string &why)
{
    return Error{"credential " + source.describe() + ": " + why, {}};
}

Result<Secret> fromCommand(const CredentialSource &source, int timeoutMs)
{
    QProcess process;
    process.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QString::fromStdString(source.ref)});
    if (!process.waitForStarted(timeoutMs))
        return sourceError(source, "cannot start /bin/sh");
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(1000);
        return sourceError(source, "the command did not finish within " + std::to_string(timeoutMs / 1000) + " s");
    }
    Secret value(trimmed(process.readAllStandardOutput().toStdString()));
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        // Its error output may help; it must not carry what it printed as the token.
        std::string err = trimmed(process.readAllStandardError().toStdString());
        err = value.redact(err.substr(0, err.find('\n')));
        return sourceError(source, "the command failed (exit code " + std::to_string(process.exitCode()) + ")" +
                                       (err.empty() ? std::string() : ": " + err));
    }
    if (value.empty())
        return sourceError(source, "the command printed nothing");
    return value;
}

// QtKeychain jobs are asynchronous; a local event loop waits for one.
template <typename Job>
bool runJob(Job &job)
{
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    loop.exec();
    return job.error() == QKeychain::NoError;
}

} // namespace

Secret &Secret::operator=(const Secret &other)
{
    if (this != &other) {
        wipe();
        m_value = other.m_value;
    }
    return *this;
}

Secret &Secret::operator=(Secret &&other) noexcept
{
    if (this != &other) {
        wipe();
        m_value = std::move(other.m_value);
        other.wipe();
    }
    return *this;
}

void Secret::wipe() noexcept
{
    std::fill(m_value.begin(), m_value.end(), '\0');
    m_value.clear();
}

std::string Secret::redact(std::string text) const
{
    if (m_value.empty())
        return text;
    for (std::size_t at; (at = text.find(m_value)) != std::string::npos;)
        text.replace(at, m_value.size(), "[redacted]");
    return text;
}

Result<Secret> readCredential(const CredentialSource &source, int timeoutMs)
{
    switch (source.kind) {
    case CredentialSource::Kind::None:
        return Secret{};
    case CredentialSource::Kind::Env: {
        const char *value = std::getenv(source.ref.c_str());
        if (!value || !*value)
            return sourceError(source, "the environment variable " + source.ref + " is not set");
        return Secret(trimmed(value));
    }
    case CredentialSource::Kind::File: {
        auto text = readTextFile(source.ref);
        if (!text.ok())
            return sourceError(source, text.error().message);
        Secret value(trimmed(std::move(text).value()));
        if (value.empty())
            return sourceError(source, "the file is empty");
        return value;
    }
    case CredentialSource::Kind::Command:
        return fromCommand(source, timeoutMs);
    case CredentialSource::Kind::Keyring: {
        QKeychain::ReadPasswordJob job(QString::fromLatin1(kKeyringService));
        job.setKey(QString::fromStdString(source.ref));
        if (!runJob(job))
            return sourceError(source, "the system keyring said: " + job.errorString().toStdString());
        return Secret(job.textData().toStdString());
    }
    }
    return sourceError(source, "unknown source");
}

Result<bool> storeInKeyring(const std::string &entry, const Secret &value)
{
    QKeychain::WritePasswordJob job(QString::fromLatin1(kKeyringService));
    job.setKey(QString::fromStdString(entry));
    job.setTextData(QString::fromStdString(value.reveal()));
    if (!runJob(job))
        return Error{"cannot store keyring entry '" + entry + "': " + job.errorString().toStdString(), {}};
    return true;
}

} // namespace pw
