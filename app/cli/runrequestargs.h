// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/runservice.h"

#include <string>
#include <variant>
#include <vector>

namespace pw::cli {

// FILE and its --param NAME=VALUE values as a validated, lowered request, for
// run, submit and schedule. The document's own relative paths resolve next to
// it; typed values that name something here, here. On failure it has printed
// what is wrong (located) and returns the exit code.
std::variant<RunRequest, int> requestFromFile(const std::string &file, const std::vector<std::string> &params,
                                              RunSettings settings);

} // namespace pw::cli
