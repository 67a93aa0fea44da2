// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw {

// Call before constructing the QApplication of any process that shows the run
// view: Qt WebEngine needs shared OpenGL contexts, and Chromium's sandbox
// refuses to start as root (containers, CI), where it is turned off.
void prepareWebEngine();

} // namespace pw
