// SPDX-License-Identifier: Apache-2.0
// IR -> PipelineSpec JSON/YAML. Fields follow protobuf's JSON mapping as the
// KFP SDK writes it: default values (false, 0, "") are left out, int64 values
// are strings, and keys come out sorted.
#include "ir/pipelinespecio.h"
#include "util/yamljson.h"

#include <charconv>
#include <cmath>

namespace pw::ir {
namespace {

void setIf(Json &object, const char *key, const std::string &value)
{
    if (!value.empty())
        object[key] = value;
}

Json typeSchemaJson(const ArtifactTypeSchema &type)
{
    Json out = Json::object();
    setIf(out, "schemaTitle", type.schemaTitle);
    setIf(out, "schemaVersion", type.schemaVersion);
    return out;
}

Json interfaceJson(const InterfaceDefinitions &definitions)
{
    Json out = Json::object();
    for (const auto &[name, p] : definitions.parameters) {
        Json &param = out["parameters"][name];
        param["parameterType"] = p.parameterType;
        if (p.defaultValue)
            param["defaultValue"] = *p.defaultValue;
        if (p.isOptional)
            param["isOptional"] = true;
        setIf(param, "description", p.description);
    }
    for (const auto &[name, a] : definitions.artifacts) {
        Json &artifact = out["artifacts"][name];
        artifact["artifactType"] = typeSchemaJson(a.artifactType);
        if (a.isOptional)
            artifact["isOptional"] = true;
        if (a.isArtifactList)
            artifact["isArtifactList"] = true;
        setIf(artifact, "description", a.description);
    }
    return out;
}

Json inputParameterJson(const InputParameter &p)
{
    Json out = Json::object();
    setIf(out, "componentInputParameter", p.componentInputParameter);
    if (p.taskOutputParameter) {
        Json &producer = out["taskOutputParameter"] = Json::object();
        setIf(producer, "producerTask", p.taskOutputParameter->producerTask);
        setIf(producer, "outputParameterKey", p.taskOutputParameter->outputParameterKey);
    }
    if (p.runtimeValue)
        out["runtimeValue"]["constant"] = *p.runtimeValue;
    if (p.taskFinalStatus) {
        Json &status = out["taskFinalStatus"] = Json::object();
        setIf(status, "producerTask", *p.taskFinalStatus);
    }
    setIf(out, "parameterExpressionSelector", p.parameterExpressionSelector);
    return out;
}

Json taskInputsJson(const TaskInputs &inputs)
{
    Json out = Json::object();
    for (const auto &[name, p] : inputs.parameters)
        out["parameters"][name] = inputParameterJson(p);
    for (const auto &[name, a] : inputs.artifacts) {
        Json &artifact = out["artifacts"][name] = Json::object();
        if (a.taskOutputArtifact) {
            Json &producer = artifact["taskOutputArtifact"] = Json::object();
            setIf(producer, "producerTask", a.taskOutputArtifact->producerTask);
            setIf(producer, "outputArtifactKey", a.taskOutputArtifact->outputArtifactKey);
        }
        setIf(artifact, "componentInputArtifact", a.componentInputArtifact);
    }
    return out;
}

Json taskJson(const PipelineTask &t)
{
    Json out = Json::object();
    if (!t.taskInfoName.empty())
        out["taskInfo"]["name"] = t.taskInfoName;
    out["componentRef"]["name"] = t.componentRef;
    if (!t.inputs.empty())
        out["inputs"] = taskInputsJson(t.inputs);
    if (!t.dependentTasks.empty())
        out["dependentTasks"] = t.dependentTasks;
    if (t.cachingOptionsPresent || t.enableCache) {
        Json &caching = out["cachingOptions"] = Json::object();
        if (t.enableCache)
            caching["enableCache"] = *t.enableCache;
    }
    if (!t.triggerCondition.empty() || !t.triggerStrategy.empty()) {
        setIf(out["triggerPolicy"], "condition", t.triggerCondition);
        setIf(out["triggerPolicy"], "strategy", t.triggerStrategy);
    }
    if (t.retryPolicy) {
        Json &retry = out["retryPolicy"] = Json::object();
        if (t.retryPolicy->maxRetryCount != 0)
            retry["maxRetryCount"] = t.retryPolicy->maxRetryCount;
        setIf(retry, "backoffDuration", t.retryPolicy->backoffDuration);
        if (t.retryPolicy->backoffFactor)
            retry["backoffFactor"] = *t.retryPolicy->backoffFactor;
        setIf(retry, "backoffMaxDuration", t.retryPolicy->backoffMaxDuration);
    }
    if (t.parameterIterator) {
        Json &iterator = out["parameterIterator"] = Json::object();
        setIf(iterator, "itemInput", t.parameterIterator->itemInput);
        Json &items = iterator["items"] = Json::object();
        if (t.parameterIterator->raw)
            items["raw"] = *t.parameterIterator->raw;
        setIf(items, "inputParameter", t.parameterIterator->inputParameter);
    }
    if (t.artifactIterator) {
        Json &iterator = out["artifactIterator"] = Json::object();
        setIf(iterator, "itemInput", t.artifactIterator->itemInput);
        Json &items = iterator["items"] = Json::object();
        setIf(items, "inputArtifact", t.artifactIterator->inputArtifact);
    }
    if (t.iteratorParallelism)
        out["iteratorPolicy"]["parallelismLimit"] = *t.iteratorParallelism;
    return out;
}

Json dagJson(const Dag &dag)
{
    Json out = Json::object();
    Json &tasks = out["tasks"] = Json::object();
    for (const auto &[name, t] : dag.tasks)
        tasks[name] = taskJson(t);
    for (const auto &[name, p] : dag.outputParameters) {
        Json &param = out["outputs"]["parameters"][name] = Json::object();
        if (p.valueFromParameter) {
            param["valueFromParameter"] = {{"producerSubtask", p.valueFromParameter->producerSubtask},
                                           {"outputParameterKey", p.valueFromParameter->outputParameterKey}};
        }
        if (!p.valueFromOneof.empty()) {
            Json &selectors = param["valueFromOneof"]["parameterSelectors"] = Json::array();
            for (const auto &s : p.valueFromOneof)
                selectors.push_back({{"producerSubtask", s.producerSubtask}, {"outputParameterKey", s.outputParameterKey}});
        }
    }
    for (const auto &[name, a] : dag.outputArtifacts) {
        Json &selectors = out["outputs"]["artifacts"][name]["artifactSelectors"] = Json::array();
        for (const auto &s : a.artifactSelectors)
            selectors.push_back({{"producerSubtask", s.producerSubtask}, {"outputArtifactKey", s.outputArtifactKey}});
    }
    return out;
}

// ComponentSpec.description is not a proto field, so it is not written.
Json componentJson(const ComponentSpec &c)
{
    Json out = Json::object();
    if (!c.inputDefinitions.empty())
        out["inputDefinitions"] = interfaceJson(c.inputDefinitions);
    if (!c.outputDefinitions.empty())
        out["outputDefinitions"] = interfaceJson(c.outputDefinitions);
    setIf(out, "executorLabel", c.executorLabel);
    if (c.dag)
        out["dag"] = dagJson(*c.dag);
    return out;
}

Json resourcesJson(const ContainerResources &r)
{
    Json out = Json::object();
    setIf(out, "resourceCpuLimit", r.cpuLimit);
    setIf(out, "resourceCpuRequest", r.cpuRequest);
    setIf(out, "resourceMemoryLimit", r.memoryLimit);
    setIf(out, "resourceMemoryRequest", r.memoryRequest);
    auto legacy = [&](const char *key, const std::optional<double> &value) {
        if (value)
            out[key] = *value;
    };
    legacy("cpuLimit", r.legacy.cpuLimit);
    legacy("cpuRequest", r.legacy.cpuRequest);
    legacy("memoryLimit", r.legacy.memoryLimit);
    legacy("memoryRequest", r.legacy.memoryRequest);
    Json accelerator = Json::object();
    setIf(accelerator, "resourceType", r.acceleratorType);
    setIf(accelerator, "resourceCount", r.acceleratorCount);
    setIf(accelerator, "type", r.legacy.acceleratorType);
    setIf(accelerator, "count", r.legacy.acceleratorCount);
    if (!accelerator.empty())
        out["accelerator"] = std::move(accelerator);
    return out;
}

Json executorJson(const Executor &e)
{
    Json out = Json::object();
    if (e.container) {
        const ContainerExecutor &c = *e.container;
        Json &container = out["container"] = Json::object();
        container["image"] = c.image;
        if (!c.command.empty())
            container["command"] = c.command;
        if (!c.args.empty())
            container["args"] = c.args;
        for (const auto &[name, value] : c.env)
            container["env"].push_back({{"name", name}, {"value", value}});
        if (!c.resources.empty())
            container["resources"] = resourcesJson(c.resources);
    }
    if (e.importer) {
        const ImporterExecutor &i = *e.importer;
        Json &importer = out["importer"] = Json::object();
        Json &uri = importer["artifactUri"] = Json::object();
        if (i.artifactUriConstant)
            uri["constant"] = *i.artifactUriConstant;
        setIf(uri, "runtimeParameter", i.artifactUriRuntimeParameter);
        importer["typeSchema"] = typeSchemaJson(i.typeSchema);
        if (i.reimport)
            importer["reimport"] = true;
        if (!i.metadata.is_null())
            importer["metadata"] = i.metadata;
    }
    return out;
}

// ------------------------------------------------------------ kubernetes

Json secretOrConfigMapJson(const K8sExecutorConfig::SecretOrConfigMap &s, const std::string &nameKey,
                           const char *keyKey)
{
    Json out = Json::object();
    setIf(out, nameKey.c_str(), s.name);
    if (s.nameParameter)
        out[nameKey + "Parameter"] = inputParameterJson(*s.nameParameter);
    for (const auto &[key, env] : s.keyToEnv)
        out["keyToEnv"].push_back({{keyKey, key}, {"envVar", env}});
    setIf(out, "mountPath", s.mountPath);
    if (s.optional)
        out["optional"] = *s.optional;
    return out;
}

Json k8sJson(const K8sExecutorConfig &k)
{
    Json out = Json::object();
    auto secrets = [&](const char *key, const std::vector<K8sExecutorConfig::SecretOrConfigMap> &list,
                       const char *nameKey, const char *keyKey) {
        for (const auto &s : list)
            out[key].push_back(secretOrConfigMapJson(s, nameKey, keyKey));
    };
    secrets("secretAsEnv", k.secretAsEnv, "secretName", "secretKey");
    secrets("secretAsVolume", k.secretAsVolume, "secretName", "secretKey");
    secrets("configMapAsEnv", k.configMapAsEnv, "configMapName", "configMapKey");
    secrets("configMapAsVolume", k.configMapAsVolume, "configMapName", "configMapKey");
    for (const auto &s : k.imagePullSecret) {
        Json secret = Json::object();
        setIf(secret, "secretName", s.secretName);
        if (s.secretNameParameter)
            secret["secretNameParameter"] = inputParameterJson(*s.secretNameParameter);
        out["imagePullSecret"].push_back(std::move(secret));
    }
    if (!k.nodeSelectorLabels.empty())
        out["nodeSelector"]["labels"] = k.nodeSelectorLabels;
    if (k.nodeSelectorJson)
        out["nodeSelector"]["nodeSelectorJson"] = inputParameterJson(*k.nodeSelectorJson);
    for (const auto &a : k.nodeAffinityJson)
        out["nodeAffinity"].push_back({{"nodeAffinityJson", inputParameterJson(a)}});
    for (const auto &t : k.tolerations) {
        Json toleration = Json::object();
        setIf(toleration, "key", t.key);
        setIf(toleration, "operator", t.op);
        setIf(toleration, "value", t.value);
        setIf(toleration, "effect", t.effect);
        if (t.tolerationSeconds)
            toleration["tolerationSeconds"] = std::to_string(*t.tolerationSeconds);
        if (t.tolerationJson)
            toleration["tolerationJson"] = inputParameterJson(*t.tolerationJson);
        out["tolerations"].push_back(std::move(toleration));
    }
    for (const auto &[name, fieldPath] : k.fieldPathAsEnv)
        out["fieldPathAsEnv"].push_back({{"name", name}, {"fieldPath", fieldPath}});
    for (const auto &p : k.pvcMount) {
        Json mount = Json::object();
        setIf(mount, "mountPath", p.mountPath);
        setIf(mount, "componentInputParameter", p.legacyComponentInputParameter);
        setIf(mount, "constant", p.constant);
        if (p.legacyTaskOutputParameter) {
            Json &producer = mount["taskOutputParameter"] = Json::object();
            setIf(producer, "producerTask", p.legacyTaskOutputParameter->producerTask);
            setIf(producer, "outputParameterKey", p.legacyTaskOutputParameter->outputParameterKey);
        }
        if (p.pvcNameParameter)
            mount["pvcNameParameter"] = inputParameterJson(*p.pvcNameParameter);
        setIf(mount, "subPath", p.subPath);
        out["pvcMount"].push_back(std::move(mount));
    }
    if (!k.podLabels.empty())
        out["podMetadata"]["labels"] = k.podLabels;
    if (!k.podAnnotations.empty())
        out["podMetadata"]["annotations"] = k.podAnnotations;
    if (k.activeDeadlineSeconds)
        out["activeDeadlineSeconds"] = std::to_string(*k.activeDeadlineSeconds);
    return out;
}

// ------------------------------------------------------------ header comment

// Python's repr(), which is how the SDK prints defaults in the header.
std::string pythonRepr(const Json &value)
{
    switch (value.type()) {
    case Json::value_t::null: return "None";
    case Json::value_t::boolean: return value.get<bool>() ? "True" : "False";
    case Json::value_t::number_float: {
        const double d = value.get<double>();
        if (std::isnan(d))
            return "nan";
        if (std::isinf(d))
            return d < 0 ? "-inf" : "inf";
        const double magnitude = std::fabs(d);
        const bool fixed = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e16);
        char buffer[64];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d,
                                       fixed ? std::chars_format::fixed : std::chars_format::scientific);
        std::string text(buffer, end);
        return fixed && text.find('.') == std::string::npos ? text + ".0" : text;
    }
    case Json::value_t::string: {
        const std::string &s = value.get_ref<const std::string &>();
        const char quote = s.find('\'') != std::string::npos && s.find('"') == std::string::npos ? '"' : '\'';
        std::string out(1, quote);
        for (const char c : s) {
            const auto u = static_cast<unsigned char>(c);
            if (c == quote || c == '\\')
                out += {'\\', c};
            else if (c == '\n')
                out += "\\n";
            else if (c == '\t')
                out += "\\t";
            else if (c == '\r')
                out += "\\r";
            else if (u < 0x20 || u == 0x7F) {
                static const char hex[] = "0123456789abcdef";
                out += {'\\', 'x', hex[u >> 4], hex[u & 0xF]};
            } else
                out += c;
        }
        return out + quote;
    }
    case Json::value_t::array: {
        std::string out = "[";
        for (const Json &item : value)
            out += (out.size() > 1 ? ", " : "") + pythonRepr(item);
        return out + ']';
    }
    case Json::value_t::object: {
        std::string out = "{";
        for (const auto &[key, item] : value.items())
            out += (out.size() > 1 ? ", " : "") + pythonRepr(key) + ": " + pythonRepr(item);
        return out + '}';
    }
    default: return value.dump();
    }
}

