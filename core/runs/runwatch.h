// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "pipewright_export.h"

#include "runs/runevent.h"

#include <QObject>

#include <string>

namespace pw {

// A subscription to one run's events (see RunEvent). It emits on the thread
// it lives on; delete it to unsubscribe.
class PW_EXPORT RunWatch : public QObject {
    Q_OBJECT

public:
    explicit RunWatch(std::string runId, QObject *parent = nullptr) : QObject(parent), m_runId(std::move(runId)) {}
    ~RunWatch() override = default;

    const std::string &runId() const { return m_runId; }
    // From now on, the task's log: a Log event with `reset` holding what it
    // wrote so far, then its new lines. One task at a time, "*" for every
    // task (each task's log starts with its own reset); empty = none. Asking
    // again for the same task sends the reset again.
    virtual void followLogs(const std::string &taskId) = 0;

signals:
    void event(const pw::RunEvent &event);

private:
    std::string m_runId;
};

} // namespace pw
