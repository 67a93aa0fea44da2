// SPDX-License-Identifier: Apache-2.0
#include "runs/pollingrunwatch.h"

#include "runs/await.h"

#include <algorithm>
#include <map>
#include <utility>

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
    m_logsDone.clear();
    m_logQueue.clear();
    if (!taskId.empty() && !m_inFlight) {
        m_timer.stop();
        m_timer.start(0);
    }
}

void PollingRunWatch::tick()
{
    if (m_inFlight || (m_ended && m_logTask.empty()))
        return;
    if (m_ended) {
        // The run is over; only a newly followed log is left to read.
        m_logQueue = logsToRead();
        readNextLog(false);
        return;
    }
    m_inFlight = true;
    ++m_requests;
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
    m_logQueue = logsToRead();
    readNextLog(changed);
}

std::deque<std::string> PollingRunWatch::logsToRead() const
{
    std::deque<std::string> out;
    if (m_logTask.empty() || !m_last)
        return out;
    const bool all = m_logTask == "*";
    for (const TaskRecord &t : m_last->tasks) {
        if (!all && t.id != m_logTask)
            continue;
        if (m_logsDone.count(t.id) || (t.state == TaskState::Pending && t.logSource.empty()))
            continue;
        if (all && t.logSource.empty())
            continue; // groups have no log of their own
        out.push_back(t.id);
    }
    return out;
}

void PollingRunWatch::readNextLog(bool changed)
{
    if (m_logQueue.empty()) {
        if (!m_ended)
            schedule(changed);
        else if (m_end) // the run ended: everything it logged has been reported
            emit event(*std::exchange(m_end, std::nullopt));
        return;
    }
    const std::string task = m_logQueue.front();
    m_logQueue.pop_front();
    m_inFlight = true;
    ++m_requests;
    whenReady(m_backend->logs(runId(), task), this, [this, task, changed](Result<std::string> r) {
        m_inFlight = false;
        onLogs(task, std::move(r));
        readNextLog(changed);
    });
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
        // New tasks and changed ones, as task events: a view adds what it has
        // not seen. In the order they happened: what ended before what began.
        std::vector<const TaskRecord *> changes;
        for (const TaskRecord &t : fresh.tasks) {
            const TaskRecord *old = m_last->task(t.id);
            if (!old || !sameTask(*old, t))
                changes.push_back(&t);
        }
        // At the same moment: ends first, skips next (they follow from ends), starts last.
        const auto when = [](const TaskRecord *t) {
            const int order = t->state == TaskState::Skipped ? 1 : isTerminal(t->state) ? 0 : 2;
            return std::make_pair(isTerminal(t->state) ? t->finishedMs : t->startedMs, order);
        };
        std::stable_sort(changes.begin(), changes.end(),
                         [&](const TaskRecord *a, const TaskRecord *b) { return when(a) < when(b); });
        for (const TaskRecord *t : changes) {
            RunEvent te;
            te.kind = RunEvent::Kind::Task;
            te.runId = runId();
            te.task = *t;
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
        // Sent once the followed logs are read to their end (readNextLog).
        m_ended = true;
        RunEvent end;
        end.kind = RunEvent::Kind::End;
        end.runId = runId();
        end.state = fresh.state;
        end.message = fresh.message;
        end.finishedMs = fresh.finishedMs;
        m_end = end;
    }
    return changed;
}

void PollingRunWatch::onLogs(const std::string &taskId, Result<std::string> result)
{
    if (m_logTask != "*" && taskId != m_logTask)
        return; // another task was chosen meanwhile
    RunEvent e;
    e.kind = RunEvent::Kind::Log;
    e.runId = runId();
    e.taskId = taskId;
    const auto known = m_logText.find(taskId);
    if (!result.ok()) {
        if (known == m_logText.end()) {
            e.reset = true;
            e.message = result.error().message;
            m_logText[taskId];
            emit event(e);
        }
        return;
    }
    const std::string &text = *result;
    const TaskRecord *task = m_last ? m_last->task(taskId) : nullptr;
    // A line still being written is shown once it is complete (or the task ended).
    const bool complete = m_ended || (task && isTerminal(task->state));
    if (complete)
        m_logsDone.insert(taskId); // nothing more will come
    const std::size_t upTo = complete ? text.size() : text.rfind('\n') + 1;
    std::string &reported = m_logText[taskId];
    if (known == m_logText.end() || text.compare(0, reported.size(), reported) != 0) {
        e.reset = true;
        e.lines = splitLines(std::string_view(text).substr(0, upTo));
        reported = text.substr(0, upTo);
        emit event(e);
        return;
    }
    if (upTo <= reported.size())
        return;
    e.lines = splitLines(std::string_view(text).substr(reported.size(), upTo - reported.size()));
    reported = text.substr(0, upTo);
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
