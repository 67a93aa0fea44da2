// SPDX-License-Identifier: Apache-2.0
#include "targets/argoexpressions.h"

#include <cctype>
#include <map>
#include <memory>

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

// Reads a quoted string argument at `pos` (either quote), skipping spaces first.
std::optional<std::string> readQuoted(std::string_view text, size_t &pos)
{
    while (pos < text.size() && text[pos] == ' ')
        ++pos;
    if (pos >= text.size() || (text[pos] != '\'' && text[pos] != '"'))
        return std::nullopt;
    const char quote = text[pos];
    const size_t end = text.find(quote, pos + 1);
    if (end == std::string_view::npos)
        return std::nullopt;
    std::string value(text.substr(pos + 1, end - pos - 1));
    pos = end + 1;
    return value;
}

} // namespace

Result<Placeholder> parsePlaceholder(std::string_view inner)
{
    Placeholder p;
    p.text = "{{" + std::string(inner) + "}}";
    auto unsupported = [&] { return fail("unsupported KFP placeholder " + p.text); };
    if (inner == "$") {
        p.kind = Placeholder::Kind::ExecutorInput;
        return p;
    }
    static const std::map<std::string_view, Placeholder::Kind> simple = {
        {"$.pipeline_job_name", Placeholder::Kind::JobName},
        {"$.pipeline_job_resource_name", Placeholder::Kind::JobName},
        {"$.pipeline_job_uuid", Placeholder::Kind::JobUuid},
        {"$.pipeline_job_create_time_utc", Placeholder::Kind::JobCreateTime},
        {"$.pipeline_job_schedule_time_utc", Placeholder::Kind::JobScheduleTime},
        {"$.pipeline_task_name", Placeholder::Kind::TaskName},
        {"$.pipeline_task_uuid", Placeholder::Kind::TaskUuid},
        {"$.pipeline_root", Placeholder::Kind::PipelineRoot},
    };
    if (auto it = simple.find(inner); it != simple.end()) {
        p.kind = it->second;
        return p;
    }

    struct Io {
        std::string_view prefix;
        Placeholder::Kind kind;
        bool needsField;
    };
    static const Io ios[] = {
        {"$.inputs.parameters", Placeholder::Kind::InputParameter, false},
        {"$.inputs.artifacts", Placeholder::Kind::InputArtifact, true},
        {"$.outputs.parameters", Placeholder::Kind::OutputParameter, true},
        {"$.outputs.artifacts", Placeholder::Kind::OutputArtifact, true},
    };
    for (const Io &io : ios) {
        if (!startsWith(inner, io.prefix))
            continue;
        size_t pos = io.prefix.size();
        auto name = readIndex(inner, pos);
        if (!name)
            return unsupported();
        p.kind = io.kind;
        p.name = *name;
        std::string_view rest = inner.substr(pos);
        if (!io.needsField) {
            if (!rest.empty())
                return unsupported();
            return p;
        }
        if (rest.empty() || rest[0] != '.')
            return unsupported();
        p.field = std::string(rest.substr(1));
        const bool ok = io.kind == Placeholder::Kind::OutputParameter
                            ? p.field == "output_file"
                            : (p.field == "path" || p.field == "uri" || p.field == "metadata");
        if (!ok)
            return unsupported();
        return p;
    }

    constexpr std::string_view runTime = "$.pipewright.run_time[";
    if (startsWith(inner, runTime)) {
        size_t pos = runTime.size();
        auto format = readQuoted(inner, pos);
        while (pos < inner.size() && inner[pos] == ' ')
            ++pos;
        std::optional<std::string> zone;
        if (pos < inner.size() && inner[pos] == ',') {
            ++pos;
            zone = readQuoted(inner, pos);
        }
        while (pos < inner.size() && inner[pos] == ' ')
            ++pos;
        if (!format || pos + 1 != inner.size() || inner[pos] != ']')
            return unsupported();
        p.kind = Placeholder::Kind::RunTime;
        p.format = *format;
        p.zone = zone.value_or("");
        return p;
    }
    return unsupported();
}

bool hasPlaceholder(std::string_view text)
{
    return text.find("{{$") != std::string_view::npos;
}

Result<std::string> renderPlaceholders(std::string_view text, const PlaceholderRenderer &render)
{
    std::string out;
    out.reserve(text.size());
    size_t pos = 0;
    while (pos < text.size()) {
        const size_t start = text.find("{{$", pos);
        if (start == std::string_view::npos) {
            out.append(text.substr(pos));
            break;
        }
        const size_t end = text.find("}}", start + 2);
        if (end == std::string_view::npos)
            return fail("unterminated placeholder in '" + std::string(text) + "'");
        out.append(text.substr(pos, start - pos));
        auto placeholder = parsePlaceholder(text.substr(start + 2, end - start - 2));
        if (!placeholder)
            return placeholder.error();
        auto rendered = render(*placeholder);
        if (!rendered)
            return rendered.error();
        out += *rendered;
        pos = end + 2;
    }
    return out;
}

