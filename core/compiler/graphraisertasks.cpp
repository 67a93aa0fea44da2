// SPDX-License-Identifier: Apache-2.0
// GraphRaiser: tasks, their components, and execution settings.
#include "compiler/graphraiser.h"

#include "compiler/irnames.h"
#include "compiler/kfpplaceholders.h"

#include <set>

namespace pw {

namespace {

const std::set<std::string> kResourceInputs{"cpu_limit",   "cpu_request",      "memory_limit",
                                            "memory_request", "accelerator_type", "accelerator_count"};

// A KFP f-string constant: text that quotes pipeline channels the task
// receives alongside. nullopt for any other value.
Result<std::optional<ir::KfpArgument>> channelTemplate(const std::optional<ir::Json> &value)
{
    if (!value || !value->is_string() ||
        value->get_ref<const std::string &>().find(kChannelPrefix) == std::string::npos)
        return std::optional<ir::KfpArgument>();
    auto parsed = ir::KfpArgument::parseText(value->get_ref<const std::string &>());
    if (!parsed)
        return parsed.error();
    for (const ir::KfpSegment &s : parsed->segments) {
        if (s.isPlaceholder && s.placeholder.kind == ir::KfpPlaceholder::Kind::InputParameter &&
            s.placeholder.name.value.starts_with(kChannelPrefix))
            return std::optional<ir::KfpArgument>(std::move(parsed).value());
    }
    return std::optional<ir::KfpArgument>();
}

// The input a resource field reads, when it is exactly one input placeholder.
std::optional<std::string> resourceInput(const std::string &value)
{
    auto parsed = ir::KfpArgument::parseText(value);
    const ir::KfpPlaceholder *p = parsed ? parsed->singlePlaceholder() : nullptr;
    if (!p || p->kind != ir::KfpPlaceholder::Kind::InputParameter)
        return std::nullopt;
    return p->name.value;
}

} // namespace

Result<std::string> GraphRaiser::componentFor(const ir::PipelineTask &t, const std::string &key, Task &task)
{
    const std::string &compName = t.componentRef;
    auto it = m_spec.components.find(compName);
    if (it == m_spec.components.end())
        return error("task '" + key + "' refers to missing component '" + compName + "'", "componentRef");
    const std::string id = compName.rfind("comp-", 0) == 0 ? compName.substr(5) : compName;
    if (m_pipeline.components.count(id))
        return id;
    const ir::ComponentSpec &spec = it->second;
    Component c;
    c.name = id;
    c.description = spec.description;
    c.inputs = portsFromInterface(spec.inputDefinitions);
    c.outputs = portsFromInterface(spec.outputDefinitions);
    if (spec.dag) {
        c.kind = Component::Kind::Graph;
        m_pipeline.components[id] = c; // placeholder so recursion terminates
        GraphRaiser inner(m_spec, m_pipeline, m_fileName);
        auto g = inner.raise(spec, compName);
        if (!g.ok())
            return g.error();
        c.graph = std::make_shared<Graph>(std::move(*g));
        m_pipeline.components[id] = c;
        return id;
    }
    auto ex = m_spec.executors.find(spec.executorLabel);
    if (ex == m_spec.executors.end())
        return error("component '" + compName + "' names missing executor '" + spec.executorLabel + "'",
                     "components." + compName + ".executorLabel");
    if (ex->second.importer) {
        const auto &imp = *ex->second.importer;
        c.kind = Component::Kind::Importer;
        c.importer.type = PortType::artifact(imp.typeSchema.schemaTitle, imp.typeSchema.schemaVersion);
        c.importer.reimport = imp.reimport;
        if (imp.metadata.is_object())
            c.importer.metadata = imp.metadata;
        if (imp.artifactUriConstant)
            c.importer.artifactUri = Binding::constant(*imp.artifactUriConstant);
        else
            c.importer.artifactUri = Binding::parameter(imp.artifactUriRuntimeParameter);
    } else if (ex->second.container) {
        const auto &ce = *ex->second.container;
        c.container.image = ce.image;
        for (const auto *list : {&ce.command, &ce.args}) {
            auto &out = list == &ce.command ? c.container.command : c.container.args;
            for (const std::string &s : *list) {
                auto arg = fromKfpString(s);
                if (!arg.ok())
                    return error("executor '" + spec.executorLabel + "': " + arg.error().message,
                                 "deploymentSpec.executors." + spec.executorLabel);
                out.push_back(*arg);
            }
        }
        for (const auto &[name, value] : ce.env)
            task.settings.env.push_back(EnvVar{name, value});
    } else {
        return error("executor '" + spec.executorLabel + "' is neither a container nor an importer");
    }
    m_pipeline.components[id] = c;
    return id;
}

Result<bool> GraphRaiser::raiseTask(const std::string &key, const ir::PipelineTask &t, const std::string &scope,
                                    Graph &graph)
{
    Task task;
    task.id = key;
    task.group = scope;
    if (t.taskInfoName != key)
        task.displayName = t.taskInfoName;
    auto compId = componentFor(t, key, task);
    if (!compId.ok())
        return compId.error();
    task.component = *compId;
    const Component &c = m_pipeline.components.at(*compId);

    for (const auto &[name, p] : t.inputs.parameters) {
        if (!c.input(name)) {
            if (name.rfind(kChannelPrefix, 0) == 0 || kResourceInputs.count(name))
                continue; // carries a template or resource value; regenerated from those
            return error("task '" + key + "' passes '" + name + "', which its component does not declare",
                         "tasks." + key + ".inputs.parameters." + name);
        }
        auto fString = channelTemplate(p.runtimeValue);
        if (!fString.ok())
            return error("task '" + key + "' passes '" + name + "': " + fString.error().message,
                         "tasks." + key + ".inputs.parameters." + name);
        Result<Binding> b = *fString ? resolveTemplate(**fString, t, scope) : resolveParameter(p, scope);
        if (!b.ok())
            return b.error();
        task.arguments[name] = *b;
    }
    for (const auto &[name, a] : t.inputs.artifacts) {
        auto b = resolveArtifact(a, scope);
        if (!b.ok())
            return b.error();
        task.arguments[name] = *b;
    }

    ExecutionSettings &s = task.settings;
    s.caching = t.enableCache.value_or(false);
    if (t.retryPolicy) {
        s.retry.maxRetries = t.retryPolicy->maxRetryCount;
        s.retry.backoffDuration = t.retryPolicy->backoffDuration;
        s.retry.backoffFactor = t.retryPolicy->backoffFactor;
        s.retry.backoffMaxDuration = t.retryPolicy->backoffMaxDuration;
    }
    task.runAfterFailure = t.triggerStrategy == "ALL_UPSTREAM_TASKS_COMPLETED";

    const std::string execLabel = m_spec.components.at(t.componentRef).executorLabel;
    if (auto ex = m_spec.executors.find(execLabel); ex != m_spec.executors.end() && ex->second.container) {
        const auto &r = ex->second.container->resources;
        auto resource = [&](const std::string &value) -> Result<std::string> {
            auto name = resourceInput(value);
            if (!name)
                return value;
            auto input = t.inputs.parameters.find(*name);
            if (input == t.inputs.parameters.end())
                return error("resource of task '" + key + "' reads '" + *name +
                             "', which it does not receive");
            auto b = resolveParameter(input->second, scope);
            if (!b.ok())
                return b.error();
            if (b->kind == Binding::Kind::TaskOutput)
                return "{{task." + b->task + "." + b->name + "}}";
            if (b->kind != Binding::Kind::Parameter)
                return error("resource of task '" + key +
                             "' must come from a pipeline parameter or a task output");
            return "{{param." + b->name + "}}";
        };
        for (auto [in, out] : {std::pair{&r.cpuLimit, &s.resources.cpuLimit}, std::pair{&r.cpuRequest, &s.resources.cpuRequest},
                               std::pair{&r.memoryLimit, &s.resources.memoryLimit},
                               std::pair{&r.memoryRequest, &s.resources.memoryRequest},
                               std::pair{&r.acceleratorType, &s.resources.acceleratorType},
                               std::pair{&r.acceleratorCount, &s.resources.acceleratorCount}}) {
            auto v = resource(*in);
            if (!v.ok())
                return v.error();
            *out = *v;
        }
    }
    if (auto k = m_spec.k8s.find(execLabel); k != m_spec.k8s.end()) {
        auto r = raisePlatform(k->second, t, scope, s);
        if (!r.ok())
            return r.error();
    }
    graph.tasks.push_back(std::move(task));
    return true;
}

Result<bool> GraphRaiser::raisePlatform(const ir::K8sExecutorConfig &k, const ir::PipelineTask &t,
                                        const std::string &scope, ExecutionSettings &s)
{
    (void)t;
    auto param = [&](const ir::InputParameter &p) { return resolveParameter(p, scope); };
    s.nodeSelector = k.nodeSelectorLabels;
    if (k.nodeSelectorJson) {
        auto b = param(*k.nodeSelectorJson);
        if (!b.ok())
            return b.error();
        s.nodeSelectorJson = *b;
    }
    for (const auto &tol : k.tolerations) {
        if (tol.tolerationJson) {
            auto b = param(*tol.tolerationJson);
            if (!b.ok())
                return b.error();
            s.tolerationJson.push_back(*b);
        } else {
            s.tolerations.push_back(Toleration{tol.key, tol.op, tol.value, tol.effect, tol.tolerationSeconds});
        }
    }
    for (const auto &a : k.nodeAffinityJson) {
        auto b = param(a);
        if (!b.ok())
            return b.error();
        s.nodeAffinityJson.push_back(*b);
    }
    // Env and volume entries for the same object stay separate refs, so the
    // IR written back keeps one entry per original entry.
    auto objects = [&](const auto &list, ObjectRef::Source source, bool asEnv,
                       std::vector<ObjectRef> &out) -> Result<bool> {
        for (const auto &m : list) {
            ObjectRef o;
            o.source = source;
            if (m.nameParameter) {
                auto b = param(*m.nameParameter);
                if (!b.ok())
                    return b.error();
                o.name = *b;
                o.nameIsLiteral = !m.name.empty();
            } else {
                o.name = Binding::constant(m.name);
                o.nameIsLiteral = true;
            }
            o.optional = m.optional;
            if (asEnv)
                for (const auto &[key, env] : m.keyToEnv)
                    o.keyToEnv.push_back(KeyToEnv{key, env});
            else
                o.mountPath = m.mountPath;
            out.push_back(o);
        }
        return true;
    };
    for (auto [list, source, asEnv, out] :
         {std::tuple{&k.secretAsEnv, ObjectRef::Source::Secret, true, &s.secrets},
          std::tuple{&k.secretAsVolume, ObjectRef::Source::Secret, false, &s.secrets},
          std::tuple{&k.configMapAsEnv, ObjectRef::Source::ConfigMap, true, &s.configMaps},
          std::tuple{&k.configMapAsVolume, ObjectRef::Source::ConfigMap, false, &s.configMaps}}) {
        auto r = objects(*list, source, asEnv, *out);
        if (!r.ok())
            return r.error();
    }
    for (const auto &secret : k.imagePullSecret) {
        if (secret.secretNameParameter) {
            auto b = param(*secret.secretNameParameter);
            if (!b.ok())
                return b.error();
            s.imagePullSecrets.push_back(*b);
        } else {
            s.imagePullSecrets.push_back(Binding::constant(secret.secretName));
        }
    }
    for (const auto &[name, path] : k.fieldPathAsEnv)
        s.fieldPathEnv.push_back(FieldPathEnv{name, path});
    for (const auto &pvc : k.pvcMount) {
        PvcMount m;
        m.mountPath = pvc.mountPath;
        if (pvc.pvcNameParameter) {
            auto b = param(*pvc.pvcNameParameter);
            if (!b.ok())
                return b.error();
            m.claimName = *b;
        } else if (!pvc.legacyComponentInputParameter.empty()) {
            auto b = resolveChannel(pvc.legacyComponentInputParameter, scope, false);
            if (!b.ok())
                return b.error();
            m.claimName = *b;
        } else {
            m.claimName = Binding::constant(pvc.constant);
        }
        s.volumes.push_back(m);
    }
    s.podLabels = k.podLabels;
    s.podAnnotations = k.podAnnotations;
    s.timeoutSeconds = k.activeDeadlineSeconds.value_or(0);
    return true;
}

} // namespace pw
