// SPDX-License-Identifier: Apache-2.0
// The KFP v1 component.yaml loader.
#include "fuzzinput.h"

#include "formats/componentloader.h"

PW_FUZZ_TARGET
{
    (void)pw::parseComponentV1(fuzzText(data, size), "fuzz.component.yaml");
    return 0;
}
