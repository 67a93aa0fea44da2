// SPDX-License-Identifier: Apache-2.0
#include "cliprocess.h"

#include "testdata.h"

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
        return {-1, QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

} // namespace pw::test
