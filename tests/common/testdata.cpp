// SPDX-License-Identifier: Apache-2.0
#include "testdata.h"

#include <QDir>

namespace pw::test {

QString referencePath(const QString &relative) { return QStringLiteral(PW_REFERENCE_DIR "/") + relative; }
QString testDataPath(const QString &relative) { return QStringLiteral(PW_TEST_DATA_DIR "/") + relative; }
QString resourcesPath(const QString &relative) { return QStringLiteral(PW_RESOURCES_DIR "/") + relative; }
QString binPath(const QString &name) { return QStringLiteral(PW_BIN_DIR "/") + name; }

QStringList filesIn(const QString &dir, const QString &glob)
{
    QStringList names = QDir(dir).entryList({glob}, QDir::Files, QDir::Name);
    for (QString &n : names)
        n = QDir(dir).filePath(n);
    return names;
}

} // namespace pw::test
