// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>

#include <functional>

class QSocketNotifier;

namespace pw::cli {

// Ctrl-C and SIGTERM as a call on the event loop (a signal handler may do
// almost nothing itself): the run is cancelled cleanly instead of the
// process dying and leaving the run to be found interrupted. One at a time.
class SignalBridge final : public QObject {
    Q_OBJECT

public:
    explicit SignalBridge(std::function<void()> onSignal);
    ~SignalBridge() override;

private:
    std::function<void()> m_onSignal;
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace pw::cli
