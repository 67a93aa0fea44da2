// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "cliprocess.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <memory>

namespace pw::test {

// `pipewright` processes with a run store and a working folder of their own
// (XDG_DATA_HOME in a temporary folder), for tests of the local engine.
class EngineSandbox final {
public:
    EngineSandbox();
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString storeFile() const { return m_dir.filePath("data/pipewright/runs.db"); }
    QProcessEnvironment &env() { return m_env; }

    CliOutcome run(const QStringList &args, int timeoutMs = 120000);
    // `run` of tests/data/engine/hostile.pipewright.yaml (or `file` there)
    // with emit's script, plus `extra` arguments.
    CliOutcome hostile(const QString &script, const QString &file = "hostile.pipewright.yaml",
                       const QStringList &extra = {});
    // `show --json` of the newest run (null when there is none).
    nlohmann::json lastRun();
    // A `pipewright` process started and left running.
    std::unique_ptr<QProcess> start(const QStringList &args);

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
};

} // namespace pw::test
