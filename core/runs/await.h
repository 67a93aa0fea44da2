// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <QEventLoop>
#include <QFuture>
#include <QFutureWatcher>
#include <QObject>

#include <utility>

namespace pw {

// The result of a finished future; a future that was cancelled (its
// producer went away) becomes an error instead of a crash.
template <typename T>
Result<T> takeResult(const QFuture<Result<T>> &future)
{
    if (future.isCanceled() || future.resultCount() == 0)
        return Error{"the operation was cancelled", {}};
    return future.result();
}

// Calls `fn(Result<T>)` on `context`'s thread once `future` finishes, unless
// `context` is gone by then (the watcher dies with it, so nothing dangles).
template <typename T, typename F>
void whenReady(const QFuture<Result<T>> &future, QObject *context, F &&fn)
{
    auto *watcher = new QFutureWatcher<Result<T>>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context,
                     [watcher, fn = std::forward<F>(fn)]() mutable {
                         watcher->deleteLater();
                         fn(takeResult(watcher->future()));
                     });
    watcher->setFuture(future);
}

// Waits for a future while the calling thread's event loop keeps running
// (network replies and queued signals still arrive): for the CLI and tests.
template <typename T>
Result<T> await(const QFuture<Result<T>> &future)
{
    if (!future.isFinished()) {
        QEventLoop loop;
        QFutureWatcher<Result<T>> watcher;
        QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
        watcher.setFuture(future);
        if (!future.isFinished())
            loop.exec();
    }
    return takeResult(future);
}

} // namespace pw
