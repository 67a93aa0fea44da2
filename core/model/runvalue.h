// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pw {

// A value known only when a run starts (never at compile time): the run's
// name, id or creation time. Creation time may carry a strftime pattern and an
// IANA time zone, e.g. {CreateTime, "%Y%m%d", "Asia/Tokyo"}.
struct RunValue {
    enum class Kind { JobName, JobId, CreateTime, ScheduleTime, TaskName, PipelineRoot };
    Kind kind = Kind::JobName;
    std::string format;   // strftime pattern; empty = RFC 3339 (times) or plain value
    std::string timeZone; // IANA name; empty = UTC

    // Document syntax: "run.name", "run.id", "run.created", "run.created:%Y%m%d@Asia/Tokyo"
    std::string toSpec() const;
    static std::optional<RunValue> fromSpec(std::string_view spec);

    // True when the value can be expressed as a bare KFP placeholder (no
    // formatting or time zone), so no helper step is needed.
    bool isPlain() const { return format.empty() && timeZone.empty(); }

    bool operator==(const RunValue &) const = default;
};

} // namespace pw
