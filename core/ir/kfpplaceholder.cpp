// SPDX-License-Identifier: Apache-2.0
#include "ir/kfpplaceholder.h"

#include <array>
#include <optional>
#include <utility>

namespace pw::ir {

namespace {

using Kind = KfpPlaceholder::Kind;
using Field = KfpPlaceholder::Field;

// The bodies that are the whole placeholder, as the KFP SDK spells them.
constexpr std::array<std::pair<Kind, std::string_view>, 9> kRunPlaceholders{{
    {Kind::JobName, "$.pipeline_job_name"},
    {Kind::JobResourceName, "$.pipeline_job_resource_name"},
    {Kind::JobUuid, "$.pipeline_job_uuid"},
    {Kind::JobCreateTime, "$.pipeline_job_create_time_utc"},
    {Kind::JobScheduleTime, "$.pipeline_job_schedule_time_utc"},
    {Kind::TaskName, "$.pipeline_task_name"},
    {Kind::TaskUuid, "$.pipeline_task_uuid"},
    {Kind::PipelineRoot, "$.pipeline_root"},
    {Kind::ExecutorInput, "$"},
}};

constexpr std::array<std::pair<Kind, std::string_view>, 4> kPorts{{
    {Kind::InputParameter, "$.inputs.parameters"},
    {Kind::InputArtifact, "$.inputs.artifacts"},
    {Kind::OutputParameter, "$.outputs.parameters"},
    {Kind::OutputArtifact, "$.outputs.artifacts"},
}};

constexpr std::array<std::pair<Kind, std::string_view>, 2> kExtensions{{
    {Kind::RunTime, "$.pipewright.run_time"},
    {Kind::ScheduleTime, "$.pipewright.schedule_time"},
}};

constexpr std::array<std::pair<Field, std::string_view>, 4> kFields{{
    {Field::Path, ".path"},
    {Field::Uri, ".uri"},
    {Field::Metadata, ".metadata"},
    {Field::OutputFile, ".output_file"},
}};

// Which fields each port kind takes; MetadataKey goes with Metadata.
bool allowed(Kind kind, Field field)
{
    switch (kind) {
    case Kind::InputParameter:
        return field == Field::None;
    case Kind::InputArtifact:
        return field != Field::OutputFile;
    case Kind::OutputParameter:
        return field == Field::OutputFile;
    case Kind::OutputArtifact:
        return field == Field::Path || field == Field::Uri || field == Field::Metadata;
    default:
        return false;
    }
}

std::string quoted(const KfpQuoted &q)
{
    std::string out = q.spaceBefore;
    out += q.quote;
    for (char c : q.value) {
        if (c == q.quote || c == '\\')
            out += '\\';
        out += c;
    }
    out += q.quote;
    return out + q.spaceAfter;
}

// A cursor over the body (the text between "{{" and "}}"). `why` holds the
// reason of the first failure, for the message.
class BodyReader final {
public:
    explicit BodyReader(std::string_view body) : m_body(body) {}

    std::string why;

    bool atEnd() const { return m_pos == m_body.size(); }
    std::string_view rest() const { return m_body.substr(m_pos); }

    bool take(std::string_view token)
    {
        if (!rest().starts_with(token))
            return false;
        m_pos += token.size();
        return true;
    }

    std::string spaces()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_body.size() && m_body[m_pos] == ' ')
            ++m_pos;
        return std::string(m_body.substr(start, m_pos - start));
    }

