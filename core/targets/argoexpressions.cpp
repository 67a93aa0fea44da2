// SPDX-License-Identifier: Apache-2.0
#include "targets/argoexpressions.h"

#include <cctype>
#include <map>

namespace pw::argo {

namespace {

Error fail(std::string message)
{
    return Error{std::move(message), {}};
}

bool startsWith(std::string_view text, std::string_view prefix)
{
    return text.substr(0, prefix.size()) == prefix;
}

// Reads `['name']` or `["name"]` at `pos`; advances past it.
std::optional<std::string> readIndex(std::string_view text, size_t &pos)
{
    if (pos + 1 >= text.size() || text[pos] != '[')
        return std::nullopt;
    const char quote = text[pos + 1];
    if (quote != '\'' && quote != '"')
        return std::nullopt;
    const size_t end = text.find(quote, pos + 2);
    if (end == std::string_view::npos || end + 1 >= text.size() || text[end + 1] != ']')
        return std::nullopt;
    std::string name(text.substr(pos + 2, end - pos - 2));
    pos = end + 2;
    return name;
}

} // namespace

Result<std::string> renderPlaceholders(std::string_view text, const PlaceholderRenderer &render)
{
    auto parsed = ir::KfpArgument::parseText(text);
    if (!parsed)
        return parsed.error();
    return renderSegments(parsed->segments, render);
}

Result<std::string> renderSegments(const std::vector<ir::KfpSegment> &segments,
                                   const PlaceholderRenderer &render)
{
    std::string out;
    for (const ir::KfpSegment &segment : segments) {
        if (!segment.isPlaceholder) {
            out += segment.text;
            continue;
        }
        auto rendered = render(segment.placeholder);
        if (!rendered)
            return rendered.error();
        out += *rendered;
    }
    return out;
}

// ---------------------------------------------------------------------------
// CEL conditions

namespace {

using Cel = ir::CelExpression;

class WhenWriter final {
public:
    WhenWriter(std::string_view cel, const ParameterLookup &lookup) : m_cel(cel), m_lookup(lookup) {}

    Result<std::string> boolean(const Cel &node)
    {
        switch (node.kind) {
        case Cel::Kind::Compare:
            return compare(node);
        case Cel::Kind::Not: {
            const Cel &operand = node.operands[0];
            auto inner = boolean(operand);
            if (!inner)
                return inner;
            if (operand.kind == Cel::Kind::Group)
                return "!" + *inner;
            return "!(" + *inner + ")";
        }
        case Cel::Kind::And:
        case Cel::Kind::Or: {
            auto l = boolean(node.operands[0]);
            if (!l)
                return l;
            auto r = boolean(node.operands[1]);
            if (!r)
                return r;
            return *l + (node.kind == Cel::Kind::And ? " && " : " || ") + *r;
        }
        case Cel::Kind::Group: {
            auto inner = boolean(node.operands[0]);
            if (!inner)
                return inner;
            return "(" + *inner + ")";
        }
        case Cel::Kind::Parameter:
        case Cel::Kind::Call: {
            // A bare boolean input: KFP passes booleans as JSON text.
            auto ref = operand(node, false);
            if (!ref)
                return ref;
            return *ref + " == \"true\"";
        }
        case Cel::Kind::Literal:
            if (node.value.is_boolean())
                return node.value.dump();
            break;
        default:
            break;
        }
        return error("not a boolean");
    }

private:
    Error error(const std::string &what) const
    {
        return fail("cannot translate condition \"" + std::string(m_cel) + "\" to Argo: " + what);
    }

    // int(), float() and double() make a comparison numeric; Argo compares
    // everything else as strings.
    static bool isCastToNumber(const Cel &node)
    {
        std::string cast;
        node.unwrapCalls(&cast);
        return cast == "int" || cast == "float" || cast == "double";
    }

    Result<std::string> quoted(const std::string &text)
    {
        if (text.find('"') != std::string::npos)
            return error("a double quote in a compared value");
        return "\"" + text + "\"";
    }

    Result<std::string> operand(const Cel &node, bool numeric)
    {
        switch (node.kind) {
        case Cel::Kind::Call: {
            std::string cast;
            const Cel &inner = node.unwrapCalls(&cast);
            if (inner.kind != Cel::Kind::Parameter)
                return error(cast + "() is only supported around an input reference");
            return operand(inner, numeric);
        }
        case Cel::Kind::Parameter: {
            auto value = m_lookup(node.text);
            if (!value)
                return fail("condition \"" + std::string(m_cel) + "\" refers to input '" + node.text +
                            "', which the task does not receive");
            return numeric ? *value : quoted(*value);
        }
        case Cel::Kind::Literal:
            if (node.value.is_string())
                return quoted(node.value.get<std::string>());
            if (node.value.is_number())
                return numeric ? node.text : quoted(node.text);
            if (node.value.is_boolean())
                return quoted(node.value.dump());
            return std::string("\"\"");
        default:
            return error("a comparison operand must be an input or a literal");
        }
    }

