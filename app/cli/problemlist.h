// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "validate/problem.h"

#include <string>
#include <vector>

namespace pw::cli {

// How many problems of one kind are printed before the rest of that kind
// is summed up in one line.
constexpr std::size_t kProblemsShownPerKind = 5;

// The kind of a problem: its severity and its message with the quoted names
// and the numbers in it blanked out, so that "Output 'a' of task 't1' is
// never used" and "Output 'b' of task 't2' is never used" are one kind.
std::string problemKind(const Problem &problem);

// Prints problems to stderr ("file:line:col: severity: message"; `file`
// stands in for a missing file name). With `all` every one of them, in
// order; otherwise, when a kind repeats more than kProblemsShownPerKind
// times, each kind's first ones are printed together, followed by
// "... and 9,995 more like this; `pipewright validate --all FILE` lists them".
// True when none is an error.
bool printProblems(const std::vector<Problem> &problems, const std::string &file, bool all = false);

} // namespace pw::cli
