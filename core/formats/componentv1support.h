// SPDX-License-Identifier: Apache-2.0
#pragma once

// Internals of the KFP v1 component.yaml loader, shared by its container and
// graph halves. Not a public API: include componentloader.h instead.

#include "formats/componentloader.h"
#include "model/component.h"
#include "model/pipeline.h"
#include "util/result.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pw {

namespace componentv1 {

struct Ctx {
    std::string file;
    Pipeline *registry = nullptr; // receives components of graph tasks
    int depth = 0;                // nesting of componentRef.spec

    Location location(const YAML::Node &node, const std::string &field) const;
    Error error(const YAML::Node &node, const std::string &field, std::string message) const;
};

// A v1 type as written: a string ("GCSPath") or a one-key map ({JsonObject: {...}}).
struct V1Type {
    bool present = false;
    std::string sourceName; // string, or the map's key
    std::string canonical;  // "typing.List[str]" -> "List", as the SDK's get_canonical_name_for_outer_generic
};

struct PortDeclaration {
    PortSpec spec; // name already sanitized; type filled by resolveTypes
    V1Type type;
    YAML::Node node;
    YAML::Node defaultNode;
    std::string field;
};

// How the container's placeholders (or a graph's tasks) use a port. It decides
// the kind of a port whose v1 type alone does not.
struct Usage {
    bool byValue = false; // inputValue, or passed to parameter inputs of inner tasks
    bool byFile = false;  // inputPath / inputUri / outputUri, or passed to artifact inputs
};

// yaml-cpp throws when a missing key's node is asked its type; these ask safely.
inline bool isMap(const YAML::Node &n)
{
    return n.IsDefined() && n.IsMap();
}
inline bool isSequence(const YAML::Node &n)
{
    return n.IsDefined() && n.IsSequence();
}
inline bool isScalar(const YAML::Node &n)
{
    return n.IsDefined() && n.IsScalar();
}
// Present and not null (`key:` with no value counts as absent).
inline bool isSet(const YAML::Node &n)
{
    return n.IsDefined() && !n.IsNull();
}

// KFP 2 utils.sanitize_input_name: "Repo URI" -> "repo_uri".
std::string sanitizeInputName(std::string_view name);
// KFP 2 utils.maybe_rename_for_k8s: "Train model" -> "train-model".
std::string k8sName(std::string_view name);
std::string lastSegment(const std::string &field);

// Python's distutils strtobool (the v1 SDK's reading of `if` conditions and
// of Boolean defaults).
std::optional<bool> strToBool(std::string_view s);
// YAML booleans (1.1 and 1.2 spellings), for fields such as `optional`.
std::optional<bool> yamlBool(std::string_view s);

Result<V1Type> parseType(const Ctx &ctx, const YAML::Node &node, const std::string &field);
// Whether the type name alone decides the port kind (a parameter name, a
// system/google artifact name, PipelineTaskFinalStatus).
bool isKnownType(const V1Type &t);
PortType mapType(const V1Type &t, const Usage &usage, bool isInput);

// A v1 default or constant argument (a string in v1) as the typed JSON value
// KFP 2 would use (type_utils.deserialize_v1_component_yaml_default).
Result<nlohmann::json> typedValue(const Ctx &ctx, const YAML::Node &node, const std::string &field,
                                  ParameterType type);

// Maps each port's type (mapType) and converts input defaults.
std::optional<Error> resolveTypes(const Ctx &ctx, std::vector<PortDeclaration> &ports,
                                  const std::map<std::string, Usage> &usage, bool isInput);

std::optional<Error> optionalString(const Ctx &ctx, const YAML::Node &node, const std::string &field,
                                    std::string &out);

Result<YAML::Node> loadYaml(std::string_view text, const std::string &fileName);

// componentloader.cpp
Result<Component> parseComponentNode(const Ctx &ctx, const YAML::Node &root);
// componentv1graph.cpp: fills c.graph, c.inputs and c.outputs.
std::optional<Error> parseGraph(const Ctx &ctx, const YAML::Node &graph, Component &c,
                                std::vector<PortDeclaration> &inputs, std::vector<PortDeclaration> &outputs);

} // namespace componentv1
} // namespace pw
