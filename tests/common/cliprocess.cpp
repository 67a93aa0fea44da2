// SPDX-License-Identifier: Apache-2.0
#include "cliprocess.h"

#include "testdata.h"

#include <QFile>
#include <QProcess>

namespace pw::test {

CliOutcome runPipewright(const QStringList &args, const QString &workDir, const QProcessEnvironment &env,
                         int timeoutMs)
{
    QProcess p;
    p.setProcessEnvironment(env);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(binPath("pipewright"), args);
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-1, QString::fromUtf8(p.readAllStandardOutput()),
                QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
}

CliOutcome CliSandbox::run(const QStringList &args)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("PIPEWRIGHT_CONFIG_DIR", m_dir.filePath("config"));
    env.insert("XDG_DATA_HOME", m_dir.filePath("data"));
    CliOutcome o = runPipewright(args, m_dir.path(), env);
    m_outcomes.push_back(o);
    return o;
}

QString CliSandbox::whereShown(const QString &secret) const
{
    for (const CliOutcome &o : m_outcomes)
        if (o.all().contains(secret))
            return o.all();
    QFile config(m_dir.filePath("config/backends.yaml"));
    if (config.open(QIODevice::ReadOnly) && config.readAll().contains(secret.toUtf8()))
        return config.fileName();
    return {};
}

} // namespace pw::test
