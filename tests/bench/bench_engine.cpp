// SPDX-License-Identifier: Apache-2.0
// Per-task overhead of the local engine: 1,000 tasks that each run `true`,
// as a chain and as a wide fan-out, through the real engine and a real
// SQLite store in a temporary directory, against a shell loop spawning the
// same 1,000 processes, all measured in one run. Prints a Markdown table.
//   bench_engine [tasks] [--repeat N] [--parallelism N]
#include "engine/engine.h"
#include "engine/runstore.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace {

using Clock = std::chrono::steady_clock;

pw::ir::PipelineSpec generate(int tasks, bool chain)
{
    pw::ir::PipelineSpec spec;
    spec.pipelineName = chain ? "bench-chain" : "bench-fanout";
    pw::ir::ComponentSpec comp;
    comp.executorLabel = "exec-true";
    spec.components["comp-true"] = comp;
    pw::ir::ContainerExecutor container;
    container.image = "alpine";
    container.command = {"true"};
    spec.executors["exec-true"].container = container;
    spec.root.dag.emplace();
    for (int i = 0; i < tasks; ++i) {
        pw::ir::PipelineTask t;
        char name[32];
        std::snprintf(name, sizeof name, "t%04d", i);
        t.taskInfoName = name;
        t.componentRef = "comp-true";
        if (chain && i > 0) {
            char prev[32];
            std::snprintf(prev, sizeof prev, "t%04d", i - 1);
            t.dependentTasks = {prev};
        }
        spec.root.dag->tasks[name] = t;
    }
    return spec;
}

double engineSeconds(const std::string &dataDir, const pw::ir::PipelineSpec &spec, int parallelism)
{
    auto store = pw::RunStore::open(dataDir);
    if (!store.ok()) {
        std::fprintf(stderr, "%s\n", store.error().message.c_str());
        std::exit(1);
    }
    pw::EngineOptions options;
    options.parallelism = parallelism;
    options.cache = false;
    const auto start = Clock::now();
    pw::Engine engine(**store);
    auto id = engine.create(spec, options);
    auto state = id.ok() ? engine.execute() : pw::Result<pw::RunState>(id.error());
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    if (!state.ok() || *state != pw::RunState::Succeeded) {
        std::fprintf(stderr, "the benchmark run did not succeed\n");
        std::exit(1);
    }
    return s;
}

double shellSeconds(int tasks)
{
    const std::string loop = "i=0; while [ $i -lt " + std::to_string(tasks) + " ]; do /bin/true; i=$((i+1)); done";
    const auto start = Clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", loop.c_str(), static_cast<char *>(nullptr));
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

int main(int argc, char **argv)
{
    int tasks = 1000, repeat = 3, parallelism = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--repeat" && i + 1 < argc)
            repeat = std::atoi(argv[++i]);
        else if (a == "--parallelism" && i + 1 < argc)
            parallelism = std::atoi(argv[++i]);
        else
            tasks = std::atoi(argv[i]);
    }
    char dirTemplate[] = "/tmp/pw-bench-engine-XXXXXX";
    const std::string dataDir = mkdtemp(dirTemplate);
    const auto chain = generate(tasks, true);
    const auto fanout = generate(tasks, false);
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

    double shell = 1e9, chainS = 1e9, fanS = 1e9;
    for (int r = 0; r < repeat; ++r) {
        shell = std::min(shell, shellSeconds(tasks));
        chainS = std::min(chainS, engineSeconds(dataDir, chain, parallelism));
        fanS = std::min(fanS, engineSeconds(dataDir, fanout, parallelism));
    }
    std::filesystem::remove_all(dataDir);

    std::printf("%d tasks running `true`, best of %d, %u cores, parallelism %s\n\n", tasks, repeat, cores,
                parallelism > 0 ? std::to_string(parallelism).c_str() : "= cores");
    std::printf("| | total (s) | per task (ms) | vs shell loop |\n|---|---:|---:|---:|\n");
    auto row = [&](const char *name, double s) {
        std::printf("| %s | %.3f | %.3f | %.2fx |\n", name, s, s * 1000.0 / tasks, s / shell);
    };
    row("shell loop (`/bin/true` x N)", shell);
    row("engine, chain", chainS);
    row("engine, wide fan-out", fanS);
    return 0;
}
