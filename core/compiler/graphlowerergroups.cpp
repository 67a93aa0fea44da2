// SPDX-License-Identifier: Apache-2.0
// GraphLowerer: the driver, groups (conditions, loops, exit handlers),
// graph outputs and ordering edges.
#include "compiler/graphlowerer.h"

#include "compiler/irnames.h"
#include "util/pyjson.h"

#include <algorithm>

namespace pw {

Result<ir::ComponentSpec> GraphLowerer::lower()
{
    for (const PortSpec &p : m_inputs) {
        if (p.type.isArtifact()) {
            ir::ArtifactSpec a = artifactSpec(p.type);
            a.isOptional = p.optional;
            a.description = p.description;
            m_root.inputDefinitions.artifacts[p.name] = a;
        } else {
            ir::ParameterSpec s = parameterSpec(p.type);
            s.defaultValue = p.defaultValue;
            s.isOptional = p.optional || p.defaultValue.has_value();
            s.description = p.description;
            m_root.inputDefinitions.parameters[p.name] = s;
        }
    }
    m_root.dag.emplace();

    // Every group gets its component and its task first, so that values can
    // be routed through any of them afterwards.
    for (const Group &g : m_graph.groups) {
        m_groupComponent[g.id] = m_namer.allocate("comp-" + g.id);
        m_spec.components[m_groupComponent[g.id]].dag.emplace();
    }
    for (const Group &g : m_graph.groups) {
        if (!g.parent.empty() && !m_graph.group(g.parent))
            return Error{"group '" + g.id + "' has unknown parent '" + g.parent + "'", {"", 0, 0, "groups." + g.id, ""}};
        ir::PipelineTask &t = *irTaskFor(g.id, g.parent);
        t.componentRef = m_groupComponent[g.id];
        t.taskInfoName = g.displayName.empty() ? g.id : g.displayName;
    }
    for (const Task &t : m_graph.tasks) {
        if (!t.group.empty() && !m_graph.group(t.group))
            return Error{"task '" + t.id + "' is in unknown group '" + t.group + "'", {"", 0, 0, "group", t.id}};
    }
    for (const Group &g : m_graph.groups) {
        auto r = lowerGroup(g);
        if (!r.ok())
            return r.error();
    }
    for (const Task &t : m_graph.tasks) {
        auto r = lowerTask(t);
        if (!r.ok())
            return r.error();
    }
    auto out = lowerOutputs();
    if (!out.ok())
        return out.error();
    addDependencies();
    return m_root;
}

Result<bool> GraphLowerer::lowerGroup(const Group &group)
{
    ir::PipelineTask &task = *irTaskFor(group.id, group.parent);
    switch (group.kind) {
    case Group::Kind::Condition: {
        auto expr = conditionExpression(group);
        if (!expr.ok())
            return expr.error();
        task.triggerCondition = *expr;
        // KFP also hands a nested condition the operands of every enclosing condition.
        for (const Group *outer : m_graph.groupChain(group.parent)) {
            if (outer->kind != Group::Kind::Condition || !outer->condition)
                continue;
            for (const Binding *operand : {&outer->condition->lhs, &outer->condition->rhs}) {
                if (operand->kind == Binding::Kind::Constant)
                    continue;
                auto ref = refFor(*operand, group.id, nullptr);
                if (!ref.ok())
                    return ref.error();
                ir::InputParameter unused;
                bindParameter(*ref, group.id, nullptr, unused);
            }
        }
        break;
    }
    case Group::Kind::Loop: {
        const Binding &items = group.loop.items;
        auto item = loopItemInput(group);
        if (!item.ok())
            return item.error();
        ir::ParameterIterator it;
        it.itemInput = item->first;
        if (item->second.isArtifact()) {
            // A loop over a list of artifacts (KFP's ParallelFor over an Output[List[...]]).
            auto ref = refFor(items, group.parent, nullptr);
            if (!ref.ok())
                return ref.error();
            ir::InputArtifact unused;
            bindArtifact(*ref, group.id, nullptr, unused);
            componentOf(group.id).inputDefinitions.artifacts[item->first] = artifactSpec(item->second);
            task.artifactIterator = ir::ArtifactIterator{item->first, ref->channel};
            if (group.loop.parallelism > 0)
                task.iteratorParallelism = group.loop.parallelism;
            break;
        }
        if (items.kind == Binding::Kind::Constant) {
            if (!items.value.is_array())
                return Error{"loop '" + group.id + "' iterates over a constant that is not a list", {"", 0, 0, "groups." + group.id, ""}};
            it.raw = pythonJsonDumps(items.value);
        } else {
            std::string selector;
            auto ref = refFor(items, group.parent, &selector);
            if (!ref.ok())
                return ref.error();
            ir::InputParameter unused;
            bindParameter(*ref, group.id, nullptr, unused);
            it.inputParameter = ref->channel;
            if (!selector.empty()) {
                // Over a field of an outer loop's item: KFP hands the loop that
                // field as its own "-subvar-" input, besides the whole item.
                it.inputParameter = loopListChannel(items, *ref);
                ir::InputParameter field = task.inputs.parameters[ref->channel];
                field.parameterExpressionSelector = selector;
                task.inputs.parameters[it.inputParameter] = field;
                componentOf(group.id).inputDefinitions.parameters[it.inputParameter] =
                    parameterSpec(PortType::param(ParameterType::String));
            }
        }
        componentOf(group.id).inputDefinitions.parameters[it.itemInput] = parameterSpec(item->second);
        task.parameterIterator = it;
        if (group.loop.parallelism > 0)
            task.iteratorParallelism = group.loop.parallelism;
        break;
    }
    case Group::Kind::ExitHandler:
    case Group::Kind::Branches: break;
    }
    return true;
}

Result<ir::CelExpression> GraphLowerer::comparison(const Condition &c, const Group &group)
{
    auto operand = [&](const Binding &b) -> Result<ir::CelExpression> {
        if (b.kind == Binding::Kind::Constant)
            return ir::CelExpression::literal(b.value);
        auto ref = refFor(b, group.id, nullptr);
        if (!ref.ok())
            return ref.error();
        if (ref->type.isArtifact())
            return Error{"conditions compare parameters, not artifacts", {"", 0, 0, "groups." + group.id, ""}};
        ir::InputParameter p;
        bindParameter(*ref, group.id, nullptr, p);
        auto value = ir::CelExpression::parameter(p.componentInputParameter);
        switch (ref->type.parameter) {
        case ParameterType::Integer:
            return ir::CelExpression::call("int", std::move(value));
        case ParameterType::Double:
            return ir::CelExpression::call("double", std::move(value));
        default:
            return value;
        }
    };
    auto lhs = operand(c.lhs);
    if (!lhs.ok())
        return lhs.error();
    auto rhs = operand(c.rhs);
    if (!rhs.ok())
        return rhs.error();
    return ir::CelExpression::compare(std::move(lhs).value(), c.op, std::move(rhs).value());
}

Result<std::string> GraphLowerer::conditionExpression(const Group &group)
{
    std::vector<ir::CelExpression> parts;
    const Group *parent = m_graph.group(group.parent);
    if (parent && parent->kind == Group::Kind::Branches) {
        // elif/else: every earlier branch must have been false.
        std::vector<const Group *> earlier;
        for (const Group &g : m_graph.groups)
            if (g.parent == parent->id && g.kind == Group::Kind::Condition && g.order < group.order && g.condition)
                earlier.push_back(&g);
        std::sort(earlier.begin(), earlier.end(), [](const Group *a, const Group *b) { return a->order < b->order; });
        for (const Group *g : earlier) {
            auto e = comparison(*g->condition, group);
            if (!e.ok())
                return e.error();
            parts.push_back(ir::CelExpression::negation(std::move(e).value()));
        }
    }
    if (group.condition) {
        auto e = comparison(*group.condition, group);
        if (!e.ok())
            return e.error();
        parts.push_back(std::move(e).value());
    }
    if (parts.empty())
        return Error{"condition group '" + group.id + "' has no condition", {"", 0, 0, "groups." + group.id, ""}};
    ir::CelExpression expr = std::move(parts.front());
    for (std::size_t i = 1; i < parts.size(); ++i)
        expr = ir::CelExpression::conjunction(std::move(expr), std::move(parts[i]));
    return expr.toString();
}

Result<bool> GraphLowerer::lowerOutputs()
{
    auto &outDefs = m_root.outputDefinitions;
    for (const PortSpec &p : m_outputs) {
        if (p.type.isArtifact()) {
            outDefs.artifacts[p.name] = artifactSpec(p.type);
            outDefs.artifacts[p.name].description = p.description;
        } else {
            outDefs.parameters[p.name] = parameterSpec(p.type);
            outDefs.parameters[p.name].description = p.description;
        }
    }
    for (const auto &[name, binding] : m_graph.outputs) {
        auto ref = refFor(binding, {}, nullptr);
        if (!ref.ok())
            return Error{"output '" + name + "': " + ref.error().message, {"", 0, 0, "outputs." + name, ""}};
        if (ref->kind != ValueRef::Kind::TaskOutput)
            return Error{"output '" + name + "' must come from a task", {"", 0, 0, "outputs." + name, ""}};
        ValueRef r = ref->home.empty() ? *ref : exposeUpward(*ref, {});
        if (r.type.isArtifact()) {
            m_root.dag->outputArtifacts[name].artifactSelectors = {{r.producer, r.name}};
        } else {
            ir::DagOutputParameter o;
            o.valueFromParameter = ir::DagOutputParameter::Selector{r.producer, r.name};
            m_root.dag->outputParameters[name] = o;
        }
    }
    return true;
}

void GraphLowerer::addDependencies()
{
    auto link = [&](const std::string &consumer, const std::string &producer) {
        const std::string a = m_scopes.commonAncestor(scopeOfEntity(consumer), scopeOfEntity(producer));
        const std::string c = entityAt(a, consumer);
        const std::string p = entityAt(a, producer);
        if (c != p)
            addDependency(*irTaskFor(c, a), p);
    };
    for (const Task &t : m_graph.tasks)
        for (const TaskId &before : t.after)
            link(t.id, before);
    for (const Group &g : m_graph.groups) {
        if (g.kind != Group::Kind::ExitHandler || g.exitTask.empty())
            continue;
        link(g.exitTask, g.id);
        if (const Task *exitTask = findTask(g.exitTask))
            irTaskFor(exitTask->id, exitTask->group)->triggerStrategy = "ALL_UPSTREAM_TASKS_COMPLETED";
    }
}

} // namespace pw
