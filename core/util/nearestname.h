// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <initializer_list>
#include <span>
#include <string_view>

namespace pw {

// The name a misspelt one was probably meant to be: the closest of `names`
// by edit distance, if fewer than 3 edits away (else empty). For "did you
// mean" in errors about unknown keys and fields.
std::string_view nearestName(std::string_view name, std::initializer_list<std::string_view> names);
std::string_view nearestName(std::string_view name, std::span<const std::string_view> names);

} // namespace pw
