// SPDX-License-Identifier: Apache-2.0
#include "progressprinter.h"

#include <QDateTime>

#include <cstdio>
#include <iostream>

namespace pw::cli {

namespace {

std::string clock(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString("HH:mm:ss").toStdString();
}

void printTaskChange(const TaskRecord &t)
{
    if (t.kind == "iteration" && t.state == TaskState::Running)
        return; // the iteration's tasks say enough
    std::cout << clock(t.state == TaskState::Running ? t.startedMs : t.finishedMs) << "  " << toString(t.state);
    std::cout << std::string(10 - std::min<std::size_t>(10, toString(t.state).size()), ' ') << t.id;
    if (t.attempts > 1)
        std::cout << " (attempt " << t.attempts << ")";
    if (!t.message.empty() && t.state != TaskState::Running)
        std::cout << ": " << t.message;
    std::cout << "\n";
}

} // namespace

LogLineParts splitLogLine(const std::string &line)
{
    LogLineParts parts;
    const std::size_t space = line.find(' ');
    if (space == std::string::npos || line.size() < space + 5 ||
        (line.compare(space + 1, 4, "out ") != 0 && line.compare(space + 1, 4, "err ") != 0)) {
        parts.text = line; // not in the engine's form: show it as it is
        return parts;
    }
    parts.time = line.substr(0, space);
    parts.isStderr = line.compare(space + 1, 3, "err") == 0;
    parts.text = line.substr(space + 5);
    return parts;
}

std::optional<int> ProgressPrinter::print(const RunEvent &e)
{
    apply(m_run, e);
    switch (e.kind) {
    case RunEvent::Kind::Snapshot:
        if (!m_headerShown) {
            m_headerShown = true;
            std::cout << "run " << m_run.id << " (" << m_run.name << ")\n";
            if (const std::string dir = extraText(m_run.extra, "runDir"); !dir.empty())
                std::cout << "  run directory: " << dir << "\n";
            else if (!m_run.webUrl.empty())
                std::cout << "  " << m_run.webUrl << "\n";
        }
        break;
    case RunEvent::Kind::Task:
        printTaskChange(e.task);
        if (e.task.state == TaskState::Failed && (e.task.kind == "container" || e.task.kind == "importer"))
            m_failed.push_back(e.task.id);
        break;
    case RunEvent::Kind::Log:
        if (m_logs)
            for (const std::string &line : e.lines) {
                const LogLineParts parts = splitLogLine(line);
                std::cout << "  [" << e.taskId << (parts.isStderr ? "!" : "") << "] " << parts.text << "\n";
            }
        break;
    case RunEvent::Kind::Connection:
        std::cerr << (e.connected ? "pipewright: connected again\n"
                                  : "pipewright: lost the connection (" + e.message + "); retrying\n");
        break;
    case RunEvent::Kind::End:
        std::cout << "run " << m_run.id << " " << toString(m_run.state);
        if (m_run.finishedMs > m_run.createdMs && m_run.createdMs > 0)
            std::printf(" in %.1f s", static_cast<double>(m_run.finishedMs - m_run.createdMs) / 1000.0);
        std::fflush(stdout);
        if (!m_run.message.empty() && m_run.state != RunState::Succeeded)
            std::cout << ": " << m_run.message;
        std::cout << "\n" << std::flush;
        return m_run.state == RunState::Succeeded ? 0 : 1;
    case RunEvent::Kind::Run:
    case RunEvent::Kind::Outputs:
        break;
    }
    std::cout << std::flush;
    return std::nullopt;
}

} // namespace pw::cli
