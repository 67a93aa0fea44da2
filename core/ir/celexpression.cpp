// SPDX-License-Identifier: Apache-2.0
#include "ir/celexpression.h"

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <utility>

namespace pw::ir {

namespace {

using Kind = CelExpression::Kind;
using Json = nlohmann::json;

constexpr std::string_view kParameterValues = "inputs.parameter_values";
constexpr std::string_view kLegacyParameters = "inputs.parameters";

bool isConversion(std::string_view name)
{
    return name == "int" || name == "double" || name == "float" || name == "string" || name == "bool";
}

std::string quotedString(const std::string &value, char quote)
{
    std::string out(1, quote);
    for (char c : value) {
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        if (c == '\t') {
            out += "\\t";
            continue;
        }
        if (c == quote || c == '\\')
            out += '\\';
        out += c;
    }
    return out + quote;
}

// A number as written: an optional sign, digits with an optional fraction
// and exponent. Integers stay integers, as KFP's integer parameters compare.
std::optional<Json> numberValue(const std::string &spelling)
{
    std::size_t i = spelling[0] == '-' || spelling[0] == '+' ? 1 : 0;
    bool integer = i < spelling.size();
    bool digits = false;
    for (std::size_t k = i; k < spelling.size(); ++k) {
        const char c = spelling[k];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            digits = true;
            continue;
        }
        integer = false;
        if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-')
            return std::nullopt; // hex, suffixes, inf, nan: nothing KFP writes
    }
    if (!digits)
        return std::nullopt;
    errno = 0;
    char *end = nullptr;
    if (integer) {
        const long long v = std::strtoll(spelling.c_str(), &end, 10);
        if (errno == ERANGE || end != spelling.c_str() + spelling.size())
            return std::nullopt;
        return Json(static_cast<std::int64_t>(v));
    }
    const double v = std::strtod(spelling.c_str(), &end);
    if (errno == ERANGE || end != spelling.c_str() + spelling.size())
        return std::nullopt;
    return Json(v);
}

struct ParseFailure {
    std::string message;
    std::size_t pos;
};

class CelParser final {
public:
    explicit CelParser(std::string_view text) : m_text(text) {}

    CelExpression parse()
    {
        CelExpression e = parseOr();
        skipSpace();
        if (m_pos != m_text.size())
            fail("unexpected '" + std::string(m_text.substr(m_pos, 20)) + "'");
        return e;
    }

private:
    [[noreturn]] void fail(std::string what) const { throw ParseFailure{std::move(what), m_pos}; }

    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }

    bool peek(std::string_view token)
    {
        skipSpace();
        return m_text.substr(m_pos, token.size()) == token;
    }

    bool take(std::string_view token)
    {
        if (!peek(token))
            return false;
        m_pos += token.size();
        return true;
    }

    static CelExpression node(Kind kind, std::vector<CelExpression> operands, std::string text = {})
    {
        CelExpression e;
        e.kind = kind;
        e.text = std::move(text);
        e.operands = std::move(operands);
        return e;
    }

    CelExpression parseOr()
    {
        CelExpression e = parseAnd();
        while (take("||"))
            e = node(Kind::Or, {std::move(e), parseAnd()});
        return e;
    }

    CelExpression parseAnd()
    {
        CelExpression e = parseUnary();
        while (take("&&"))
            e = node(Kind::And, {std::move(e), parseUnary()});
        return e;
    }

    // Every nesting (!, parentheses, calls) goes through here; a condition
    // nested this deep is no real one, and the limit keeps the stack safe.
    void nest()
    {
        if (++m_depth > 200)
            fail("the condition is nested too deeply");
    }

    CelExpression parseUnary()
    {
        if (peek("!") && !peek("!=")) {
            ++m_pos;
            nest();
            CelExpression operand = parseUnary();
            --m_depth;
            return node(Kind::Not, {std::move(operand)});
        }
        return parseCompare();
    }

