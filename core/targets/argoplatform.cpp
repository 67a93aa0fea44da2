// SPDX-License-Identifier: Apache-2.0
// Kubernetes executor config, resources and retries of the Argo target.
#include "targets/argobuilder.h"
#include "targets/argoexpressions.h"

#include <cctype>
#include <cmath>

namespace pw::argo {

namespace {

Error fail(std::string message)
{
    return Error{std::move(message), {}};
}

bool templated(const std::string &text)
{
    return text.find("{{") != std::string::npos;
}

// Vertex-style accelerator names (NVIDIA_TESLA_T4) -> the GKE node label value
// (nvidia-tesla-t4); Kubernetes resource names (nvidia.com/gpu) pass through.
struct Accelerator {
    std::string resource;
    std::string gkeLabel;
};

Result<Accelerator> acceleratorFor(const std::string &type)
{
    if (type.find('/') != std::string::npos)
        return Accelerator{type, {}};
    if (type.rfind("NVIDIA_", 0) == 0) {
        std::string label;
        for (char c : type)
            label += c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return Accelerator{"nvidia.com/gpu", label};
    }
    return fail("accelerator type '" + type +
                "' has no Kubernetes resource name for Argo; use one such as nvidia.com/gpu or a Vertex "
                "NVIDIA_* type");
}

std::string staticText(const Json &value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace

Result<K8sResolved> ArgoBuilder::resolveK8s(const std::string &executorLabel, const DagScope &scope,
                                            RefScope refs) const
{
    K8sResolved r;
    auto found = m_spec.k8s.find(executorLabel);
    if (found == m_spec.k8s.end())
        return r;
    const ir::K8sExecutorConfig &cfg = found->second;

    // Platform parameters refer to the enclosing DAG's inputs and sibling
    // tasks, like task inputs do; they reach the container as extra inputs.
    auto resolve = [&](const ir::InputParameter *p, const std::string &legacy,
                       const std::string &slot) -> Result<K8sValue> {
        K8sValue v;
        if (p && p->runtimeValue) {
            v.kind = K8sValue::Kind::Static;
            v.value = *p->runtimeValue;
            return v;
        }
        if (p && (!p->componentInputParameter.empty() || p->taskOutputParameter)) {
            auto text = parameterValue(*p, scope, refs, {});
            if (!text)
                return text.error();
            if (!*text)
                return v; // optional input nobody set: KFP skips the setting too
            v.kind = K8sValue::Kind::Param;
            v.input = "pipewright-k8s-" + slot;
            v.argument = **text;
            return v;
        }
        if (!legacy.empty()) {
            v.kind = K8sValue::Kind::Static;
            v.value = legacy;
        }
        return v;
    };
    auto fill = [&](std::vector<K8sValue> &out,
                    const std::vector<ir::K8sExecutorConfig::SecretOrConfigMap> &items,
                    const std::string &slot) -> std::optional<Error> {
        for (size_t i = 0; i < items.size(); ++i) {
            const auto &item = items[i];
            auto v = resolve(item.nameParameter ? &*item.nameParameter : nullptr, item.name,
                             slot + "-" + std::to_string(i));
            if (!v)
                return v.error();
            out.push_back(std::move(v.value()));
        }
        return std::nullopt;
    };
    if (auto e = fill(r.secretEnv, cfg.secretAsEnv, "secret-env"))
        return *e;
    if (auto e = fill(r.secretVolume, cfg.secretAsVolume, "secret-volume"))
        return *e;
    if (auto e = fill(r.configMapEnv, cfg.configMapAsEnv, "configmap-env"))
        return *e;
    if (auto e = fill(r.configMapVolume, cfg.configMapAsVolume, "configmap-volume"))
        return *e;
    for (size_t i = 0; i < cfg.imagePullSecret.size(); ++i) {
        const auto &secret = cfg.imagePullSecret[i];
        auto v = resolve(secret.secretNameParameter ? &*secret.secretNameParameter : nullptr,
                         secret.secretName, "pull-secret-" + std::to_string(i));
        if (!v)
            return v.error();
        r.pullSecrets.push_back(std::move(v.value()));
    }
    for (size_t i = 0; i < cfg.pvcMount.size(); ++i) {
        const auto &m = cfg.pvcMount[i];
        ir::InputParameter legacyInput;
        const ir::InputParameter *p = m.pvcNameParameter ? &*m.pvcNameParameter : nullptr;
        if (!p && !m.legacyComponentInputParameter.empty()) {
            legacyInput.componentInputParameter = m.legacyComponentInputParameter;
            p = &legacyInput;
        } else if (!p && m.legacyTaskOutputParameter) {
            legacyInput.taskOutputParameter = m.legacyTaskOutputParameter;
            p = &legacyInput;
        }
        auto v = resolve(p, m.constant, "pvc-" + std::to_string(i));
        if (!v)
            return v.error();
        r.pvcs.push_back(std::move(v.value()));
    }
    for (size_t i = 0; i < cfg.tolerations.size(); ++i) {
        const auto &t = cfg.tolerations[i];
        auto v =
            resolve(t.tolerationJson ? &*t.tolerationJson : nullptr, {}, "toleration-" + std::to_string(i));
        if (!v)
            return v.error();
        r.tolerations.push_back(std::move(v.value()));
    }
    for (size_t i = 0; i < cfg.nodeAffinityJson.size(); ++i) {
        auto v = resolve(&cfg.nodeAffinityJson[i], {}, "node-affinity-" + std::to_string(i));
        if (!v)
            return v.error();
        r.affinities.push_back(std::move(v.value()));
    }
    if (cfg.nodeSelectorJson) {
        auto v = resolve(&*cfg.nodeSelectorJson, {}, "node-selector");
        if (!v)
            return v.error();
        r.nodeSelector = std::move(v.value());
    }
    return r;
}

std::optional<Error> ArgoBuilder::applyPlatform(Json &tmpl, PodPatch &patch, const ContainerUse &use)
{
    auto found = m_spec.k8s.find(use.executorLabel);
    if (found == m_spec.k8s.end())
        return std::nullopt;
    const ir::K8sExecutorConfig &cfg = found->second;
    const K8sResolved &r = use.k8s;
    auto text = [](const K8sValue &v) {
        return v.kind == K8sValue::Kind::Param ? paramTag(v.input) : staticText(v.value);
    };
    Json &container = tmpl["container"];

    Json env = container.contains("env") ? container["env"] : Json::array();
    auto refEnv = [&](const std::vector<ir::K8sExecutorConfig::SecretOrConfigMap> &items,
                      const std::vector<K8sValue> &names, const char *refKind) {
        for (size_t i = 0; i < items.size(); ++i) {
            if (names[i].kind == K8sValue::Kind::Absent)
                continue;
            for (const auto &[key, envVar] : items[i].keyToEnv) {
                Json ref = {{"name", text(names[i])}, {"key", key}};
                if (items[i].optional)
                    ref["optional"] = *items[i].optional;
                env.push_back({{"name", envVar}, {"valueFrom", {{refKind, ref}}}});
            }
        }
    };
    refEnv(cfg.secretAsEnv, r.secretEnv, "secretKeyRef");
    refEnv(cfg.configMapAsEnv, r.configMapEnv, "configMapKeyRef");
    for (const auto &[name, fieldPath] : cfg.fieldPathAsEnv)
        env.push_back({{"name", name}, {"valueFrom", {{"fieldRef", {{"fieldPath", fieldPath}}}}}});
    if (!env.empty())
        container["env"] = std::move(env);

    Json volumes = Json::array(), mounts = Json::array();
    auto addVolume = [&](const std::string &name, const std::string &mountPath, Json source,
                         const std::string &subPath = {}) {
        source["name"] = name;
        volumes.push_back(std::move(source));
        Json mount = {{"name", name}, {"mountPath", mountPath}};
        if (!subPath.empty())
            mount["subPath"] = subPath;
        mounts.push_back(std::move(mount));
    };
    for (size_t i = 0; i < cfg.secretAsVolume.size(); ++i) {
        if (r.secretVolume[i].kind == K8sValue::Kind::Absent)
            continue;
        Json secret = {{"secretName", text(r.secretVolume[i])}};
        if (cfg.secretAsVolume[i].optional)
            secret["optional"] = *cfg.secretAsVolume[i].optional;
        addVolume("secret-volume-" + std::to_string(i), cfg.secretAsVolume[i].mountPath,
                  {{"secret", secret}});
    }
    for (size_t i = 0; i < cfg.configMapAsVolume.size(); ++i) {
        if (r.configMapVolume[i].kind == K8sValue::Kind::Absent)
            continue;
        Json configMap = {{"name", text(r.configMapVolume[i])}};
        if (cfg.configMapAsVolume[i].optional)
            configMap["optional"] = *cfg.configMapAsVolume[i].optional;
        addVolume("configmap-volume-" + std::to_string(i), cfg.configMapAsVolume[i].mountPath,
                  {{"configMap", configMap}});
    }
    for (size_t i = 0; i < cfg.pvcMount.size(); ++i) {
        if (r.pvcs[i].kind == K8sValue::Kind::Absent)
            continue;
        addVolume("pvc-" + std::to_string(i), cfg.pvcMount[i].mountPath,
                  {{"persistentVolumeClaim", {{"claimName", text(r.pvcs[i])}}}}, cfg.pvcMount[i].subPath);
    }
    if (!volumes.empty()) {
        tmpl["volumes"] = std::move(volumes);
        container["volumeMounts"] = std::move(mounts);
    }

    for (const auto &[key, value] : cfg.nodeSelectorLabels)
        tmpl["nodeSelector"][key] = value;
    if (r.nodeSelector.kind == K8sValue::Kind::Static) {
        if (!r.nodeSelector.value.is_object())
            return fail("node selector of executor '" + use.executorLabel + "' is not a JSON object");
        for (const auto &[key, value] : r.nodeSelector.value.items())
            tmpl["nodeSelector"][key] = staticText(value);
    } else if (r.nodeSelector.kind == K8sValue::Kind::Param) {
        // A strategic merge patch merges map keys, so fixed labels stay.
        patch.fields["nodeSelector"] = paramTag(r.nodeSelector.input);
    }

    Json tolerations = Json::array();
    std::vector<const K8sValue *> paramTolerations;
    for (size_t i = 0; i < cfg.tolerations.size(); ++i) {
        const auto &t = cfg.tolerations[i];
        const K8sValue &v = r.tolerations[i];
        if (t.tolerationJson) {
            if (v.kind == K8sValue::Kind::Static) {
                for (const Json &item : v.value.is_array() ? v.value : Json::array({v.value}))
                    tolerations.push_back(item);
            } else if (v.kind == K8sValue::Kind::Param) {
                paramTolerations.push_back(&v);
            }
            continue;
        }
        Json item;
        if (!t.key.empty())
            item["key"] = t.key;
        if (!t.op.empty())
            item["operator"] = t.op;
        if (!t.value.empty())
            item["value"] = t.value;
        if (!t.effect.empty())
            item["effect"] = t.effect;
        if (t.tolerationSeconds)
            item["tolerationSeconds"] = *t.tolerationSeconds;
        tolerations.push_back(std::move(item));
    }
    if (!paramTolerations.empty()) {
        if (paramTolerations.size() > 1 || !tolerations.empty())
            return fail("executor '" + use.executorLabel +
                        "' combines tolerations from a parameter with other tolerations; Argo cannot merge "
                        "lists at run time");
        // KFP accepts one toleration or a list; decide at run time.
        const std::string var = paramVar(paramTolerations.front()->input);
        patch.fields["tolerations"] =
            "{{=sprig.hasPrefix('[', sprig.trim(" + var + ")) ? " + var + " : '[' + " + var + " + ']'}}";
    } else if (!tolerations.empty()) {
        tmpl["tolerations"] = std::move(tolerations);
    }

    Json nodeAffinity = Json::object();
    std::vector<const K8sValue *> paramAffinities;
    for (const K8sValue &v : r.affinities) {
        if (v.kind == K8sValue::Kind::Static) {
            if (!v.value.is_object())
                return fail("node affinity of executor '" + use.executorLabel + "' is not a JSON object");
            nodeAffinity.update(v.value);
        } else if (v.kind == K8sValue::Kind::Param) {
            paramAffinities.push_back(&v);
        }
    }
    if (!paramAffinities.empty()) {
        if (paramAffinities.size() > 1 || !nodeAffinity.empty())
            return fail("executor '" + use.executorLabel +
                        "' combines node affinities from parameters; Argo cannot merge them at run time");
        patch.fields["affinity"] = "{\"nodeAffinity\": " + paramTag(paramAffinities.front()->input) + "}";
    } else if (!nodeAffinity.empty()) {
        tmpl["affinity"]["nodeAffinity"] = std::move(nodeAffinity);
    }

    std::vector<std::string> paramPullSecrets;
    for (const K8sValue &v : r.pullSecrets) {
        // Argo sets pull secrets for the whole workflow only; a name known now goes there.
        if (v.kind == K8sValue::Kind::Static)
            m_pullSecrets.insert(staticText(v.value));
        else if (v.kind == K8sValue::Kind::Param)
            paramPullSecrets.push_back("{\"name\": \"" + paramTag(v.input) + "\"}");
    }
    if (!paramPullSecrets.empty()) {
        std::string list = "[";
        for (size_t i = 0; i < paramPullSecrets.size(); ++i)
            list += (i ? ", " : "") + paramPullSecrets[i];
        patch.fields["imagePullSecrets"] = list + "]";
    }

    for (const auto &[key, value] : cfg.podLabels)
        tmpl["metadata"]["labels"][key] = value;
    for (const auto &[key, value] : cfg.podAnnotations)
        tmpl["metadata"]["annotations"][key] = value;
    if (cfg.activeDeadlineSeconds)
        // IntOrString in Argo's schema, written as a string (see reference README).
        tmpl["activeDeadlineSeconds"] = std::to_string(*cfg.activeDeadlineSeconds);
    return std::nullopt;
}

std::optional<Error> ArgoBuilder::applyResources(Json &tmpl, PodPatch &patch, const ContainerUse &use) const
{
    const ir::ContainerResources &res = m_spec.executors.at(use.executorLabel).container->resources;
    if (res.empty())
        return std::nullopt;
    Json &resources = tmpl["container"]["resources"];
    // Quantities known now go in the container; ones from parameters go in
    // podSpecPatch, because Argo parses container quantities before it
    // substitutes parameters.
    auto set = [&](const std::string &raw, bool limit, const std::string &name) -> std::optional<Error> {
        if (raw.empty())
            return std::nullopt;
        auto value = renderContainerText(raw, use);
        if (!value)
            return value.error();
        if (templated(*value))
            (limit ? patch.limits : patch.requests)[name] = Json(*value).dump();
        else
            resources[limit ? "limits" : "requests"][name] = *value;
        return std::nullopt;
    };
    if (auto e = set(res.cpuLimit, true, "cpu"))
        return e;
    if (auto e = set(res.memoryLimit, true, "memory"))
        return e;
    if (auto e = set(res.cpuRequest, false, "cpu"))
        return e;
    if (auto e = set(res.memoryRequest, false, "memory"))
        return e;

    if (!res.acceleratorType.empty()) {
        auto count = renderContainerText(res.acceleratorCount.empty() ? "1" : res.acceleratorCount, use);
        if (!count)
            return count.error();
        auto type = renderContainerText(res.acceleratorType, use);
        if (!type)
            return type.error();
        if (templated(*type)) {
            auto parsed = ir::KfpArgument::parseText(res.acceleratorType);
            const ir::KfpPlaceholder *ph = parsed ? parsed->singlePlaceholder() : nullptr;
            if (!ph || ph->kind != ir::KfpPlaceholder::Kind::InputParameter)
                return fail("accelerator type '" + res.acceleratorType + "' of executor '" +
                            use.executorLabel + "' must be a literal or a single input parameter");
            // The resource name is chosen at run time: Vertex NVIDIA_* names mean nvidia.com/gpu.
            const std::string var = paramVar(ph->name.value);
            const std::string key =
                "{{=sprig.hasPrefix('NVIDIA_', " + var + ") ? 'nvidia.com/gpu' : " + var + "}}";
            patch.limits[key] = Json(*count).dump();
        } else {
            auto accelerator = acceleratorFor(*type);
            if (!accelerator)
                return accelerator.error();
            if (templated(*count))
                patch.limits[accelerator->resource] = Json(*count).dump();
            else
                resources["limits"][accelerator->resource] = *count;
            if (!accelerator->gkeLabel.empty())
                tmpl["nodeSelector"]["cloud.google.com/gke-accelerator"] = accelerator->gkeLabel;
        }
    }
    if (resources.empty())
        tmpl["container"].erase("resources");
    return std::nullopt;
}

Result<Json> ArgoBuilder::retryStrategy(const ir::RetryPolicy &policy)
{
    Json retry;
    // IntOrString fields are strings in Argo's schema.
    retry["limit"] = std::to_string(policy.maxRetryCount);
    Json backoff = Json::object();
    if (!policy.backoffDuration.empty())
        backoff["duration"] = policy.backoffDuration;
    if (policy.backoffFactor) {
        const double factor = *policy.backoffFactor;
        if (!std::isfinite(factor) || factor != std::floor(factor) || factor < 1)
            return fail("retry backoff factor " + std::to_string(factor) +
                        " is not a whole number; Argo's backoff factor is an integer");
        backoff["factor"] = std::to_string(static_cast<long long>(factor));
        if (!backoff.contains("duration"))
            backoff["duration"] = "0s";
    }
    if (!policy.backoffMaxDuration.empty())
        backoff["maxDuration"] = policy.backoffMaxDuration;
    if (!backoff.empty())
        retry["backoff"] = std::move(backoff);
    return retry;
}

} // namespace pw::argo
