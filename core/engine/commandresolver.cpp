// SPDX-License-Identifier: Apache-2.0
#include "engine/commandresolver.h"

#include "ir/kfpargument.h"

#include <QDateTime>
#include <QTimeZone>

#include <ctime>
#include <unordered_map>

namespace pw {

namespace {

using Kind = ir::KfpPlaceholder::Kind;
using Field = ir::KfpPlaceholder::Field;

// Components repeat the same strings for every task of a loop or a wide
// fan-out; parsing each once keeps per-task overhead down.
Result<ir::KfpArgument> parsed(const std::string &text)
{
    thread_local std::unordered_map<std::string, ir::KfpArgument> cache;
    if (auto it = cache.find(text); it != cache.end())
        return it->second;
    auto arg = ir::KfpArgument::parse(text);
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

Error unsupported(const ir::KfpPlaceholder &p)
{
    return Error{"the local engine cannot resolve " + p.toString(), {}};
}

Result<std::string> runValue(const ir::KfpPlaceholder &p, const TaskContext &ctx)
{
    if (!ctx.run)
        return Error{"no run values for " + p.toString(), {}};
    switch (p.kind) {
    case Kind::JobName:
        return ctx.run->jobName;
    case Kind::JobUuid:
        return ctx.run->jobId;
    case Kind::TaskName:
        return ctx.taskName;
    case Kind::PipelineRoot:
        return ctx.run->pipelineRoot;
    // A local run is never scheduled: it starts when created.
    case Kind::JobCreateTime:
    case Kind::JobScheduleTime:
        return formatRunTime(ctx.run->createdMs, {}, {});
    case Kind::RunTime:
    case Kind::ScheduleTime:
        return formatRunTime(ctx.run->createdMs, p.format(), p.zone());
    default:
        return unsupported(p);
    }
}

Result<std::string> resolvePlaceholder(const ir::KfpPlaceholder &p, const TaskContext &ctx)
{
    const std::string &name = p.name.value;
    switch (p.kind) {
    case Kind::InputParameter: {
        if (auto it = ctx.parameters.find(name); it != ctx.parameters.end())
            return parameterText(*it);
        if (const ArtifactValue *a = inputArtifact(ctx, name))
            return a->uri; // v1 inputValue of an artifact: its value is where it is
        return missing("input", name);
    }
    case Kind::InputArtifact: {
        if (p.field == Field::None) {
            // The whole input, a list of artifacts in particular, as KFP hands it over: a JSON list.
            auto list = ctx.artifacts.find(name);
            if (list == ctx.artifacts.end())
                return missing("input artifact", name);
            nlohmann::json out = nlohmann::json::array();
            for (const ArtifactValue &a : list->second)
                out.push_back(a.toJson());
            return out.dump();
        }
        if (p.field == Field::MetadataKey)
            return unsupported(p);
        const ArtifactValue *a = inputArtifact(ctx, name);
        if (!a)
            return missing("input artifact", name);
        if (p.field == Field::Metadata)
            return a->metadata.dump();
        return p.field == Field::Path ? a->path : a->uri;
    }
    case Kind::OutputParameter:
    case Kind::OutputArtifact: {
        // The model writes a parameter output's file as OutputPath either way,
        // so a path of either kind finds the parameter file first.
        const bool path = p.field == Field::Path || p.field == Field::OutputFile;
        if (auto f = ctx.outputParameterFiles.find(name); f != ctx.outputParameterFiles.end() && path)
            return f->second;
        auto a = ctx.outputArtifacts.find(name);
        if (a == ctx.outputArtifacts.end())
            return missing("output", name);
        if (path)
            return a->second.path;
        return p.field == Field::Uri ? a->second.uri : a->second.metadata.dump();
    }
    case Kind::ExecutorInput:
        return ctx.executorInput().dump();
    default:
        return runValue(p, ctx);
    }
}

Result<std::string> resolveSegments(const std::vector<ir::KfpSegment> &segments, const TaskContext &ctx)
{
    std::string joined;
    for (const ir::KfpSegment &s : segments) {
        if (!s.isPlaceholder) {
            joined += s.text;
            continue;
        }
        auto v = resolvePlaceholder(s.placeholder, ctx);
        if (!v.ok())
            return v.error();
        joined += *v;
    }
    return joined;
}

// Appends what `arg` expands to: one string, or 0..n for an IfPresent.
Result<bool> expand(const ir::KfpArgument &arg, const TaskContext &ctx, std::vector<std::string> &out)
{
    switch (arg.kind) {
    case ir::KfpArgument::Kind::Text: {
        auto text = resolveSegments(arg.segments, ctx);
        if (!text.ok())
            return text.error();
        out.push_back(std::move(text).value());
        return true;
    }
    case ir::KfpArgument::Kind::Concat: {
        std::string joined;
        for (const ir::KfpArgument &item : arg.items) {
            std::vector<std::string> parts;
            if (auto r = expand(item, ctx, parts); !r.ok())
                return r;
            for (const std::string &p : parts)
                joined += p;
        }
        out.push_back(std::move(joined));
        return true;
    }
    case ir::KfpArgument::Kind::IfPresent: {
        const bool present = ctx.parameters.contains(arg.inputName) || inputArtifact(ctx, arg.inputName);
        const ir::KfpArgument::Branch *branch = arg.branchFor(present);
        if (!branch)
            return true;
        for (const ir::KfpArgument &item : branch->items)
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
