// SPDX-License-Identifier: Apache-2.0
// PipelineSpec YAML -> IR. Reads yaml-cpp nodes directly (not via JSON) so
// that every error can point at the line and column of the offending node.
#include "ir/pipelinespecio.h"
#include "ir/specnodereader.h"
#include "util/yamljson.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <set>

namespace pw::ir {
namespace {

// Shortest decimal form, for turning legacy numeric resource keys into quantities.
std::string shortNumber(double value)
{
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return std::string(buffer, end);
}

const std::set<std::string, std::less<>> kParameterTypes = {
    "PARAMETER_TYPE_ENUM_UNSPECIFIED", "NUMBER_DOUBLE", "NUMBER_INTEGER",   "STRING",
    "BOOLEAN",                         "LIST",          "STRUCT",           "TASK_FINAL_STATUS"};

class Reader final : public SpecNodeReader {
public:
    using SpecNodeReader::SpecNodeReader;

    PipelineSpec pipelineSpec(const YAML::Node &doc)
    {
        PipelineSpec spec;
        expectMap(doc, "", "a PipelineSpec document");
        knownFields(doc, "",
                    {"pipelineInfo", "deploymentSpec", "sdkVersion", "schemaVersion", "components", "root",
                     "defaultPipelineRoot"});
        const YAML::Node info = required(doc, "pipelineInfo", "");
        expectMap(info, "pipelineInfo");
        knownFields(info, "pipelineInfo", {"name", "displayName", "description"});
        spec.pipelineName = text(required(info, "name", "pipelineInfo"), "pipelineInfo.name");
        spec.displayName = optText(info, "displayName", "pipelineInfo");
        spec.description = optText(info, "description", "pipelineInfo");
        if (present(doc["schemaVersion"]))
            spec.schemaVersion = text(doc["schemaVersion"], "schemaVersion");
        spec.sdkVersion = optText(doc, "sdkVersion", "");
        spec.defaultPipelineRoot = optText(doc, "defaultPipelineRoot", "");

        forEachEntry(doc, "components", "", [&](const std::string &name, const YAML::Node &node, const std::string &path) {
            spec.components[name] = component(node, path, false);
        });
        if (const YAML::Node deployment = optMap(doc, "deploymentSpec", "")) {
            knownFields(deployment, "deploymentSpec", {"executors"});
            forEachEntry(deployment, "executors", "deploymentSpec",
                         [&](const std::string &name, const YAML::Node &node, const std::string &path) {
                             spec.executors[name] = executor(node, path);
                         });
        }
        spec.root = component(required(doc, "root", ""), "root", true);
        spec.keptFields = takeKept();
        return spec;
    }

    // `platforms: {kubernetes: {deploymentSpec: {executors: {...}}}}`. What
    // Pipewright does not model there (other platforms, the pipeline config
    // with its workspace, unmodelled executor settings) is kept as read.
    void platformSpec(const YAML::Node &doc, PipelineSpec &spec)
    {
        expectMap(doc, "", "a platform spec document");
        knownFields(doc, "", {"platforms"});
        forEachEntry(
            doc, "platforms", "",
            [&](const std::string &name, const YAML::Node &platform, const std::string &at) {
                expectMap(platform, at);
                if (name != "kubernetes")
                    return keep(platform, at, "SinglePlatformSpec");
                knownFields(platform, at, {"deploymentSpec"},
                            {{"platform", {}}, {"config", {}}, {"pipelineConfig", "PipelineConfig"}});
                const YAML::Node deployment = optMap(platform, "deploymentSpec", at);
                if (!deployment)
                    return;
                knownFields(deployment, join(at, "deploymentSpec"), {"executors"});
                forEachEntry(deployment, "executors", join(at, "deploymentSpec"),
                             [&](const std::string &label, const YAML::Node &node, const std::string &path) {
                                 // An empty entry is not written back, so it is not kept either.
                                 if (K8sExecutorConfig config = k8sConfig(node, path); !config.empty())
                                     spec.k8s[label] = std::move(config);
                             });
            });
        spec.keptFields.merge(takeKept());
    }

private:
    // ------------------------------------------------------------ PipelineSpec

