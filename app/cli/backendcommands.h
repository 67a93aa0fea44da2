// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw::cli {

class CliContext;

// backend add|list|remove|test
int backendCommand(CliContext &cx, int argc, char **argv);
// submit FILE --backend NAME ...: a run on a configured backend
int submitCommand(CliContext &cx, int argc, char **argv);
// schedule FILE --backend NAME --cron EXPR ...; schedules; unschedule ID
int scheduleCommand(CliContext &cx, int argc, char **argv);
int schedulesCommand(CliContext &cx, int argc, char **argv);
int unscheduleCommand(CliContext &cx, int argc, char **argv);

} // namespace pw::cli
