// SPDX-License-Identifier: Apache-2.0
// The commands that start and stop runs: run, resume, cancel.
#include "runcommands.h"

#include "cliargs.h"
#include "clicontext.h"
#include "clioutput.h"
#include "compiler/parametervalues.h"
#include "formats/pipelineloader.h"
#include "progressprinter.h"
#include "runs/await.h"
#include "runs/runwatch.h"
#include "signalbridge.h"

#include <QEventLoop>
#include <QTimer>

#include <csignal>
#include <filesystem>
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

// Prints the run's progress until it ends; Ctrl-C cancels it.
int followRun(Backend &backend, const std::string &runId, bool logs)
{
    auto watch = backend.watch(runId);
    if (logs)
        watch->followLogs("*");
    ProgressPrinter printer(logs);
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

} // namespace

int runCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--param", "--parallelism", "--runtime", "--name", "--backend"},
              {"--no-cache", "--logs"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("run takes exactly one FILE");
    const std::string file = args.positionals().front();
    RunSettings settings;
    if (auto p = args.value("--parallelism")) {
        int parallelism = -1;
        try {
            parallelism = std::stoi(*p);
        } catch (const std::exception &) {
        }
        if (parallelism < 1)
            return usageError("--parallelism needs a positive number");
        settings.options["parallelism"] = parallelism;
    }
    settings.cache = !args.flag("--no-cache");
    settings.options["runtime"] = args.value("--runtime").value_or("process");
    settings.runName = args.value("--name").value_or("");
    // The document's own relative paths resolve next to it; what is typed
    // here, next to where it was typed.
    settings.typedIn = std::filesystem::current_path().string();

    auto pipeline = loadPipelineFile(file);
    if (!pipeline.ok())
        return fail(pipeline.error(), file);
    auto assignments = parseAssignments(args.values("--param"));
    if (!assignments.ok())
        return usageError(assignments.error().message);
    settings.parameters = *assignments;
    std::vector<Problem> problems;
    auto request = RunService::prepare(*pipeline, settings, &problems);
    if (!request.ok()) {
        if (problems.empty())
            return fail(request.error(), file);
        for (Problem p : problems) {
            if (p.where.file.empty())
                p.where.file = file;
            std::cerr << p.toString() << "\n";
        }
        return 1;
    }
    auto backend = cx.backend(args);
    if (!backend.ok())
        return fail(backend.error());
    signal(SIGPIPE, SIG_IGN);
    auto submitted = await((*backend)->submit(*request));
    if (!submitted.ok())
        return fail(submitted.error(), file);
    return followRun(**backend, submitted->id, args.flag("--logs"));
}

int resumeCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--logs"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("resume takes exactly one RUN_ID");
    auto run = cx.namedRun(args);
    if (!run.ok())
        return fail(run.error());
    signal(SIGPIPE, SIG_IGN);
    auto resumed = await(run->backend->retry(run->id));
    if (!resumed.ok())
        return fail(resumed.error());
    return followRun(*run->backend, *resumed, args.flag("--logs"));
}

int cancelCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--no-wait"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("cancel takes exactly one RUN_ID");
    auto run = cx.namedRun(args);
    if (!run.ok())
        return fail(run.error());
    Backend *backend = run->backend;
    const std::string id = run->id;
    auto state = await(backend->cancel(id));
    if (!state.ok())
        return fail(state.error());
    if (isTerminal(*state)) {
        std::cout << "run " << id << " is " << toString(*state) << "\n";
        return *state == RunState::Cancelled ? 0 : 1;
    }
    std::cout << "cancel requested for run " << id << "\n" << std::flush;
    if (args.flag("--no-wait"))
        return 0;
    // The engine notices the request within a moment and stops its tasks;
    // wait for that so scripts can rely on the run having ended.
    auto watch = backend->watch(id);
    QEventLoop loop;
    std::optional<RunState> ended;
    QObject::connect(watch.get(), &RunWatch::event, &loop, [&](const RunEvent &e) {
        if (e.kind == RunEvent::Kind::End) {
            ended = e.state;
            loop.quit();
        }
    });
    QTimer::singleShot(60000, &loop, &QEventLoop::quit);
    loop.exec();
    if (!ended) {
        std::cerr << "pipewright: run " << id << " has not stopped yet\n";
        return 1;
    }
    std::cout << "run " << id << " " << toString(*ended) << "\n";
    return 0;
}

} // namespace pw::cli
