// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <QFuture>
#include <QPromise>
#include <QThreadPool>

#include <exception>
#include <memory>
#include <utility>

namespace pw {

// Runs `work` (returning Result<T>) on `pool` and answers through a future:
// how backends keep blocking I/O (a store, an HTTP request) off the caller's
// thread. An exception escaping `work` becomes an error, never a crash.
template <typename T, typename F>
QFuture<Result<T>> runAsync(QThreadPool &pool, F &&work)
{
    auto promise = std::make_shared<QPromise<Result<T>>>();
    QFuture<Result<T>> future = promise->future();
    promise->start();
    pool.start([promise, work = std::forward<F>(work)]() mutable {
        Result<T> result = [&]() -> Result<T> {
            try {
                return work();
            } catch (const std::exception &e) {
                return Error{std::string("internal error: ") + e.what(), {}};
            }
        }();
        promise->addResult(std::move(result));
        promise->finish();
    });
    return future;
}

} // namespace pw
