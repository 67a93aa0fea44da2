// SPDX-License-Identifier: Apache-2.0
#include "runs/pollingrunwatch.h"

#include "runs/await.h"

#include <algorithm>
#include <map>

namespace pw {

namespace {

std::vector<std::string> splitLines(std::string_view text)
{
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t nl = text.find('\n', start);
        const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
        lines.emplace_back(text.substr(start, end - start));
        start = end + 1;
    }
    return lines;
}

bool sameTask(const TaskRecord &a, const TaskRecord &b)
{
    return a.state == b.state && a.attempts == b.attempts && a.startedMs == b.startedMs &&
           a.finishedMs == b.finishedMs && a.message == b.message && a.outputs == b.outputs &&
           a.logSource == b.logSource;
}

// Whether every task of `before` is still there (a server may list tasks in
// another order, and adds them as they start).
bool keepsTasks(const RunGraph &before, const RunGraph &after)
{
    for (const TaskRecord &t : before.tasks)
        if (!after.task(t.id))
            return false;
    return true;
}

// A task's artifacts and metrics, to tell which tasks' outputs changed.
std::map<std::string, std::string> outputsByTask(const RunGraph &run)
{
    std::map<std::string, std::string> out;
    for (const ArtifactRecord &a : run.artifacts)
        out[a.task] += a.name + '\x1f' + a.uri + '\x1f' + a.visualization + '\x1e';
    for (const MetricRecord &m : run.metrics)
        out[m.task] += m.name + '\x1f' + std::to_string(m.value) + '\x1e';
    return out;
}

RunEvent outputsEvent(const RunGraph &run, const std::string &runId, const std::string &taskId)
{
    RunEvent e;
    e.kind = RunEvent::Kind::Outputs;
    e.runId = runId;
    e.taskId = taskId;
    for (const ArtifactRecord &a : run.artifacts)
        if (a.task == taskId)
            e.artifacts.push_back(a);
    for (const MetricRecord &m : run.metrics)
        if (m.task == taskId)
            e.metrics.push_back(m);
    return e;
}

} // namespace

PollingRunWatch::PollingRunWatch(Backend *backend, std::string runId, Intervals intervals, QObject *parent)
    : RunWatch(std::move(runId), parent), m_backend(backend), m_intervals(intervals), m_intervalMs(intervals.minMs)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &PollingRunWatch::tick);
    m_timer.start(0);
}

void PollingRunWatch::followLogs(const std::string &taskId)
{
    m_logTask = taskId;
    m_logText.clear();
    m_logFresh = true;
    if (!taskId.empty() && !m_inFlight) {
        m_timer.stop();
        m_timer.start(0);
    }
}

void PollingRunWatch::tick()
{
    if (m_inFlight || (m_ended && m_logTask.empty()))
        return;
    m_inFlight = true;
    ++m_requests;
    if (m_ended) {
        // The run is over; only a newly followed log is left to read.
        const std::string task = m_logTask;
        whenReady(m_backend->logs(runId(), task), this,
                  [this, task](Result<std::string> r) { onLogs(task, std::move(r)); });
        return;
    }
    whenReady(m_backend->getRun(runId()), this, [this](Result<RunGraph> r) { onRun(std::move(r)); });
}

void PollingRunWatch::onRun(Result<RunGraph> result)
{
    m_inFlight = false;
    if (!result.ok()) {
        connectionLost(result.error());
        return;
    }
    if (!m_connected) {
        m_connected = true;
        RunEvent e;
        e.kind = RunEvent::Kind::Connection;
        e.runId = runId();
        e.connected = true;
        emit event(e);
    }
    const bool changed = diff(*result);
    m_last = std::move(result).value();
    const TaskRecord *followed = m_logTask.empty() ? nullptr : m_last->task(m_logTask);
    if (followed && (followed->state != TaskState::Pending || !followed->logSource.empty())) {
        m_inFlight = true;
        ++m_requests;
        const std::string task = m_logTask;
        whenReady(m_backend->logs(runId(), task), this,
                  [this, task, changed](Result<std::string> r) {
                      onLogs(task, std::move(r));
                      if (!m_ended)
                          schedule(changed);
                  });
        return;
    }
    if (!m_ended)
        schedule(changed);
}

