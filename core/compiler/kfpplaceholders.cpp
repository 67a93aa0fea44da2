// SPDX-License-Identifier: Apache-2.0
#include "compiler/kfpplaceholders.h"

#include <array>
#include <utility>

namespace pw {

namespace {

using PKind = ir::KfpPlaceholder::Kind;
using Field = ir::KfpPlaceholder::Field;

// A Concat whose `text` carries this marker came from a plain string with
// placeholders inside ("--x={{$.inputs.parameters['x']}}") and renders back as
// that string; any other Concat is KFP's {"Concat": [...]} struct. Both mean
// the same at run time, but byte-exact round trips need to tell them apart.
constexpr std::string_view kInterpolated = "interpolated";

constexpr std::array<std::pair<RunValue::Kind, PKind>, 6> kRunPlaceholders{{
    {RunValue::Kind::JobName, PKind::JobName},
    {RunValue::Kind::JobId, PKind::JobUuid},
    {RunValue::Kind::CreateTime, PKind::JobCreateTime},
    {RunValue::Kind::ScheduleTime, PKind::JobScheduleTime},
    {RunValue::Kind::TaskName, PKind::TaskName},
    {RunValue::Kind::PipelineRoot, PKind::PipelineRoot},
}};

// ---------------------------------------------------------------- model -> IR

bool isArtifactOutput(const Component &c, const std::string &name)
{
    const PortSpec *p = c.output(name);
    // Unknown outputs are assumed to be artifacts: that is what a v1 outputPath
    // of an untyped output becomes.
    return !p || p->type.isArtifact();
}

std::string quoteExt(std::string_view s)
{
    std::string out = "'";
    for (char ch : s) {
        if (ch == '\'' || ch == '\\')
            out += '\\';
        out += ch;
    }
    return out + "'";
}

ir::KfpSegment runValueSegment(const CommandArg &arg)
{
    // The spec lives in `text` (commandarg.h); `name` is read as well so a
    // model built the other way round still renders.
    auto rv = RunValue::fromSpec(arg.text);
    if (!rv)
        rv = RunValue::fromSpec(arg.name);
    if (rv) {
        if (auto p = placeholderForRunValue(*rv))
            return ir::KfpSegment::of(std::move(*p));
    }
    // Keeps the bad spec visible as text that no reader accepts, so it
    // cannot slip through a round trip unnoticed.
    return ir::KfpSegment::literal("{{$.pipewright.run_value[" +
                                   quoteExt(arg.text.empty() ? arg.name : arg.text) + "]}}");
}

bool isFlat(const CommandArg &a);

bool isInterpolatedConcat(const CommandArg &a)
{
    if (a.kind != CommandArg::Kind::Concat || a.text != kInterpolated)
        return false;
    for (const auto &item : a.items) {
        if (!isFlat(item))
            return false;
    }
    return true;
}

// Whether the argument renders as one plain string (no JSON struct).
bool isFlat(const CommandArg &a)
{
    if (a.kind == CommandArg::Kind::IfPresent)
        return false;
    if (a.kind == CommandArg::Kind::Concat)
        return isInterpolatedConcat(a);
    return true;
}

void appendSegment(std::vector<ir::KfpSegment> &out, ir::KfpSegment s)
{
    if (!s.isPlaceholder) {
        if (s.text.empty())
            return;
        if (!out.empty() && !out.back().isPlaceholder) {
            out.back().text += s.text;
            return;
        }
    }
    out.push_back(std::move(s));
}

// The placeholder of a reference kind (not Literal, RunValue, Concat, IfPresent).
ir::KfpPlaceholder referencePlaceholder(const CommandArg &a, const Component &c)
{
    using K = CommandArg::Kind;
    using P = ir::KfpPlaceholder;
    switch (a.kind) {
    // An artifact has no by-value form in KFP v2; the loaders refuse to build
    // this, so reaching it means a hand-made model, which validation reports.
    // Writing the SDK's own (equally unresolvable) form keeps output predictable.
    case K::InputValue:
        return P::inputParameter(a.name);
    case K::InputPath:
        return P::inputArtifact(a.name, Field::Path);
    case K::InputUri:
        return P::inputArtifact(a.name, Field::Uri);
    case K::InputMetadata:
        return P::inputArtifact(a.name, Field::Metadata);
    case K::InputArtifacts:
        return P::inputArtifact(a.name, Field::None);
    case K::OutputPath:
        return isArtifactOutput(c, a.name) ? P::outputArtifact(a.name, Field::Path)
                                           : P::outputParameter(a.name);
    case K::OutputUri:
        return P::outputArtifact(a.name, Field::Uri);
    case K::OutputMetadata:
        return P::outputArtifact(a.name, Field::Metadata);
    default:
        return P::of(PKind::ExecutorInput);
    }
}

void flatSegments(const CommandArg &a, const Component &c, std::vector<ir::KfpSegment> &out)
{
    switch (a.kind) {
    case CommandArg::Kind::Literal:
        appendSegment(out, ir::KfpSegment::literal(a.text));
        return;
    case CommandArg::Kind::RunValue:
        appendSegment(out, runValueSegment(a));
        return;
    case CommandArg::Kind::Concat:
        for (const auto &item : a.items)
            flatSegments(item, c, out);
        return;
    case CommandArg::Kind::IfPresent:
        return;
    default:
        appendSegment(out, ir::KfpSegment::of(referencePlaceholder(a, c)));
        return;
    }
}

ir::KfpArgument toArgument(const CommandArg &a, const Component &c, bool inConcat);

ir::KfpArgument::Branch toBranch(const std::vector<CommandArg> &args, const Component &c, bool inConcat)
{
    // Inside a Concat the SDK only allows single-element branches and writes
    // them bare; elsewhere branches are lists.
    ir::KfpArgument::Branch b;
    b.bare = inConcat && args.size() == 1;
    for (const CommandArg &a : args)
        b.items.push_back(toArgument(a, c, b.bare));
    return b;
}

ir::KfpArgument toArgument(const CommandArg &a, const Component &c, bool inConcat)
{
    if (isFlat(a)) {
        std::vector<ir::KfpSegment> segments;
        flatSegments(a, c, segments);
        return ir::KfpArgument::text(std::move(segments));
    }
    if (a.kind == CommandArg::Kind::Concat) {
        std::vector<ir::KfpArgument> items;
        for (const CommandArg &item : a.items)
            items.push_back(toArgument(item, c, true));
        return ir::KfpArgument::concat(std::move(items));
    }
    std::optional<ir::KfpArgument::Branch> otherwise;
    if (!a.elseArgs.empty())
        otherwise = toBranch(a.elseArgs, c, inConcat);
    return ir::KfpArgument::ifPresent(a.name, toBranch(a.thenArgs, c, inConcat), std::move(otherwise));
}

// ---------------------------------------------------------------- IR -> model

Error cannotHold(const ir::KfpPlaceholder &p, std::size_t offset, const std::string &why)
{
    Error e;
    e.message =
        "unknown placeholder '" + p.toString() + "' at offset " + std::to_string(offset + 1) + ": " + why;
    e.where.column = static_cast<int>(offset + 1);
    return e;
}

Result<CommandArg> fromPlaceholder(const ir::KfpPlaceholder &p, std::size_t offset)
{
    using K = CommandArg::Kind;
    const std::string &name = p.name.value;
    switch (p.kind) {
    case PKind::ExecutorInput:
        return CommandArg::ref(K::ExecutorInput, {});
    case PKind::InputParameter:
        return CommandArg::ref(K::InputValue, name);
    case PKind::InputArtifact:
        if (p.field == Field::Path)
            return CommandArg::ref(K::InputPath, name);
        if (p.field == Field::Uri)
            return CommandArg::ref(K::InputUri, name);
        if (p.field == Field::Metadata)
            return CommandArg::ref(K::InputMetadata, name);
        if (p.field == Field::None)
            return CommandArg::ref(K::InputArtifacts, name);
        return cannotHold(p, offset,
                          "a component's command takes one artifact's path, uri or whole metadata");
    case PKind::OutputParameter:
        return CommandArg::ref(K::OutputPath, name);
    case PKind::OutputArtifact:
        if (p.field == Field::Uri)
            return CommandArg::ref(K::OutputUri, name);
        if (p.field == Field::Metadata)
            return CommandArg::ref(K::OutputMetadata, name);
        return CommandArg::ref(K::OutputPath, name);
    default:
        break;
    }
    auto rv = runValueForPlaceholder(p);
    if (!rv)
        return cannotHold(p, offset, "no run value of a component matches it");
    CommandArg a;
    a.kind = K::RunValue;
    a.text = rv->toSpec();
    return a;
}

Result<CommandArg> fromText(const ir::KfpArgument &arg)
{
    std::vector<CommandArg> parts;
    std::size_t offset = 0; // printing is exact, so the printed lengths give the offsets
    for (const ir::KfpSegment &s : arg.segments) {
        if (!s.isPlaceholder) {
            parts.push_back(CommandArg::literal(s.text));
        } else {
            auto a = fromPlaceholder(s.placeholder, offset);
            if (!a)
                return a.error();
            parts.push_back(std::move(a).value());
        }
        offset += s.toString().size();
    }
    if (parts.empty())
        return CommandArg::literal({});
    if (parts.size() == 1)
        return std::move(parts.front());
    return interpolatedConcat(std::move(parts));
}

Result<std::vector<CommandArg>> fromArguments(const std::vector<ir::KfpArgument> &args)
{
    std::vector<CommandArg> out;
    for (const ir::KfpArgument &a : args) {
        auto converted = fromKfpArgument(a);
        if (!converted)
            return converted.error();
        out.push_back(std::move(converted).value());
    }
    return out;
}

} // namespace

CommandArg interpolatedConcat(std::vector<CommandArg> items)
{
    CommandArg concat;
    concat.kind = CommandArg::Kind::Concat;
    concat.text = std::string(kInterpolated);
    concat.items = std::move(items);
    return concat;
}

bool isMarkedInterpolated(const CommandArg &arg)
{
    return arg.kind == CommandArg::Kind::Concat && arg.text == kInterpolated;
}

ir::KfpArgument toKfpArgument(const CommandArg &arg, const Component &component)
{
    return toArgument(arg, component, false);
}

std::string toKfpString(const CommandArg &arg, const Component &component)
{
    return toKfpArgument(arg, component).toString();
}

Result<CommandArg> fromKfpArgument(const ir::KfpArgument &arg)
{
    switch (arg.kind) {
    case ir::KfpArgument::Kind::Text:
        return fromText(arg);
    case ir::KfpArgument::Kind::Concat: {
        auto items = fromArguments(arg.items);
        if (!items)
            return items.error();
        CommandArg a;
        a.kind = CommandArg::Kind::Concat;
        a.items = std::move(items).value();
        return a;
    }
    case ir::KfpArgument::Kind::IfPresent: {
        CommandArg a;
        a.kind = CommandArg::Kind::IfPresent;
        a.name = arg.inputName;
        auto thenArgs = fromArguments(arg.thenBranch.items);
        if (!thenArgs)
            return thenArgs.error();
        a.thenArgs = std::move(thenArgs).value();
        if (arg.elseBranch) {
            auto elseArgs = fromArguments(arg.elseBranch->items);
            if (!elseArgs)
                return elseArgs.error();
            a.elseArgs = std::move(elseArgs).value();
        }
        return a;
    }
    }
    return Error{"unknown command-line item", {}};
}

Result<CommandArg> fromKfpString(std::string_view text)
{
    auto arg = ir::KfpArgument::parse(text);
    if (!arg)
        return arg.error();
    return fromKfpArgument(*arg);
}

std::optional<ir::KfpPlaceholder> placeholderForRunValue(const RunValue &value)
{
    if (value.isPlain()) {
        for (const auto &[k, p] : kRunPlaceholders) {
            if (k == value.kind)
                return ir::KfpPlaceholder::of(p);
        }
    }
    if (value.kind == RunValue::Kind::CreateTime)
        return ir::KfpPlaceholder::runTime(PKind::RunTime, value.format, value.timeZone);
    if (value.kind == RunValue::Kind::ScheduleTime)
        return ir::KfpPlaceholder::runTime(PKind::ScheduleTime, value.format, value.timeZone);
    return std::nullopt;
}

std::optional<RunValue> runValueForPlaceholder(const ir::KfpPlaceholder &placeholder)
{
    RunValue rv;
    if (placeholder.kind == PKind::RunTime || placeholder.kind == PKind::ScheduleTime) {
        rv.kind =
            placeholder.kind == PKind::RunTime ? RunValue::Kind::CreateTime : RunValue::Kind::ScheduleTime;
        rv.format = placeholder.format();
        rv.timeZone = placeholder.zone();
        // The spec must read back unchanged: that rejects zones that are not
        // IANA-shaped and formats the spec syntax cannot carry.
        if (RunValue::fromSpec(rv.toSpec()) != rv)
            return std::nullopt;
        return rv;
    }
    for (const auto &[k, p] : kRunPlaceholders) {
        if (p == placeholder.kind) {
            rv.kind = k;
            return rv;
        }
    }
    return std::nullopt;
}

} // namespace pw
