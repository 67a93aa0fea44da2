// SPDX-License-Identifier: Apache-2.0
#include "engine/localrunwatch.h"

#include "engine/localbackend.h"

#include <QMetaObject>
#include <QPointer>

namespace pw {

LocalRunWatch::LocalRunWatch(LocalBackend *backend, std::string runId)
    : RunWatch(std::move(runId)), m_backend(backend)
{
    for (RunEvent &e : m_backend->openingEvents(this->runId()))
        enqueue(std::move(e));
}

LocalRunWatch::~LocalRunWatch() { m_backend->detach(this); }

void LocalRunWatch::followLogs(const std::string &taskId)
{
    m_logTask = taskId;
    if (!taskId.empty() && taskId != "*")
        enqueue(m_backend->logTail(runId(), taskId));
}

void LocalRunWatch::deliver(const RunEvent &event)
{
    if (event.kind == RunEvent::Kind::Log && m_logTask != "*" && event.taskId != m_logTask)
        return;
    enqueue(event);
}

void LocalRunWatch::enqueue(RunEvent event)
{
    m_queue.push_back(std::move(event));
    if (!m_flushPending) {
        m_flushPending = true;
        QMetaObject::invokeMethod(this, &LocalRunWatch::flush, Qt::QueuedConnection);
    }
}

void LocalRunWatch::flush()
{
    m_flushPending = false;
    // A receiver may delete the watch from its slot: stop at once if so.
    QPointer<LocalRunWatch> self(this);
    while (self && !m_queue.empty()) {
        const RunEvent e = std::move(m_queue.front());
        m_queue.pop_front();
        emit event(e);
    }
}

} // namespace pw