bool PollingRunWatch::diff(const RunGraph &fresh)
{
    bool changed = false;
    if (!m_last || !keepsTasks(*m_last, fresh)) {
        RunEvent e;
        e.kind = RunEvent::Kind::Snapshot;
        e.runId = runId();
        e.run = std::make_shared<const RunGraph>(fresh);
        emit event(e);
        changed = true;
    } else {
        // New tasks and changed ones, as task events: a view adds what it has not seen.
        for (const TaskRecord &t : fresh.tasks) {
            const TaskRecord *old = m_last->task(t.id);
            if (old && sameTask(*old, t))
                continue;
            RunEvent te;
            te.kind = RunEvent::Kind::Task;
            te.runId = runId();
            te.task = t;
            emit event(te);
            changed = true;
        }
        const auto before = outputsByTask(*m_last);
        for (const auto &[task, signature] : outputsByTask(fresh)) {
            const auto it = before.find(task);
            if (it == before.end() || it->second != signature) {
                emit event(outputsEvent(fresh, runId(), task));
                changed = true;
            }
        }
        if (m_last->state != fresh.state || m_last->message != fresh.message) {
            RunEvent e;
            e.kind = RunEvent::Kind::Run;
            e.runId = runId();
            e.state = fresh.state;
            e.message = fresh.message;
            emit event(e);
            changed = true;
        }
    }
    if (isTerminal(fresh.state)) {
        m_ended = true;
        RunEvent end;
        end.kind = RunEvent::Kind::End;
        end.runId = runId();
        end.state = fresh.state;
        end.message = fresh.message;
        end.finishedMs = fresh.finishedMs;
        emit event(end);
    }
    return changed;
}

void PollingRunWatch::onLogs(const std::string &taskId, Result<std::string> result)
{
    m_inFlight = false;
    if (taskId != m_logTask) {
        // Another task was chosen meanwhile: read that one next.
        if (!m_logTask.empty())
            m_timer.start(0);
        return;
    }
    RunEvent e;
    e.kind = RunEvent::Kind::Log;
    e.runId = runId();
    e.taskId = taskId;
    if (!result.ok()) {
        if (m_logFresh) {
            e.reset = true;
            e.message = result.error().message;
            m_logFresh = false;
            emit event(e);
        }
        return;
    }
    const std::string &text = *result;
    const TaskRecord *task = m_last ? m_last->task(taskId) : nullptr;
    // A line still being written is shown once it is complete (or the task ended).
    const bool complete = m_ended || (task && isTerminal(task->state));
    const std::size_t upTo = complete ? text.size() : text.rfind('\n') + 1;
    if (m_logFresh || text.compare(0, m_logText.size(), m_logText) != 0) {
        e.reset = true;
        e.lines = splitLines(std::string_view(text).substr(0, upTo));
        m_logText = text.substr(0, upTo);
        m_logFresh = false;
        emit event(e);
        return;
    }
    if (upTo <= m_logText.size())
        return;
    e.lines = splitLines(std::string_view(text).substr(m_logText.size(), upTo - m_logText.size()));
    m_logText = text.substr(0, upTo);
    emit event(e);
}

void PollingRunWatch::schedule(bool changed)
{
    m_intervalMs = changed ? m_intervals.minMs
                           : std::min(m_intervals.maxMs, static_cast<int>(m_intervalMs * m_intervals.backoff));
    m_timer.start(m_intervalMs);
}

void PollingRunWatch::connectionLost(const Error &error)
{
    if (m_connected) {
        m_connected = false;
        RunEvent e;
        e.kind = RunEvent::Kind::Connection;
        e.runId = runId();
        e.connected = false;
        e.message = error.message;
        emit event(e);
    }
    m_intervalMs = std::min(m_intervals.maxMs, static_cast<int>(m_intervalMs * m_intervals.backoff));
    m_timer.start(m_intervalMs);
}

} // namespace pw
