// SPDX-License-Identifier: Apache-2.0
// Runs and recurring runs on a configured backend: submit, schedule,
// schedules, unschedule.
#include "backendcommands.h"

#include "cliargs.h"
#include "clicontext.h"
#include "clioutput.h"
#include "runfollow.h"
#include "runrequestargs.h"
#include "runs/await.h"

#include <QDateTime>

#include <csignal>
#include <iostream>

namespace pw::cli {

namespace {

// The backend --backend names; submit and schedule need one (not local by default).
Result<Backend *> namedBackend(CliContext &cx, const Args &args, const char *command)
{
    if (!args.value("--backend"))
        return Error{std::string(command) + " needs --backend NAME (see pipewright backend list)", {}};
    return cx.backend(args);
}

std::optional<std::int64_t> parseTime(const std::string &text)
{
    const QDateTime t = QDateTime::fromString(QString::fromStdString(text), Qt::ISODate);
    if (!t.isValid())
        return std::nullopt;
    return t.toMSecsSinceEpoch();
}

} // namespace

int submitCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2,
              {"--backend", "--experiment", "--param", "--name", "--service-account", "--pipeline",
               "--version", "--pipeline-root"},
              {"--no-cache", "--wait", "--logs"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("submit takes exactly one FILE");
    if (args.value("--version") && !args.value("--pipeline"))
        return usageError("--version names a version of --pipeline NAME");
    const std::string file = args.positionals().front();
    auto backend = namedBackend(cx, args, "submit");
    if (!backend.ok())
        return args.value("--backend") ? fail(backend.error()) : usageError(backend.error().message);
    RunSettings settings;
    settings.runName = args.value("--name").value_or("");
    settings.cache = !args.flag("--no-cache");
    settings.experiment = args.value("--experiment").value_or("");
    settings.serviceAccount = args.value("--service-account").value_or("");
    settings.pipelineRoot = args.value("--pipeline-root").value_or("");
    if (auto p = args.value("--pipeline"))
        settings.options["pipeline"] = *p;
    if (auto v = args.value("--version"))
        settings.options["version"] = *v;
    auto request = requestFromFile(file, args.values("--param"), settings);
    if (auto *code = std::get_if<int>(&request))
        return *code;
    signal(SIGPIPE, SIG_IGN);
    auto submitted = await((*backend)->submit(std::get<RunRequest>(request)));
    if (!submitted.ok())
        return fail(submitted.error(), file);
    return startedRun(**backend, *submitted, args.flag("--wait"), args.flag("--logs"));
}

int scheduleCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2,
              {"--backend", "--cron", "--interval", "--time-zone", "--max-concurrency", "--experiment",
               "--name", "--param", "--service-account", "--pipeline", "--version", "--start", "--end"},
              {"--no-cache", "--no-catchup"});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("schedule takes exactly one FILE");
    if (!args.value("--cron") == !args.value("--interval"))
        return usageError("schedule takes --cron EXPR or --interval SECONDS");
    auto backend = namedBackend(cx, args, "schedule");
    if (!backend.ok())
        return args.value("--backend") ? fail(backend.error()) : usageError(backend.error().message);
    ScheduleRequest schedule;
    schedule.cron = args.value("--cron").value_or("");
    schedule.timeZone = args.value("--time-zone").value_or("");
    schedule.name = args.value("--name").value_or("");
    schedule.catchUp = !args.flag("--no-catchup");
    try {
        if (auto i = args.value("--interval"))
            schedule.intervalSeconds = std::stoll(*i);
        if (auto m = args.value("--max-concurrency"))
            schedule.maxConcurrency = std::stoi(*m);
    } catch (const std::exception &) {
        return usageError("--interval and --max-concurrency take numbers");
    }
    for (const auto &[option, target] :
         {std::pair{"--start", &schedule.startMs}, std::pair{"--end", &schedule.endMs}})
        if (auto t = args.value(option)) {
            auto ms = parseTime(*t);
            if (!ms)
                return usageError(std::string(option) + " takes a time such as 2027-01-31T06:00:00Z");
            *target = *ms;
        }
    RunSettings settings;
    settings.cache = !args.flag("--no-cache");
    settings.experiment = args.value("--experiment").value_or("");
    settings.serviceAccount = args.value("--service-account").value_or("");
    if (auto p = args.value("--pipeline"))
        settings.options["pipeline"] = *p;
    if (auto v = args.value("--version"))
        settings.options["version"] = *v;
    auto request = requestFromFile(args.positionals().front(), args.values("--param"), settings);
    if (auto *code = std::get_if<int>(&request))
        return *code;
    schedule.run = std::get<RunRequest>(std::move(request));
    auto made = await((*backend)->createSchedule(schedule));
    if (!made.ok())
        return fail(made.error());
    std::cout << "schedule " << made->id << " (" << made->name << ")\n";
    if (!made->cron.empty())
        std::cout << "  cron " << made->cron << (made->timeZone.empty() ? " (UTC)" : " " + made->timeZone)
                  << "\n";
    if (made->intervalSeconds)
        std::cout << "  every " << made->intervalSeconds << " s\n";
    if (!made->conversion.empty())
        std::cout << "  " << made->conversion << "\n";
    return 0;
}

int schedulesCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {"--json"});
    if (!args.ok())
        return usageError(args.error());
    const auto &words = args.positionals();
    if (!(words.empty() || (words.size() == 2 && (words[0] == "enable" || words[0] == "disable"))))
        return usageError("schedules takes no arguments, or: schedules enable|disable ID --backend NAME");
    auto backend = namedBackend(cx, args, "schedules");
    if (!backend.ok())
        return args.value("--backend") ? fail(backend.error()) : usageError(backend.error().message);
    if (!words.empty()) {
        const bool enable = words[0] == "enable";
        if (auto done = await((*backend)->setScheduleEnabled(words[1], enable)); !done.ok())
            return fail(done.error());
        std::cout << (enable ? "enabled" : "disabled") << " schedule " << words[1] << "\n";
        return 0;
    }
    auto list = await((*backend)->listSchedules());
    if (!list.ok())
        return fail(list.error());
    if (args.flag("--json")) {
        nlohmann::json out = nlohmann::json::array();
        for (const Schedule &s : *list)
            out.push_back({{"id", s.id},
                           {"name", s.name},
                           {"cron", s.cron},
                           {"timeZone", s.timeZone},
                           {"intervalSeconds", s.intervalSeconds},
                           {"maxConcurrency", s.maxConcurrency},
                           {"enabled", s.enabled},
                           {"experiment", s.experiment}});
        std::cout << out.dump(2) << "\n";
        return 0;
    }
    for (const Schedule &s : *list) {
        std::cout << s.id << "  " << (s.enabled ? "enabled " : "disabled") << "  ";
        if (!s.cron.empty())
            std::cout << "cron '" << s.cron << "'" << (s.timeZone.empty() ? " UTC" : " " + s.timeZone);
        else
            std::cout << "every " << s.intervalSeconds << " s";
        std::cout << "  " << s.name << "\n";
    }
    return 0;
}

int unscheduleCommand(CliContext &cx, int argc, char **argv)
{
    Args args(argc, argv, 2, {"--backend"}, {});
    if (!args.ok())
        return usageError(args.error());
    if (args.positionals().size() != 1)
        return usageError("unschedule takes exactly one schedule ID");
    auto backend = namedBackend(cx, args, "unschedule");
    if (!backend.ok())
        return args.value("--backend") ? fail(backend.error()) : usageError(backend.error().message);
    if (auto done = await((*backend)->deleteSchedule(args.positionals().front())); !done.ok())
        return fail(done.error());
    std::cout << "deleted schedule " << args.positionals().front() << "\n";
    return 0;
}

} // namespace pw::cli
