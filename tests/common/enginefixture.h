// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/engine.h"
#include "ir/pipelinespec.h"
#include "engine/runstore.h"

#include <QString>
#include <QTemporaryDir>

#include <map>
#include <memory>
#include <string>

namespace pw::test {

// A run store in its own temporary directory, also exported as
// XDG_DATA_HOME so that pipewright processes started by the test use it.
class EngineFixture final {
public:
    EngineFixture();
    bool ok() const { return m_store != nullptr; }
    RunStore &store() { return *m_store; }
    QString path(const QString &name) const { return m_dir.filePath(name); }
    QString dataDir() const { return m_dir.filePath("data"); }

    // Loads a file as the CLI does (document, component or PipelineSpec),
    // applies NAME=VALUE parameters and lowers it to the IR.
    Result<ir::PipelineSpec> compile(const QString &file, const std::map<std::string, std::string> &params = {});
    // Compiles, runs to the end with the working directory in the temp dir, and reads the run back.
    Result<RunGraph> run(const QString &file, const std::map<std::string, std::string> &params = {},
                         EngineOptions options = {});
    Result<RunGraph> run(const ir::PipelineSpec &spec, EngineOptions options = {});

private:
    QTemporaryDir m_dir;
    std::unique_ptr<RunStore> m_store;
};

QString readText(const QString &path);

// States as text, so that QCOMPARE prints them when they differ.
inline QString stateText(TaskState s) { return QString::fromLatin1(toString(s).data(), toString(s).size()); }
inline QString stateText(RunState s) { return QString::fromLatin1(toString(s).data(), toString(s).size()); }

} // namespace pw::test
