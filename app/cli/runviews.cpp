// SPDX-License-Identifier: Apache-2.0
// The read-only run commands: runs, show, logs.
#include "runcommands.h"

#include "cliargs.h"
#include "report/runreport.h"
#include "runs/runstore.h"

#include <QDateTime>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>

namespace pw::cli {

namespace {

int usageError(const std::string &message)
{
    std::cerr << "pipewright: " << message << " (see pipewright --help)\n";
    return 2;
}

int fail(const Error &e)
{
    std::cerr << "pipewright: error: " << e.message << "\n";
    return 1;
}

std::string when(std::int64_t ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString("yyyy-MM-dd HH:mm:ss").toStdString() : "-";
}

std::string seconds(std::int64_t from, std::int64_t to) { return formatElapsed(from, to); }

std::string pad(std::string s, std::size_t width)
{
    if (s.size() < width)
        s.append(width - s.size(), ' ');
    return s;
}

std::string brief(const nlohmann::json &v)
{
    std::string s = v.is_string() ? v.get<std::string>() : v.dump();
    std::replace(s.begin(), s.end(), '\n', ' ');
    return s.size() > 80 ? s.substr(0, 77) + "..." : s;
}

Result<RunGraph> loadFromArgs(const std::string &idOrPrefix)
{
    auto store = RunStore::open();
    if (!store.ok())
        return store.error();
    auto id = (*store)->resolveRunId(idOrPrefix);
    if (!id.ok())
        return id.error();
    return (*store)->loadRun(*id);
}

void printTask(const RunGraph &run, const TaskRecord &t)
{
    const int depth = static_cast<int>(std::count(t.id.begin(), t.id.end(), '/'));
    std::cout << "  " << std::string(static_cast<std::size_t>(depth) * 2, ' ')
              << pad(std::string(toString(t.state)), 10) << " " << pad(t.id, 28 - std::min(20, depth * 2)) << " "
              << pad(seconds(t.startedMs, t.finishedMs), 8);
    if (t.attempts > 1)
        std::cout << " attempts " << t.attempts;
    if (!t.dependsOn.empty()) {
        std::cout << "  after ";
        for (std::size_t i = 0; i < t.dependsOn.size(); ++i)
            std::cout << (i ? "," : "") << t.dependsOn[i].substr(t.dependsOn[i].rfind('/') + 1);
    }
    std::cout << "\n";
    const std::string indent(static_cast<std::size_t>(depth) * 2 + 13, ' ');
    if (!t.message.empty() && t.state != TaskState::Succeeded)
        std::cout << indent << t.message << "\n";
    const nlohmann::json outputs = t.outputs.value("parameters", nlohmann::json::object());
    for (const auto &[k, v] : outputs.items())
        std::cout << indent << k << " = " << brief(v) << "\n";
    for (const MetricRecord &m : run.metrics)
        if (m.task == t.id)
            std::cout << indent << "metric " << m.name << " = " << m.value << "\n";
    for (const ArtifactRecord &a : run.artifacts)
        if (a.task == t.id)
            std::cout << indent << (a.visualization.empty() ? "artifact " + a.name + ": " + a.path
                                                            : "visualization " + a.visualization + " (" + a.name + ")")
                      << "\n";
}

} // namespace

int runsCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {}, {"--json"});
    if (!args.ok())
        return usageError(args.error());
    if (!args.positionals().empty())
        return usageError("runs takes no arguments");
    auto store = RunStore::open();
    if (!store.ok())
        return fail(store.error());
    auto runs = (*store)->listRuns();
    if (!runs.ok())
        return fail(runs.error());
    if (args.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const RunGraph &r : *runs) {
            nlohmann::json j = toJson(r);
            j.erase("tasks");
            j.erase("artifacts");
            j.erase("metrics");
            list.push_back(j);
        }
        std::cout << list.dump(2) << "\n";
        return 0;
    }
    std::cout << pad("RUN", 10) << pad("STATE", 13) << pad("CREATED", 21) << pad("DURATION", 10) << "NAME\n";
    for (const RunGraph &r : *runs)
        std::cout << pad(r.id.substr(0, 8), 10) << pad(std::string(toString(r.state)), 13) << pad(when(r.createdMs), 21)
                  << pad(seconds(r.createdMs, r.finishedMs), 10) << r.name << "\n";
    return 0;
}

int showCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {"--html"}, {"--json"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("show takes exactly one RUN_ID");
    auto run = loadFromArgs(args.positionals().front());
    if (!run.ok())
        return fail(run.error());
    if (auto html = args.value("--html")) {
        std::ofstream out(*html, std::ios::binary | std::ios::trunc);
        out << renderRunReport(*run);
        if (!out)
            return fail(Error{"cannot write " + *html, {}});
        std::cerr << "report written to " << *html << "\n";
        if (!args.flag("--json"))
            return 0;
    }
    if (args.flag("--json")) {
        std::cout << toJson(*run).dump(2) << "\n";
        return 0;
    }
    std::cout << "run " << run->id << "  " << run->name << "\n"
              << "  pipeline " << run->pipelineName << ", " << toString(run->state) << ", created "
              << when(run->createdMs) << (run->finishedMs ? ", took " + seconds(run->createdMs, run->finishedMs) : "")
              << "\n  run directory " << run->runDir << "\n";
    if (!run->message.empty())
        std::cout << "  " << run->message << "\n";
    for (const auto &[k, v] : run->parameters.items())
        std::cout << "  param " << k << " = " << brief(v) << "\n";
    for (const TaskRecord *t : run->treeOrder())
        printTask(*run, *t);
    return 0;
}

int logsCommand(int argc, char **argv)
{
    Args args(argc, argv, 2, {}, {"--follow", "-f"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().empty() || args.positionals().size() > 2)
        return usageError("logs takes RUN_ID and optionally TASK");
    const bool follow = args.flag("--follow") || args.flag("-f");
    auto store = RunStore::open();
    if (!store.ok())
        return fail(store.error());
    auto id = (*store)->resolveRunId(args.positionals().front());
    if (!id.ok())
        return fail(id.error());
    const std::string taskKey = args.positionals().size() == 2 ? args.positionals()[1] : std::string();
    std::map<std::string, std::streamoff> offsets; // log path -> bytes printed
    while (true) {
        auto run = (*store)->loadRun(*id);
        if (!run.ok())
            return fail(run.error());
        std::vector<const TaskRecord *> tasks;
        if (!taskKey.empty()) {
            const TaskRecord *t = run->findTask(taskKey);
            if (!t)
                return fail(Error{"run " + run->id + " has no task '" + taskKey + "'", {}});
            tasks.push_back(t);
        } else {
            for (const TaskRecord &t : run->tasks)
                if (!t.logPath.empty())
                    tasks.push_back(&t);
        }
        const bool done = isTerminal(run->state);
        for (const TaskRecord *t : tasks) {
            std::ifstream in(t->logPath, std::ios::binary);
            if (!in)
                continue;
            in.seekg(offsets[t->logPath]);
            for (std::string line; std::getline(in, line);) {
                if (in.eof() && !done)
                    break; // a partial line: print it once it is complete
                std::cout << (taskKey.empty() ? "[" + t->id + "] " : std::string()) << line << "\n";
                offsets[t->logPath] = in.tellg() < 0 ? offsets[t->logPath] + static_cast<std::streamoff>(line.size() + 1)
                                                     : static_cast<std::streamoff>(in.tellg());
            }
        }
        std::cout << std::flush;
        if (!follow || done)
            return 0;
        struct timespec ts {0, 200 * 1000 * 1000};
        nanosleep(&ts, nullptr);
    }
}

} // namespace pw::cli
