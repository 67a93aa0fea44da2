// SPDX-License-Identifier: Apache-2.0
#include "runcommands.h"

#include "cliargs.h"
#include "compiler/lower.h"
#include "compiler/parametervalues.h"
#include "engine/engine.h"
#include "formats/pipelineloader.h"
#include "runs/runstore.h"
#include "validate/validator.h"

#include <QDateTime>

#include <csignal>
#include <cstdio>
#include <iostream>

namespace pw::cli {

namespace {

int usageError(const std::string &message)
{
    std::cerr << "pipewright: " << message << " (see pipewright --help)\n";
    return 2;
}

int fail(const Error &e, const std::string &file = {})
{
    Error located = e;
    if (located.where.file.empty())
        located.where.file = file;
    std::cerr << (located.where.file.empty() && located.where.line == 0 ? "pipewright: error: " + e.message
                                                                        : located.toString())
              << "\n";
    return 1;
}

std::string clock(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms).toString("HH:mm:ss").toStdString();
}

// Live progress on stdout: one line per task state change, and task output
// when --logs is given. Called on the engine's (this) thread.
class Progress final : public EngineObserver {
public:
    explicit Progress(bool logs) : m_logs(logs) {}

    void runStarted(const RunGraph &run) override
    {
        std::cout << "run " << run.id << " (" << run.name << ")\n  run directory: " << run.runDir << "\n"
                  << std::flush;
    }
    void taskChanged(const TaskRecord &t) override
    {
        if (t.kind == "iteration" && t.state == TaskState::Running)
            return; // the iteration's tasks say enough
        std::cout << clock(t.state == TaskState::Running ? t.startedMs : t.finishedMs) << "  " << toString(t.state);
        std::cout << std::string(10 - std::min<std::size_t>(10, toString(t.state).size()), ' ') << t.id;
        if (t.attempts > 1)
            std::cout << " (attempt " << t.attempts << ")";
        if (!t.message.empty() && t.state != TaskState::Running)
            std::cout << ": " << t.message;
        std::cout << "\n" << std::flush;
    }
    void logLine(const std::string &taskId, bool isStderr, std::string_view line) override
    {
        if (m_logs)
            std::cout << "  [" << taskId << (isStderr ? "!" : "") << "] " << line << "\n" << std::flush;
    }
    void runFinished(const RunGraph &run) override
    {
        std::cout << "run " << run.id << " " << toString(run.state);
        if (run.finishedMs > run.createdMs)
            std::printf(" in %.1f s", static_cast<double>(run.finishedMs - run.createdMs) / 1000.0);
        if (!run.message.empty() && run.state != RunState::Succeeded)
            std::cout << ": " << run.message;
        std::cout << "\n" << std::flush;
    }

private:
    bool m_logs;
};

Engine *g_engine = nullptr;

extern "C" void onSignal(int)
{
    if (g_engine)
        g_engine->requestCancel();
}

// Ctrl-C (or SIGTERM) cancels the run cleanly instead of killing the engine
// and leaving the run to be found interrupted.
int executeWithSignals(Engine &engine)
{
    g_engine = &engine;
    struct sigaction sa {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
    auto state = engine.execute();
    g_engine = nullptr;
    if (!state.ok())
        return fail(state.error());
    return *state == RunState::Succeeded ? 0 : 1;
}

Result<std::unique_ptr<RunStore>> openStore() { return RunStore::open(); }

// The store and the full id of the run a command names (an id prefix works too).
struct NamedRun {
    std::unique_ptr<RunStore> store;
    std::string id;
};

Result<NamedRun> namedRun(const Args &args, const char *command)
{
    if (args.positionals().size() != 1)
        return Error{std::string(command) + " takes exactly one RUN_ID", {}};
    auto store = openStore();
    if (!store.ok())
        return store.error();
    auto id = (*store)->resolveRunId(args.positionals().front());
    if (!id.ok())
        return id.error();
    return NamedRun{std::move(store).value(), *id};
}

} // namespace

int runCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {"--param", "--parallelism", "--runtime", "--name"}, {"--no-cache", "--logs"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("run takes exactly one FILE");
    const std::string file = args.positionals().front();
    EngineOptions options;
    if (auto p = args.value("--parallelism")) {
        try {
            options.parallelism = std::stoi(*p);
        } catch (const std::exception &) {
            options.parallelism = -1;
        }
        if (options.parallelism < 1)
            return usageError("--parallelism needs a positive number");
    }
    options.cache = !args.flag("--no-cache");
    options.runtime = args.value("--runtime").value_or("process");
    options.runName = args.value("--name").value_or("");

    auto pipeline = loadPipelineFile(file);
    if (!pipeline.ok())
        return fail(pipeline.error(), file);
    auto assignments = parseAssignments(args.values("--param"));
    if (!assignments.ok())
        return usageError(assignments.error().message);
    if (auto applied = applyParameterValues(*pipeline, *assignments); !applied.ok())
        return fail(applied.error(), file);
    bool valid = true;
    for (Problem p : validatePipeline(*pipeline)) {
        if (p.severity != Problem::Severity::Error)
            continue; // warnings belong to validate and compile; a run only needs to be runnable
        if (p.where.file.empty())
            p.where.file = file;
        std::cerr << p.toString() << "\n";
        valid = false;
    }
    if (!valid)
        return 1;
    auto spec = lowerPipeline(*pipeline);
    if (!spec.ok())
        return fail(spec.error(), file);

    auto store = openStore();
    if (!store.ok())
        return fail(store.error());
    Progress progress(args.flag("--logs"));
    Engine engine(**store, &progress);
    auto id = engine.create(*spec, options);
    if (!id.ok())
        return fail(id.error(), file);
    return executeWithSignals(engine);
}

int resumeCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {}, {"--logs"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("resume takes exactly one RUN_ID");
    auto run = namedRun(args, "resume");
    if (!run.ok())
        return fail(run.error());
    Progress progress(args.flag("--logs"));
    Engine engine(*run->store, &progress);
    if (auto r = engine.prepareResume(run->id); !r.ok())
        return fail(r.error());
    return executeWithSignals(engine);
}

int cancelCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {}, {"--no-wait"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("cancel takes exactly one RUN_ID");
    auto named = namedRun(args, "cancel");
    if (!named.ok())
        return fail(named.error());
    RunStore &store = *named->store;
    const std::string id = named->id;
    auto state = store.requestCancel(id);
    if (!state.ok())
        return fail(state.error());
    if (isTerminal(*state)) {
        std::cout << "run " << id << " is " << toString(*state) << "\n";
        return *state == RunState::Cancelled ? 0 : 1;
    }
    std::cout << "cancel requested for run " << id << "\n" << std::flush;
    if (args.flag("--no-wait"))
        return 0;
    // The engine polls for the request a few times a second and then stops
    // its tasks; wait for it so scripts can rely on the run having ended.
    for (int i = 0; i < 600; ++i) {
        auto run = store.loadRun(id);
        if (run.ok() && isTerminal(run->state)) {
            std::cout << "run " << id << " " << toString(run->state) << "\n";
            return 0;
        }
        struct timespec ts {0, 100 * 1000 * 1000};
        nanosleep(&ts, nullptr);
    }
    std::cerr << "pipewright: run " << id << " has not stopped yet\n";
    return 1;
}

} // namespace pw::cli
