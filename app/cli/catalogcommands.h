// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw::cli {

class CliContext;

// experiments [--json] [--all] | experiments archive NAME|ID (on --backend NAME)
int experimentsCommand(CliContext &cx, int argc, char **argv);
// pipelines [--json]: the pipelines uploaded to --backend NAME, with their versions
int pipelinesCommand(CliContext &cx, int argc, char **argv);
// archive RUN_ID: hidden from run lists, kept on the server
int archiveCommand(CliContext &cx, int argc, char **argv);
// delete RUN_ID: gone for good
int deleteCommand(CliContext &cx, int argc, char **argv);

} // namespace pw::cli
