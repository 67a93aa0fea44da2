// SPDX-License-Identifier: Apache-2.0
#pragma once

// The IR: KFP's PipelineSpec (schemaVersion 2.1.0) and its Kubernetes platform
// spec as typed structures. Field names follow the proto's JSON names so that
// reading and writing is a direct mapping. Maps are ordered, so output is
// stable and sorted as the KFP SDK writes it.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw::ir {

using Json = nlohmann::json;

struct ArtifactTypeSchema {
    std::string schemaTitle;
    std::string schemaVersion;
    bool operator==(const ArtifactTypeSchema &) const = default;
};

struct ParameterSpec {
    std::string parameterType; // STRING, NUMBER_INTEGER, NUMBER_DOUBLE, BOOLEAN, LIST, STRUCT, TASK_FINAL_STATUS
    std::optional<Json> defaultValue;
    bool isOptional = false;
    std::string description;
    bool operator==(const ParameterSpec &) const = default;
};

struct ArtifactSpec {
    ArtifactTypeSchema artifactType;
    bool isOptional = false;
    bool isArtifactList = false;
    std::string description;
    bool operator==(const ArtifactSpec &) const = default;
};

struct InterfaceDefinitions {
    std::map<std::string, ParameterSpec> parameters;
    std::map<std::string, ArtifactSpec> artifacts;
    bool empty() const { return parameters.empty() && artifacts.empty(); }
    bool operator==(const InterfaceDefinitions &) const = default;
};

// TaskInputsSpec.InputParameterSpec: exactly one source is set.
struct InputParameter {
    struct TaskOutput {
        std::string producerTask;
        std::string outputParameterKey;
        bool operator==(const TaskOutput &) const = default;
    };
    std::optional<TaskOutput> taskOutputParameter;
    std::optional<Json> runtimeValue; // runtimeValue.constant
    std::string componentInputParameter;
    std::optional<std::string> taskFinalStatus; // producerTask
    std::string parameterExpressionSelector;
    bool operator==(const InputParameter &) const = default;
};

struct InputArtifact {
    struct TaskOutput {
        std::string producerTask;
        std::string outputArtifactKey;
        bool operator==(const TaskOutput &) const = default;
    };
    std::optional<TaskOutput> taskOutputArtifact;
    std::string componentInputArtifact;
    bool operator==(const InputArtifact &) const = default;
};

struct TaskInputs {
    std::map<std::string, InputParameter> parameters;
    std::map<std::string, InputArtifact> artifacts;
    bool empty() const { return parameters.empty() && artifacts.empty(); }
    bool operator==(const TaskInputs &) const = default;
};

struct RetryPolicy {
    int maxRetryCount = 0;
    std::string backoffDuration;
    std::optional<double> backoffFactor;
    std::string backoffMaxDuration;
    bool operator==(const RetryPolicy &) const = default;
};

struct ParameterIterator {
    std::string itemInput;
    std::optional<std::string> raw;  // items.raw (a JSON list as a string)
    std::string inputParameter;      // items.inputParameter
    bool operator==(const ParameterIterator &) const = default;
};

struct ArtifactIterator {
    std::string itemInput;
    std::string inputArtifact;
    bool operator==(const ArtifactIterator &) const = default;
};

struct PipelineTask {
    std::string taskInfoName;
    std::string componentRef;
    TaskInputs inputs;
    std::vector<std::string> dependentTasks;
    std::optional<bool> enableCache; // cachingOptions; nullopt = no cachingOptions key
    bool cachingOptionsPresent = false; // `cachingOptions: {}` vs absent
    std::string triggerCondition;       // triggerPolicy.condition
    std::string triggerStrategy;        // triggerPolicy.strategy
    std::optional<RetryPolicy> retryPolicy;
    std::optional<ParameterIterator> parameterIterator;
    std::optional<ArtifactIterator> artifactIterator;
    std::optional<int> iteratorParallelism; // iteratorPolicy.parallelismLimit
    bool operator==(const PipelineTask &) const = default;
};

struct DagOutputParameter {
    struct Selector {
        std::string producerSubtask;
        std::string outputParameterKey;
        bool operator==(const Selector &) const = default;
    };
    std::optional<Selector> valueFromParameter;
    std::vector<Selector> valueFromOneof;
    bool operator==(const DagOutputParameter &) const = default;
};

struct DagOutputArtifact {
    struct Selector {
        std::string producerSubtask;
        std::string outputArtifactKey;
        bool operator==(const Selector &) const = default;
    };
    std::vector<Selector> artifactSelectors;
    bool operator==(const DagOutputArtifact &) const = default;
};

struct Dag {
    std::map<std::string, PipelineTask> tasks;
    std::map<std::string, DagOutputParameter> outputParameters;
    std::map<std::string, DagOutputArtifact> outputArtifacts;
    bool operator==(const Dag &) const = default;
};

struct ComponentSpec {
    InterfaceDefinitions inputDefinitions;
    InterfaceDefinitions outputDefinitions;
    std::string executorLabel; // set for executors
    std::optional<Dag> dag;    // set for DAG components
    std::string description;
    bool operator==(const ComponentSpec &) const = default;
};

