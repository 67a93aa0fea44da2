// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/pollingrunwatch.h"
#include "runs/runwatch.h"

#include <QThreadPool>

#include <atomic>
#include <memory>
#include <optional>

namespace pw::argo {

class ArgoBackend;

// A run on an Argo server: its state is polled (PollingRunWatch), and the
// followed task's log comes from the server's log stream (server-sent events)
// as lines are written, instead of being read again and again. The Argo
// Server keeps such a stream open until the whole workflow has completed, so
// once the task has ended the stream is closed and its log read once more in
// full (a reset), which also brings what the stream had not delivered yet.
class ArgoRunWatch final : public RunWatch {
    Q_OBJECT

public:
    ArgoRunWatch(ArgoBackend *backend, const std::string &runId, int pollMinMs, int pollMaxMs);
    ~ArgoRunWatch() override;

    void followLogs(const std::string &taskId) override;

private:
    // What a log reader (a worker thread) is told from here.
    struct Control {
        std::atomic<bool> stop{false}; // another task or pod now, or the watch goes: deliver nothing more
        std::atomic<bool> taskEnded{false}; // close the stream, then read the whole log
    };
    // None: no reader; Following: the stream is open; Final: the whole log
    // is being read once more; Done: it was; Lost: the stream ended by itself.
    enum class Reading { None, Following, Final, Done, Lost };

    void onEvent(const RunEvent &event);
    void updateLog();
    void startReader(const std::string &pod, bool follow);
    // The reader's stream ended without being asked to (on the reader's thread's behalf).
    void streamEnded(const std::shared_ptr<Control> &control);
    // The reader's last full reading was delivered.
    void readDone(const std::shared_ptr<Control> &control);
    // Emits the held End once no reading of the followed log is under way.
    void releaseEnd();
    void stopReader();

    ArgoBackend *m_backend;
    std::unique_ptr<PollingRunWatch> m_poll;
    QThreadPool m_readers; // one at a time, but the old one may still be winding down
    std::string m_task;
    std::string m_logPod; // whose log m_control's reader reads
    Reading m_reading = Reading::None;
    std::shared_ptr<Control> m_control;
    RunGraph m_run;
    bool m_pollLogs = false;           // "*": the polling watch reads the logs
    std::optional<RunEvent> m_heldEnd; // the End, until the followed log is read
};

} // namespace pw::argo