    CelExpression parseCompare()
    {
        CelExpression lhs = parsePostfix();
        for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
            if (take(op))
                return node(Kind::Compare, {std::move(lhs), parsePostfix()}, std::string(op));
        }
        return lhs;
    }

    // Field and index access, for conditions on a loop item's fields.
    CelExpression parsePostfix()
    {
        CelExpression e = parsePrimary();
        while (true) {
            if (peek(".") && m_pos + 1 < m_text.size() &&
                (std::isalpha(static_cast<unsigned char>(m_text[m_pos + 1])) || m_text[m_pos + 1] == '_')) {
                ++m_pos;
                const std::string field = word();
                e = node(Kind::Member, {std::move(e)}, field);
            } else if (take("[")) {
                CelExpression index = parsePrimary();
                if (index.kind != Kind::Literal ||
                    !(index.value.is_string() || index.value.is_number_integer()))
                    fail("an index must be a string or an integer");
                if (!take("]"))
                    fail("missing ']'");
                e = node(Kind::Index, {std::move(e), std::move(index)});
            } else {
                return e;
            }
        }
    }

    static bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

    std::string word()
    {
        const std::size_t start = m_pos;
        while (m_pos < m_text.size() && isNameChar(m_text[m_pos]))
            ++m_pos;
        return std::string(m_text.substr(start, m_pos - start));
    }

    std::string stringLiteral(char &quote)
    {
        quote = m_text[m_pos++];
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            char c = m_text[m_pos++];
            if (c == '\\' && m_pos < m_text.size()) {
                c = m_text[m_pos++];
                if (c == 'n')
                    c = '\n';
                else if (c == 't')
                    c = '\t';
            }
            out += c;
        }
        if (m_pos >= m_text.size())
            fail("unterminated string");
        ++m_pos;
        return out;
    }

    bool atNumber() const
    {
        auto digitAt = [&](std::size_t i) {
            return i < m_text.size() && std::isdigit(static_cast<unsigned char>(m_text[i]));
        };
        std::size_t i = m_pos;
        if (m_text[i] == '-' || m_text[i] == '+')
            ++i;
        return digitAt(i) || (i < m_text.size() && m_text[i] == '.' && digitAt(i + 1));
    }

    CelExpression number()
    {
        const std::size_t start = m_pos++;
        while (m_pos < m_text.size() &&
               (std::isalnum(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '.' ||
                ((m_text[m_pos] == '-' || m_text[m_pos] == '+') &&
                 (m_text[m_pos - 1] == 'e' || m_text[m_pos - 1] == 'E'))))
            ++m_pos;
        const std::string spelling(m_text.substr(start, m_pos - start));
        auto value = numberValue(spelling);
        if (!value) {
            m_pos = start;
            fail("bad number '" + spelling + "'");
        }
        CelExpression e = CelExpression::literal(std::move(*value));
        e.text = spelling;
        return e;
    }

    CelExpression parameter(bool legacy)
    {
        if (!take("["))
            fail("expected ['name'] after " + std::string(legacy ? kLegacyParameters : kParameterValues));
        skipSpace();
        if (m_pos >= m_text.size() || (m_text[m_pos] != '\'' && m_text[m_pos] != '"'))
            fail("expected a quoted parameter name");
        CelExpression e;
        e.kind = Kind::Parameter;
        e.legacyRoot = legacy;
        e.text = stringLiteral(e.quote);
        if (e.text.empty())
            fail("the parameter name is empty");
        if (!take("]"))
            fail("missing ']'");
        return e;
    }

    CelExpression parsePrimary()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            fail("unexpected end of condition");
        const char c = m_text[m_pos];
        if (c == '(') {
            ++m_pos;
            nest();
            CelExpression inner = parseOr();
            if (!take(")"))
                fail("missing ')'");
            --m_depth;
            return node(Kind::Group, {std::move(inner)});
        }
        if (c == '\'' || c == '"') {
            char quote = c;
            CelExpression e = CelExpression::literal(stringLiteral(quote));
            e.quote = quote;
            return e;
        }
        if (atNumber())
            return number();
        const std::size_t start = m_pos;
        // The parameter map is the one dotted name.
        for (std::string_view root : {kParameterValues, kLegacyParameters}) {
            const std::size_t after = start + root.size();
            if (m_text.substr(start).starts_with(root) &&
                (after == m_text.size() || !isNameChar(m_text[after]))) {
                m_pos = after;
                return parameter(root == kLegacyParameters);
            }
        }
        std::string name = word();
        if (name == "true" || name == "false")
            return CelExpression::literal(name == "true");
        if (name == "null")
            return CelExpression::literal(nullptr);
        if (name.empty()) {
            m_pos = start;
            fail("unexpected '" + std::string(m_text.substr(m_pos, 20)) + "'");
        }
        if (peek("(")) {
            if (!isConversion(name)) {
                m_pos = start;
                fail("unsupported function '" + name + "'");
            }
            ++m_pos;
            nest();
            CelExpression argument = parseOr();
            if (!take(")"))
                fail("missing ')' after " + name + "(...)");
            --m_depth;
            return CelExpression::call(name, std::move(argument));
        }
        m_pos = start;
        fail("unsupported term '" + name + "'");
    }

    std::string_view m_text;
    std::size_t m_pos = 0;
    int m_depth = 0;
};

