// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw::cli {

// Task output (logs, messages, parameter values) may hold terminal control
// sequences: printed as they are, a task could move the cursor, rewrite what
// was printed, set the window title or worse. When standard output or error
// is a terminal, everything written through std::cout / std::cerr passes a
// filter that shows control characters in caret notation (ESC as ^[, CR as
// ^M, DEL as ^?) and the C1 controls U+0080..U+009F as <U+009B>; newline and
// tab stay. Pipes and files get the bytes unchanged (scripts, --json).
void neutraliseTerminalControls();

} // namespace pw::cli