    ComponentSpec component(const YAML::Node &node, const std::string &path, bool isRoot) const
    {
        expectMap(node, path);
        // `description` is no proto field; Pipewright's own specs of old had it.
        knownFields(node, path,
                    {"inputDefinitions", "outputDefinitions", "dag", "executorLabel", "description"},
                    {{"singlePlatformSpecs", "SinglePlatformSpec"},
                     {"taskConfigPassthroughs", "TaskConfigPassthrough"}});
        ComponentSpec spec;
        if (const YAML::Node inputs = optMap(node, "inputDefinitions", path))
            spec.inputDefinitions = interfaceDefinitions(inputs, join(path, "inputDefinitions"), false);
        if (const YAML::Node outputs = optMap(node, "outputDefinitions", path))
            spec.outputDefinitions = interfaceDefinitions(outputs, join(path, "outputDefinitions"), true);
        spec.executorLabel = optText(node, "executorLabel", path);
        spec.description = optText(node, "description", path);
        if (const YAML::Node dagNode = optMap(node, "dag", path))
            spec.dag = dag(dagNode, join(path, "dag"));
        if (isRoot && !spec.dag)
            fail(node, join(path, "dag"), "missing required field 'dag'");
        if (!spec.dag && spec.executorLabel.empty())
            fail(node, path, "a component needs either 'executorLabel' or 'dag'");
        return spec;
    }

    // ComponentInputsSpec or ComponentOutputsSpec: their parameter and artifact messages differ.
    InterfaceDefinitions interfaceDefinitions(const YAML::Node &node, const std::string &path,
                                              bool outputs) const
    {
        InterfaceDefinitions out;
        knownFields(node, path, {"parameters", "artifacts"});
        forEachEntry(node, "parameters", path, [&](const std::string &name, const YAML::Node &p, const std::string &at) {
            expectMap(p, at);
            if (outputs)
                knownFields(p, at, {"parameterType", "description"}, {{"type", {}}});
            else
                knownFields(p, at, {"parameterType", "defaultValue", "isOptional", "description"},
                            {{"type", {}}, {"literals", {}}});
            ParameterSpec &param = out.parameters[name];
            const std::string typePath = join(at, "parameterType");
            const YAML::Node type = required(p, "parameterType", at);
            param.parameterType = text(type, typePath);
            if (!kParameterTypes.contains(param.parameterType))
                fail(type, typePath, "unknown parameter type '" + param.parameterType + "'");
            if (present(p["defaultValue"]))
                param.defaultValue = yamlToJson(p["defaultValue"]);
            param.isOptional = optBool(p, "isOptional", at);
            param.description = optText(p, "description", at);
        });
        forEachEntry(node, "artifacts", path, [&](const std::string &name, const YAML::Node &a, const std::string &at) {
            expectMap(a, at);
            if (outputs)
                knownFields(a, at, {"artifactType", "isArtifactList", "description"},
                            {{"properties", "map:ValueOrRuntimeParameter"},
                             {"customProperties", "map:ValueOrRuntimeParameter"},
                             {"metadata", {}}});
            else
                knownFields(a, at, {"artifactType", "isArtifactList", "isOptional", "description"});
            ArtifactSpec &artifact = out.artifacts[name];
            const YAML::Node type = required(a, "artifactType", at);
            expectMap(type, join(at, "artifactType"));
            artifact.artifactType = typeSchema(type, join(at, "artifactType"));
            artifact.isOptional = optBool(a, "isOptional", at);
            artifact.isArtifactList = optBool(a, "isArtifactList", at);
            artifact.description = optText(a, "description", at);
        });
        return out;
    }

    ArtifactTypeSchema typeSchema(const YAML::Node &node, const std::string &path) const
    {
        knownFields(node, path, {"schemaTitle", "schemaVersion"},
                    {{"schemaUri", {}}, {"instanceSchema", {}}});
        return {optText(node, "schemaTitle", path), optText(node, "schemaVersion", path)};
    }

