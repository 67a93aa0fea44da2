// SPDX-License-Identifier: Apache-2.0
#include "ir/protofields.h"

#include "util/nearestname.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <map>
#include <vector>

namespace pw::ir {
namespace {

// "map:X" marks a map<string, X> field.
constexpr std::string_view kMapPrefix = "map:";

using Fields = std::vector<ProtoField>;

// The messages a kept field may hold, by the name the tables use. Fields of
// a free type (Struct, Value, string maps, scalars) name no message.
const std::map<std::string_view, Fields> &messages()
{
    static const std::map<std::string_view, Fields> table = {
        // pipeline_spec.proto
        {"ValueOrRuntimeParameter", {{"constantValue", "Value"}, {"runtimeParameter", {}}, {"constant", {}}}},
        {"Value", {{"intValue", {}}, {"doubleValue", {}}, {"stringValue", {}}}},
        {"InputParameterSpec",
         {{"taskOutputParameter", "TaskOutputParameterSpec"},
          {"runtimeValue", "ValueOrRuntimeParameter"},
          {"componentInputParameter", {}},
          {"taskFinalStatus", "TaskFinalStatus"},
          {"parameterExpressionSelector", {}}}},
        {"TaskOutputParameterSpec", {{"producerTask", {}}, {"outputParameterKey", {}}}},
        {"TaskFinalStatus", {{"producerTask", {}}}},
        {"TaskConfigPassthrough", {{"field", {}}, {"applyToTask", {}}}},
        {"Lifecycle", {{"preCacheCheck", "LifecycleExec"}}},
        {"LifecycleExec", {{"command", {}}, {"args", {}}}},
        {"ResolverSpec", {{"outputArtifactQueries", "map:ArtifactQuerySpec"}}},
        {"ArtifactQuerySpec", {{"filter", {}}, {"limit", {}}}},
        {"AIPlatformCustomJobSpec", {{"customJob", {}}}},
        {"SinglePlatformSpec",
         {{"deploymentSpec", "PlatformDeploymentConfig"},
          {"platform", {}},
          {"config", {}},
          {"pipelineConfig", "PipelineConfig"}}},
        {"PlatformDeploymentConfig", {{"executors", {}}}},
        {"PipelineConfig",
         {{"resourceTtlOnCompletion", {}},
          {"workspace", "WorkspaceConfig"},
          {"resourceTtlOnSuccess", {}},
          {"resourceTtlOnFailure", {}},
          {"activeDeadlineSeconds", {}}}},
        {"WorkspaceConfig", {{"size", {}}, {"kubernetes", "KubernetesWorkspaceConfig"}}},
        {"KubernetesWorkspaceConfig", {{"pvcSpecPatch", {}}}},
        // kubernetes_executor_config.proto
        {"PodMetadata", {{"labels", {}}, {"annotations", {}}}},
        {"GenericEphemeralVolume",
         {{"volumeName", {}},
          {"mountPath", {}},
          {"accessModes", {}},
          {"size", {}},
          {"defaultStorageClass", {}},
          {"storageClassName", {}},
          {"metadata", "PodMetadata"}}},
        {"SelectorRequirement", {{"key", {}}, {"operator", {}}, {"values", {}}}},
        {"NodeAffinityTerm",
         {{"matchExpressions", "SelectorRequirement"},
          {"matchFields", "SelectorRequirement"},
          {"weight", {}},
          {"nodeAffinityJson", "InputParameterSpec"}}},
        {"PodAffinityTerm",
         {{"matchPodExpressions", "SelectorRequirement"},
          {"matchPodLabels", {}},
          {"topologyKey", {}},
          {"namespaces", {}},
          {"matchNamespaceExpressions", "SelectorRequirement"},
          {"matchNamespaceLabels", {}},
          {"weight", {}},
          {"anti", {}}}},
        {"EnabledSharedMemory", {{"volumeName", {}}, {"size", {}}}},
        {"EmptyDirMount", {{"volumeName", {}}, {"mountPath", {}}, {"medium", {}}, {"sizeLimit", {}}}},
        {"SecurityContext", {{"runAsUser", {}}, {"runAsGroup", {}}, {"runAsNonRoot", {}}}},
        {"InitContainer",
         {{"name", {}},
          {"image", {}},
          {"command", {}},
          {"args", {}},
          {"env", "InitContainerEnvVar"},
          {"volumeMounts", "InitContainerVolumeMount"},
          {"restartPolicy", {}},
          {"resources", "InitContainerResources"}}},
        {"InitContainerEnvVar", {{"name", {}}, {"value", {}}}},
        {"InitContainerVolumeMount", {{"volumeName", {}}, {"mountPath", {}}}},
        {"InitContainerResources", {{"requests", {}}, {"limits", {}}}},
    };
    return table;
}

std::string lowerCamel(const std::string &key)
{
    std::string camel;
    for (std::size_t i = 0; i < key.size(); ++i)
        camel += key[i] == '_' && i + 1 < key.size() ? static_cast<char>(std::toupper(key[++i])) : key[i];
    return camel;
}

std::string joined(const std::string &path, const std::string &key)
{
    return path.empty() ? key : path + '.' + key;
}

std::string where(const std::string &path)
{
    return path.empty() ? "the document" : "'" + path + "'";
}

std::string suggestion(const std::string &key, const std::vector<std::string_view> &names)
{
    const std::string camel = lowerCamel(key);
    for (std::string_view n : names)
        if (n == camel)
            return "; write it as '" + camel + "', as the KFP SDK does";
    if (const std::string_view best = nearestName(key, names); !best.empty())
        return "; did you mean '" + std::string(best) + "'?";
    return " (KFP's parser refuses it too)";
}

std::optional<FieldProblem> checkValue(const YAML::Node &node, std::string_view message,
                                       const std::string &path);

std::optional<FieldProblem> checkFields(const YAML::Node &node, const Fields &fields, const std::string &path)
{
    if (!node.IsMap())
        return std::nullopt; // the shape is KFP's to judge; only names are checked here
    for (const auto &entry : node) {
        const std::string key = entry.first.Scalar();
        const ProtoField *field = nullptr;
        for (const ProtoField &f : fields)
            if (f.name == key)
                field = &f;
        if (!field) {
            std::vector<std::string_view> names;
            for (const ProtoField &f : fields)
                names.push_back(f.name);
            const YAML::Mark mark = entry.first.Mark();
            return FieldProblem{mark.line + 1, mark.column + 1, joined(path, key),
                                "unknown field '" + key + "' in " + where(path) + suggestion(key, names)};
        }
        if (field->message.empty())
            continue;
        if (field->message.starts_with(kMapPrefix)) {
            if (!entry.second.IsMap())
                continue;
            for (const auto &value : entry.second)
                if (auto problem = checkValue(value.second, field->message.substr(kMapPrefix.size()),
                                              joined(joined(path, key), value.first.Scalar())))
                    return problem;
        } else if (auto problem = checkValue(entry.second, field->message, joined(path, key))) {
            return problem;
        }
    }
    return std::nullopt;
}

std::optional<FieldProblem> checkValue(const YAML::Node &node, std::string_view message,
                                       const std::string &path)
{
    const auto it = messages().find(message);
    if (it == messages().end())
        return std::nullopt;
    if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i)
            if (auto problem = checkFields(node[i], it->second, path + '[' + std::to_string(i) + ']'))
                return problem;
        return std::nullopt;
    }
    return checkFields(node, it->second, path);
}

} // namespace

std::string unknownFieldMessage(const std::string &key, const std::string &path,
                                std::initializer_list<std::string_view> modelled,
                                std::initializer_list<ProtoField> kept)
{
    std::vector<std::string_view> names(modelled);
    for (const ProtoField &f : kept)
        names.push_back(f.name);
    return "unknown field '" + key + "' in " + where(path) + suggestion(key, names);
}

std::optional<FieldProblem> checkMessage(const YAML::Node &node, std::string_view message,
                                         const std::string &path)
{
    return checkValue(node, message, path);
}

} // namespace pw::ir
