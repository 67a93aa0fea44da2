// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/binding.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pw {

struct Toleration {
    std::string key;
    std::string op; // "Equal" | "Exists" | "" (Kubernetes default Equal)
    std::string value;
    std::string effect; // NoSchedule | PreferNoSchedule | NoExecute | ""
    std::optional<std::int64_t> tolerationSeconds;
    bool operator==(const Toleration &) const = default;
};

struct EnvVar {
    std::string name;
    std::string value;
    bool operator==(const EnvVar &) const = default;
};

struct KeyToEnv {
    std::string key; // secret or config map key
    std::string envVar;
    bool operator==(const KeyToEnv &) const = default;
};

// A Kubernetes Secret or ConfigMap made visible to the task, by name only:
// credentials never appear in a pipeline file.
struct ObjectRef {
    enum class Source { Secret, ConfigMap };
    Source source = Source::Secret;
    Binding name;               // usually a Constant; may be a parameter or task output
    bool nameIsLiteral = false; // IR wrote a plain secretName besides the parameter
    std::vector<KeyToEnv> keyToEnv; // as env vars when non-empty
    std::string mountPath;          // as a volume when non-empty
    std::optional<bool> optional;
    bool operator==(const ObjectRef &) const = default;
};

struct PvcMount {
    Binding claimName;
    std::string mountPath;
    bool operator==(const PvcMount &) const = default;
};

struct FieldPathEnv {
    std::string name;
    std::string fieldPath;
    bool operator==(const FieldPathEnv &) const = default;
};

struct Resources {
    // Kubernetes quantities as written ("500m", "4Gi"); empty = unset. KFP
    // may carry a pipeline-parameter placeholder here instead of a literal.
    std::string cpuRequest, cpuLimit, memoryRequest, memoryLimit;
    std::string acceleratorType; // "nvidia.com/gpu", "NVIDIA_TESLA_T4", ...
    std::string acceleratorCount; // "1" or a placeholder
    bool operator==(const Resources &) const = default;
};

struct RetryPolicy {
    int maxRetries = 0;
    std::string backoffDuration;    // "60s"; empty = backend default
    std::optional<double> backoffFactor;
    std::string backoffMaxDuration; // "3600s"
    bool operator==(const RetryPolicy &) const = default;
};

// Everything about *how* and *where* a task runs, independent of what it computes.
struct ExecutionSettings {
    Resources resources;
    std::string nodePool; // name of a node pool preset; expands to nodeSelector/tolerations
    std::map<std::string, std::string> nodeSelector;
    std::optional<Binding> nodeSelectorJson; // whole selector from a parameter
    std::vector<Toleration> tolerations;
    std::vector<Binding> tolerationJson;    // tolerations from parameters
    std::vector<Binding> nodeAffinityJson;
    std::vector<EnvVar> env;
    std::vector<ObjectRef> secrets;    // Secret refs (env and/or volume)
    std::vector<ObjectRef> configMaps; // ConfigMap refs
    std::vector<Binding> imagePullSecrets;
    std::vector<FieldPathEnv> fieldPathEnv;
    std::vector<PvcMount> volumes;
    std::map<std::string, std::string> podLabels, podAnnotations;
    RetryPolicy retry;
    bool caching = true;
    std::int64_t timeoutSeconds = 0; // 0 = none
    bool operator==(const ExecutionSettings &) const = default;
};

} // namespace pw