// ---------------------------------------------------------------------------
// CEL conditions

namespace {

struct CelNode {
    enum class Type { Ref, String, Number, Bool, Null, Compare, Not, And, Or, Group };
    Type type = Type::Null;
    std::string text; // ref name, literal text, or comparison operator
    std::string cast; // int, float, double, string, bool (refs only)
    std::unique_ptr<CelNode> left, right;
};

class CelParser final {
public:
    explicit CelParser(std::string_view text) : m_text(text) {}

    Result<std::unique_ptr<CelNode>> parse()
    {
        auto node = parseOr();
        if (!node)
            return node;
        skipSpace();
        if (m_pos != m_text.size())
            return error("unexpected '" + std::string(m_text.substr(m_pos)) + "'");
        return node;
    }

private:
    Error error(const std::string &what) const
    {
        return fail("cannot translate condition \"" + std::string(m_text) + "\" to Argo: " + what);
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }

    bool take(std::string_view token)
    {
        skipSpace();
        if (m_text.substr(m_pos, token.size()) != token)
            return false;
        m_pos += token.size();
        return true;
    }

    static std::unique_ptr<CelNode> binary(CelNode::Type type, std::unique_ptr<CelNode> l,
                                           std::unique_ptr<CelNode> r, std::string op = {})
    {
        auto node = std::make_unique<CelNode>();
        node->type = type;
        node->text = std::move(op);
        node->left = std::move(l);
        node->right = std::move(r);
        return node;
    }

    Result<std::unique_ptr<CelNode>> parseOr()
    {
        auto left = parseAnd();
        if (!left)
            return left;
        auto node = std::move(left.value());
        while (take("||")) {
            auto right = parseAnd();
            if (!right)
                return right;
            node = binary(CelNode::Type::Or, std::move(node), std::move(right.value()));
        }
        return node;
    }

    Result<std::unique_ptr<CelNode>> parseAnd()
    {
        auto left = parseUnary();
        if (!left)
            return left;
        auto node = std::move(left.value());
        while (take("&&")) {
            auto right = parseUnary();
            if (!right)
                return right;
            node = binary(CelNode::Type::And, std::move(node), std::move(right.value()));
        }
        return node;
    }

    Result<std::unique_ptr<CelNode>> parseUnary()
    {
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == '!' && m_text.substr(m_pos, 2) != "!=") {
            ++m_pos;
            auto inner = parseUnary();
            if (!inner)
                return inner;
            return binary(CelNode::Type::Not, std::move(inner.value()), nullptr);
        }
        return parseCompare();
    }

    Result<std::unique_ptr<CelNode>> parseCompare()
    {
        auto left = parsePrimary();
        if (!left)
            return left;
        static const std::string_view ops[] = {"==", "!=", "<=", ">=", "<", ">"};
        for (std::string_view op : ops) {
            if (take(op)) {
                auto right = parsePrimary();
                if (!right)
                    return right;
                return binary(CelNode::Type::Compare, std::move(left.value()), std::move(right.value()),
                              std::string(op));
            }
        }
        return left;
    }

