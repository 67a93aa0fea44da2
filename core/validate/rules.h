// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pw {

// Building blocks of validation that the UI (inline field checks) and the
// schedule editor use as well; validator.h has the pipeline-level entry point.

bool isValidDnsSubdomain(std::string_view name); // Secret/ConfigMap/PVC names
bool isValidLabelKey(std::string_view key);      // [prefix/]name
bool isValidLabelValue(std::string_view value);  // may be empty

// A Kubernetes quantity as a number ("1.5Gi" -> 1610612736, "500m" -> 0.5);
// nullopt when the text does not follow the quantity grammar.
std::optional<long double> parseQuantity(std::string_view quantity);

// An IANA zone name known to this machine's tz database ("Asia/Tokyo", "UTC").
bool isKnownTimeZone(std::string_view name);

// Empty when `format` only uses strftime conversions a run can expand;
// otherwise describes the first offending conversion.
std::string checkStrftimeFormat(std::string_view format);

// "30m", "1h30m", "45s", "0s" -> seconds; nullopt when not a duration.
std::optional<long long> parseDurationSeconds(std::string_view text);

} // namespace pw
