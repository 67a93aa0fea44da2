// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

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

} // namespace pw::test
