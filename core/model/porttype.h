// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace pw {

// KFP v2 parameter types (PipelineSpec ParameterType enum).
enum class ParameterType {
    String,
    Integer, // NUMBER_INTEGER
    Double,  // NUMBER_DOUBLE
    Boolean,
    List,
    Struct,
    TaskFinalStatus,
};

std::string_view toIrName(ParameterType t);                      // "STRING", ...
std::optional<ParameterType> parameterTypeFromIr(std::string_view name);

// A port is either a parameter (a JSON value) or an artifact (a file or URI
// with a schema title such as system.Dataset).
struct PortType {
    enum class Kind { Parameter, Artifact };
    Kind kind = Kind::Parameter;
    ParameterType parameter = ParameterType::String;
    std::string schemaTitle;            // artifacts: "system.Dataset"
    std::string schemaVersion = "0.0.1"; // artifacts
    bool isArtifactList = false;         // artifacts: List[Artifact]
    // The type as the user's source wrote it (KFP v1 "GCSPath", "CSV", ...),
    // kept so that v1 type checks and Argo output can use it. Empty when none.
    std::string sourceName;

    bool isParameter() const { return kind == Kind::Parameter; }
    bool isArtifact() const { return kind == Kind::Artifact; }

    static PortType param(ParameterType t) { PortType p; p.parameter = t; return p; }
    static PortType artifact(std::string title, std::string version = "0.0.1")
    {
        PortType p;
        p.kind = Kind::Artifact;
        p.schemaTitle = std::move(title);
        p.schemaVersion = std::move(version);
        return p;
    }

    // A short name for messages and the UI: "String", "system.Dataset", ...
    std::string displayName() const;

    bool operator==(const PortType &) const = default;
};

// Whether a value of type `from` may be bound to a port of type `to`
// (KFP rules: parameters must match, with a few widening conversions;
// artifacts match by schema title, system.Artifact accepts anything).
bool isAssignable(const PortType &from, const PortType &to);

// One input or output of a component or pipeline.
struct PortSpec {
    std::string name;
    PortType type;
    std::string description;
    std::optional<nlohmann::json> defaultValue;
    bool optional = false;

    bool operator==(const PortSpec &) const = default;
};

} // namespace pw
