// SPDX-License-Identifier: Apache-2.0
#include "enginesandbox.h"

#include "testdata.h"

namespace pw::test {

EngineSandbox::EngineSandbox() : m_env(QProcessEnvironment::systemEnvironment())
{
    m_env.insert("XDG_DATA_HOME", m_dir.filePath("data"));
}

CliOutcome EngineSandbox::run(const QStringList &args, int timeoutMs)
{
    return runPipewright(args, m_dir.path(), m_env, timeoutMs);
}

CliOutcome EngineSandbox::hostile(const QString &script, const QString &file, const QStringList &extra)
{
    return run(QStringList{"run", testDataPath("engine/" + file), "--param", "script=" + script} + extra);
}

nlohmann::json EngineSandbox::lastRun()
{
    const CliOutcome list = run({"runs", "--json"});
    const auto runs = nlohmann::json::parse(list.out.toStdString(), nullptr, false);
    if (!runs.is_array() || runs.empty())
        return nullptr;
    const CliOutcome show = run({"show", QString::fromStdString(runs[0]["id"].get<std::string>()), "--json"});
    return nlohmann::json::parse(show.out.toStdString(), nullptr, false);
}

std::unique_ptr<QProcess> EngineSandbox::start(const QStringList &args)
{
    auto p = std::make_unique<QProcess>();
    p->setProgram(binPath("pipewright"));
    p->setArguments(args);
    p->setWorkingDirectory(m_dir.path());
    p->setProcessEnvironment(m_env);
    p->start();
    return p;
}

} // namespace pw::test