    Dag dag(const YAML::Node &node, const std::string &path) const
    {
        Dag out;
        knownFields(node, path, {"tasks", "outputs"});
        forEachEntry(node, "tasks", path, [&](const std::string &name, const YAML::Node &t, const std::string &at) {
            out.tasks[name] = task(t, at);
        });
        const YAML::Node outputs = optMap(node, "outputs", path);
        if (!outputs)
            return out;
        const std::string outPath = join(path, "outputs");
        knownFields(outputs, outPath, {"parameters", "artifacts"});
        forEachEntry(outputs, "parameters", outPath, [&](const std::string &name, const YAML::Node &p, const std::string &at) {
            expectMap(p, at);
            knownFields(p, at, {"valueFromParameter", "valueFromOneof"});
            DagOutputParameter &param = out.outputParameters[name];
            if (const YAML::Node from = optMap(p, "valueFromParameter", at))
                param.valueFromParameter = parameterSelector(from, join(at, "valueFromParameter"));
            if (const YAML::Node oneOf = optMap(p, "valueFromOneof", at)) {
                knownFields(oneOf, join(at, "valueFromOneof"), {"parameterSelectors"});
                forEachItem(oneOf, "parameterSelectors", join(at, "valueFromOneof"),
                            [&](const YAML::Node &s, const std::string &sAt) {
                                param.valueFromOneof.push_back(parameterSelector(s, sAt));
                            });
            }
        });
        forEachEntry(outputs, "artifacts", outPath, [&](const std::string &name, const YAML::Node &a, const std::string &at) {
            expectMap(a, at);
            knownFields(a, at, {"artifactSelectors"});
            DagOutputArtifact &artifact = out.outputArtifacts[name];
            forEachItem(a, "artifactSelectors", at, [&](const YAML::Node &s, const std::string &sAt) {
                expectMap(s, sAt);
                knownFields(s, sAt, {"producerSubtask", "outputArtifactKey"});
                artifact.artifactSelectors.push_back(
                    {optText(s, "producerSubtask", sAt), optText(s, "outputArtifactKey", sAt)});
            });
        });
        return out;
    }

    DagOutputParameter::Selector parameterSelector(const YAML::Node &node, const std::string &path) const
    {
        expectMap(node, path);
        knownFields(node, path, {"producerSubtask", "outputParameterKey"});
        return {optText(node, "producerSubtask", path), optText(node, "outputParameterKey", path)};
    }

    PipelineTask task(const YAML::Node &node, const std::string &path) const
    {
        expectMap(node, path);
        knownFields(node, path,
                    {"taskInfo", "inputs", "dependentTasks", "cachingOptions", "componentRef",
                     "triggerPolicy", "artifactIterator", "parameterIterator", "retryPolicy",
                     "iteratorPolicy"});
        PipelineTask t;
        if (const YAML::Node info = optMap(node, "taskInfo", path)) {
            knownFields(info, join(path, "taskInfo"), {"name"});
            t.taskInfoName = optText(info, "name", join(path, "taskInfo"));
        }
        const YAML::Node ref = required(node, "componentRef", path);
        expectMap(ref, join(path, "componentRef"));
        knownFields(ref, join(path, "componentRef"), {"name"});
        t.componentRef = text(required(ref, "name", join(path, "componentRef")), join(path, "componentRef.name"));
        if (const YAML::Node inputs = optMap(node, "inputs", path))
            t.inputs = taskInputs(inputs, join(path, "inputs"));
        forEachItem(node, "dependentTasks", path, [&](const YAML::Node &d, const std::string &at) {
            t.dependentTasks.push_back(text(d, at));
        });
        if (const YAML::Node caching = optMap(node, "cachingOptions", path)) {
            knownFields(caching, join(path, "cachingOptions"), {"enableCache"}, {{"cacheKey", {}}});
            t.cachingOptionsPresent = true;
            if (present(caching["enableCache"]))
                t.enableCache = boolean(caching["enableCache"], join(path, "cachingOptions.enableCache"));
        }
        if (const YAML::Node trigger = optMap(node, "triggerPolicy", path)) {
            knownFields(trigger, join(path, "triggerPolicy"), {"condition", "strategy"});
            t.triggerCondition = optText(trigger, "condition", join(path, "triggerPolicy"));
            t.triggerStrategy = optText(trigger, "strategy", join(path, "triggerPolicy"));
        }
        if (const YAML::Node retry = optMap(node, "retryPolicy", path))
            t.retryPolicy = retryPolicy(retry, join(path, "retryPolicy"));
        if (const YAML::Node iterator = optMap(node, "parameterIterator", path)) {
            const std::string at = join(path, "parameterIterator");
            knownFields(iterator, at, {"items", "itemInput"});
            ParameterIterator it;
            it.itemInput = optText(iterator, "itemInput", at);
            if (const YAML::Node items = optMap(iterator, "items", at)) {
                knownFields(items, join(at, "items"), {"raw", "inputParameter"});
                if (present(items["raw"]))
                    it.raw = text(items["raw"], join(at, "items.raw"));
                it.inputParameter = optText(items, "inputParameter", join(at, "items"));
            }
            t.parameterIterator = std::move(it);
        }
        if (const YAML::Node iterator = optMap(node, "artifactIterator", path)) {
            const std::string at = join(path, "artifactIterator");
            knownFields(iterator, at, {"items", "itemInput"});
            ArtifactIterator it;
            it.itemInput = optText(iterator, "itemInput", at);
            if (const YAML::Node items = optMap(iterator, "items", at)) {
                knownFields(items, join(at, "items"), {"inputArtifact"});
                it.inputArtifact = optText(items, "inputArtifact", join(at, "items"));
            }
            t.artifactIterator = std::move(it);
        }
        if (const YAML::Node policy = optMap(node, "iteratorPolicy", path)) {
            knownFields(policy, join(path, "iteratorPolicy"), {"parallelismLimit"});
            if (present(policy["parallelismLimit"]))
                t.iteratorParallelism = static_cast<int>(
                    integer(policy["parallelismLimit"], join(path, "iteratorPolicy.parallelismLimit")));
        }
        return t;
    }

