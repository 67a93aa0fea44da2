// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

#include "runs/backend.h"
#include "runs/runwatch.h"

#include <QTimer>

#include <deque>
#include <map>
#include <optional>
#include <set>

namespace pw {

// A RunWatch for backends that can only be asked (remote servers, runs of
// other processes): it reads the run with Backend::getRun and, while a task's
// log is followed (or every task's: "*"), Backend::logs, one request at a
// time, and turns the differences between two readings into events. It polls fast while things
// change and backs off while they do not; a failed request is reported as a
// lost connection (the run is not failed for it) and retried with backoff.
class PW_EXPORT PollingRunWatch final : public RunWatch {
    Q_OBJECT

public:
    struct Intervals {
        int minMs = 1000;
        int maxMs = 10000;
        double backoff = 1.5;
    };
    PollingRunWatch(Backend *backend, std::string runId, Intervals intervals, QObject *parent = nullptr);
    PollingRunWatch(Backend *backend, std::string runId, QObject *parent = nullptr)
        : PollingRunWatch(backend, std::move(runId), Intervals{}, parent)
    {
    }

    void followLogs(const std::string &taskId) override;
    // Requests made so far (tests check that at most one is in flight).
    int requests() const { return m_requests; }
    bool inFlight() const { return m_inFlight; }

private:
    void tick();
    void onRun(Result<RunGraph> result);
    void onLogs(const std::string &taskId, Result<std::string> result);
    // The followed tasks whose logs may have grown since they were last read.
    std::deque<std::string> logsToRead() const;
    // Reads the next log of m_logQueue, or schedules the next reading of the run.
    void readNextLog(bool changed);
    void schedule(bool changed);
    void connectionLost(const Error &error);
    // Emits the events between the last reading and this one; true if any.
    bool diff(const RunGraph &fresh);

    Backend *m_backend;
    Intervals m_intervals;
    QTimer m_timer;
    int m_intervalMs;
    bool m_inFlight = false;
    bool m_connected = true;
    bool m_ended = false;
    int m_requests = 0;
    std::optional<RunGraph> m_last;
    std::optional<RunEvent> m_end; // the End, held until the followed logs are read
    std::string m_logTask;                        // "", a task id, or "*" for every task
    std::map<std::string, std::string> m_logText; // what was reported of each followed log
    std::set<std::string> m_logsDone;             // logs read after their task ended
    std::deque<std::string> m_logQueue;           // still to read after this reading of the run
};

} // namespace pw
