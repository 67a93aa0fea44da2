// SPDX-License-Identifier: Apache-2.0
// CEL conditions as KFP writes them: what parses, prints as text that parses
// to the same tree.
#include "fuzzinput.h"

#include "ir/celexpression.h"

PW_FUZZ_TARGET
{
    auto expression = pw::ir::CelExpression::parse(fuzzText(data, size));
    if (!expression.ok())
        return 0;
    auto again = pw::ir::CelExpression::parse(expression->toString());
    PW_FUZZ_CHECK(again.ok() && *again == *expression);
    return 0;
}