    // 'x' or "x". Only the backslash and the quote itself may be escaped:
    // any other escape could not be printed back the way it was written.
    std::optional<KfpQuoted> quotedText()
    {
        if (atEnd() || (m_body[m_pos] != '\'' && m_body[m_pos] != '"')) {
            why = "expected a quoted string at '" + std::string(rest()) + "'";
            return std::nullopt;
        }
        KfpQuoted q;
        q.quote = m_body[m_pos++];
        while (m_pos < m_body.size() && m_body[m_pos] != q.quote) {
            if (m_body[m_pos] == '\\') {
                if (m_pos + 1 >= m_body.size() ||
                    (m_body[m_pos + 1] != '\\' && m_body[m_pos + 1] != q.quote)) {
                    why = "unknown escape '" + std::string(m_body.substr(m_pos, 2)) + "'";
                    return std::nullopt;
                }
                ++m_pos;
            }
            q.value += m_body[m_pos++];
        }
        if (atEnd()) {
            why = "unterminated string";
            return std::nullopt;
        }
        ++m_pos;
        return q;
    }

    // ['name'] right after a port or .metadata, without spaces, as KFP writes it.
    std::optional<KfpQuoted> index()
    {
        if (!take("[")) {
            why = "expected ['name']";
            return std::nullopt;
        }
        auto q = quotedText();
        if (!q)
            return std::nullopt;
        if (!take("]")) {
            why = "expected ']' after the name";
            return std::nullopt;
        }
        if (q->value.empty()) {
            why = "the name is empty";
            return std::nullopt;
        }
        return q;
    }

private:
    std::string_view m_body;
    std::size_t m_pos = 0;
};

bool readPort(BodyReader &in, Kind kind, KfpPlaceholder &out)
{
    auto name = in.index();
    if (!name)
        return false;
    out.kind = kind;
    out.name = std::move(*name);
    out.field = Field::None;
    if (!in.atEnd()) {
        bool known = false;
        for (const auto &[field, spelling] : kFields) {
            if (in.rest() == spelling || (field == Field::Metadata && in.rest().starts_with(".metadata["))) {
                in.take(spelling);
                out.field = field;
                known = true;
                break;
            }
        }
        if (!known) {
            in.why = "unknown field '" + std::string(in.rest()) + "'";
            return false;
        }
        if (out.field == Field::Metadata && !in.atEnd()) {
            auto key = in.index();
            if (!key)
                return false;
            out.field = Field::MetadataKey;
            out.key = std::move(*key);
        }
    }
    if (!allowed(kind, out.field == Field::MetadataKey ? Field::Metadata : out.field)) {
        in.why = out.field == Field::None ? "a field (.output_file, .path, .uri or .metadata) is missing"
                                          : "this port has no such field";
        return false;
    }
    if (out.field == Field::MetadataKey && kind != Kind::InputArtifact) {
        in.why = "only input artifacts have metadata keys";
        return false;
    }
    if (!in.atEnd()) {
        in.why = "unexpected '" + std::string(in.rest()) + "'";
        return false;
    }
    return true;
}

// ['<format>'] or ['<format>','<zone>'], with spaces allowed around either.
bool readArguments(BodyReader &in, KfpPlaceholder &out)
{
    if (!in.take("[")) {
        in.why = "expected ['<format>','<zone>']";
        return false;
    }
    while (true) {
        const std::string before = in.spaces();
        auto arg = in.quotedText();
        if (!arg)
            return false;
        arg->spaceBefore = before;
        arg->spaceAfter = in.spaces();
        out.arguments.push_back(std::move(*arg));
        if (in.take("]"))
            break;
        if (out.arguments.size() == 2 || !in.take(",")) {
            in.why = "expected ',' or ']' at '" + std::string(in.rest()) + "'";
            return false;
        }
    }
    if (!in.atEnd()) {
        in.why = "unexpected '" + std::string(in.rest()) + "'";
        return false;
    }
    return true;
}

Error unknownPlaceholder(std::string_view text, std::size_t offset, const std::string &why)
{
    Error e;
    e.message = "unknown placeholder '" + std::string(text) + "' at offset " + std::to_string(offset + 1);
    if (!why.empty())
        e.message += ": " + why;
    e.where.column = static_cast<int>(offset + 1);
    return e;
}

const std::string kEmpty;

} // namespace

