// SPDX-License-Identifier: Apache-2.0
// KFP placeholders ({{$.inputs.parameters['x']}}, ...): what parses, prints
// as text that parses to the same placeholder.
#include "fuzzinput.h"

#include "ir/kfpplaceholder.h"

PW_FUZZ_TARGET
{
    auto placeholder = pw::ir::KfpPlaceholder::parse(fuzzText(data, size));
    if (!placeholder.ok())
        return 0;
    auto again = pw::ir::KfpPlaceholder::parse(placeholder->toString());
    PW_FUZZ_CHECK(again.ok() && *again == *placeholder);
    return 0;
}
