// SPDX-License-Identifier: Apache-2.0
#include "formats/kfpplaceholders.h"

#include "model/runvalue.h"
#include "util/pyjson.h"

#include <nlohmann/json.hpp>

#include <array>
#include <utility>

namespace pw {

namespace {

// A Concat whose `text` carries this marker came from a plain string with
// placeholders inside ("--x={{$.inputs.parameters['x']}}") and renders back as
// that string; any other Concat is KFP's {"Concat": [...]} struct. Both mean
// the same at run time, but byte-exact round trips need to tell them apart.
constexpr std::string_view kInterpolated = "interpolated";

constexpr std::string_view kConcatPrefix = R"({"Concat": )";
constexpr std::string_view kIfPresentPrefix = R"({"IfPresent": )";

constexpr std::array<std::pair<RunValue::Kind, std::string_view>, 6> kRunPlaceholders{{
    {RunValue::Kind::JobName, "$.pipeline_job_name"},
    {RunValue::Kind::JobId, "$.pipeline_job_uuid"},
    {RunValue::Kind::CreateTime, "$.pipeline_job_create_time_utc"},
    {RunValue::Kind::ScheduleTime, "$.pipeline_job_schedule_time_utc"},
    {RunValue::Kind::TaskName, "$.pipeline_task_name"},
    {RunValue::Kind::PipelineRoot, "$.pipeline_root"},
}};

// Pipewright's own forms for formatted times; KFP has no equivalent, so a
// helper step or the local engine resolves them.
constexpr std::string_view kRunTimeExt = "$.pipewright.run_time[";
constexpr std::string_view kScheduleTimeExt = "$.pipewright.schedule_time[";

Error placeholderError(std::string message)
{
    Error e;
    e.message = std::move(message);
    return e;
}

// ---------------------------------------------------------------- rendering

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

std::string renderRunValue(const CommandArg &arg)
{
    // The spec lives in `text` (commandarg.h); `name` is read as well so a
    // model built the other way round still renders.
    auto rv = RunValue::fromSpec(arg.text);
    if (!rv)
        rv = RunValue::fromSpec(arg.name);
    if (!rv) {
        // Keeps the bad spec visible; fromKfpString rejects this form, so it
        // cannot slip through a round trip unnoticed.
        return "{{$.pipewright.run_value[" + quoteExt(arg.text.empty() ? arg.name : arg.text) + "]}}";
    }
    if (rv->isPlain()) {
        for (const auto &[k, body] : kRunPlaceholders) {
            if (k == rv->kind)
                return "{{" + std::string(body) + "}}";
        }
    }
    const std::string_view ext = rv->kind == RunValue::Kind::ScheduleTime ? kScheduleTimeExt : kRunTimeExt;
    return "{{" + std::string(ext) + quoteExt(rv->format) + "," + quoteExt(rv->timeZone) + "]}}";
}

std::string portRef(std::string_view scope, const std::string &name, std::string_view suffix)
{
    return "{{$." + std::string(scope) + "['" + name + "']" + std::string(suffix) + "}}";
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

std::string renderFlat(const CommandArg &a, const Component &c)
{
    using K = CommandArg::Kind;
    switch (a.kind) {
    case K::Literal:
        return a.text;
    // An artifact has no by-value form in KFP v2; the loaders refuse to build
    // this, so reaching it means a hand-made model, which validation reports.
    // Writing the SDK's own (equally unresolvable) form keeps output predictable.
    case K::InputValue:
        return portRef("inputs.parameters", a.name, "");
    case K::InputPath:
        return portRef("inputs.artifacts", a.name, ".path");
    case K::InputUri:
        return portRef("inputs.artifacts", a.name, ".uri");
    case K::InputMetadata:
        return portRef("inputs.artifacts", a.name, ".metadata");
    case K::OutputPath:
        return isArtifactOutput(c, a.name) ? portRef("outputs.artifacts", a.name, ".path")
                                           : portRef("outputs.parameters", a.name, ".output_file");
    case K::OutputUri:
        return portRef("outputs.artifacts", a.name, ".uri");
    case K::OutputMetadata:
        return portRef("outputs.artifacts", a.name, ".metadata");
    case K::ExecutorInput:
        return "{{$}}";
    case K::RunValue:
        return renderRunValue(a);
    case K::Concat: {
        std::string out;
        for (const auto &item : a.items)
            out += renderFlat(item, c);
        return out;
    }
    case K::IfPresent:
        break;
    }
    return {};
}

void appendStruct(std::string &out, const CommandArg &a, const Component &c, bool inConcat);

// One element of a Concat or IfPresent list: a JSON string, or a nested
// struct as an object (not as a string), the way the SDK nests them.
void appendElement(std::string &out, const CommandArg &a, const Component &c, bool inConcat)
{
    if (isFlat(a))
        out += pythonJsonDumps(renderFlat(a, c));
    else
        appendStruct(out, a, c, inConcat);
}

void appendBranch(std::string &out, const std::vector<CommandArg> &args, const Component &c, bool inConcat)
{
    // Inside a Concat the SDK only allows single-element branches and writes
    // them bare; elsewhere branches are lists.
    if (inConcat && args.size() == 1) {
        appendElement(out, args.front(), c, true);
        return;
    }
    out += '[';
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i)
            out += ", ";
        appendElement(out, args[i], c, false);
    }
    out += ']';
}

void appendStruct(std::string &out, const CommandArg &a, const Component &c, bool inConcat)
{
    if (a.kind == CommandArg::Kind::Concat) {
        out += "{\"Concat\": [";
        for (std::size_t i = 0; i < a.items.size(); ++i) {
            if (i)
                out += ", ";
            appendElement(out, a.items[i], c, true);
        }
        out += "]}";
        return;
    }
    // Key order and spacing as json.dumps writes the SDK's dict.
    out += "{\"IfPresent\": {\"InputName\": " + pythonJsonDumps(a.name) + ", \"Then\": ";
    appendBranch(out, a.thenArgs, c, inConcat);
    if (!a.elseArgs.empty()) {
        out += ", \"Else\": ";
        appendBranch(out, a.elseArgs, c, inConcat);
    }
    out += "}}";
}

// ---------------------------------------------------------------- parsing

// Reads a quoted name at `pos` ('x'), honouring \' and \\ escapes.
std::optional<std::string> readQuoted(std::string_view s, std::size_t &pos)
{
    if (pos >= s.size() || s[pos] != '\'')
        return std::nullopt;
    std::string out;
    for (++pos; pos < s.size(); ++pos) {
        if (s[pos] == '\\' && pos + 1 < s.size()) {
            out += s[++pos];
        } else if (s[pos] == '\'') {
            ++pos;
            return out;
        } else {
            out += s[pos];
        }
    }
    return std::nullopt;
}

std::optional<CommandArg> parseRunTimeExt(std::string_view body, std::string_view prefix, RunValue::Kind kind)
{
    std::size_t pos = prefix.size();
    auto format = readQuoted(body, pos);
    if (!format)
        return std::nullopt;
    std::string zone;
    if (pos < body.size() && body[pos] == ',') {
        ++pos;
        while (pos < body.size() && body[pos] == ' ')
            ++pos;
        auto z = readQuoted(body, pos);
        if (!z)
            return std::nullopt;
        zone = *z;
    }
    if (body.substr(pos) != "]")
        return std::nullopt;
    RunValue rv;
    rv.kind = kind;
    rv.format = *format;
    rv.timeZone = zone;
    // The spec must read back unchanged: that rejects zones that are not
    // IANA-shaped and formats the spec syntax cannot carry.
    const std::string spec = rv.toSpec();
    if (RunValue::fromSpec(spec) != rv)
        return std::nullopt;
    CommandArg a;
    a.kind = CommandArg::Kind::RunValue;
    a.text = spec;
    return a;
}

// `body` is what sits between "{{" and "}}", starting with '$'.
std::optional<CommandArg> parseBody(std::string_view body)
{
    using K = CommandArg::Kind;
    if (body == "$")
        return CommandArg::ref(K::ExecutorInput, {});
    for (const auto &[k, b] : kRunPlaceholders) {
        if (body == b) {
            RunValue rv;
            rv.kind = k;
            CommandArg a;
            a.kind = K::RunValue;
            a.text = rv.toSpec();
            return a;
        }
    }
    if (body.starts_with(kRunTimeExt))
        return parseRunTimeExt(body, kRunTimeExt, RunValue::Kind::CreateTime);
    if (body.starts_with(kScheduleTimeExt))
        return parseRunTimeExt(body, kScheduleTimeExt, RunValue::Kind::ScheduleTime);

    struct Form {
        std::string_view scope;
        std::string_view suffix;
        K kind;
    };
    static constexpr std::array<Form, 8> kForms{{
        {"$.inputs.parameters[", "]", K::InputValue},
        {"$.inputs.artifacts[", "].path", K::InputPath},
        {"$.inputs.artifacts[", "].uri", K::InputUri},
        {"$.inputs.artifacts[", "].metadata", K::InputMetadata},
        {"$.outputs.parameters[", "].output_file", K::OutputPath},
        {"$.outputs.artifacts[", "].path", K::OutputPath},
        {"$.outputs.artifacts[", "].uri", K::OutputUri},
        {"$.outputs.artifacts[", "].metadata", K::OutputMetadata},
    }};
    for (const Form &f : kForms) {
        if (!body.starts_with(f.scope))
            continue;
        std::size_t pos = f.scope.size();
        auto name = readQuoted(body, pos);
        if (!name || name->empty() || body.substr(pos) != f.suffix)
            continue;
        return CommandArg::ref(f.kind, *name);
    }
    return std::nullopt;
}

// A plain string: literal text with any number of {{$...}} placeholders.
Result<CommandArg> parseText(std::string_view text)
{
    std::vector<CommandArg> parts;
    std::size_t pos = 0;
    while (true) {
        const auto start = text.find("{{$", pos);
        if (start == std::string_view::npos)
            break;
        if (start > pos)
            parts.push_back(CommandArg::literal(std::string(text.substr(pos, start - pos))));
        const auto end = text.find("}}", start + 3);
        if (end == std::string_view::npos) {
            return placeholderError("unterminated placeholder at offset " + std::to_string(start + 1) +
                                    ": missing '}}' after '" + std::string(text.substr(start, 40)) + "'");
        }
        const std::string_view body = text.substr(start + 2, end - start - 2);
        auto arg = parseBody(body);
        if (!arg) {
            return placeholderError("unknown placeholder '{{" + std::string(body) + "}}' at offset " +
                                    std::to_string(start + 1));
        }
        parts.push_back(std::move(*arg));
        pos = end + 2;
    }
    if (parts.empty())
        return CommandArg::literal(std::string(text));
    if (pos < text.size())
        parts.push_back(CommandArg::literal(std::string(text.substr(pos))));
    if (parts.size() == 1)
        return std::move(parts.front());
    CommandArg concat;
    concat.kind = CommandArg::Kind::Concat;
    concat.text = std::string(kInterpolated);
    concat.items = std::move(parts);
    return concat;
}

Result<CommandArg> fromStruct(const nlohmann::json &j, int depth);

Result<CommandArg> fromElement(const nlohmann::json &j, int depth)
{
    if (j.is_string())
        return parseText(j.get_ref<const std::string &>());
    if (j.is_object())
        return fromStruct(j, depth);
    return placeholderError("expected a string or a placeholder object, got " + j.dump());
}

Result<std::vector<CommandArg>> fromBranch(const nlohmann::json &j, int depth)
{
    std::vector<CommandArg> out;
    if (j.is_array()) {
        for (const auto &e : j) {
            auto a = fromElement(e, depth);
            if (!a)
                return a.error();
            out.push_back(std::move(a).value());
        }
        return out;
    }
    auto a = fromElement(j, depth);
    if (!a)
        return a.error();
    out.push_back(std::move(a).value());
    return out;
}

Result<CommandArg> fromStruct(const nlohmann::json &j, int depth)
{
    // Nesting this deep is not a real component; stop before the stack does.
    if (depth > 64)
        return placeholderError("placeholders nested too deeply");
    if (!j.is_object() || j.size() != 1)
        return placeholderError("expected {\"Concat\": [...]} or {\"IfPresent\": {...}}, got " + j.dump());
    const auto first = j.begin();
    const std::string &key = first.key();
    const nlohmann::json &value = first.value();
    if (key == "Concat") {
        if (!value.is_array())
            return placeholderError("Concat expects a list, got " + value.dump());
        CommandArg a;
        a.kind = CommandArg::Kind::Concat;
        for (const auto &e : value) {
            auto item = fromElement(e, depth + 1);
            if (!item)
                return item.error();
            a.items.push_back(std::move(item).value());
        }
        return a;
    }
    if (key == "IfPresent") {
        if (!value.is_object())
            return placeholderError("IfPresent expects an object, got " + value.dump());
        for (const auto &[k, v] : value.items()) {
            if (k != "InputName" && k != "Then" && k != "Else")
                return placeholderError("IfPresent has unknown key '" + k + "'");
        }
        const auto name = value.find("InputName");
        if (name == value.end() || !name->is_string() || name->get_ref<const std::string &>().empty())
            return placeholderError("IfPresent needs a string InputName");
        const auto then = value.find("Then");
        if (then == value.end())
            return placeholderError("IfPresent needs Then");
        CommandArg a;
        a.kind = CommandArg::Kind::IfPresent;
        a.name = name->get<std::string>();
        auto thenArgs = fromBranch(*then, depth + 1);
        if (!thenArgs)
            return thenArgs.error();
        a.thenArgs = std::move(thenArgs).value();
        const auto otherwise = value.find("Else");
        if (otherwise != value.end() && !otherwise->is_null()) {
            auto elseArgs = fromBranch(*otherwise, depth + 1);
            if (!elseArgs)
                return elseArgs.error();
            a.elseArgs = std::move(elseArgs).value();
        }
        return a;
    }
    return placeholderError("unknown placeholder struct '" + key + "'");
}

} // namespace

std::string toKfpString(const CommandArg &arg, const Component &component)
{
    if (isFlat(arg))
        return renderFlat(arg, component);
    std::string out;
    appendStruct(out, arg, component, false);
    return out;
}

Result<CommandArg> fromKfpString(std::string_view text)
{
    // The same test the SDK's local runner and the backend apply: the struct
    // forms are recognised by their exact json.dumps prefix.
    if (text.starts_with(kConcatPrefix) || text.starts_with(kIfPresentPrefix)) {
        const auto j = nlohmann::json::parse(text, nullptr, false);
        if (j.is_discarded())
            return placeholderError("malformed placeholder JSON: " + std::string(text.substr(0, 80)));
        return fromStruct(j, 0);
    }
    return parseText(text);
}

} // namespace pw
