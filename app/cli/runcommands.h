// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw::cli {

// The local engine's commands; each returns the exit code (0 success, 1 failure, 2 usage).
int runCommand(int argc, char **argv);    // run FILE: 0 only if the run succeeded
int runsCommand(int argc, char **argv);
int showCommand(int argc, char **argv);
int logsCommand(int argc, char **argv);
int resumeCommand(int argc, char **argv);
int cancelCommand(int argc, char **argv);

} // namespace pw::cli
