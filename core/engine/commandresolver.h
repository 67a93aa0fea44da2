// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "engine/taskcontext.h"
#include "util/result.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

// A container's command and args (KFP IR strings: placeholders,
// {"Concat": ...}, {"IfPresent": ...}) as argv: every placeholder replaced by
// a value or a path. Each item stays one argv entry (or none, for an
// IfPresent without a branch); nothing ever goes through a shell.
Result<std::vector<std::string>> resolveArguments(const std::vector<std::string> &items, const TaskContext &ctx);

// One string with placeholders, such as a runtimeValue constant
// "gs://b/{{$.inputs.parameters['pipelinechannel--day']}}".
Result<std::string> resolveText(std::string_view text, const TaskContext &ctx);

// strftime of the time `ms` (since the epoch) in an IANA zone (empty = UTC).
// An empty format gives RFC 3339.
Result<std::string> formatRunTime(std::int64_t ms, const std::string &format, const std::string &zone);

} // namespace pw
