// SPDX-License-Identifier: Apache-2.0
#include "validate/problem.h"

#include <algorithm>

namespace pw {

namespace {
const char *severityName(Problem::Severity s)
{
    switch (s) {
    case Problem::Severity::Error:
        return "error";
    case Problem::Severity::Warning:
        return "warning";
    case Problem::Severity::Info:
        return "info";
    }
    return "error";
}
} // namespace

std::string Problem::toString() const
{
    std::string out = where.toString();
    out += out.empty() ? "" : ": ";
    out += severityName(severity);
    out += ": ";
    out += message;
    // Without a file position the task id is the only way to find the culprit.
    if (where.line <= 0 && !where.task.empty())
        out += " (task: " + where.task + ')';
    return out;
}

bool hasErrors(const std::vector<Problem> &problems)
{
    return std::any_of(problems.begin(), problems.end(),
                       [](const Problem &p) { return p.severity == Problem::Severity::Error; });
}

} // namespace pw
