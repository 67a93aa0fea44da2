// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/runevent.h"

#include <optional>
#include <string>
#include <vector>

namespace pw::cli {

// Live progress of a run on stdout, from its RunEvents: the run's header, one
// line per task state change, task output with --logs, and the outcome.
class ProgressPrinter final {
public:
    // header: print the run's name and where to see it first.
    explicit ProgressPrinter(bool logs, bool header = true) : m_logs(logs), m_headerShown(!header) {}

    // Prints what the event says; returns the exit code once the run ended
    // (0 only if it succeeded).
    std::optional<int> print(const RunEvent &event);
    // Container tasks that failed, in the order they did.
    const std::vector<std::string> &failedTasks() const { return m_failed; }

private:
    std::vector<std::string> m_failed;
    bool m_logs;
    bool m_headerShown = false;
    RunGraph m_run;
};

// A log line as watches deliver it ("<time> out|err <text>"), taken apart.
struct LogLineParts {
    std::string time;
    bool isStderr = false;
    std::string text;
};
LogLineParts splitLogLine(const std::string &line);

} // namespace pw::cli
