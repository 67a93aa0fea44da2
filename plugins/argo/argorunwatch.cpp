// SPDX-License-Identifier: Apache-2.0
#include "argorunwatch.h"

#include "argobackend.h"

#include <QMetaObject>
#include <QPointer>

namespace pw::argo {

ArgoRunWatch::ArgoRunWatch(ArgoBackend *backend, const std::string &runId, int pollMinMs, int pollMaxMs)
    : RunWatch(runId), m_backend(backend),
      m_poll(std::make_unique<PollingRunWatch>(backend, runId, PollingRunWatch::Intervals{pollMinMs, pollMaxMs, 1.5}))
{
    m_streams.setMaxThreadCount(2); // the old stream winds down while the new one starts
    connect(m_poll.get(), &RunWatch::event, this, &ArgoRunWatch::onEvent);
}

ArgoRunWatch::~ArgoRunWatch()
{
    stopStream();
    m_streams.waitForDone();
}

void ArgoRunWatch::followLogs(const std::string &taskId)
{
    stopStream();
    m_task = taskId;
    m_streamingPod.clear();
    if (!taskId.empty())
        startStream();
}

void ArgoRunWatch::onEvent(const RunEvent &event)
{
    apply(m_run, event);
    if (event.kind != RunEvent::Kind::Log) // logs come from the stream
        emit this->event(event);
    if (!m_task.empty() && m_streamingPod.empty())
        startStream(); // the task's pod exists now
}

void ArgoRunWatch::startStream()
{
    const TaskRecord *task = m_run.findTask(m_task);
    const std::string pod = task ? extraText(task->extra, "podName") : std::string();
    if (pod.empty() || task->state == TaskState::Pending)
        return; // no pod yet: the next reading starts it
    m_streamingPod = pod;
    auto stop = std::make_shared<std::atomic<bool>>(false);
    m_stop = stop;
    RunEvent reset;
    reset.kind = RunEvent::Kind::Log;
    reset.runId = runId();
    reset.taskId = m_task;
    reset.reset = true; // the stream starts from the pod's first line
    emit event(reset);
    QPointer<ArgoRunWatch> self(this);
    const std::string run = runId(), taskId = m_task;
    ArgoBackend *backend = m_backend;
    m_streams.start([self, backend, run, taskId, pod, stop] {
        const auto deliver = [&](std::vector<std::string> lines, const std::string &message) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, taskId, lines = std::move(lines), message, stop] {
                    if (!self || stop->load())
                        return;
                    RunEvent e;
                    e.kind = RunEvent::Kind::Log;
                    e.runId = self->runId();
                    e.taskId = taskId;
                    e.lines = lines;
                    e.message = message;
                    emit self->event(e);
                },
                Qt::QueuedConnection);
        };
        auto done = backend->followPodLog(run, pod, [stop] { return stop->load(); },
                                          [&](std::string line) { deliver({std::move(line)}, {}); });
        if (!done.ok() && !stop->load())
            deliver({}, done.error().message);
    });
}

void ArgoRunWatch::stopStream()
{
    if (m_stop)
        m_stop->store(true);
    m_stop.reset();
    m_streamingPod.clear();
}

} // namespace pw::argo
