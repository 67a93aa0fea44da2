// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/pollingrunwatch.h"
#include "runs/runwatch.h"

#include <QThreadPool>

#include <atomic>
#include <memory>

namespace pw::argo {

class ArgoBackend;

// A run on an Argo server: its state is polled (PollingRunWatch), and the
// followed task's log comes from the server's log stream (server-sent events)
// as lines are written, instead of being read again and again.
class ArgoRunWatch final : public RunWatch {
    Q_OBJECT

public:
    ArgoRunWatch(ArgoBackend *backend, const std::string &runId, int pollMinMs, int pollMaxMs);
    ~ArgoRunWatch() override;

    void followLogs(const std::string &taskId) override;

private:
    void onEvent(const RunEvent &event);
    void startStream();
    void stopStream();

    ArgoBackend *m_backend;
    std::unique_ptr<PollingRunWatch> m_poll;
    QThreadPool m_streams; // one stream at a time
    std::string m_task;
    std::string m_streamingPod;
    std::shared_ptr<std::atomic<bool>> m_stop;
    RunGraph m_run;
};

} // namespace pw::argo