    RetryPolicy retryPolicy(const YAML::Node &node, const std::string &path) const
    {
        knownFields(node, path, {"maxRetryCount", "backoffDuration", "backoffFactor", "backoffMaxDuration"});
        RetryPolicy r;
        if (present(node["maxRetryCount"]))
            r.maxRetryCount = static_cast<int>(integer(node["maxRetryCount"], join(path, "maxRetryCount")));
        r.backoffDuration = optText(node, "backoffDuration", path);
        if (present(node["backoffFactor"]))
            r.backoffFactor = number(node["backoffFactor"], join(path, "backoffFactor"));
        r.backoffMaxDuration = optText(node, "backoffMaxDuration", path);
        return r;
    }

    TaskInputs taskInputs(const YAML::Node &node, const std::string &path) const
    {
        TaskInputs out;
        knownFields(node, path, {"parameters", "artifacts"});
        forEachEntry(node, "parameters", path, [&](const std::string &name, const YAML::Node &p, const std::string &at) {
            out.parameters[name] = inputParameter(p, at);
        });
        forEachEntry(node, "artifacts", path, [&](const std::string &name, const YAML::Node &a, const std::string &at) {
            expectMap(a, at);
            knownFields(a, at, {"taskOutputArtifact", "componentInputArtifact"});
            InputArtifact &artifact = out.artifacts[name];
            if (const YAML::Node producer = optMap(a, "taskOutputArtifact", at)) {
                const std::string pAt = join(at, "taskOutputArtifact");
                knownFields(producer, pAt, {"producerTask", "outputArtifactKey"});
                artifact.taskOutputArtifact = {optText(producer, "producerTask", pAt),
                                               optText(producer, "outputArtifactKey", pAt)};
            }
            artifact.componentInputArtifact = optText(a, "componentInputArtifact", at);
        });
        return out;
    }

    InputParameter inputParameter(const YAML::Node &node, const std::string &path) const
    {
        expectMap(node, path);
        knownFields(node, path,
                    {"componentInputParameter", "taskOutputParameter", "runtimeValue", "taskFinalStatus",
                     "parameterExpressionSelector"});
        InputParameter p;
        p.componentInputParameter = optText(node, "componentInputParameter", path);
        if (const YAML::Node producer = optMap(node, "taskOutputParameter", path)) {
            const std::string at = join(path, "taskOutputParameter");
            knownFields(producer, at, {"producerTask", "outputParameterKey"});
            p.taskOutputParameter = {optText(producer, "producerTask", at), optText(producer, "outputParameterKey", at)};
        }
        if (const YAML::Node runtime = optMap(node, "runtimeValue", path)) {
            knownFields(runtime, join(path, "runtimeValue"), {"constant"},
                        {{"constantValue", "Value"}, {"runtimeParameter", {}}});
            if (present(runtime["constant"]))
                p.runtimeValue = yamlToJson(runtime["constant"]);
        }
        if (const YAML::Node status = optMap(node, "taskFinalStatus", path)) {
            knownFields(status, join(path, "taskFinalStatus"), {"producerTask"});
            p.taskFinalStatus = optText(status, "producerTask", join(path, "taskFinalStatus"));
        }
        p.parameterExpressionSelector = optText(node, "parameterExpressionSelector", path);
        return p;
    }

