// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/backend.h"

#include <string>

namespace pw::cli {

// Prints a run's progress until it ends (a line per task state change, task
// output with `logs`, the end of each failed task's log); Ctrl-C cancels the
// run. Returns the exit code: 0 only if the run succeeded.
int followRun(Backend &backend, const std::string &runId, bool logs, bool header = true);

// "run ID" and, where the server has a UI, the run's address there; then,
// with `wait`, follows it (followRun without its header).
int startedRun(Backend &backend, const SubmittedRun &run, bool wait, bool logs);

} // namespace pw::cli