// How tightly each kind binds when printed; operands that bind looser get
// parentheses. Trees from parse() carry their own Group nodes.
int precedence(Kind kind)
{
    switch (kind) {
    case Kind::Or:
        return 1;
    case Kind::And:
        return 2;
    case Kind::Not:
        return 3;
    case Kind::Compare:
        return 4;
    default:
        return 5;
    }
}

std::string printOperand(const CelExpression &e, int parent)
{
    const std::string text = e.toString();
    return precedence(e.kind) < parent ? "(" + text + ")" : text;
}

} // namespace

CelExpression CelExpression::parameter(std::string name)
{
    CelExpression e;
    e.kind = Kind::Parameter;
    e.text = std::move(name);
    return e;
}

CelExpression CelExpression::literal(Json value)
{
    CelExpression e;
    e.kind = Kind::Literal;
    if (value.is_number())
        e.text = value.dump();
    e.value = std::move(value);
    return e;
}

CelExpression CelExpression::call(std::string function, CelExpression argument)
{
    CelExpression e;
    e.kind = Kind::Call;
    e.text = std::move(function);
    e.operands.push_back(std::move(argument));
    return e;
}

CelExpression CelExpression::compare(CelExpression lhs, std::string op, CelExpression rhs)
{
    CelExpression e;
    e.kind = Kind::Compare;
    e.text = std::move(op);
    e.operands.push_back(std::move(lhs));
    e.operands.push_back(std::move(rhs));
    return e;
}

CelExpression CelExpression::negation(CelExpression operand)
{
    CelExpression group;
    group.kind = Kind::Group;
    group.operands.push_back(std::move(operand));
    CelExpression e;
    e.kind = Kind::Not;
    e.operands.push_back(std::move(group));
    return e;
}

CelExpression CelExpression::conjunction(CelExpression lhs, CelExpression rhs)
{
    CelExpression e;
    e.kind = Kind::And;
    e.operands.push_back(std::move(lhs));
    e.operands.push_back(std::move(rhs));
    return e;
}

Result<CelExpression> CelExpression::parse(std::string_view text)
{
    try {
        return CelParser(text).parse();
    } catch (const ParseFailure &f) {
        Error e;
        e.message = f.message + " at column " + std::to_string(f.pos + 1);
        e.where.column = static_cast<int>(f.pos + 1);
        return e;
    }
}

std::string CelExpression::toString() const
{
    switch (kind) {
    case Kind::Parameter:
        return std::string(legacyRoot ? kLegacyParameters : kParameterValues) + "[" +
               quotedString(text, quote) + "]";
    case Kind::Literal:
        if (value.is_string())
            return quotedString(value.get<std::string>(), quote);
        return value.is_number() && !text.empty() ? text : value.dump();
    case Kind::Call:
        return text + "(" + operands[0].toString() + ")";
    case Kind::Member:
        return printOperand(operands[0], 5) + "." + text;
    case Kind::Index:
        return printOperand(operands[0], 5) + "[" + operands[1].toString() + "]";
    case Kind::Compare:
        return printOperand(operands[0], 5) + " " + text + " " + printOperand(operands[1], 5);
    case Kind::Not:
        return std::string(1, '!').append(printOperand(operands[0], 3));
    case Kind::And:
        return printOperand(operands[0], 2) + " && " + printOperand(operands[1], 3);
    case Kind::Or:
        return printOperand(operands[0], 1) + " || " + printOperand(operands[1], 2);
    case Kind::Group:
        return std::string(1, '(').append(operands[0].toString()).append(1, ')');
    }
    return {};
}

const CelExpression &CelExpression::unwrapCalls(std::string *outermost) const
{
    const CelExpression *e = this;
    if (outermost)
        outermost->clear();
    while (e->kind == Kind::Call) {
        if (outermost && outermost->empty())
            *outermost = e->text;
        e = &e->operands[0];
    }
    return *e;
}

} // namespace pw::ir
