// SPDX-License-Identifier: Apache-2.0
// The streaming endpoints: a run's events as server-sent events, a task's log.
// A stream is one RunWatch owned by the exchange: when the client goes, the
// exchange and its watch are deleted and the run never notices.
#include "apiservice.h"

#include "httpexchange.h"

#include "runs/await.h"
#include "runs/runwatch.h"

namespace pw::serve {

namespace {

QByteArray sseEvent(std::uint64_t id, const RunEvent &event)
{
    return QByteArray("id: ") + QByteArray::number(id) +
           "\nevent: " + QByteArray::fromStdString(std::string(toString(event.kind))) +
           "\ndata: " + QByteArray::fromStdString(toJson(event).dump()) + "\n\n";
}

} // namespace

bool ApiService::openStream(HttpExchange *e)
{
    if (m_streams >= m_options.maxStreams) {
        e->respondError(503, "too_many_streams",
                        "the server already sends " + std::to_string(m_streams) +
                            " streams; try again later");
        return false;
    }
    ++m_streams;
    connect(e, &QObject::destroyed, this, [this] { --m_streams; });
    return true;
}

void ApiService::streamEvents(HttpExchange *e, Backend *b, const std::string &id)
{
    if (!openStream(e))
        return;
    e->beginStream(200, "text/event-stream; charset=utf-8");
    e->send(": events of run " + QByteArray::fromStdString(id) + "\n\n");
    RunWatch *watch = b->watch(id).release();
    watch->setParent(e);
    auto counter = std::make_shared<std::uint64_t>(0);
    connect(watch, &RunWatch::event, e, [e, counter](const RunEvent &event) {
        if (!e->send(sseEvent(++*counter, event)))
            return;
        if (event.kind == RunEvent::Kind::End)
            e->endStream();
    });
}

void ApiService::streamLogs(HttpExchange *e, Backend *b, const std::string &id, const std::string &task)
{
    const bool follow =
        e->request().queryValue("follow") == "1" || e->request().queryValue("follow") == "true";
    whenReady(b->getRun(id), e, [this, e, b, id, task, follow](Result<RunGraph> run) {
        if (!run.ok())
            return e->respondError(502, "backend_error", run.error().message);
        if (!run->findTask(task))
            return e->respondError(404, "not_found", "run " + id + " has no task '" + task + "'");
        if (!follow || isTerminal(run->state)) {
            whenReady(b->logs(id, task), e, [e](Result<std::string> text) {
                // A task that has not started has written nothing yet.
                e->respond(200, "text/plain; charset=utf-8",
                           text.ok() ? QByteArray::fromStdString(*text) : QByteArray());
            });
            return;
        }
        if (!openStream(e))
            return;
        e->beginStream(200, "text/plain; charset=utf-8");
        RunWatch *watch = b->watch(id).release();
        watch->setParent(e);
        // Lines sent so far: a reset repeats the tail, only what is new goes out.
        auto sent = std::make_shared<std::size_t>(0);
        connect(watch, &RunWatch::event, e, [e, task, sent](const RunEvent &event) {
            if (event.kind == RunEvent::Kind::End) {
                e->endStream();
                return;
            }
            if (event.kind != RunEvent::Kind::Log || event.taskId != task)
                return;
            std::size_t from = 0;
            if (event.reset) {
                from = std::min(*sent, event.lines.size());
                *sent = event.lines.size();
            } else {
                *sent += event.lines.size();
            }
            QByteArray chunk;
            for (std::size_t i = from; i < event.lines.size(); ++i)
                chunk += QByteArray::fromStdString(event.lines[i]) + '\n';
            if (!chunk.isEmpty())
                e->send(chunk);
        });
        watch->followLogs(task);
    });
}

} // namespace pw::serve
