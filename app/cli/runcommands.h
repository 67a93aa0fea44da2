// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw::cli {

class CliContext;

// The run commands; each returns the exit code (0 success, 1 failure, 2 usage).
// They go through the backend `--backend NAME` names (default: the local engine).
int runCommand(CliContext &cx, int argc, char **argv); // run FILE: 0 only if the run succeeded
int runsCommand(CliContext &cx, int argc, char **argv);
int showCommand(CliContext &cx, int argc, char **argv);
int logsCommand(CliContext &cx, int argc, char **argv);
int resumeCommand(CliContext &cx, int argc, char **argv);
int cancelCommand(CliContext &cx, int argc, char **argv);
int rerunCommand(CliContext &cx, int argc, char **argv); // a new run of what RUN_ID ran

} // namespace pw::cli
