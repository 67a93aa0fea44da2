// SPDX-License-Identifier: Apache-2.0
#include "runview/webenginesetup.h"

#include <QCoreApplication>

#include <unistd.h>

namespace pw {

void prepareWebEngine()
{
    if (geteuid() == 0 && qEnvironmentVariableIsEmpty("QTWEBENGINE_CHROMIUM_FLAGS"))
        qputenv("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox");
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
}

} // namespace pw
