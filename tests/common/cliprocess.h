// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

#include <vector>

namespace pw::test {

// What a `pipewright` process did.
struct CliOutcome {
    int code = -1; // -1: it crashed or did not finish in time
    QString out, err;
    QString all() const { return out + err; }
};

// Runs the built `pipewright` with `args` in `workDir` (default: the test's)
// with `env` (default: this process's), waiting at most `timeoutMs`.
CliOutcome runPipewright(const QStringList &args, const QString &workDir = {},
                         const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
                         int timeoutMs = 120000);

// `pipewright` processes with their own configuration and data folders (a
// temporary home), and what each printed, to check that a secret never shows.
class CliSandbox final {
public:
    CliOutcome run(const QStringList &args);
    // Where `secret` shows: an outcome's output or backends.yaml ("" when nowhere).
    QString whereShown(const QString &secret) const;
    QString path(const QString &name) const { return m_dir.filePath(name); }

private:
    QTemporaryDir m_dir;
    std::vector<CliOutcome> m_outcomes;
};

} // namespace pw::test
