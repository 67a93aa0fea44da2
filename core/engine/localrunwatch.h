// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/runwatch.h"

#include <deque>

namespace pw {

class LocalBackend;

// A watch on a run its LocalBackend executes: fed by the backend's mirror of
// the engine's callbacks, so it sees every transition and log line in order.
// Events are queued and emitted from this object's event loop, so whoever
// created the watch can connect to it first.
class LocalRunWatch final : public RunWatch {
    Q_OBJECT

public:
    LocalRunWatch(LocalBackend *backend, std::string runId);
    ~LocalRunWatch() override;

    // "*" follows every task's log (the CLI's `run --logs`).
    void followLogs(const std::string &taskId) override;

    // From the backend: an event of this run.
    void deliver(const RunEvent &event);

private:
    void enqueue(RunEvent event);
    void flush();

    LocalBackend *m_backend;
    std::string m_logTask;
    std::deque<RunEvent> m_queue;
    bool m_flushPending = false;
};

} // namespace pw
