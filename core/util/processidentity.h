// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace pw {

// A pid alone is not an identity: the kernel reuses pids. The pid plus the
// process's start time (from /proc) is, so a reader can tell that the engine
// recorded for a run is gone even if another process now has its pid.
std::string processStartToken(long pid); // empty when there is no such process
bool processMatches(long pid, const std::string &startToken);
long currentPid();

} // namespace pw
