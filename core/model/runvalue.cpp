// SPDX-License-Identifier: Apache-2.0
#include "model/runvalue.h"

#include <array>
#include <utility>

namespace pw {

namespace {

constexpr std::array<std::pair<RunValue::Kind, std::string_view>, 6> kNames{{
    {RunValue::Kind::JobName, "run.name"},
    {RunValue::Kind::JobId, "run.id"},
    {RunValue::Kind::CreateTime, "run.created"},
    {RunValue::Kind::ScheduleTime, "run.scheduled"},
    {RunValue::Kind::TaskName, "run.task"},
    {RunValue::Kind::PipelineRoot, "run.root"},
}};

bool isTime(RunValue::Kind k)
{
    return k == RunValue::Kind::CreateTime || k == RunValue::Kind::ScheduleTime;
}

// IANA names ("Asia/Tokyo", "Etc/GMT+9", "UTC"); anything else is more likely
// a strftime fragment that happened to follow an '@'.
bool looksLikeZone(std::string_view z)
{
    if (z.empty())
        return false;
    for (char c : z) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                        c == '/' || c == '_' || c == '-' || c == '+';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

std::string RunValue::toSpec() const
{
    std::string out;
    for (const auto &[k, n] : kNames) {
        if (k == kind)
            out = n;
    }
    if (!format.empty())
        out += ':' + format;
    if (!timeZone.empty())
        out += '@' + timeZone;
    return out;
}

std::optional<RunValue> RunValue::fromSpec(std::string_view spec)
{
    // The base name ends at the first ':' (format) or '@' (zone only).
    const auto baseEnd = spec.find_first_of(":@");
    const std::string_view base = spec.substr(0, baseEnd);
    std::optional<RunValue> result;
    for (const auto &[k, n] : kNames) {
        if (n == base) {
            result.emplace();
            result->kind = k;
        }
    }
    if (!result)
        return std::nullopt;
    if (baseEnd == std::string_view::npos)
        return result;

    std::string_view rest = spec.substr(baseEnd);
    std::string_view formatPart;
    std::string_view zonePart;
    if (rest.front() == '@') {
        zonePart = rest.substr(1);
        if (!looksLikeZone(zonePart))
            return std::nullopt;
    } else {
        rest.remove_prefix(1);
        // A format may itself contain '@'; only a trailing zone-shaped part counts as the zone.
        const auto at = rest.rfind('@');
        if (at != std::string_view::npos && looksLikeZone(rest.substr(at + 1))) {
            formatPart = rest.substr(0, at);
            zonePart = rest.substr(at + 1);
        } else {
            formatPart = rest;
        }
        if (formatPart.empty())
            return std::nullopt;
    }
    // Names, ids and roots are opaque strings: formatting them means nothing.
    if (!isTime(result->kind))
        return std::nullopt;
    result->format = std::string(formatPart);
    result->timeZone = std::string(zonePart);
    return result;
}

} // namespace pw