std::string pythonTypeName(const std::string &parameterType)
{
    static const std::map<std::string, std::string> names = {
        {"STRING", "str"},   {"NUMBER_INTEGER", "int"}, {"NUMBER_DOUBLE", "float"}, {"BOOLEAN", "bool"},
        {"LIST", "list"},    {"STRUCT", "dict"},        {"TASK_FINAL_STATUS", "PipelineTaskFinalStatus"}};
    auto it = names.find(parameterType);
    return it == names.end() ? parameterType : it->second;
}

// "#    name: type [Default: value]" lines, parameters and artifacts together in name order.
void appendInterface(std::string &out, const char *title, const InterfaceDefinitions &definitions)
{
    if (definitions.empty())
        return;
    std::map<std::string, std::string> lines;
    for (const auto &[name, p] : definitions.parameters) {
        std::string line = name + ": " + pythonTypeName(p.parameterType);
        if (p.defaultValue)
            line += " [Default: " + pythonRepr(*p.defaultValue) + ']';
        lines[name] = std::move(line);
    }
    for (const auto &[name, a] : definitions.artifacts)
        lines[name] = name + ": " + a.artifactType.schemaTitle;
    out += std::string("# ") + title + ":\n";
    for (const auto &[name, line] : lines)
        out += "#    " + line + '\n';
}

