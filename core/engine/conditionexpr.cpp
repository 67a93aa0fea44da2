// SPDX-License-Identifier: Apache-2.0
#include "engine/conditionexpr.h"

#include <cstdint>
#include <string>

namespace pw {

namespace {

using Json = nlohmann::json;
using Kind = ir::CelExpression::Kind;

struct Failure {
    std::string message;
};

bool truthy(const Json &v)
{
    if (v.is_boolean())
        return v.get<bool>();
    throw Failure{"expected a boolean, got " + v.dump()};
}

Json compare(const Json &a, const std::string &op, const Json &b)
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

// KFP hands parameters over as JSON values, but numbers often arrive as text
// (a task output is a string), so conversions read text as well.
Json convert(const std::string &fn, const Json &v)
{
    auto textOf = [](const Json &x) { return x.is_string() ? x.get<std::string>() : x.dump(); };
    try {
        if (fn == "int") {
            if (v.is_number())
                return static_cast<std::int64_t>(v.get<double>());
            return static_cast<std::int64_t>(std::stoll(textOf(v)));
        }
        if (fn == "double" || fn == "float") {
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

Json evaluate(const ir::CelExpression &e, const Json &params)
{
    switch (e.kind) {
    case Kind::Parameter:
        if (!params.contains(e.text))
            throw Failure{"the condition reads '" + e.text + "', which the task does not receive"};
        return params.at(e.text);
    case Kind::Literal:
        return e.value;
    case Kind::Call:
        return convert(e.text, evaluate(e.operands[0], params));
    case Kind::Member: {
        const Json object = evaluate(e.operands[0], params);
        if (!object.is_object() || !object.contains(e.text))
            throw Failure{"no field '" + e.text + "' in " + object.dump()};
        return object.at(e.text);
    }
    case Kind::Index: {
        const Json container = evaluate(e.operands[0], params);
        const Json &index = e.operands[1].value;
        if (container.is_object() && index.is_string() && container.contains(index.get<std::string>()))
            return container.at(index.get<std::string>());
        if (container.is_array() && index.is_number_integer() && index.get<std::int64_t>() >= 0 &&
            index.get<std::size_t>() < container.size())
            return container.at(index.get<std::size_t>());
        throw Failure{"no element " + index.dump() + " in " + container.dump()};
    }
    case Kind::Compare: {
        // Left first, so that the first error in the text is the one reported.
        const Json lhs = evaluate(e.operands[0], params);
        return compare(lhs, e.text, evaluate(e.operands[1], params));
    }
    case Kind::Not:
        return !truthy(evaluate(e.operands[0], params));
    case Kind::And:
    case Kind::Or: {
        // Both sides are evaluated, so a condition that names an input the
        // task lacks fails every time, not only when the left side lets the
        // right one count; only the boolean test short-circuits.
        const Json lhs = evaluate(e.operands[0], params);
        const Json rhs = evaluate(e.operands[1], params);
        if (e.kind == Kind::And)
            return truthy(lhs) && truthy(rhs);
        return truthy(lhs) || truthy(rhs);
    }
    case Kind::Group:
        return evaluate(e.operands[0], params);
    }
    throw Failure{"unsupported expression"};
}

Result<bool> evaluateAs(const ir::CelExpression &condition, std::string_view text, const Json &parameters)
{
    try {
        const Json v = evaluate(condition, parameters);
        if (!v.is_boolean())
            return Error{"condition '" + std::string(text) + "' is not a boolean expression", {}};
        return v.get<bool>();
    } catch (const Failure &f) {
        return Error{"cannot evaluate condition '" + std::string(text) + "': " + f.message, {}};
    }
}

} // namespace

Result<bool> evaluateCondition(std::string_view expression, const nlohmann::json &parameters)
{
    auto condition = ir::CelExpression::parse(expression);
    if (!condition)
        return Error{"cannot evaluate condition '" + std::string(expression) +
                         "': " + condition.error().message,
                     condition.error().where};
    return evaluateAs(*condition, expression, parameters);
}

Result<bool> evaluateCondition(const ir::CelExpression &condition, const nlohmann::json &parameters)
{
    return evaluateAs(condition, condition.toString(), parameters);
}

} // namespace pw
