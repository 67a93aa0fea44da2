// SPDX-License-Identifier: Apache-2.0
#include "compiler/graphraiser.h"

#include "compiler/irnames.h"

#include <algorithm>
#include <regex>

namespace pw {

PortType portTypeFromParameter(const ir::ParameterSpec &p)
{
    return PortType::param(parameterTypeFromIr(p.parameterType).value_or(ParameterType::String));
}

PortType portTypeFromArtifact(const ir::ArtifactSpec &a)
{
    PortType t = PortType::artifact(a.artifactType.schemaTitle, a.artifactType.schemaVersion);
    t.isArtifactList = a.isArtifactList;
    return t;
}

std::vector<PortSpec> portsFromInterface(const ir::InterfaceDefinitions &defs)
{
    std::vector<PortSpec> ports;
    for (const auto &[name, p] : defs.parameters)
        ports.push_back(PortSpec{name, portTypeFromParameter(p), p.description, p.defaultValue, p.isOptional});
    for (const auto &[name, a] : defs.artifacts)
        ports.push_back(PortSpec{name, portTypeFromArtifact(a), a.description, std::nullopt, a.isOptional});
    return ports;
}

GraphRaiser::GraphRaiser(const ir::PipelineSpec &spec, Pipeline &pipeline, const std::string &fileName)
    : m_spec(spec), m_pipeline(pipeline), m_fileName(fileName)
{
}

Error GraphRaiser::error(const std::string &message, const std::string &field) const
{
    Location where;
    where.file = m_fileName;
    where.field = field;
    return Error{message, where};
}

bool GraphRaiser::isGroupTask(const std::string &key, const ir::PipelineTask &task) const
{
    static const std::regex groupName("^(condition|condition-branches|for-loop|exit-handler)-[0-9]+$");
    const bool loop = task.parameterIterator || task.artifactIterator;
    if (task.componentRef != "comp-" + key && !loop)
        return false;
    auto it = m_spec.components.find(task.componentRef);
    if (it == m_spec.components.end() || !it->second.dag)
        return false;
    return loop || !task.triggerCondition.empty() || std::regex_match(key, groupName);
}

Result<bool> GraphRaiser::collectScopes(const ir::Dag &dag, const std::string &scope)
{
    for (const auto &[key, task] : dag.tasks) {
        if (m_irTasks.count(key) || m_scopes.count(key))
            return error("task name '" + key + "' is used twice in one pipeline", "components." + m_componentName);
        if (isGroupTask(key, task)) {
            const ir::ComponentSpec &comp = m_spec.components.at(task.componentRef);
            m_scopes[key] = Scope{scope, &comp, &task};
            auto r = collectScopes(*comp.dag, key);
            if (!r.ok())
                return r;
        } else {
            m_taskScope[key] = scope;
            m_irTasks[key] = &task;
        }
    }
    return true;
}

// ---- values ------------------------------------------------------------------

Result<Binding> GraphRaiser::traceOutput(const std::string &producer, const std::string &key,
                                         const std::string &scope, bool artifact)
{
    auto sc = m_scopes.find(producer);
    if (sc == m_scopes.end())
        return Binding::taskOutput(producer, key);
    const ir::Dag &dag = *sc->second.comp->dag;
    if (artifact) {
        auto it = dag.outputArtifacts.find(key);
        if (it == dag.outputArtifacts.end() || it->second.artifactSelectors.empty())
            return error("group '" + producer + "' has no output artifact '" + key + "'");
        return traceArtifactSelectors(it->second.artifactSelectors, producer);
    }
    auto it = dag.outputParameters.find(key);
    if (it == dag.outputParameters.end())
        return error("group '" + producer + "' has no output parameter '" + key + "'");
    if (it->second.valueFromParameter) {
        const auto &sel = *it->second.valueFromParameter;
        return traceOutput(sel.producerSubtask, sel.outputParameterKey, producer, false);
    }
    Binding oneOf;
    oneOf.kind = Binding::Kind::OneOf;
    for (const auto &sel : it->second.valueFromOneof) {
        auto option = traceOutput(sel.producerSubtask, sel.outputParameterKey, producer, false);
        if (!option.ok())
            return option;
        oneOf.options.push_back(*option);
    }
    (void)scope;
    return oneOf;
}

// One selector is the artifact it names; several (an if/elif/else's dsl.OneOf)
// are the first of them that was produced.
Result<Binding>
GraphRaiser::traceArtifactSelectors(const std::vector<ir::DagOutputArtifact::Selector> &selectors,
                                    const std::string &scope)
{
    if (selectors.size() == 1)
        return traceOutput(selectors.front().producerSubtask, selectors.front().outputArtifactKey, scope,
                           true);
    Binding oneOf;
    oneOf.kind = Binding::Kind::OneOf;
    for (const auto &sel : selectors) {
        auto option = traceOutput(sel.producerSubtask, sel.outputArtifactKey, scope, true);
        if (!option.ok())
            return option;
        oneOf.options.push_back(*option);
    }
    return oneOf;
}

Result<Binding> GraphRaiser::resolveChannel(const std::string &name, const std::string &scope, bool artifact)
{
    if (scope.empty())
        return Binding::parameter(name);
    const Scope &s = m_scopes.at(scope);
    if ((s.task->parameterIterator && s.task->parameterIterator->itemInput == name) ||
        (s.task->artifactIterator && s.task->artifactIterator->itemInput == name))
        return Binding::loopItem(scope);
    if (artifact) {
        auto it = s.task->inputs.artifacts.find(name);
        if (it == s.task->inputs.artifacts.end())
            return error("group '" + scope + "' has no input artifact '" + name + "'");
        return resolveArtifact(it->second, s.parent);
    }
    auto it = s.task->inputs.parameters.find(name);
    if (it == s.task->inputs.parameters.end())
        return error("group '" + scope + "' has no input parameter '" + name + "'");
    return resolveParameter(it->second, s.parent);
}

Result<Binding> GraphRaiser::resolveParameter(const ir::InputParameter &p, const std::string &scope)
{
    if (p.taskOutputParameter)
        return traceOutput(p.taskOutputParameter->producerTask, p.taskOutputParameter->outputParameterKey, scope,
                           false);
    if (p.taskFinalStatus)
        return Binding::taskStatus(*p.taskFinalStatus);
    if (!p.componentInputParameter.empty()) {
        auto b = resolveChannel(p.componentInputParameter, scope, false);
        if (!b.ok() || p.parameterExpressionSelector.empty())
            return b;
        static const std::regex field(R"re(^parseJson\(string_value\)\["([^"]*)"\]$)re");
        std::smatch m;
        if (b->kind != Binding::Kind::LoopItem || !std::regex_match(p.parameterExpressionSelector, m, field))
            return error("unsupported parameterExpressionSelector '" + p.parameterExpressionSelector + "'");
        b->field = m[1];
        return b;
    }
    if (p.runtimeValue) {
        if (p.runtimeValue->is_string())
            if (auto rv = runValueFromPlaceholder(p.runtimeValue->get<std::string>()))
                return Binding::runValue(*rv);
        return Binding::constant(*p.runtimeValue);
    }
    return Binding{};
}

Result<Binding> GraphRaiser::resolveArtifact(const ir::InputArtifact &a, const std::string &scope)
{
    if (a.taskOutputArtifact)
        return traceOutput(a.taskOutputArtifact->producerTask, a.taskOutputArtifact->outputArtifactKey, scope, true);
    if (!a.componentInputArtifact.empty())
        return resolveChannel(a.componentInputArtifact, scope, true);
    return Binding{};
}

// "x-{{$.inputs.parameters['pipelinechannel--p']}}-y" -> Template [x-, param p, -y]
Result<Binding> GraphRaiser::resolveTemplate(const ir::KfpArgument &text, const ir::PipelineTask &task,
                                             const std::string &scope)
{
    Binding tmpl;
    tmpl.kind = Binding::Kind::Template;
    // Text, and placeholders that stand for no input or run value, join into
    // one constant per run of text.
    std::string pending;
    auto flushText = [&] {
        if (!pending.empty())
            tmpl.options.push_back(Binding::constant(pending));
        pending.clear();
    };
    for (const ir::KfpSegment &s : text.segments) {
        if (!s.isPlaceholder) {
            pending += s.text;
            continue;
        }
        if (s.placeholder.kind == ir::KfpPlaceholder::Kind::InputParameter) {
            const std::string &name = s.placeholder.name.value;
            auto input = task.inputs.parameters.find(name);
            if (input == task.inputs.parameters.end())
                return error("placeholder names '" + name + "', which the task does not receive");
            auto b = resolveParameter(input->second, scope);
            if (!b.ok())
                return b;
            flushText();
            tmpl.options.push_back(*b);
        } else if (auto rv = runValueFromPlaceholder(s.placeholder)) {
            flushText();
            tmpl.options.push_back(Binding::runValue(*rv));
        } else {
            pending += s.placeholder.toString();
        }
    }
    flushText();
    return tmpl;
}

// ---- graph -------------------------------------------------------------------

Result<Graph> GraphRaiser::raise(const ir::ComponentSpec &component, const std::string &componentName)
{
    m_componentName = componentName;
    Graph graph;
    if (!component.dag)
        return graph;
    auto collected = collectScopes(*component.dag, {});
    if (!collected.ok())
        return collected.error();
    for (const auto &[id, scope] : m_scopes) {
        auto r = raiseGroup(id, graph);
        if (!r.ok())
            return r.error();
    }
    for (const auto &[key, scope] : m_taskScope) {
        auto r = raiseTask(key, *m_irTasks.at(key), scope, graph);
        if (!r.ok())
            return r.error();
    }
    for (const auto &[name, out] : component.dag->outputParameters) {
        Result<Binding> b = Binding{};
        if (out.valueFromParameter) {
            b = traceOutput(out.valueFromParameter->producerSubtask, out.valueFromParameter->outputParameterKey, {}, false);
        } else {
            Binding oneOf;
            oneOf.kind = Binding::Kind::OneOf;
            for (const auto &sel : out.valueFromOneof) {
                auto option = traceOutput(sel.producerSubtask, sel.outputParameterKey, {}, false);
                if (!option.ok())
                    return option.error();
                oneOf.options.push_back(*option);
            }
            b = oneOf;
        }
        if (!b.ok())
            return b.error();
        graph.outputs[name] = *b;
    }
    for (const auto &[name, out] : component.dag->outputArtifacts) {
        if (out.artifactSelectors.empty())
            continue;
        auto b = traceArtifactSelectors(out.artifactSelectors, {});
        if (!b.ok())
            return b.error();
        graph.outputs[name] = *b;
    }
    auto deps = raiseDependencies(graph);
    if (!deps.ok())
        return deps.error();
    return graph;
}

} // namespace pw