std::string header(const PipelineSpec &spec)
{
    std::string out = "# PIPELINE DEFINITION\n# Name: " + spec.pipelineName + '\n';
    if (!spec.description.empty()) {
        std::string description = spec.description;
        // Every line of a multi-line description must stay a comment.
        for (size_t at = description.find('\n'); at != std::string::npos; at = description.find('\n', at + 3))
            description.replace(at, 1, "\n# ");
        out += "# Description: " + description + '\n';
    }
    appendInterface(out, "Inputs", spec.root.inputDefinitions);
    appendInterface(out, "Outputs", spec.root.outputDefinitions);
    return out;
}

// ------------------------------------------------------------ kept fields

const std::string kPlatformExecutors = "/platforms/kubernetes/deploymentSpec/executors/";

// Puts the kept fields of one document back where they were read. In the
// PipelineSpec, a field whose parent is gone (its task or component was
// removed or renamed since) goes with it; in the platform document, missing
// parents are made, for executors the spec still has.
void restoreKeptFields(Json &doc, const PipelineSpec &spec, bool platform)
{
    for (const auto &[pointer, value] : spec.keptFields) {
        if (pointer.starts_with("/platforms/") != platform)
            continue;
        if (pointer.starts_with(kPlatformExecutors)) {
            const size_t end = pointer.find('/', kPlatformExecutors.size());
            if (!spec.executors.contains(
                    pointer.substr(kPlatformExecutors.size(), end - kPlatformExecutors.size())))
                continue;
        }
        try {
            const Json::json_pointer at(pointer);
            const Json::json_pointer parent = at.parent_pointer();
            if (!platform && !doc.contains(parent))
                continue;
            if (at.back() != "-") {
                doc[at] = value;
            } else if (Json &list = doc[parent]; list.is_null() || list.is_array()) {
                for (const Json &item : value)
                    list.push_back(item);
            }
        } catch (const Json::exception &) {
            // A pointer into something that is no longer an object: nothing to put back.
        }
    }
}

} // namespace