    Result<std::string> compare(const Cel &node)
    {
        const Cel &lhs = node.operands[0];
        const Cel &rhs = node.operands[1];
        const bool ordering = node.text != "==" && node.text != "!=";
        const bool numeric = ordering || isCastToNumber(lhs) || isCastToNumber(rhs);
        auto l = operand(lhs, numeric);
        if (!l)
            return l;
        auto r = operand(rhs, numeric);
        if (!r)
            return r;
        return *l + " " + node.text + " " + *r;
    }

    std::string_view m_cel;
    const ParameterLookup &m_lookup;
};

} // namespace

Result<std::string> whenFromCel(std::string_view cel, const ParameterLookup &lookup)
{
    auto tree = ir::CelExpression::parse(cel);
    if (!tree)
        return fail("cannot translate condition \"" + std::string(cel) +
                    "\" to Argo: " + tree.error().message);
    return WhenWriter(cel, lookup).boolean(*tree);
}

Result<std::string> whenFromCel(const ir::CelExpression &cel, const ParameterLookup &lookup)
{
    const std::string text = cel.toString();
    return WhenWriter(text, lookup).boolean(cel);
}

// ---------------------------------------------------------------------------
// strftime -> Go layouts

namespace {

// Go reads these characters as (the start of) layout elements (Jan, Mon,
// MST, PM, pm, Z07, digits, _2, .000), so literal text holding them cannot
// sit inside a layout.
bool unsafeInLayout(char c)
{
    return std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ',' || c == 'J' ||
           c == 'M' || c == 'P' || c == 'p' || c == 'Z';
}

// Characters that would break the expression template around the layout:
// Argo treats '?' as a ternary marker, JSON-unescapes double quotes, and
// `}}` ends the tag.
bool unsafeInExpression(char c)
{
    return c == '"' || c == '\\' || c == '{' || c == '}' || c == '?';
}

struct LayoutPiece {
    bool literal = false; // true: plain text shown as is
    std::string text;
    bool hasField = false; // a layout piece that formats some part of the time
};

Result<std::vector<LayoutPiece>> splitStrftime(std::string_view format)
{
    static const std::map<char, std::string> plain = {
        {'Y', "2006"},     {'y', "06"},    {'m', "01"},       {'d', "02"},          {'e', "_2"},
        {'H', "15"},       {'I', "03"},    {'M', "04"},       {'S', "05"},          {'p', "PM"},
        {'P', "pm"},       {'b', "Jan"},   {'h', "Jan"},      {'B', "January"},     {'a', "Mon"},
        {'A', "Monday"},   {'j', "002"},   {'Z', "MST"},      {'z', "-0700"},       {'F', "2006-01-02"},
        {'T', "15:04:05"}, {'R', "15:04"}, {'D', "01/02/06"}, {'r', "03:04:05 PM"},
    };
    // GNU `%-x`: no padding.
    static const std::map<char, std::string> unpadded = {
        {'d', "2"}, {'m', "1"}, {'I', "3"}, {'M', "4"}, {'S', "5"},
    };

    std::vector<LayoutPiece> pieces;
    auto add = [&](bool literal, const std::string &text, bool field = false) {
        if (pieces.empty() || pieces.back().literal != literal)
            pieces.push_back({literal, {}});
        pieces.back().text += text;
        pieces.back().hasField = pieces.back().hasField || field;
    };
    // Text Go reads literally fits either kind of piece: keep the current one.
    auto addNeutral = [&](char c) {
        if (pieces.empty())
            pieces.push_back({false, {}});
        pieces.back().text += c;
    };

    for (size_t i = 0; i < format.size(); ++i) {
        const char c = format[i];
        if (unsafeInExpression(c))
            return fail("run-time format '" + std::string(format) + "': the character '" + std::string(1, c) +
                        "' cannot appear in an Argo expression");
        if (c != '%') {
            // A '.' or ',' right before %f is Go's fractional-second marker.
            const bool fractionMark = (c == '.' || c == ',') && format.substr(i + 1, 2) == "%f";
            if (fractionMark)
                add(false, std::string(1, c));
            else if (unsafeInLayout(c))
                add(true, std::string(1, c));
            else
                addNeutral(c);
            continue;
        }
        if (i + 1 >= format.size())
            return fail("run-time format '" + std::string(format) + "' ends with '%'");
        char d = format[++i];
        if (d == '%') {
            add(false, "%");
            continue;
        }
        if (d == '-' || d == ':') {
            const char flag = d;
            if (i + 1 >= format.size())
                return fail("run-time format '" + std::string(format) + "' ends with '%" + flag + "'");
            d = format[++i];
            if (flag == ':' && d == 'z') {
                add(false, "-07:00", true);
                continue;
            }
            auto it = unpadded.find(d);
            if (flag == '-' && it != unpadded.end()) {
                add(false, it->second, true);
                continue;
            }
            return fail("run-time format '" + std::string(format) + "': %" + std::string(1, flag) +
                        std::string(1, d) + " has no Go layout equivalent");
        }
        if (d == 'f') {
            if (pieces.empty() || pieces.back().literal || pieces.back().text.empty() ||
                (pieces.back().text.back() != '.' && pieces.back().text.back() != ','))
                return fail("run-time format '" + std::string(format) +
                            "': %f must follow a '.' or ',' (Go writes fractional seconds after one)");
            add(false, "000000", true);
            continue;
        }
        auto it = plain.find(d);
        if (it == plain.end())
            return fail("run-time format '" + std::string(format) + "': %" + std::string(1, d) +
                        " has no Go layout equivalent");
        add(false, it->second, true);
    }
    // A layout piece without any field is plain text: keep it with its neighbours.
    std::vector<LayoutPiece> merged;
    for (LayoutPiece &piece : pieces) {
        if (!piece.literal && !piece.hasField)
            piece.literal = true;
        if (!merged.empty() && merged.back().literal && piece.literal)
            merged.back().text += piece.text;
        else
            merged.push_back(std::move(piece));
    }
    return merged;
}

bool validZone(std::string_view zone)
{
    if (zone.empty() || zone == "Local")
        return false;
    for (char c : zone)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' && c != '+')
            return false;
    return true;
}

} // namespace

std::string exprString(std::string_view text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "'";
}

Result<std::string> goLayoutFromStrftime(std::string_view format)
{
    auto pieces = splitStrftime(format);
    if (!pieces)
        return pieces.error();
    std::string layout;
    for (const LayoutPiece &piece : *pieces) {
        for (char c : piece.text)
            if (piece.literal && unsafeInLayout(c))
                return fail("run-time format '" + std::string(format) + "': the literal text '" + piece.text +
                            "' would be read as part of a Go layout");
        layout += piece.text;
    }
    return layout;
}

Result<std::string> runTimeExpression(std::string_view format, std::string_view zone)
{
    const std::string tz = zone.empty() ? std::string("UTC") : std::string(zone);
    if (!validZone(tz))
        return fail("run-time time zone '" + tz + "' is not an IANA time zone name");
    if (format.empty())
        return fail("run-time format is empty");
    auto pieces = splitStrftime(format);
    if (!pieces)
        return pieces.error();
    // workflow.creationTimestamp.RFC3339 is the only creation-time form that
    // survives inside expressions (the bare name is shadowed by its .<char> children).
    const std::string time = "sprig.toDate('2006-01-02T15:04:05Z07:00', workflow.creationTimestamp.RFC3339)";
    std::string expression;
    for (const LayoutPiece &piece : *pieces) {
        if (!expression.empty())
            expression += " + ";
        if (piece.literal)
            expression += exprString(piece.text);
        else
            expression +=
                "sprig.dateInZone(" + exprString(piece.text) + ", " + time + ", " + exprString(tz) + ")";
    }
    return "{{=" + expression + "}}";
}

Result<std::vector<std::string>> selectorKeys(std::string_view selector)
{
    std::string_view rest = selector;
    while (!rest.empty() && rest.front() == ' ')
        rest.remove_prefix(1);
    while (!rest.empty() && rest.back() == ' ')
        rest.remove_suffix(1);
    constexpr std::string_view head = "parseJson(string_value)";
    if (!startsWith(rest, head))
        return fail("unsupported parameterExpressionSelector '" + std::string(selector) + "'");
    std::vector<std::string> keys;
    size_t pos = head.size();
    while (pos < rest.size()) {
        auto key = readIndex(rest, pos);
        if (!key)
            return fail("unsupported parameterExpressionSelector '" + std::string(selector) + "'");
        keys.push_back(*key);
    }
    if (keys.empty())
        return fail("parameterExpressionSelector '" + std::string(selector) + "' selects nothing");
    return keys;
}

std::string templateName(std::string_view name)
{
    std::string out;
    for (char c : name) {
        const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '-';
        out += ok ? c : '-';
    }
    if (out.empty() || !std::isalnum(static_cast<unsigned char>(out.front())))
        out.insert(out.begin(), 't');
    if (out.size() > 128)
        out.resize(128);
    return out;
}

std::string parameterName(std::string_view name)
{
    // A KFP v1 backend shows a step's metrics and visualizations only from
    // output artifacts with exactly these names.
    if (name == "mlpipeline_ui_metadata")
        return "mlpipeline-ui-metadata";
    if (name == "mlpipeline_metrics")
        return "mlpipeline-metrics";
    std::string out;
    for (char c : name)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
    return out.empty() ? std::string("_") : out;
}

std::string generateNamePrefix(std::string_view pipelineName)
{
    std::string out;
    for (char c : pipelineName) {
        const char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (std::isalnum(static_cast<unsigned char>(l)))
            out += l;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    if (out.empty())
        out = "pipeline";
    // Pod names derive from the workflow name; leave room for Argo's suffixes.
    if (out.size() > 56)
        out.resize(56);
    while (!out.empty() && out.back() == '-')
        out.pop_back();
    return out + "-";
}

} // namespace pw::argo