    std::optional<InputParameter> optInputParameter(const YAML::Node &map, const char *key, const std::string &path) const
    {
        const YAML::Node child = map[key];
        if (!present(child))
            return std::nullopt;
        return inputParameter(child, join(path, key));
    }

    // ------------------------------------------------------------ executors

    Executor executor(const YAML::Node &node, const std::string &path) const
    {
        expectMap(node, path);
        knownFields(node, path, {"container", "importer"},
                    {{"resolver", "ResolverSpec"}, {"customJob", "AIPlatformCustomJobSpec"}});
        Executor out;
        if (const YAML::Node c = optMap(node, "container", path))
            out.container = container(c, join(path, "container"));
        if (const YAML::Node i = optMap(node, "importer", path))
            out.importer = importer(i, join(path, "importer"));
        return out;
    }

    ContainerExecutor container(const YAML::Node &node, const std::string &path) const
    {
        knownFields(node, path, {"image", "command", "args", "env", "resources"},
                    {{"lifecycle", "Lifecycle"}});
        ContainerExecutor c;
        c.image = text(required(node, "image", path), join(path, "image"));
        forEachItem(node, "command", path, [&](const YAML::Node &s, const std::string &at) { c.command.push_back(text(s, at)); });
        forEachItem(node, "args", path, [&](const YAML::Node &s, const std::string &at) { c.args.push_back(text(s, at)); });
        forEachItem(node, "env", path, [&](const YAML::Node &e, const std::string &at) {
            expectMap(e, at);
            knownFields(e, at, {"name", "value"});
            c.env.emplace_back(optText(e, "name", at), optText(e, "value", at));
        });
        if (const YAML::Node r = optMap(node, "resources", path))
            c.resources = resources(r, join(path, "resources"));
        return c;
    }

    ContainerResources resources(const YAML::Node &node, const std::string &path) const
    {
        knownFields(node, path,
                    {"cpuLimit", "memoryLimit", "cpuRequest", "memoryRequest", "resourceCpuLimit",
                     "resourceMemoryLimit", "resourceCpuRequest", "resourceMemoryRequest", "accelerator"});
        ContainerResources r;
        auto legacyNumber = [&](const char *key) -> std::optional<double> {
            if (!present(node[key]))
                return std::nullopt;
            return number(node[key], join(path, key));
        };
        r.legacy.cpuLimit = legacyNumber("cpuLimit");
        r.legacy.cpuRequest = legacyNumber("cpuRequest");
        r.legacy.memoryLimit = legacyNumber("memoryLimit");
        r.legacy.memoryRequest = legacyNumber("memoryRequest");

        // The string keys win; older specs only have the numbers (cores, and GB for memory).
        auto quantity = [&](const char *key, const std::optional<double> &legacy, const char *unit) {
            if (present(node[key]))
                return text(node[key], join(path, key));
            return legacy ? shortNumber(*legacy) + unit : std::string();
        };
        r.cpuLimit = quantity("resourceCpuLimit", r.legacy.cpuLimit, "");
        r.cpuRequest = quantity("resourceCpuRequest", r.legacy.cpuRequest, "");
        r.memoryLimit = quantity("resourceMemoryLimit", r.legacy.memoryLimit, "G");
        r.memoryRequest = quantity("resourceMemoryRequest", r.legacy.memoryRequest, "G");

        if (const YAML::Node accelerator = optMap(node, "accelerator", path)) {
            const std::string at = join(path, "accelerator");
            knownFields(accelerator, at, {"type", "count", "resourceType", "resourceCount"});
            r.legacy.acceleratorType = optText(accelerator, "type", at);
            if (present(accelerator["count"]))
                r.legacy.acceleratorCount = std::to_string(integer(accelerator["count"], join(at, "count")));
            r.acceleratorType = optText(accelerator, "resourceType", at);
            r.acceleratorCount = optText(accelerator, "resourceCount", at);
            if (r.acceleratorType.empty())
                r.acceleratorType = r.legacy.acceleratorType;
            if (r.acceleratorCount.empty())
                r.acceleratorCount = r.legacy.acceleratorCount;
        }
        return r;
    }

