// SPDX-License-Identifier: Apache-2.0
#include "compiler/irnames.h"

#include "validate/rules.h"

#include <array>
#include <regex>

namespace pw {

namespace {
struct PlainPlaceholder {
    RunValue::Kind kind;
    const char *text;
};
constexpr std::array kPlain{
    PlainPlaceholder{RunValue::Kind::JobName, "{{$.pipeline_job_name}}"},
    PlainPlaceholder{RunValue::Kind::JobId, "{{$.pipeline_job_uuid}}"},
    PlainPlaceholder{RunValue::Kind::CreateTime, "{{$.pipeline_job_create_time_utc}}"},
    PlainPlaceholder{RunValue::Kind::ScheduleTime, "{{$.pipeline_job_schedule_time_utc}}"},
    PlainPlaceholder{RunValue::Kind::TaskName, "{{$.pipeline_task_name}}"},
    PlainPlaceholder{RunValue::Kind::PipelineRoot, "{{$.pipeline_root}}"},
};
} // namespace

std::string defaultLoopItemName(const std::string &loopGroupId)
{
    static const std::regex numbered("^for-loop-([0-9]+)$");
    std::smatch m;
    if (std::regex_match(loopGroupId, m, numbered))
        return "loop-item-param-" + std::to_string(std::stoi(m[1]) - 1);
    return loopGroupId + "-item";
}

ParameterType inferItemType(const nlohmann::json &list)
{
    if (!list.is_array() || list.empty())
        return ParameterType::String;
    const auto &first = list.front();
    if (first.is_number_integer())
        return ParameterType::Integer;
    if (first.is_number_float())
        return ParameterType::Double;
    if (first.is_boolean())
        return ParameterType::Boolean;
    if (first.is_object())
        return ParameterType::Struct;
    if (first.is_array())
        return ParameterType::List;
    return ParameterType::String;
}

Result<std::string> runValuePlaceholder(const RunValue &value, bool native)
{
    if (value.isPlain()) {
        for (const auto &p : kPlain)
            if (p.kind == value.kind)
                return std::string(p.text);
    }
    if (value.kind != RunValue::Kind::CreateTime && value.kind != RunValue::Kind::ScheduleTime)
        return Error{"only run times take a format or time zone (" + value.toSpec() + ")", {}};
    if (!native)
        return Error{"internal: formatted run time reached the IR without a helper step", {}};
    const std::string fmt = value.format.empty() ? "%Y-%m-%dT%H:%M:%SZ" : value.format;
    const std::string zone = value.timeZone.empty() ? "UTC" : value.timeZone;
    return "{{$.pipewright.run_time['" + fmt + "','" + zone + "']}}";
}

double cpuToCores(const std::string &quantity)
{
    return static_cast<double>(parseQuantity(quantity).value_or(0));
}

double memoryToGigabytes(const std::string &quantity)
{
    return static_cast<double>(parseQuantity(quantity).value_or(0) / 1e9L);
}

std::optional<RunValue> runValueFromPlaceholder(const std::string &text)
{
    for (const auto &p : kPlain)
        if (text == p.text) {
            RunValue v;
            v.kind = p.kind;
            return v;
        }
    static const std::regex ext(R"(^\{\{\$\.pipewright\.run_time\['([^']*)','([^']*)'\]\}\}$)");
    std::smatch m;
    if (std::regex_match(text, m, ext)) {
        RunValue v;
        v.kind = RunValue::Kind::CreateTime;
        v.format = m[1];
        v.timeZone = m[2] == "UTC" ? std::string() : std::string(m[2]);
        return v;
    }
    return std::nullopt;
}

} // namespace pw