    Result<std::unique_ptr<CelNode>> parsePrimary()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            return error("unexpected end");
        auto node = std::make_unique<CelNode>();
        const char c = m_text[m_pos];
        if (c == '(') {
            ++m_pos;
            auto inner = parseOr();
            if (!inner)
                return inner;
            if (!take(")"))
                return error("missing ')'");
            node->type = CelNode::Type::Group;
            node->left = std::move(inner.value());
            return node;
        }
        if (c == '\'' || c == '"') {
            std::string value;
            ++m_pos;
            while (m_pos < m_text.size() && m_text[m_pos] != c) {
                if (m_text[m_pos] == '\\' && m_pos + 1 < m_text.size())
                    ++m_pos;
                value += m_text[m_pos++];
            }
            if (m_pos >= m_text.size())
                return error("unterminated string");
            ++m_pos;
            node->type = CelNode::Type::String;
            node->text = std::move(value);
            return node;
        }
        if (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.') {
            const size_t start = m_pos++;
            while (m_pos < m_text.size() &&
                   (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '.' ||
                    ((m_text[m_pos] == '-' || m_text[m_pos] == '+') &&
                     (m_text[m_pos - 1] == 'e' || m_text[m_pos - 1] == 'E'))))
                ++m_pos;
            node->type = CelNode::Type::Number;
            node->text = std::string(m_text.substr(start, m_pos - start));
            return node;
        }
        // identifiers: literals, casts, and the input reference
        const size_t start = m_pos;
        while (m_pos < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) ||
                                         m_text[m_pos] == '_' || m_text[m_pos] == '.'))
            ++m_pos;
        const std::string word(m_text.substr(start, m_pos - start));
        if (word == "true" || word == "false") {
            node->type = CelNode::Type::Bool;
            node->text = word;
            return node;
        }
        if (word == "null") {
            node->type = CelNode::Type::Null;
            return node;
        }
        if (word == "int" || word == "float" || word == "double" || word == "string" || word == "bool") {
            if (!take("("))
                return error("expected '(' after " + word);
            auto inner = parsePrimary();
            if (!inner)
                return inner;
            if (!take(")"))
                return error("missing ')' after " + word + "(...)");
            if (inner.value()->type != CelNode::Type::Ref)
                return error(word + "() is only supported around an input reference");
            inner.value()->cast = word;
            return inner;
        }
        if (word == "inputs.parameter_values" || word == "inputs.parameters") {
            auto name = readIndex(m_text, m_pos);
            if (!name)
                return error("expected ['name'] after " + word);
            node->type = CelNode::Type::Ref;
            node->text = *name;
            return node;
        }
        return error("unsupported term '" + (word.empty() ? std::string(1, c) : word) + "'");
    }

    std::string_view m_text;
    size_t m_pos = 0;
};

class WhenWriter final {
public:
    WhenWriter(std::string_view cel, const ParameterLookup &lookup) : m_cel(cel), m_lookup(lookup) {}

    Result<std::string> boolean(const CelNode &node)
    {
        switch (node.type) {
        case CelNode::Type::Compare:
            return compare(node);
        case CelNode::Type::Not: {
            auto inner = boolean(*node.left);
            if (!inner)
                return inner;
            if (node.left->type == CelNode::Type::Group)
                return "!" + *inner;
            return "!(" + *inner + ")";
        }
        case CelNode::Type::And:
        case CelNode::Type::Or: {
            auto l = boolean(*node.left);
            if (!l)
                return l;
            auto r = boolean(*node.right);
            if (!r)
                return r;
            return *l + (node.type == CelNode::Type::And ? " && " : " || ") + *r;
        }
        case CelNode::Type::Group: {
            auto inner = boolean(*node.left);
            if (!inner)
                return inner;
            return "(" + *inner + ")";
        }
        case CelNode::Type::Ref: {
            // A bare boolean input: KFP passes booleans as JSON text.
            auto ref = operand(node, false);
            if (!ref)
                return ref;
            return *ref + " == \"true\"";
        }
        case CelNode::Type::Bool:
            return node.text;
        default:
            return fail("cannot translate condition \"" + std::string(m_cel) + "\" to Argo: not a boolean");
        }
    }

private:
    static bool isCastToNumber(const CelNode &node)
    {
        return node.type == CelNode::Type::Ref &&
               (node.cast == "int" || node.cast == "float" || node.cast == "double");
    }

    Result<std::string> quoted(const std::string &text)
    {
        if (text.find('"') != std::string::npos)
            return fail("cannot translate condition \"" + std::string(m_cel) +
                        "\" to Argo: a double quote in a compared value");
        return "\"" + text + "\"";
    }

    Result<std::string> operand(const CelNode &node, bool numeric)
    {
        switch (node.type) {
        case CelNode::Type::Ref: {
            auto value = m_lookup(node.text);
            if (!value)
                return fail("condition \"" + std::string(m_cel) + "\" refers to input '" + node.text +
                            "', which the task does not receive");
            return numeric ? *value : quoted(*value);
        }
        case CelNode::Type::String:
            return quoted(node.text);
        case CelNode::Type::Number:
            return numeric ? node.text : quoted(node.text);
        case CelNode::Type::Bool:
            return quoted(node.text);
        case CelNode::Type::Null:
            return std::string("\"\"");
        default:
            return fail("cannot translate condition \"" + std::string(m_cel) +
                        "\" to Argo: a comparison operand must be an input or a literal");
        }
    }

    Result<std::string> compare(const CelNode &node)
    {
        const bool ordering = node.text != "==" && node.text != "!=";
        const bool numeric = ordering || isCastToNumber(*node.left) || isCastToNumber(*node.right);
        auto l = operand(*node.left, numeric);
        if (!l)
            return l;
        auto r = operand(*node.right, numeric);
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
    CelParser parser(cel);
    auto tree = parser.parse();
    if (!tree)
        return tree.error();
    WhenWriter writer(cel, lookup);
    return writer.boolean(*tree.value());
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
