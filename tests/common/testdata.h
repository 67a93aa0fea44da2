// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

namespace pw::test {

// Paths to data the build told us about (never relative to the working directory).
QString referencePath(const QString &relative); // tests/reference/<relative>
QString testDataPath(const QString &relative);  // tests/data/<relative>
QString resourcesPath(const QString &relative); // resources/<relative>
QString binPath(const QString &name);           // build/bin/<name>

// Sorted file names in a directory matching a glob ("*.yaml").
QStringList filesIn(const QString &dir, const QString &glob);

} // namespace pw::test
