// SPDX-License-Identifier: Apache-2.0
// The read-only run commands: runs, show, logs.
#include "runcommands.h"

#include "cliargs.h"
#include "clicontext.h"
#include "clioutput.h"
#include "report/runreport.h"
#include "runs/await.h"
#include "util/filewrite.h"

#include <QDateTime>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <iterator>
#include <map>

namespace pw::cli {

namespace {

std::string when(std::int64_t ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString("yyyy-MM-dd HH:mm:ss").toStdString() : "-";
}

std::string seconds(std::int64_t from, std::int64_t to)
{
    return formatElapsed(from, to);
}

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

// Lets the event loop run for a while (log following polls).
void pause(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// Where an artifact is: its local file when the backend has one, else its URI.
std::string artifactPlace(const ArtifactRecord &a)
{
    const std::string path = extraText(a.extra, "path");
    return path.empty() ? a.uri : path;
}

void printTask(const RunGraph &run, const TaskRecord &t)
{
    const int depth = static_cast<int>(std::count(t.id.begin(), t.id.end(), '/'));
    std::cout << "  " << std::string(static_cast<std::size_t>(depth) * 2, ' ')
              << pad(std::string(toString(t.state)), 10) << " " << pad(t.id, 28 - std::min(20, depth * 2))
              << " " << pad(seconds(t.startedMs, t.finishedMs), 8);
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
            std::cout << indent
                      << (a.visualization.empty() ? "artifact " + a.name + ": " + artifactPlace(a)
                                                  : "visualization " + a.visualization + " (" + a.name + ")")
                      << "\n";
}

} // namespace

int runsCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend", "--experiment", "--state", "--limit"}, {"--json", "--archived"});
    if (!args.ok())
        return usageError(args.error());
    if (!args.positionals().empty())
        return usageError("runs takes no arguments");
    RunQuery query;
    query.experiment = args.value("--experiment").value_or("");
    query.archived = args.flag("--archived");
    if (auto state = args.value("--state")) {
        query.state = runStateFromString(*state);
        if (!query.state)
            return usageError("unknown state '" + *state + "'");
    }
    std::size_t limit = 0;
    if (auto l = args.value("--limit")) {
        try {
            limit = std::stoul(*l);
        } catch (const std::exception &) {
            return usageError("--limit needs a number");
        }
    }
    auto backend = cx.backend(args);
    if (!backend.ok())
        return fail(backend.error());
    std::vector<RunGraph> runs;
    do {
        auto page = await((*backend)->listRuns(query));
        if (!page.ok())
            return fail(page.error());
        std::move(page->runs.begin(), page->runs.end(), std::back_inserter(runs));
        query.pageToken = page->nextPageToken;
    } while (!query.pageToken.empty() && (limit == 0 || runs.size() < limit));
    if (limit > 0 && runs.size() > limit)
        runs.resize(limit);
    if (args.flag("--json")) {
        nlohmann::json list = nlohmann::json::array();
        for (const RunGraph &r : runs) {
            nlohmann::json j = toJson(r);
            j.erase("tasks");
            j.erase("artifacts");
            j.erase("metrics");
            list.push_back(j);
        }
        std::cout << list.dump(2) << "\n";
        return 0;
    }
    // Local ids are long and take any unique prefix; a server's are shown whole.
    const bool shortIds = (*backend)->kind() == "local";
    std::size_t idWidth = 3;
    for (const RunGraph &r : runs)
        idWidth = std::max(idWidth, shortIds ? std::min<std::size_t>(r.id.size(), 8) : r.id.size());
    std::cout << pad("RUN", idWidth + 2) << pad("STATE", 13) << pad("CREATED", 21) << pad("DURATION", 10)
              << "NAME\n";
    for (const RunGraph &r : runs)
        std::cout << pad(shortIds ? r.id.substr(0, 8) : r.id, idWidth + 2)
                  << pad(std::string(toString(r.state)), 13) << pad(when(r.createdMs), 21)
                  << pad(seconds(r.createdMs, r.finishedMs), 10) << r.name << "\n";
    return 0;
}

int showCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--html", "--backend"}, {"--json"});
    auto named = cx.oneRun(args, "show");
    if (auto *code = std::get_if<int>(&named))
        return *code;
    const CliContext::NamedRun &shown = std::get<CliContext::NamedRun>(named);
    auto run = await(shown.backend->getRun(shown.id));
    if (!run.ok())
        return fail(run.error());
    if (auto html = args.value("--html")) {
        if (auto written = writeFileAtomically(*html, renderRunReport(*run)); !written.ok())
            return fail(Error{"cannot write " + *html + ": " + written.error().message, {}});
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
              << when(run->createdMs)
              << (run->finishedMs ? ", took " + seconds(run->createdMs, run->finishedMs) : "") << "\n";
    if (const std::string dir = extraText(run->extra, "runDir"); !dir.empty())
        std::cout << "  run directory " << dir << "\n";
    if (!run->webUrl.empty())
        std::cout << "  " << run->webUrl << "\n";
    if (!run->message.empty())
        std::cout << "  " << run->message << "\n";
    for (const auto &[k, v] : run->parameters.items())
        std::cout << "  param " << k << " = " << brief(v) << "\n";
    for (const TaskRecord *t : run->treeOrder())
        printTask(*run, *t);
    return 0;
}

int logsCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--follow", "-f"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().empty() || args.positionals().size() > 2)
        return usageError("logs takes RUN_ID and optionally TASK");
    const bool follow = args.flag("--follow") || args.flag("-f");
    auto named = cx.namedRun(args);
    if (!named.ok())
        return fail(named.error());
    Backend *backend = named->backend;
    const std::string taskKey = args.positionals().size() == 2 ? args.positionals()[1] : std::string();
    std::map<std::string, std::size_t> printed; // task id -> bytes of its log printed
    while (true) {
        auto run = await(backend->getRun(named->id));
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
                if (!t.logSource.empty())
                    tasks.push_back(&t);
        }
        const bool done = isTerminal(run->state);
        for (const TaskRecord *t : tasks) {
            if (t->logSource.empty())
                continue;
            auto text = await(backend->logs(run->id, t->id));
            if (!text.ok())
                continue; // not written yet
            std::size_t &from = printed[t->id];
            while (from < text->size()) {
                const std::size_t nl = text->find('\n', from);
                if (nl == std::string::npos && !done)
                    break; // a partial line: print it once it is complete
                const std::size_t end = nl == std::string::npos ? text->size() : nl;
                std::cout << (taskKey.empty() ? "[" + t->id + "] " : std::string())
                          << text->substr(from, end - from) << "\n";
                from = nl == std::string::npos ? text->size() : nl + 1;
            }
        }
        std::cout << std::flush;
        if (!follow || done)
            return 0;
        pause(200);
    }
}

} // namespace pw::cli