Json pipelineSpecToJson(const PipelineSpec &spec)
{
    Json out = Json::object();
    for (const auto &[name, component] : spec.components)
        out["components"][name] = componentJson(component);
    for (const auto &[name, executor] : spec.executors)
        out["deploymentSpec"]["executors"][name] = executorJson(executor);
    Json &info = out["pipelineInfo"] = Json::object();
    info["name"] = spec.pipelineName;
    setIf(info, "displayName", spec.displayName);
    setIf(info, "description", spec.description);
    out["root"] = componentJson(spec.root);
    out["schemaVersion"] = spec.schemaVersion;
    out["sdkVersion"] = spec.sdkVersion.empty() ? std::string("pipewright-" PW_VERSION) : spec.sdkVersion;
    setIf(out, "defaultPipelineRoot", spec.defaultPipelineRoot);
    restoreKeptFields(out, spec, false);
    return out;
}

Json platformSpecToJson(const PipelineSpec &spec)
{
    Json executors = Json::object();
    for (const auto &[label, config] : spec.k8s) {
        if (!config.empty())
            executors[label] = k8sJson(config);
    }
    Json out;
    if (!executors.empty())
        out["platforms"]["kubernetes"]["deploymentSpec"]["executors"] = std::move(executors);
    restoreKeptFields(out, spec, true);
    return out.empty() ? Json() : out;
}

std::string writePipelineSpecYaml(const PipelineSpec &spec)
{
    std::string out = header(spec);
    out += jsonToYaml(pipelineSpecToJson(spec));
    const Json platform = platformSpecToJson(spec);
    if (!platform.is_null()) {
        out += "---\n";
        out += jsonToYaml(platform);
    }
    return out;
}

} // namespace pw::ir
