// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace pw {

// Reading servers' JSON, where a field may be missing or of another type.

// A string member; empty when absent or not a string.
std::string text(const nlohmann::json &j, const char *key);
// An object member; an empty object when absent or not an object.
const nlohmann::json &member(const nlohmann::json &j, const char *key);

// RFC 3339 ("2018-06-06T00:04:49Z", fractions allowed) as ms since the
// epoch; 0 when empty or malformed.
std::int64_t epochMsFromRfc3339(const std::string &text);
// ms since the epoch as RFC 3339 in UTC ("2026-12-02T06:00:00Z").
std::string rfc3339(std::int64_t ms);

} // namespace pw