KfpPlaceholder KfpPlaceholder::of(Kind kind)
{
    KfpPlaceholder p;
    p.kind = kind;
    return p;
}

KfpPlaceholder KfpPlaceholder::inputParameter(std::string name)
{
    KfpPlaceholder p = of(Kind::InputParameter);
    p.name.value = std::move(name);
    return p;
}

KfpPlaceholder KfpPlaceholder::inputArtifact(std::string name, Field field)
{
    KfpPlaceholder p = of(Kind::InputArtifact);
    p.name.value = std::move(name);
    p.field = field;
    return p;
}

KfpPlaceholder KfpPlaceholder::outputParameter(std::string name)
{
    KfpPlaceholder p = of(Kind::OutputParameter);
    p.name.value = std::move(name);
    p.field = Field::OutputFile;
    return p;
}

KfpPlaceholder KfpPlaceholder::outputArtifact(std::string name, Field field)
{
    KfpPlaceholder p = of(Kind::OutputArtifact);
    p.name.value = std::move(name);
    p.field = field;
    return p;
}

KfpPlaceholder KfpPlaceholder::runTime(Kind kind, std::string format, std::string zone)
{
    KfpPlaceholder p = of(kind);
    p.arguments.resize(2);
    p.arguments[0].value = std::move(format);
    p.arguments[1].value = std::move(zone);
    return p;
}

Result<KfpPlaceholder> KfpPlaceholder::parse(std::string_view text, std::size_t offset)
{
    if (text.size() < 5 || !text.starts_with("{{$") || !text.ends_with("}}"))
        return unknownPlaceholder(text, offset, "a placeholder is {{$...}}");
    const std::string_view body = text.substr(2, text.size() - 4);
    for (const auto &[kind, spelling] : kRunPlaceholders) {
        if (body == spelling)
            return of(kind);
    }
    BodyReader in(body);
    KfpPlaceholder p;
    for (const auto &[kind, prefix] : kPorts) {
        if (body.starts_with(prefix) && body.substr(prefix.size()).starts_with("[")) {
            in.take(prefix);
            if (!readPort(in, kind, p))
                return unknownPlaceholder(text, offset, in.why);
            return p;
        }
    }
    for (const auto &[kind, prefix] : kExtensions) {
        if (body.starts_with(prefix) && body.substr(prefix.size()).starts_with("[")) {
            in.take(prefix);
            p.kind = kind;
            if (!readArguments(in, p))
                return unknownPlaceholder(text, offset, in.why);
            return p;
        }
    }
    return unknownPlaceholder(text, offset, {});
}

std::string KfpPlaceholder::toString() const
{
    for (const auto &[k, spelling] : kRunPlaceholders) {
        if (k == kind)
            return "{{" + std::string(spelling) + "}}";
    }
    std::string out = "{{";
    for (const auto &[k, prefix] : kPorts) {
        if (k != kind)
            continue;
        out += std::string(prefix) + "[" + quoted(name) + "]";
        for (const auto &[f, spelling] : kFields) {
            if (f == field || (f == Field::Metadata && field == Field::MetadataKey))
                out += spelling;
        }
        if (field == Field::MetadataKey)
            out += "[" + quoted(key) + "]";
    }
    for (const auto &[k, prefix] : kExtensions) {
        if (k != kind)
            continue;
        out += std::string(prefix) + "[";
        for (std::size_t i = 0; i < arguments.size(); ++i) {
            if (i)
                out += ',';
            out += quoted(arguments[i]);
        }
        out += "]";
    }
    return out + "}}";
}

const std::string &KfpPlaceholder::format() const
{
    return arguments.empty() ? kEmpty : arguments[0].value;
}

const std::string &KfpPlaceholder::zone() const
{
    return arguments.size() < 2 ? kEmpty : arguments[1].value;
}

bool containsKfpPlaceholder(std::string_view text)
{
    return text.find("{{$") != std::string_view::npos;
}

} // namespace pw::ir
