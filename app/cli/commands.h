// SPDX-License-Identifier: Apache-2.0
#pragma once

namespace pw::cli {

// Each returns the process exit code: 0 success, 1 invalid input or failure, 2 usage error.
int validateCommand(int argc, char **argv);
int compileCommand(int argc, char **argv);
int importCommand(int argc, char **argv);

} // namespace pw::cli
