// SPDX-License-Identifier: Apache-2.0
#include "watchevents.h"

#include <QEventLoop>
#include <QTimer>

namespace pw::test {

std::vector<RunEvent> collectEvents(RunWatch &watch, const std::function<bool(const RunEvent &)> &stop)
{
    constexpr int kGuardMs = 60000;
    std::vector<RunEvent> events;
    QEventLoop loop;
    QObject::connect(&watch, &RunWatch::event, &loop, [&](const RunEvent &e) {
        events.push_back(e);
        if (e.kind == RunEvent::Kind::End || (stop && stop(e)))
            loop.quit();
    });
    QTimer::singleShot(kGuardMs, &loop, &QEventLoop::quit);
    loop.exec();
    return events;
}

} // namespace pw::test