struct ContainerResources {
    // Strings because KFP may put placeholders there. `resourceCpuLimit` etc.
    std::string cpuLimit, cpuRequest, memoryLimit, memoryRequest;
    std::string acceleratorType;  // accelerator.resourceType (or the legacy type)
    std::string acceleratorCount; // accelerator.resourceCount (or the legacy count)

    // The older keys (cpuLimit in cores and memoryLimit in GB as numbers,
    // accelerator.type/count) that the SDK still writes beside the strings
    // above when a value is a constant. Kept as read, so that imported specs
    // round-trip; a spec with only these also fills the strings above.
    struct Legacy {
        std::optional<double> cpuLimit, cpuRequest, memoryLimit, memoryRequest;
        std::string acceleratorType;
        std::string acceleratorCount; // int64, a JSON string in protobuf's mapping
        bool operator==(const Legacy &) const = default;
    };
    Legacy legacy;

    bool empty() const
    {
        return cpuLimit.empty() && cpuRequest.empty() && memoryLimit.empty() && memoryRequest.empty()
            && acceleratorType.empty() && acceleratorCount.empty() && legacy == Legacy{};
    }
    bool operator==(const ContainerResources &) const = default;
};

struct ContainerExecutor {
    std::string image;
    std::vector<std::string> command; // placeholders as KFP strings
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env;
    ContainerResources resources;
    bool operator==(const ContainerExecutor &) const = default;
};

struct ImporterExecutor {
    std::optional<Json> artifactUriConstant;
    std::string artifactUriRuntimeParameter;
    ArtifactTypeSchema typeSchema;
    bool reimport = false;
    Json metadata; // null when absent
    bool operator==(const ImporterExecutor &) const = default;
};

struct Executor {
    std::optional<ContainerExecutor> container;
    std::optional<ImporterExecutor> importer;
    bool operator==(const Executor &) const = default;
};

// kfp-kubernetes KubernetesExecutorConfig. Parameter references use the
// TaskInputs parameter shape (componentInputParameter, taskOutputParameter,
// runtimeValue).
struct K8sExecutorConfig {
    struct SecretOrConfigMap {
        std::string name;                 // secretName / configMapName (legacy literal)
        std::optional<InputParameter> nameParameter;
        std::vector<std::pair<std::string, std::string>> keyToEnv; // key -> env var
        std::string mountPath;
        std::optional<bool> optional;
        bool operator==(const SecretOrConfigMap &) const = default;
    };
    struct Toleration {
        std::string key, op, value, effect;
        std::optional<std::int64_t> tolerationSeconds;
        std::optional<InputParameter> tolerationJson;
        bool operator==(const Toleration &) const = default;
    };
    struct ImagePullSecret {
        std::string secretName; // legacy literal
        std::optional<InputParameter> secretNameParameter;
        bool operator==(const ImagePullSecret &) const = default;
    };
    struct PvcMount {
        std::string mountPath;
        std::string legacyComponentInputParameter; // older `componentInputParameter` key
        std::string constant;                      // older `constant` key
        std::optional<InputParameter::TaskOutput> legacyTaskOutputParameter; // older `taskOutputParameter` key
        std::optional<InputParameter> pvcNameParameter;
        std::string subPath;
        bool operator==(const PvcMount &) const = default;
    };

    std::vector<SecretOrConfigMap> secretAsEnv, secretAsVolume, configMapAsEnv, configMapAsVolume;
    std::vector<ImagePullSecret> imagePullSecret;
    std::map<std::string, std::string> nodeSelectorLabels;
    std::optional<InputParameter> nodeSelectorJson;
    std::vector<InputParameter> nodeAffinityJson;
    std::vector<Toleration> tolerations;
    std::vector<std::pair<std::string, std::string>> fieldPathAsEnv; // name -> fieldPath
    std::vector<PvcMount> pvcMount;
    std::map<std::string, std::string> podLabels, podAnnotations;
    std::optional<std::int64_t> activeDeadlineSeconds;
    bool empty() const { return *this == K8sExecutorConfig{}; }
    bool operator==(const K8sExecutorConfig &) const = default;
};

struct PipelineSpec {
    std::string pipelineName; // pipelineInfo.name
    std::string displayName;  // pipelineInfo.displayName
    std::string description;  // pipelineInfo.description
    std::string defaultPipelineRoot;
    std::string schemaVersion = "2.1.0";
    std::string sdkVersion;   // written as "pipewright-<version>" by us

    std::map<std::string, ComponentSpec> components; // "comp-x"
    std::map<std::string, Executor> executors;       // "exec-x"
    ComponentSpec root;

    std::map<std::string, K8sExecutorConfig> k8s; // platform spec, by executor label

    // Valid fields Pipewright does not model (a container's lifecycle, an
    // importer's downloadToWorkspace, the Kubernetes pipelineConfig, ...),
    // kept as read and written back: JSON pointer -> value. Pointers under
    // "/platforms" belong to the platform document; one ending in "/-" holds
    // a list of items appended to the list there.
    std::map<std::string, Json> keptFields;

    bool operator==(const PipelineSpec &) const = default;
};

} // namespace pw::ir
