// SPDX-License-Identifier: Apache-2.0
#include "util/installpaths.h"

#include <QDir>
#include <QFileInfo>

#include <filesystem>

namespace pw {

QString programDir()
{
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (ec)
        return QDir::currentPath();
    return QFileInfo(QString::fromStdString(exe.string())).absolutePath();
}

namespace {

QString relativePath(InstallDir dir)
{
    return dir == InstallDir::Data ? QStringLiteral(PW_INSTALL_DATADIR "/pipewright")
                                   : QStringLiteral(PW_INSTALL_LIBDIR "/pipewright/plugins");
}

} // namespace

QString configuredPath(InstallDir dir) { return QStringLiteral(PW_INSTALL_PREFIX "/") + relativePath(dir); }

QString installedPath(InstallDir dir)
{
    if (dir == InstallDir::Data) {
        const QString env = qEnvironmentVariable("PIPEWRIGHT_RESOURCES_DIR");
        if (!env.isEmpty())
            return env;
    }
    // <prefix>/<bindir>/program: climb as many levels as bindir has.
    QDir prefix(programDir());
    for (int i = 0, n = int(QStringLiteral(PW_INSTALL_BINDIR).count('/')) + 1; i < n; ++i)
        prefix.cdUp();
    return QDir::cleanPath(prefix.absoluteFilePath(relativePath(dir)));
}

} // namespace pw
