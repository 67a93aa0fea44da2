// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pw {

// Protobuf Duration text as KFP writes it ("60s", "0.5s") and compound Go
// durations ("1h30m", "250ms"), in milliseconds. Empty text is zero.
std::optional<std::int64_t> parseDurationMs(std::string_view text);

// A duration as protobuf's JSON form writes it, in seconds: "5m" -> "300s",
// "250ms" -> "0.25s". Text that is no duration comes back as it is.
std::string protobufDuration(const std::string &text);

} // namespace pw
