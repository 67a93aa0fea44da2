// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <string>

namespace pw::cli {

// Exit codes: 0 success, 1 invalid input or failure, 2 usage error.
int usageError(const std::string &message);
// Prints an error (located when it has a place, else "pipewright: error: ...");
// `file` stands in for a missing file name. Returns 1.
int fail(const Error &error, const std::string &file = {});
// "file:line:col: error: ..." always (for problems in an input file).
void printLocated(const Error &error, const std::string &file);

} // namespace pw::cli
