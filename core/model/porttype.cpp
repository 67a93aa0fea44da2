// SPDX-License-Identifier: Apache-2.0
#include "model/porttype.h"

#include <array>
#include <utility>

namespace pw {

namespace {

constexpr std::array<std::pair<ParameterType, std::string_view>, 7> kIrNames{{
    {ParameterType::String, "STRING"},
    {ParameterType::Integer, "NUMBER_INTEGER"},
    {ParameterType::Double, "NUMBER_DOUBLE"},
    {ParameterType::Boolean, "BOOLEAN"},
    {ParameterType::List, "LIST"},
    {ParameterType::Struct, "STRUCT"},
    {ParameterType::TaskFinalStatus, "TASK_FINAL_STATUS"},
}};

// The names the KFP SDK uses in memory and in compiled-pipeline comments
// (type_utils.IR_TYPE_TO_IN_MEMORY_SPEC_TYPE), so messages read like KFP's.
std::string_view sdkName(ParameterType t)
{
    switch (t) {
    case ParameterType::String:
        return "String";
    case ParameterType::Integer:
        return "Integer";
    case ParameterType::Double:
        return "Float";
    case ParameterType::Boolean:
        return "Boolean";
    case ParameterType::List:
        return "List";
    case ParameterType::Struct:
        return "Dict";
    case ParameterType::TaskFinalStatus:
        return "PipelineTaskFinalStatus";
    }
    return "String";
}

std::string_view majorVersion(std::string_view v)
{
    return v.substr(0, v.find('.'));
}

} // namespace

std::string_view toIrName(ParameterType t)
{
    for (const auto &[k, n] : kIrNames) {
        if (k == t)
            return n;
    }
    return "STRING";
}

std::optional<ParameterType> parameterTypeFromIr(std::string_view name)
{
    for (const auto &[k, n] : kIrNames) {
        if (n == name)
            return k;
    }
    // schemaVersion 2.0.0 files wrote PrimitiveType names under `type:`.
    if (name == "INT")
        return ParameterType::Integer;
    if (name == "DOUBLE")
        return ParameterType::Double;
    return std::nullopt;
}

std::string PortType::displayName() const
{
    std::string base;
    if (isParameter()) {
        base = sdkName(parameter);
    } else {
        base = schemaTitle.empty() ? std::string("system.Artifact") : schemaTitle;
        if (isArtifactList)
            base = "List[" + base + "]";
    }
    // A v1 name ("GCSPath", "JsonObject") is what the user wrote, so it leads;
    // the mapped type follows when it says something different.
    if (!sourceName.empty() && sourceName != base)
        return sourceName + " (" + base + ")";
    return base;
}

bool isAssignable(const PortType &from, const PortType &to)
{
    if (from.kind != to.kind)
        return false;
    if (from.isParameter()) {
        if (from.parameter == to.parameter)
            return true;
        // An integer is a valid double everywhere KFP reads one (JSON numbers);
        // a task's final status reaches a component as a dict (a sub-pipeline
        // used as an exit task hands its PipelineTaskFinalStatus on that way).
        return (from.parameter == ParameterType::Integer && to.parameter == ParameterType::Double) ||
               (from.parameter == ParameterType::TaskFinalStatus && to.parameter == ParameterType::Struct);
    }
    if (from.isArtifactList != to.isArtifactList)
        return false;
    // KFP's check_artifact_type_compatibility: system.Artifact on either side
    // matches anything; otherwise same title and same major schema version.
    const auto title = [](const PortType &p) {
        return p.schemaTitle.empty() ? std::string_view("system.Artifact") : std::string_view(p.schemaTitle);
    };
    if (title(from) == "system.Artifact" || title(to) == "system.Artifact")
        return true;
    return title(from) == title(to) && majorVersion(from.schemaVersion) == majorVersion(to.schemaVersion);
}

} // namespace pw
