// SPDX-License-Identifier: Apache-2.0
#include "argorunwatch.h"

#include "argobackend.h"

#include <QMetaObject>
#include <QPointer>

namespace pw::argo {

ArgoRunWatch::ArgoRunWatch(ArgoBackend *backend, const std::string &runId, int pollMinMs, int pollMaxMs)
    : RunWatch(runId), m_backend(backend),
      m_poll(std::make_unique<PollingRunWatch>(backend, runId,
                                               PollingRunWatch::Intervals{pollMinMs, pollMaxMs, 1.5}))
{
    m_readers.setMaxThreadCount(2);
    connect(m_poll.get(), &RunWatch::event, this, &ArgoRunWatch::onEvent);
}

ArgoRunWatch::~ArgoRunWatch()
{
    stopReader();
    m_readers.waitForDone();
}

void ArgoRunWatch::followLogs(const std::string &taskId)
{
    stopReader();
    // Every task's log ("*") is read by the polling watch, one request at a
    // time; one task's log (the studio's) is streamed.
    m_pollLogs = taskId == "*";
    m_poll->followLogs(m_pollLogs ? taskId : std::string());
    m_task = m_pollLogs ? std::string() : taskId;
    updateLog();
    releaseEnd();
}

void ArgoRunWatch::onEvent(const RunEvent &event)
{
    apply(m_run, event);
    if (event.kind == RunEvent::Kind::Log && !m_pollLogs)
        return; // the reader's, not the polling watch's
    if (event.kind == RunEvent::Kind::End) {
        updateLog();
        m_heldEnd = event; // nothing follows an End: the followed log comes first
        releaseEnd();
        return;
    }
    emit this->event(event);
    updateLog();
}

void ArgoRunWatch::releaseEnd()
{
    if (!m_heldEnd || m_reading == Reading::Following || m_reading == Reading::Final)
        return;
    const RunEvent end = *m_heldEnd;
    m_heldEnd.reset();
    emit event(end);
}

void ArgoRunWatch::readDone(const std::shared_ptr<Control> &control)
{
    if (control != m_control)
        return;
    m_reading = Reading::Done;
    releaseEnd();
}

// Moves the followed task's log reading along with the task: its stream
// opens once the pod runs, closes (with a last full read) once it ended, and
// starts over for another pod (a retry's attempt) or when the task runs again.
void ArgoRunWatch::updateLog()
{
    if (m_task.empty())
        return;
    const TaskRecord *task = m_run.findTask(m_task);
    const std::string pod = task ? extraText(task->extra, "podName") : std::string();
    if (pod.empty() || task->state == TaskState::Pending)
        return; // no pod yet: a later reading brings it
    const bool ended = isTerminal(task->state);
    if (pod == m_logPod) {
        if (m_reading == Reading::Following && !ended)
            return;
        if (m_reading == Reading::Following) {
            m_control->taskEnded.store(true);
            m_reading = Reading::Final;
            return;
        }
        if ((m_reading == Reading::Final || m_reading == Reading::Done) && ended)
            return;
    }
    stopReader();
    startReader(pod, !ended);
}

void ArgoRunWatch::startReader(const std::string &pod, bool follow)
{
    auto control = std::make_shared<Control>();
    m_control = control;
    m_logPod = pod;
    m_reading = follow ? Reading::Following : Reading::Final;
    if (follow) {
        RunEvent reset;
        reset.kind = RunEvent::Kind::Log;
        reset.runId = runId();
        reset.taskId = m_task;
        reset.reset = true; // the stream starts from the pod's first line
        emit event(reset);
    }
    QPointer<ArgoRunWatch> self(this);
    const std::string run = runId(), taskId = m_task;
    ArgoBackend *backend = m_backend;
    m_readers.start([self, backend, run, taskId, pod, follow, control] {
        const auto deliver = [&](std::vector<std::string> lines, const std::string &message, bool reset) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, taskId, lines = std::move(lines), message, reset, control] {
                    if (!self || control->stop.load())
                        return;
                    RunEvent e;
                    e.kind = RunEvent::Kind::Log;
                    e.runId = self->runId();
                    e.taskId = taskId;
                    e.lines = lines;
                    e.message = message;
                    e.reset = reset;
                    emit self->event(e);
                },
                Qt::QueuedConnection);
        };
        if (follow) {
            auto done = backend->followPodLog(
                run, pod, [control] { return control->stop.load() || control->taskEnded.load(); },
                [&](std::string line) { deliver({std::move(line)}, {}, false); });
            if (control->stop.load())
                return;
            if (!control->taskEnded.load()) {
                // The server ended the stream (the workflow completed) or the
                // connection broke: the next reading of the run starts over.
                if (!done.ok())
                    deliver({}, done.error().message, false);
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, control] {
                        if (self)
                            self->streamEnded(control);
                    },
                    Qt::QueuedConnection);
                return;
            }
        }
        const auto done = [&] {
            QMetaObject::invokeMethod(
                self.data(),
                [self, control] {
                    if (self)
                        self->readDone(control);
                },
                Qt::QueuedConnection);
        };
        auto text = backend->podLog(run, pod);
        if (!text.ok()) {
            deliver({}, text.error().message, true);
            done();
            return;
        }
        std::vector<std::string> lines;
        for (std::size_t start = 0; start < text->size();) {
            const std::size_t nl = text->find('\n', start);
            const std::size_t end = nl == std::string::npos ? text->size() : nl;
            lines.push_back(text->substr(start, end - start));
            start = end + 1;
        }
        deliver(std::move(lines), {}, true);
        done();
    });
}

void ArgoRunWatch::streamEnded(const std::shared_ptr<Control> &control)
{
    if (control != m_control)
        return;
    if (m_reading == Reading::Following) {
        m_reading = Reading::Lost;
        releaseEnd();
        return;
    }
    // The task ended while the stream was closing by itself: nobody read it whole yet.
    const std::string pod = m_logPod;
    stopReader();
    startReader(pod, false);
}

void ArgoRunWatch::stopReader()
{
    if (m_control)
        m_control->stop.store(true);
    m_control.reset();
    m_logPod.clear();
    m_reading = Reading::None;
}

} // namespace pw::argo
