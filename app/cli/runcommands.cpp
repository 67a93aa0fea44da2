// SPDX-License-Identifier: Apache-2.0
// The commands that start and stop runs: run, resume, rerun, cancel.
#include "runcommands.h"

#include "cliargs.h"
#include "clicontext.h"
#include "clioutput.h"
#include "runfollow.h"
#include "runrequestargs.h"
#include "runs/await.h"
#include "runs/runwatch.h"

#include <QEventLoop>
#include <QTimer>

#include <csignal>
#include <filesystem>
#include <iostream>

namespace pw::cli {

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
    auto request = requestFromFile(file, args.values("--param"), settings);
    if (auto *code = std::get_if<int>(&request))
        return *code;
    auto backend = cx.backend(args);
    if (!backend.ok())
        return fail(backend.error());
    signal(SIGPIPE, SIG_IGN);
    auto submitted = await((*backend)->submit(std::get<RunRequest>(request)));
    if (!submitted.ok())
        return fail(submitted.error(), file);
    return followRun(**backend, submitted->id, args.flag("--logs"));
}

int resumeCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--logs"});
    auto named = cx.oneRun(args, "resume");
    if (auto *code = std::get_if<int>(&named))
        return *code;
    const CliContext::NamedRun &run = std::get<CliContext::NamedRun>(named);
    signal(SIGPIPE, SIG_IGN);
    auto resumed = await(run.backend->retry(run.id));
    if (!resumed.ok())
        return fail(resumed.error());
    return followRun(*run.backend, *resumed, args.flag("--logs"));
}

int rerunCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--wait", "--logs"});
    auto named = cx.oneRun(args, "rerun");
    if (auto *code = std::get_if<int>(&named))
        return *code;
    const CliContext::NamedRun &run = std::get<CliContext::NamedRun>(named);
    Backend &backend = *run.backend;
    Result<SubmittedRun> started = Error{"", {}};
    if (backend.can(Capability::Clone) || !backend.can(Capability::Resubmit)) {
        auto request = await(backend.runRequest(run.id));
        if (!request.ok())
            return fail(request.error());
        request->runName.clear(); // a new run gets a new name
        started = await(backend.submit(*request));
    } else {
        started = await(backend.resubmit(run.id)); // the server's own copy (Argo)
    }
    if (!started.ok())
        return fail(started.error());
    signal(SIGPIPE, SIG_IGN);
    return startedRun(backend, *started, args.flag("--wait"), args.flag("--logs"));
}

int cancelCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--no-wait"});
    auto named = cx.oneRun(args, "cancel");
    if (auto *code = std::get_if<int>(&named))
        return *code;
    const auto [backend, id] = std::get<CliContext::NamedRun>(named);
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
