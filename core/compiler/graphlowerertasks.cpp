// SPDX-License-Identifier: Apache-2.0
// GraphLowerer: tasks, their components, executors and platform config.
#include "compiler/graphlowerer.h"

#include "compiler/irnames.h"
#include "compiler/kfpplaceholders.h"
#include "util/duration.h"

#include <regex>

namespace pw {

namespace {

// ComponentOutputsSpec has no isOptional or defaultValue (KFP's parser refuses them).
void addInterface(ir::InterfaceDefinitions &defs, const std::vector<PortSpec> &ports, bool outputs)
{
    for (const PortSpec &p : ports) {
        if (p.type.isArtifact()) {
            ir::ArtifactSpec a;
            a.artifactType = {p.type.schemaTitle, p.type.schemaVersion};
            a.isArtifactList = p.type.isArtifactList;
            a.isOptional = p.optional && !outputs;
            a.description = p.description;
            defs.artifacts[p.name] = a;
        } else {
            ir::ParameterSpec s;
            s.parameterType = std::string(toIrName(p.type.parameter));
            if (!outputs) {
                s.defaultValue = p.defaultValue;
                s.isOptional = p.optional || p.defaultValue.has_value();
            }
            s.description = p.description;
            defs.parameters[p.name] = s;
        }
    }
}

// A resource field may name a pipeline parameter as "{{param.NAME}}" or an
// upstream task's output parameter as "{{task.TASK.OUTPUT}}".
std::optional<Binding> resourceSource(const std::string &value)
{
    static const std::regex param(R"(^\{\{param\.([A-Za-z0-9_.-]+)\}\}$)");
    static const std::regex output(R"(^\{\{task\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\}\}$)");
    std::smatch m;
    if (std::regex_match(value, m, param))
        return Binding::parameter(m[1].str());
    if (std::regex_match(value, m, output))
        return Binding::taskOutput(m[1].str(), m[2].str());
    return std::nullopt;
}

} // namespace

Result<bool> GraphLowerer::lowerTask(const Task &task)
{
    const Component *c = m_pipeline.component(task.component);
    if (!c)
        return Error{"task '" + task.id + "' uses unknown component '" + task.component + "'", {"", 0, 0, "", task.id}};
    ir::PipelineTask &irTask = *irTaskFor(task.id, task.group);
    m_taskByModelId[task.id] = &irTask;
    irTask.taskInfoName = task.label();

    switch (c->kind) {
    case Component::Kind::Graph: {
        auto name = m_lowerSubGraph(task.component);
        if (!name.ok())
            return name.error();
        irTask.componentRef = *name;
        irTask.cachingOptionsPresent = true;
        if (task.settings.caching)
            irTask.enableCache = true;
        break;
    }
    case Component::Kind::Container:
    case Component::Kind::Importer: {
        const std::string compName = m_namer.allocate("comp-" + task.component);
        irTask.componentRef = compName;
        auto r = lowerContainer(task, *c, compName, irTask);
        if (!r.ok())
            return r.error();
        break;
    }
    }

    for (const auto &[name, binding] : task.arguments) {
        if (!binding.isSet())
            continue;
        const PortSpec *port = c->input(name);
        if (!port)
            return Error{"task '" + task.id + "' sets unknown input '" + name + "'", {"", 0, 0, "arguments." + name, task.id}};
        auto r = bindArgument(name, port, binding, task.group, irTask);
        if (!r.ok()) {
            Error e = r.error();
            e.message = "task '" + task.id + "', input '" + name + "': " + e.message;
            e.where.task = task.id;
            e.where.field = "arguments." + name;
            return e;
        }
    }

    if (task.settings.retry.maxRetries > 0) {
        ir::RetryPolicy rp;
        rp.maxRetryCount = task.settings.retry.maxRetries;
        // The IR's durations are protobuf Durations (seconds), as the KFP SDK writes them.
        rp.backoffDuration = protobufDuration(task.settings.retry.backoffDuration);
        rp.backoffFactor = task.settings.retry.backoffFactor;
        rp.backoffMaxDuration = protobufDuration(task.settings.retry.backoffMaxDuration);
        irTask.retryPolicy = rp;
    }
    if (task.runAfterFailure)
        irTask.triggerStrategy = "ALL_UPSTREAM_TASKS_COMPLETED";
    return true;
}

Result<bool> GraphLowerer::lowerContainer(const Task &task, const Component &c, const std::string &compName,
                                          ir::PipelineTask &irTask)
{
    const std::string suffix = compName.substr(5); // after "comp-"
    const std::string execLabel = "exec-" + suffix;
    ir::ComponentSpec cs;
    cs.executorLabel = execLabel;
    addInterface(cs.inputDefinitions, c.inputs, false);
    addInterface(cs.outputDefinitions, c.outputs, true);
    m_spec.components[compName] = cs;

    ir::Executor exec;
    irTask.cachingOptionsPresent = true;
    if (task.settings.caching)
        irTask.enableCache = true;
    if (c.kind == Component::Kind::Importer) {
        ir::ImporterExecutor imp;
        imp.typeSchema = {c.importer.type.schemaTitle, c.importer.type.schemaVersion};
        imp.reimport = c.importer.reimport;
        if (!c.importer.metadata.empty())
            imp.metadata = c.importer.metadata;
        if (c.importer.artifactUri.kind == Binding::Kind::Constant)
            imp.artifactUriConstant = c.importer.artifactUri.value;
        else
            imp.artifactUriRuntimeParameter = c.importer.artifactUri.name;
        exec.importer = imp;
    } else {
        ir::ContainerExecutor ce;
        ce.image = c.container.image;
        for (const CommandArg &a : c.container.command)
            ce.command.push_back(toKfpString(a, c));
        for (const CommandArg &a : c.container.args)
            ce.args.push_back(toKfpString(a, c));
        for (const EnvVar &e : c.container.env)
            ce.env.emplace_back(e.name, e.value);
        for (const EnvVar &e : task.settings.env)
            ce.env.emplace_back(e.name, e.value);
        auto r = lowerResources(task, ce.resources, irTask);
        if (!r.ok())
            return r.error();
        exec.container = ce;
    }
    m_spec.executors[execLabel] = exec;
    return lowerPlatform(task, execLabel, irTask);
}

Result<bool> GraphLowerer::lowerResources(const Task &task, ir::ContainerResources &res, ir::PipelineTask &irTask)
{
    const Resources &r = task.settings.resources;
    // KFP passes parameter-valued resources as extra task inputs named after the field.
    auto field = [&](const std::string &value, const char *inputName, std::string &out) -> Result<bool> {
        if (value.empty())
            return true;
        const std::optional<Binding> source = resourceSource(value);
        if (!source) {
            out = value;
            return true;
        }
        auto ref = refFor(*source, task.group, nullptr);
        if (!ref.ok())
            return ref.error();
        ir::InputParameter channel;
        // The SDK lists no dependentTasks for an output that only feeds a resource.
        bindParameter(*ref, task.group, nullptr, channel);
        irTask.inputs.parameters[ref->channel] = channel;
        out = ir::KfpPlaceholder::inputParameter(ref->channel).toString();
        irTask.inputs.parameters[inputName].runtimeValue = out;
        return true;
    };
    for (auto [value, name, out] : {std::tuple{&r.cpuLimit, "cpu_limit", &res.cpuLimit},
                                     std::tuple{&r.cpuRequest, "cpu_request", &res.cpuRequest},
                                     std::tuple{&r.memoryLimit, "memory_limit", &res.memoryLimit},
                                     std::tuple{&r.memoryRequest, "memory_request", &res.memoryRequest},
                                     std::tuple{&r.acceleratorType, "accelerator_type", &res.acceleratorType},
                                     std::tuple{&r.acceleratorCount, "accelerator_count", &res.acceleratorCount}}) {
        auto ok = field(*value, name, *out);
        if (!ok.ok())
            return ok.error();
    }
    // The SDK also writes the older numeric fields when values are constants.
    auto legacyNumber = [](const std::string &v, double (*convert)(const std::string &)) -> std::optional<double> {
        if (v.empty() || v.find("{{") != std::string::npos)
            return std::nullopt;
        return convert(v);
    };
    res.legacy.cpuLimit = legacyNumber(res.cpuLimit, cpuToCores);
    res.legacy.cpuRequest = legacyNumber(res.cpuRequest, cpuToCores);
    res.legacy.memoryLimit = legacyNumber(res.memoryLimit, memoryToGigabytes);
    res.legacy.memoryRequest = legacyNumber(res.memoryRequest, memoryToGigabytes);
    if (!res.acceleratorType.empty() && res.acceleratorType.find("{{") == std::string::npos
        && res.acceleratorCount.find("{{") == std::string::npos) {
        res.legacy.acceleratorType = res.acceleratorType;
        res.legacy.acceleratorCount = res.acceleratorCount;
    }
    return true;
}

Result<bool> GraphLowerer::lowerPlatform(const Task &task, const std::string &execLabel, ir::PipelineTask &irTask)
{
    const ExecutionSettings &s = task.settings;
    ir::K8sExecutorConfig k;
    auto param = [&](const Binding &b) -> Result<ir::InputParameter> {
        return bindingToParameter(b, task.group, &irTask);
    };

    const std::string poolName = s.nodePool.empty() ? m_pipeline.defaultNodePool : s.nodePool;
    if (!poolName.empty()) {
        const NodePool *pool = m_pipeline.nodePool(poolName);
        if (!pool)
            return Error{"task '" + task.id + "' uses unknown node pool '" + poolName + "'", {"", 0, 0, "nodePool", task.id}};
        k.nodeSelectorLabels = pool->nodeSelector;
        for (const Toleration &t : pool->tolerations)
            k.tolerations.push_back({t.key, t.op, t.value, t.effect, t.tolerationSeconds, std::nullopt});
    }
    for (const auto &[key, value] : s.nodeSelector)
        k.nodeSelectorLabels[key] = value;
    if (s.nodeSelectorJson) {
        auto p = param(*s.nodeSelectorJson);
        if (!p.ok())
            return p.error();
        k.nodeSelectorJson = *p;
    }
    for (const Toleration &t : s.tolerations)
        k.tolerations.push_back({t.key, t.op, t.value, t.effect, t.tolerationSeconds, std::nullopt});
    for (const Binding &b : s.tolerationJson) {
        auto p = param(b);
        if (!p.ok())
            return p.error();
        ir::K8sExecutorConfig::Toleration t;
        t.tolerationJson = *p;
        k.tolerations.push_back(t);
    }
    for (const Binding &b : s.nodeAffinityJson) {
        auto p = param(b);
        if (!p.ok())
            return p.error();
        k.nodeAffinityJson.push_back(*p);
    }
    auto objects = [&](const std::vector<ObjectRef> &refs, auto &asEnv, auto &asVolume) -> Result<bool> {
        for (const ObjectRef &o : refs) {
            ir::K8sExecutorConfig::SecretOrConfigMap m;
            if (o.nameIsLiteral && o.name.value.is_string())
                m.name = o.name.value.get<std::string>();
            if (o.name.isSet()) {
                auto p = param(o.name);
                if (!p.ok())
                    return p.error();
                m.nameParameter = *p;
            }
            m.optional = o.optional;
            if (!o.keyToEnv.empty()) {
                auto env = m;
                for (const KeyToEnv &ke : o.keyToEnv)
                    env.keyToEnv.emplace_back(ke.key, ke.envVar);
                asEnv.push_back(env);
            }
            if (!o.mountPath.empty()) {
                auto vol = m;
                vol.mountPath = o.mountPath;
                asVolume.push_back(vol);
            }
        }
        return true;
    };
    if (auto r = objects(s.secrets, k.secretAsEnv, k.secretAsVolume); !r.ok())
        return r.error();
    if (auto r = objects(s.configMaps, k.configMapAsEnv, k.configMapAsVolume); !r.ok())
        return r.error();
    for (const Binding &b : s.imagePullSecrets) {
        auto p = param(b);
        if (!p.ok())
            return p.error();
        ir::K8sExecutorConfig::ImagePullSecret secret;
        secret.secretNameParameter = *p;
        k.imagePullSecret.push_back(secret);
    }
    for (const FieldPathEnv &f : s.fieldPathEnv)
        k.fieldPathAsEnv.emplace_back(f.name, f.fieldPath);
    for (const PvcMount &v : s.volumes) {
        ir::K8sExecutorConfig::PvcMount m;
        m.mountPath = v.mountPath;
        auto p = param(v.claimName);
        if (!p.ok())
            return p.error();
        // kfp-kubernetes writes the older one-of field next to pvcNameParameter.
        if (!p->componentInputParameter.empty())
            m.legacyComponentInputParameter = p->componentInputParameter;
        else if (p->runtimeValue && p->runtimeValue->is_string())
            m.constant = p->runtimeValue->get<std::string>();
        m.pvcNameParameter = *p;
        k.pvcMount.push_back(m);
    }
    k.podLabels = s.podLabels;
    k.podAnnotations = s.podAnnotations;
    if (s.timeoutSeconds > 0)
        k.activeDeadlineSeconds = s.timeoutSeconds;
    if (!k.empty())
        m_spec.k8s[execLabel] = k;
    return true;
}

} // namespace pw
