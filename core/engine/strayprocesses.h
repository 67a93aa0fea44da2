// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

namespace pw {

// Every process a task starts ends with the task. Each task process carries
// PIPEWRIGHT_TASK=<run id>/<task id> in its environment, and the engine is a
// child subreaper (PR_SET_CHILD_SUBREAPER): a process whose parent exits is
// re-parented to the engine instead of init, so whatever a task left behind,
// even after setsid(), is found below the engine when the task's own process
// ends, and killed with everything below it. After the engine itself was
// killed (kill -9), the next engine finds the interrupted run's processes
// anywhere on the machine by the same variable. A process that clears its own
// environment and leaves its process group escapes this; a cgroup per task
// would not, but needs a delegated cgroup tree, which most machines lack.
namespace strays {

inline constexpr const char *kVariable = "PIPEWRIGHT_TASK";

// "PIPEWRIGHT_TASK=<owner>", for a task's environment.
std::string ownerEntry(const std::string &owner);

// Makes this process the reaper of its descendants' orphans (once; cheap).
void becomeSubreaper();

// Kills and reaps the processes below this one whose PIPEWRIGHT_TASK is
// `owner` (and all below them), plus zombies left in process group `group`.
// Returns how many were killed.
int endBelow(const std::string &owner, long group);

// Kills every process this user may signal whose PIPEWRIGHT_TASK starts with
// `ownerPrefix` (e.g. "<run id>/"), wherever it is. Returns how many.
int endAnywhere(const std::string &ownerPrefix);

} // namespace strays

} // namespace pw
