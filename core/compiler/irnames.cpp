// SPDX-License-Identifier: Apache-2.0
#include "compiler/irnames.h"

#include "compiler/kfpplaceholders.h"
#include "ir/kfpargument.h"
#include "validate/rules.h"

#include <regex>

namespace pw {

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
    if (value.isPlain())
        return placeholderForRunValue(value)->toString();
    if (value.kind != RunValue::Kind::CreateTime && value.kind != RunValue::Kind::ScheduleTime)
        return Error{"only run times take a format or time zone (" + value.toSpec() + ")", {}};
    if (!native)
        return Error{"internal: formatted run time reached the IR without a helper step", {}};
    // Both parts written out, so that no target has to know Pipewright's
    // defaults; a schedule time is written as the run time, which is what a
    // run that was not scheduled has for it.
    const std::string fmt = value.format.empty() ? "%Y-%m-%dT%H:%M:%SZ" : value.format;
    const std::string zone = value.timeZone.empty() ? "UTC" : value.timeZone;
    return ir::KfpPlaceholder::runTime(ir::KfpPlaceholder::Kind::RunTime, fmt, zone).toString();
}

double cpuToCores(const std::string &quantity)
{
    return static_cast<double>(parseQuantity(quantity).value_or(0));
}

double memoryToGigabytes(const std::string &quantity)
{
    return static_cast<double>(parseQuantity(quantity).value_or(0) / 1e9L);
}

std::optional<RunValue> runValueFromPlaceholder(const ir::KfpPlaceholder &placeholder)
{
    auto v = runValueForPlaceholder(placeholder);
    // runValuePlaceholder writes the zone out; UTC is what no zone means.
    if (v && v->timeZone == "UTC")
        v->timeZone.clear();
    return v;
}

std::optional<RunValue> runValueFromPlaceholder(const std::string &text)
{
    auto parsed = ir::KfpArgument::parseText(text);
    const ir::KfpPlaceholder *p = parsed ? parsed->singlePlaceholder() : nullptr;
    return p ? runValueFromPlaceholder(*p) : std::nullopt;
}

} // namespace pw