    ImporterExecutor importer(const YAML::Node &node, const std::string &path) const
    {
        knownFields(node, path, {"artifactUri", "typeSchema", "reimport", "metadata"},
                    {{"properties", "map:ValueOrRuntimeParameter"},
                     {"customProperties", "map:ValueOrRuntimeParameter"},
                     {"downloadToWorkspace", {}}});
        ImporterExecutor i;
        if (const YAML::Node uri = optMap(node, "artifactUri", path)) {
            knownFields(uri, join(path, "artifactUri"), {"constant", "runtimeParameter"},
                        {{"constantValue", "Value"}});
            if (present(uri["constant"]))
                i.artifactUriConstant = yamlToJson(uri["constant"]);
            i.artifactUriRuntimeParameter = optText(uri, "runtimeParameter", join(path, "artifactUri"));
        }
        if (const YAML::Node type = optMap(node, "typeSchema", path))
            i.typeSchema = typeSchema(type, join(path, "typeSchema"));
        i.reimport = optBool(node, "reimport", path);
        if (const YAML::Node metadata = optMap(node, "metadata", path))
            i.metadata = yamlToJson(metadata);
        return i;
    }

    // ------------------------------------------------------------ kubernetes

    K8sExecutorConfig::SecretOrConfigMap secretOrConfigMap(const YAML::Node &node, const std::string &path,
                                                           const char *nameKey, const char *keyKey) const
    {
        expectMap(node, path);
        knownFields(node, path, {nameKey, std::string_view(nameKey) == "secretName" ? "secretNameParameter" : "configMapNameParameter",
                                 "keyToEnv", "mountPath", "optional"});
        K8sExecutorConfig::SecretOrConfigMap s;
        s.name = optText(node, nameKey, path);
        s.nameParameter = optInputParameter(node, (std::string(nameKey) + "Parameter").c_str(), path);
        forEachItem(node, "keyToEnv", path, [&](const YAML::Node &k, const std::string &at) {
            expectMap(k, at);
            knownFields(k, at, {keyKey, "envVar"});
            s.keyToEnv.emplace_back(optText(k, keyKey, at), optText(k, "envVar", at));
        });
        s.mountPath = optText(node, "mountPath", path);
        if (present(node["optional"]))
            s.optional = boolean(node["optional"], join(path, "optional"));
        return s;
    }

