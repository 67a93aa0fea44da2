// SPDX-License-Identifier: Apache-2.0
// What a backend keeps besides run graphs: experiments, uploaded pipelines,
// and the commands that put runs away (archive, delete).
#include "catalogcommands.h"

#include "cliargs.h"
#include "clicontext.h"
#include "clioutput.h"
#include "runs/await.h"

#include <QDateTime>

#include <iostream>

namespace pw::cli {

namespace {

std::string day(std::int64_t ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString("yyyy-MM-dd HH:mm").toStdString()
                  : "-";
}

int listExperiments(Backend &backend, const Args &args)
{
    auto list = await(backend.listExperiments());
    if (!list.ok())
        return fail(list.error());
    const bool all = args.flag("--all");
    if (args.flag("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const Experiment &e : *list)
            if (all || !e.archived)
                out.push_back({{"id", e.id},
                               {"name", e.name},
                               {"description", e.description},
                               {"createdMs", e.createdMs},
                               {"archived", e.archived}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    for (const Experiment &e : *list)
        if (all || !e.archived)
            std::cout << e.id << "  " << day(e.createdMs) << (e.archived ? "  archived  " : "  ") << e.name
                      << "\n";
    return 0;
}

// The experiment a name or an id stands for.
Result<std::string> experimentId(Backend &backend, const std::string &nameOrId)
{
    auto list = await(backend.listExperiments());
    if (!list.ok())
        return list.error();
    for (const Experiment &e : *list)
        if (e.id == nameOrId)
            return e.id;
    for (const Experiment &e : *list)
        if (e.name == nameOrId)
            return e.id;
    return Error{"no experiment named '" + nameOrId + "' on backend '" + backend.name().toStdString() + "'",
                 {}};
}

} // namespace

int experimentsCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--json", "--all"});
    if (!args.ok())
        return usageError(args.error());
    const auto &words = args.positionals();
    if (!(words.empty() || (words.size() == 2 && words.front() == "archive")))
        return usageError("experiments takes no arguments, or: experiments archive NAME|ID --backend NAME");
    auto backend = cx.backend(args);
    if (!backend.ok())
        return fail(backend.error());
    if (words.empty())
        return listExperiments(**backend, args);
    auto id = experimentId(**backend, words[1]);
    if (!id.ok())
        return fail(id.error());
    if (auto done = await((*backend)->archiveExperiment(*id)); !done.ok())
        return fail(done.error());
    std::cout << "archived experiment " << *id << "\n";
    return 0;
}

int pipelinesCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--json"});
    if (!args.ok())
        return usageError(args.error());
    if (!args.positionals().empty())
        return usageError("pipelines takes no arguments");
    auto backend = cx.backend(args);
    if (!backend.ok())
        return fail(backend.error());
    auto list = await((*backend)->listPipelines());
    if (!list.ok())
        return fail(list.error());
    if (args.flag("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const StoredPipeline &p : *list) {
            nlohmann::json versions = nlohmann::json::array();
            for (const StoredPipelineVersion &v : p.versions)
                versions.push_back({{"id", v.id}, {"name", v.name}, {"createdMs", v.createdMs}});
            out.push_back({{"id", p.id},
                           {"name", p.name},
                           {"description", p.description},
                           {"createdMs", p.createdMs},
                           {"versions", versions}});
        }
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    for (const StoredPipeline &p : *list) {
        std::cout << p.id << "  " << day(p.createdMs) << "  " << p.name << "\n";
        for (const StoredPipelineVersion &v : p.versions)
            std::cout << "    " << v.id << "  " << day(v.createdMs) << "  " << v.name << "\n";
    }
    return 0;
}

namespace {

// archive and delete: one RUN_ID, one call, one line said.
int onOneRun(CliContext &cx, int argc, char **argv, const char *command, const char *done,
             Future<Done> (Backend::*action)(const std::string &))
{
    Args args(argc, argv, 2, {"--backend"}, {});
    auto named = cx.oneRun(args, command);
    if (auto *code = std::get_if<int>(&named))
        return *code;
    const CliContext::NamedRun &run = std::get<CliContext::NamedRun>(named);
    if (auto result = await((run.backend->*action)(run.id)); !result.ok())
        return fail(result.error());
    std::cout << done << " run " << run.id << "\n";
    return 0;
}

} // namespace

int archiveCommand(CliContext &cx, int argc, char **argv)
{
    return onOneRun(cx, argc, argv, "archive", "archived", &Backend::archiveRun);
}

int deleteCommand(CliContext &cx, int argc, char **argv)
{
    return onOneRun(cx, argc, argv, "delete", "deleted", &Backend::deleteRun);
}

} // namespace pw::cli
