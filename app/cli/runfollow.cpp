// SPDX-License-Identifier: Apache-2.0
#include "runfollow.h"

#include "progressprinter.h"
#include "runs/await.h"
#include "runs/runwatch.h"
#include "signalbridge.h"

#include <QEventLoop>

#include <iostream>

namespace pw::cli {

namespace {

constexpr std::size_t kFailedLogLines = 15;

// What a failed task said last, so the reason shows without `pipewright logs`.
void printLastLines(Backend &backend, const std::string &runId, const std::string &taskId)
{
    auto text = await(backend.logs(runId, taskId));
    if (!text.ok() || text->empty())
        return;
    std::vector<std::string> lines;
    for (std::size_t start = 0; start < text->size();) {
        const std::size_t nl = std::min(text->find('\n', start), text->size());
        lines.push_back(splitLogLine(text->substr(start, nl - start)).text);
        start = nl + 1;
    }
    const std::size_t from = lines.size() > kFailedLogLines ? lines.size() - kFailedLogLines : 0;
    std::cout << "last lines of " << taskId << ":\n";
    for (std::size_t i = from; i < lines.size(); ++i)
        std::cout << "  | " << lines[i] << "\n";
    std::cout << std::flush;
}

} // namespace

int followRun(Backend &backend, const std::string &runId, bool logs, bool header)
{
    auto watch = backend.watch(runId);
    if (logs)
        watch->followLogs("*");
    ProgressPrinter printer(logs, header);
    QEventLoop loop;
    int exitCode = 1;
    QObject::connect(watch.get(), &RunWatch::event, &loop, [&](const RunEvent &e) {
        if (auto code = printer.print(e)) {
            exitCode = *code;
            loop.quit();
        }
    });
    SignalBridge bridge([&] { (void)backend.cancel(runId); });
    loop.exec();
    if (!logs) // with --logs the output was shown already
        for (const std::string &task : printer.failedTasks())
            printLastLines(backend, runId, task);
    return exitCode;
}

int startedRun(Backend &backend, const SubmittedRun &run, bool wait, bool logs)
{
    std::cout << "run " << run.id << "\n";
    if (!run.webUrl.empty())
        std::cout << "  " << run.webUrl << "\n";
    std::cout << std::flush;
    return wait ? followRun(backend, run.id, logs, false) : 0;
}

} // namespace pw::cli
