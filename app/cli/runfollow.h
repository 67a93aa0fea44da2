// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backend.h"

#include <string>

namespace pw::cli {

// Prints a run's progress until it ends (a line per task state change, task
// output with `logs`, the end of each failed task's log); Ctrl-C cancels the
// run. Returns the exit code: 0 only if the run succeeded.
int followRun(Backend &backend, const std::string &runId, bool logs, bool header = true);

} // namespace pw::cli
