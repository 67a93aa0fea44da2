// SPDX-License-Identifier: Apache-2.0
#include "engine/conditionexpr.h"

#include <cctype>
#include <cmath>
#include <string>

namespace pw {

namespace {

using Json = nlohmann::json;

struct Failure {
    std::string message;
};

class Parser final {
public:
    Parser(std::string_view text, const Json &params) : m_text(text), m_params(params) {}

    Json parse()
    {
        Json v = parseOr();
        skipSpace();
        if (m_pos != m_text.size())
            fail("unexpected '" + std::string(m_text.substr(m_pos, 10)) + "'");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string &what) const
    {
        throw Failure{what + " at column " + std::to_string(m_pos + 1)};
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && std::isspace(static_cast<unsigned char>(m_text[m_pos])))
            ++m_pos;
    }

    bool eat(std::string_view token)
    {
        skipSpace();
        if (m_text.substr(m_pos, token.size()) != token)
            return false;
        m_pos += token.size();
        return true;
    }

    static bool truthy(const Json &v)
    {
        if (v.is_boolean())
            return v.get<bool>();
        throw Failure{"expected a boolean, got " + v.dump()};
    }

    Json parseOr()
    {
        Json v = parseAnd();
        while (eat("||")) {
            Json rhs = parseAnd();
            v = truthy(v) || truthy(rhs);
        }
        return v;
    }

    Json parseAnd()
    {
        Json v = parseUnary();
        while (eat("&&")) {
            Json rhs = parseUnary();
            v = truthy(v) && truthy(rhs);
        }
        return v;
    }

    Json parseUnary()
    {
        skipSpace();
        if (m_pos < m_text.size() && m_text[m_pos] == '!' && m_text.substr(m_pos, 2) != "!=") {
            ++m_pos;
            return !truthy(parseUnary());
        }
        return parseComparison();
    }

    Json parseComparison()
    {
        Json lhs = parsePrimary();
        for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
            if (eat(op))
                return compare(lhs, op, parsePrimary());
        }
        return lhs;
    }

    static Json compare(const Json &a, std::string_view op, const Json &b)
    {
        int order = 0;
        bool ordered = true;
        if (a.is_number() && b.is_number()) {
            const double x = a.get<double>(), y = b.get<double>();
            order = x < y ? -1 : (x > y ? 1 : 0);
        } else if (a.is_string() && b.is_string()) {
            order = a.get<std::string>().compare(b.get<std::string>());
            order = order < 0 ? -1 : (order > 0 ? 1 : 0);
        } else {
            ordered = false;
            order = a == b ? 0 : 1;
        }
        if (op == "==")
            return order == 0;
        if (op == "!=")
            return order != 0;
        if (!ordered)
            throw Failure{"cannot order " + a.dump() + " and " + b.dump()};
        if (op == "<")
            return order < 0;
        if (op == "<=")
            return order <= 0;
        if (op == ">")
            return order > 0;
        return order >= 0;
    }

    std::string parseString()
    {
        const char quote = m_text[m_pos++];
        std::string out;
        while (m_pos < m_text.size() && m_text[m_pos] != quote) {
            char ch = m_text[m_pos++];
            if (ch == '\\' && m_pos < m_text.size()) {
                ch = m_text[m_pos++];
                if (ch == 'n')
                    ch = '\n';
                else if (ch == 't')
                    ch = '\t';
            }
            out += ch;
        }
        if (m_pos >= m_text.size())
            fail("unterminated string");
        ++m_pos;
        return out;
    }

    Json parseNumber()
    {
        const std::size_t start = m_pos;
        if (m_text[m_pos] == '-' || m_text[m_pos] == '+')
            ++m_pos;
        bool real = false;
        while (m_pos < m_text.size() &&
               (std::isdigit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '.' ||
                m_text[m_pos] == 'e' || m_text[m_pos] == 'E')) {
            real = real || !std::isdigit(static_cast<unsigned char>(m_text[m_pos]));
            ++m_pos;
        }
        const std::string digits(m_text.substr(start, m_pos - start));
        try {
            if (real)
                return std::stod(digits);
            return static_cast<std::int64_t>(std::stoll(digits));
        } catch (const std::exception &) {
            fail("bad number '" + digits + "'");
        }
    }

    static Json convert(const std::string &fn, const Json &v)
    {
        auto textOf = [](const Json &x) { return x.is_string() ? x.get<std::string>() : x.dump(); };
        try {
            if (fn == "int") {
                if (v.is_number())
                    return static_cast<std::int64_t>(v.get<double>());
                return static_cast<std::int64_t>(std::stoll(textOf(v)));
            }
            if (fn == "double") {
                if (v.is_number())
                    return v.get<double>();
                return std::stod(textOf(v));
            }
        } catch (const std::exception &) {
            throw Failure{fn + "() cannot convert " + v.dump()};
        }
        if (fn == "string")
            return textOf(v);
        // bool()
        if (v.is_boolean())
            return v;
        const std::string t = textOf(v);
        if (t == "true" || t == "True")
            return true;
        if (t == "false" || t == "False")
            return false;
        throw Failure{"bool() cannot convert " + v.dump()};
    }

    Json parameter()
    {
        if (!eat("["))
            fail("expected [ after parameter_values");
        skipSpace();
        if (m_pos >= m_text.size() || (m_text[m_pos] != '\'' && m_text[m_pos] != '"'))
            fail("expected a quoted parameter name");
        const std::string name = parseString();
        if (!eat("]"))
            fail("expected ]");
        if (!m_params.contains(name))
            throw Failure{"the condition reads '" + name + "', which the task does not receive"};
        return m_params.at(name);
    }

    Json parsePrimary()
    {
        skipSpace();
        if (m_pos >= m_text.size())
            fail("unexpected end of condition");
        const char ch = m_text[m_pos];
        if (ch == '(') {
            ++m_pos;
            Json v = parseOr();
            if (!eat(")"))
                fail("expected )");
            return v;
        }
        if (ch == '\'' || ch == '"')
            return parseString();
        if (std::isdigit(static_cast<unsigned char>(ch)) || ch == '-' || ch == '+')
            return parseNumber();
        for (const char *fn : {"int", "double", "string", "bool"}) {
            const std::string open = std::string(fn) + "(";
            if (m_text.substr(m_pos, open.size()) == open) {
                m_pos += open.size();
                Json v = parseOr();
                if (!eat(")"))
                    fail("expected )");
                return convert(fn, v);
            }
        }
        if (eat("inputs.parameter_values"))
            return parameter();
        if (eat("true"))
            return true;
        if (eat("false"))
            return false;
        if (eat("null"))
            return nullptr;
        fail("unexpected '" + std::string(m_text.substr(m_pos, 10)) + "'");
    }

    std::string_view m_text;
    const Json &m_params;
    std::size_t m_pos = 0;
};

} // namespace

Result<bool> evaluateCondition(std::string_view expression, const nlohmann::json &parameters)
{
    try {
        Parser p(expression, parameters);
        const Json v = p.parse();
        if (!v.is_boolean())
            return Error{"condition '" + std::string(expression) + "' is not a boolean expression", {}};
        return v.get<bool>();
    } catch (const Failure &f) {
        return Error{"cannot evaluate condition '" + std::string(expression) + "': " + f.message, {}};
    }
}

} // namespace pw
