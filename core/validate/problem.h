// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <string>
#include <vector>

namespace pw {

// One finding of validation: shared by the canvas, compiler, CLI and tests.
struct Problem {
    enum class Severity { Error, Warning, Info };
    Severity severity = Severity::Error;
    std::string message; // what is wrong and what to do about it
    Location where;

    // "file:line:col: error: message" (CLI format)
    std::string toString() const;
};

bool hasErrors(const std::vector<Problem> &problems);

} // namespace pw
