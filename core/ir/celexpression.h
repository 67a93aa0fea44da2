// SPDX-License-Identifier: Apache-2.0
#pragma once

// A KFP trigger condition (`triggerPolicy.condition`) as a tree: the subset of
// CEL the KFP compiler writes, e.g.
//   !(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads') &&
//   int(inputs.parameter_values['pipelinechannel--n']) > 5
// One parser; the local engine evaluates the tree and the Argo writer prints
// it as a `when`, so both read a condition the same way.
//
// Grammar, loosest first (as the KFP compiler nests its output; note that
// `!` takes a whole comparison, `!a == b` is `!(a == b)`):
//   or      := and ('||' and)*
//   and     := unary ('&&' unary)*
//   unary   := '!' unary | compare
//   compare := postfix (('==' | '!=' | '<' | '<=' | '>' | '>=') postfix)?
//   postfix := primary ('.' name | '[' literal ']')*
//   primary := inputs.parameter_values[<string>] | inputs.parameters[<string>]
//            | <string> | <number> | true | false | null
//            | (int | double | float | string | bool) '(' or ')' | '(' or ')'
// Strings take either quote; \n and \t are a newline and a tab, and a
// backslash before any other character stands for that character.

#include "util/result.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace pw::ir {

struct CelExpression {
    enum class Kind {
        Parameter, // inputs.parameter_values['x']; text = x
        Literal,   // value; text = how a number was written
        Call,      // a conversion: text = int, double, float, string or bool; operands = {argument}
        Member,    // operands[0].text
        Index,     // operands[0][operands[1]]
        Compare,   // text = == != < <= > >=; operands = {lhs, rhs}
        Not,       // !operands[0]
        And,       // operands[0] && operands[1]
        Or,        // operands[0] || operands[1]
        Group,     // (operands[0]), kept so that printers keep the author's parentheses
    };

    Kind kind = Kind::Literal;
    std::string text;
    nlohmann::json value;    // Literal: string, number, bool or null
    char quote = '\'';       // Parameter name and string Literal: the quote written
    bool legacyRoot = false; // Parameter spelled inputs.parameters[...] rather than parameter_values
    std::vector<CelExpression> operands;

    static CelExpression parameter(std::string name);
    // Strings, numbers, bools and null; a list or map prints as its JSON,
    // which CEL reads as a list or map literal (the parser reads neither).
    static CelExpression literal(nlohmann::json value);
    static CelExpression call(std::string function, CelExpression argument);
    static CelExpression compare(CelExpression lhs, std::string op, CelExpression rhs);
    static CelExpression negation(CelExpression operand); // !(operand), as KFP writes it
    static CelExpression conjunction(CelExpression lhs, CelExpression rhs);

    // Errors say what is wrong and where ("... at column 12"); column is also
    // in Error::where.
    static Result<CelExpression> parse(std::string_view text);
    // CEL text in the KFP compiler's spelling. For a tree parse() built,
    // parse(toString()) gives the same tree; parentheses a built tree needs
    // are added.
    std::string toString() const;

    // A Call's argument with every conversion around it taken off, and the
    // outermost conversion's name: int(double(p)) -> p, "int".
    const CelExpression &unwrapCalls(std::string *outermost = nullptr) const;

    bool operator==(const CelExpression &) const = default;
};

} // namespace pw::ir