    K8sExecutorConfig k8sConfig(const YAML::Node &node, const std::string &path) const
    {
        expectMap(node, path);
        knownFields(node, path,
                    {"secretAsVolume", "secretAsEnv", "pvcMount", "nodeSelector", "podMetadata",
                     "imagePullSecret", "configMapAsVolume", "configMapAsEnv", "activeDeadlineSeconds",
                     "fieldPathAsEnv", "tolerations", "nodeAffinity"},
                    {{"imagePullPolicy", {}},
                     {"genericEphemeralVolume", "GenericEphemeralVolume"},
                     {"podAffinity", "PodAffinityTerm"},
                     {"enabledSharedMemory", "EnabledSharedMemory"},
                     {"emptyDirMounts", "EmptyDirMount"},
                     {"securityContext", "SecurityContext"},
                     {"initContainers", "InitContainer"}});
        K8sExecutorConfig k;
        auto secrets = [&](const char *key, const char *nameKey, const char *keyKey,
                           std::vector<K8sExecutorConfig::SecretOrConfigMap> &out) {
            forEachItem(node, key, path, [&](const YAML::Node &s, const std::string &at) {
                out.push_back(secretOrConfigMap(s, at, nameKey, keyKey));
            });
        };
        secrets("secretAsEnv", "secretName", "secretKey", k.secretAsEnv);
        secrets("secretAsVolume", "secretName", "secretKey", k.secretAsVolume);
        secrets("configMapAsEnv", "configMapName", "configMapKey", k.configMapAsEnv);
        secrets("configMapAsVolume", "configMapName", "configMapKey", k.configMapAsVolume);

        forEachItem(node, "imagePullSecret", path, [&](const YAML::Node &s, const std::string &at) {
            expectMap(s, at);
            knownFields(s, at, {"secretName", "secretNameParameter"});
            k.imagePullSecret.push_back({optText(s, "secretName", at), optInputParameter(s, "secretNameParameter", at)});
        });
        if (const YAML::Node selector = optMap(node, "nodeSelector", path)) {
            const std::string at = join(path, "nodeSelector");
            knownFields(selector, at, {"labels", "nodeSelectorJson"});
            if (present(selector["labels"]))
                k.nodeSelectorLabels = stringMap(selector["labels"], join(at, "labels"));
            k.nodeSelectorJson = optInputParameter(selector, "nodeSelectorJson", at);
        }
        forEachItem(node, "nodeAffinity", path, [&](const YAML::Node &a, const std::string &at) {
            expectMap(a, at);
            // Only a term that is just the JSON form is modelled; other terms
            // (matchExpressions, weights) are kept as read, after the modelled ones.
            if (a.size() == 1 && present(a["nodeAffinityJson"]))
                k.nodeAffinityJson.push_back(
                    inputParameter(a["nodeAffinityJson"], join(at, "nodeAffinityJson")));
            else
                keep(a, join(path, "nodeAffinity[-]"), "NodeAffinityTerm");
        });
        forEachItem(node, "tolerations", path, [&](const YAML::Node &t, const std::string &at) {
            expectMap(t, at);
            knownFields(t, at, {"key", "operator", "value", "effect", "tolerationSeconds", "tolerationJson"});
            K8sExecutorConfig::Toleration toleration;
            toleration.key = optText(t, "key", at);
            toleration.op = optText(t, "operator", at);
            toleration.value = optText(t, "value", at);
            toleration.effect = optText(t, "effect", at);
            if (present(t["tolerationSeconds"]))
                toleration.tolerationSeconds = integer(t["tolerationSeconds"], join(at, "tolerationSeconds"));
            toleration.tolerationJson = optInputParameter(t, "tolerationJson", at);
            k.tolerations.push_back(std::move(toleration));
        });
        forEachItem(node, "fieldPathAsEnv", path, [&](const YAML::Node &f, const std::string &at) {
            expectMap(f, at);
            knownFields(f, at, {"name", "fieldPath"});
            k.fieldPathAsEnv.emplace_back(optText(f, "name", at), optText(f, "fieldPath", at));
        });
        forEachItem(node, "pvcMount", path, [&](const YAML::Node &p, const std::string &at) {
            expectMap(p, at);
            knownFields(p, at,
                        {"mountPath", "componentInputParameter", "constant", "taskOutputParameter",
                         "pvcNameParameter", "subPath"});
            K8sExecutorConfig::PvcMount mount;
            mount.mountPath = optText(p, "mountPath", at);
            mount.legacyComponentInputParameter = optText(p, "componentInputParameter", at);
            mount.constant = optText(p, "constant", at);
            if (const YAML::Node producer = optMap(p, "taskOutputParameter", at)) {
                const std::string pAt = join(at, "taskOutputParameter");
                mount.legacyTaskOutputParameter = {optText(producer, "producerTask", pAt),
                                                   optText(producer, "outputParameterKey", pAt)};
            }
            mount.pvcNameParameter = optInputParameter(p, "pvcNameParameter", at);
            mount.subPath = optText(p, "subPath", at);
            k.pvcMount.push_back(std::move(mount));
        });
        if (const YAML::Node metadata = optMap(node, "podMetadata", path)) {
            const std::string at = join(path, "podMetadata");
            knownFields(metadata, at, {"labels", "annotations"});
            if (present(metadata["labels"]))
                k.podLabels = stringMap(metadata["labels"], join(at, "labels"));
            if (present(metadata["annotations"]))
                k.podAnnotations = stringMap(metadata["annotations"], join(at, "annotations"));
        }
        if (present(node["activeDeadlineSeconds"]))
            k.activeDeadlineSeconds = integer(node["activeDeadlineSeconds"], join(path, "activeDeadlineSeconds"));
        return k;
    }
};

} // namespace

Result<PipelineSpec> readPipelineSpec(const std::vector<YAML::Node> &docs, const std::string &fileName)
{
    if (docs.empty() || docs.front().IsNull())
        return SpecNodeReader::errorAt("the document is empty", fileName);
    try {
        Reader reader(fileName);
        PipelineSpec spec = reader.pipelineSpec(docs[0]);
        if (docs.size() > 1 && !docs[1].IsNull())
            reader.platformSpec(docs[1], spec);
        return spec;
    } catch (const SpecNodeReader::Failure &failure) {
        return failure.error;
    } catch (const YAML::Exception &e) {
        // Should not happen (every access is checked first), but malformed input must never crash.
        return SpecNodeReader::errorAt(e.msg, fileName, e.mark.line + 1, e.mark.column + 1);
    }
}

Result<PipelineSpec> readPipelineSpec(std::string_view text, const std::string &fileName)
{
    Result<std::vector<YAML::Node>> docs = parseYamlDocuments(text, fileName);
    if (!docs)
        return docs.error();
    return readPipelineSpec(docs.value(), fileName);
}

} // namespace pw::ir
