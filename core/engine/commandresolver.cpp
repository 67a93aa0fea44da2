// SPDX-License-Identifier: Apache-2.0
#include "engine/commandresolver.h"

#include "formats/kfpplaceholders.h"
#include "model/commandarg.h"
#include "model/runvalue.h"

#include <QDateTime>
#include <QTimeZone>

#include <ctime>
#include <unordered_map>

namespace pw {

namespace {

using K = CommandArg::Kind;

// Components repeat the same strings for every task of a loop or a wide
// fan-out; parsing each once keeps per-task overhead down.
Result<CommandArg> parsed(const std::string &text)
{
    thread_local std::unordered_map<std::string, CommandArg> cache;
    if (auto it = cache.find(text); it != cache.end())
        return it->second;
    auto arg = fromKfpString(text);
    if (arg.ok() && cache.size() < 100000)
        cache.emplace(text, *arg);
    return arg;
}

const ArtifactValue *inputArtifact(const TaskContext &ctx, const std::string &name)
{
    auto it = ctx.artifacts.find(name);
    return it == ctx.artifacts.end() || it->second.empty() ? nullptr : &it->second.front();
}

Error missing(const std::string &what, const std::string &name)
{
    return Error{"the command uses " + what + " '" + name + "', which the task does not have", {}};
}

Result<std::string> runValue(const CommandArg &arg, const TaskContext &ctx)
{
    auto rv = RunValue::fromSpec(arg.text);
    if (!rv || !ctx.run)
        return Error{"unknown run value '" + arg.text + "'", {}};
    switch (rv->kind) {
    case RunValue::Kind::JobName: return ctx.run->jobName;
    case RunValue::Kind::JobId: return ctx.run->jobId;
    case RunValue::Kind::TaskName: return ctx.taskName;
    case RunValue::Kind::PipelineRoot: return ctx.run->pipelineRoot;
    case RunValue::Kind::CreateTime:
    case RunValue::Kind::ScheduleTime: // a local run is never scheduled: it starts when created
        return formatRunTime(ctx.run->createdMs, rv->format, rv->timeZone);
    }
    return Error{"unknown run value '" + arg.text + "'", {}};
}

// Appends what `arg` expands to; `single` when the caller needs exactly one string.
Result<bool> expand(const CommandArg &arg, const TaskContext &ctx, std::vector<std::string> &out)
{
    switch (arg.kind) {
    case K::Literal: out.push_back(arg.text); return true;
    case K::InputValue: {
        if (auto it = ctx.parameters.find(arg.name); it != ctx.parameters.end()) {
            out.push_back(parameterText(*it));
            return true;
        }
        if (const ArtifactValue *a = inputArtifact(ctx, arg.name)) {
            out.push_back(a->uri); // v1 inputValue of an artifact: its value is where it is
            return true;
        }
        return missing("input", arg.name);
    }
    case K::InputPath:
    case K::InputUri: {
        const ArtifactValue *a = inputArtifact(ctx, arg.name);
        if (!a)
            return missing("input artifact", arg.name);
        out.push_back(arg.kind == K::InputPath ? a->path : a->uri);
        return true;
    }
    case K::InputMetadata: {
        const ArtifactValue *a = inputArtifact(ctx, arg.name);
        if (!a)
            return missing("input artifact", arg.name);
        out.push_back(a->metadata.dump());
        return true;
    }
    case K::OutputPath:
    case K::OutputUri:
    case K::OutputMetadata: {
        if (auto p = ctx.outputParameterFiles.find(arg.name); p != ctx.outputParameterFiles.end() &&
                                                              arg.kind == K::OutputPath) {
            out.push_back(p->second);
            return true;
        }
        auto a = ctx.outputArtifacts.find(arg.name);
        if (a == ctx.outputArtifacts.end())
            return missing("output", arg.name);
        out.push_back(arg.kind == K::OutputPath ? a->second.path
                                                : (arg.kind == K::OutputUri ? a->second.uri : a->second.metadata.dump()));
        return true;
    }
    case K::ExecutorInput: out.push_back(ctx.executorInput().dump()); return true;
    case K::RunValue: {
        auto v = runValue(arg, ctx);
        if (!v.ok())
            return v.error();
        out.push_back(*v);
        return true;
    }
    case K::Concat: {
        std::string joined;
        for (const CommandArg &item : arg.items) {
            std::vector<std::string> parts;
            if (auto r = expand(item, ctx, parts); !r.ok())
                return r;
            for (const std::string &p : parts)
                joined += p;
        }
        out.push_back(std::move(joined));
        return true;
    }
    case K::IfPresent: {
        const bool present = ctx.parameters.contains(arg.name) || inputArtifact(ctx, arg.name);
        for (const CommandArg &item : present ? arg.thenArgs : arg.elseArgs)
            if (auto r = expand(item, ctx, out); !r.ok())
                return r;
        return true;
    }
    }
    return Error{"unsupported placeholder", {}};
}

} // namespace

Result<std::vector<std::string>> resolveArguments(const std::vector<std::string> &items, const TaskContext &ctx)
{
    std::vector<std::string> argv;
    argv.reserve(items.size());
    for (const std::string &item : items) {
        auto arg = parsed(item);
        if (!arg.ok())
            return arg.error();
        if (auto r = expand(*arg, ctx, argv); !r.ok())
            return r.error();
    }
    return argv;
}

Result<std::string> resolveText(std::string_view text, const TaskContext &ctx)
{
    auto arg = parsed(std::string(text));
    if (!arg.ok())
        return arg.error();
    std::vector<std::string> parts;
    if (auto r = expand(*arg, ctx, parts); !r.ok())
        return r.error();
    std::string joined;
    for (const std::string &p : parts)
        joined += p;
    return joined;
}

Result<std::string> formatRunTime(std::int64_t ms, const std::string &format, const std::string &zone)
{
    QDateTime utc = QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc());
    if (format.empty() && zone.empty()) // RFC 3339 with 'Z', as KFP passes the creation time
        return utc.toString("yyyy-MM-ddTHH:mm:ss.zzz").toStdString() + "Z";
    const QTimeZone tz = zone.empty() ? QTimeZone::utc() : QTimeZone(QByteArray::fromStdString(zone));
    if (!tz.isValid())
        return Error{"unknown time zone '" + zone + "'", {}};
    const QDateTime local = utc.toTimeZone(tz);
    if (format.empty())
        return local.toString(Qt::ISODate).toStdString();
    tm t{};
    t.tm_year = local.date().year() - 1900;
    t.tm_mon = local.date().month() - 1;
    t.tm_mday = local.date().day();
    t.tm_hour = local.time().hour();
    t.tm_min = local.time().minute();
    t.tm_sec = local.time().second();
    t.tm_wday = local.date().dayOfWeek() % 7;
    t.tm_yday = local.date().dayOfYear() - 1;
    t.tm_gmtoff = local.offsetFromUtc();
    const std::string abbreviation = local.timeZoneAbbreviation().toStdString();
    t.tm_zone = abbreviation.c_str();
    char buf[512];
    const std::size_t n = std::strftime(buf, sizeof buf, format.c_str(), &t);
    return std::string(buf, n);
}

} // namespace pw
