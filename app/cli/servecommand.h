// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw::cli {

class CliContext;

// serve: the REST API and the web view (app/serve) until Ctrl-C or SIGTERM.
// Returns 2 for bad arguments (or a non-loopback address without a token),
// 1 when it cannot listen, 0 after a clean stop.
int serveCommand(CliContext &cx, int argc, char **argv);

} // namespace pw::cli
