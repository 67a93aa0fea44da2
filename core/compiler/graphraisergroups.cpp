// SPDX-License-Identifier: Apache-2.0
// GraphRaiser: groups, trigger conditions and ordering edges.
#include "compiler/graphraiser.h"

#include "compiler/irnames.h"
#include "ir/celexpression.h"

#include <algorithm>

namespace pw {

namespace {

// KFP writes an elif or else branch as the negations of the branches before
// it and'ed with its own comparison: !(a) && !(b) && c. Parentheses around
// a conjunction change nothing, so they are looked through.
void conjuncts(const ir::CelExpression &e, std::vector<const ir::CelExpression *> &out)
{
    if (e.kind == ir::CelExpression::Kind::Group) {
        conjuncts(e.operands[0], out);
    } else if (e.kind == ir::CelExpression::Kind::And) {
        conjuncts(e.operands[0], out);
        conjuncts(e.operands[1], out);
    } else {
        out.push_back(&e);
    }
}

} // namespace

Result<std::optional<Condition>> GraphRaiser::parseCondition(const std::string &expr, const ir::PipelineTask &task,
                                                             const std::string &scope, int *negations)
{
    auto parsed = ir::CelExpression::parse(expr);
    if (!parsed)
        return error("cannot read trigger condition '" + expr + "': " + parsed.error().message);
    std::vector<const ir::CelExpression *> parts;
    conjuncts(*parsed, parts);
    std::optional<Condition> own;
    for (const ir::CelExpression *part : parts) {
        if (part->kind == ir::CelExpression::Kind::Not) {
            ++*negations;
            continue;
        }
        if (part->kind != ir::CelExpression::Kind::Compare)
            return error("cannot read trigger condition '" + expr + "'");
        // The compiler's int() and double() follow from the parameter's type.
        auto operand = [&](const ir::CelExpression &e) -> Result<Binding> {
            const ir::CelExpression &inner = e.unwrapCalls();
            if (inner.kind == ir::CelExpression::Kind::Literal)
                return Binding::constant(inner.value);
            if (inner.kind != ir::CelExpression::Kind::Parameter)
                return error("cannot read condition operand '" + e.toString() + "'");
            auto input = task.inputs.parameters.find(inner.text);
            if (input == task.inputs.parameters.end())
                return error("condition reads '" + inner.text + "', which the group does not receive");
            return resolveParameter(input->second, scope);
        };
        auto lhs = operand(part->operands[0]);
        if (!lhs.ok())
            return lhs.error();
        auto rhs = operand(part->operands[1]);
        if (!rhs.ok())
            return rhs.error();
        own = Condition{*lhs, part->text, *rhs};
    }
    return own;
}

Result<bool> GraphRaiser::raiseGroup(const std::string &id, Graph &graph)
{
    const Scope &s = m_scopes.at(id);
    const ir::PipelineTask &t = *s.task;
    Group g;
    g.id = id;
    g.parent = s.parent;
    if (t.taskInfoName != id)
        g.displayName = t.taskInfoName;

    if (t.artifactIterator) {
        g.kind = Group::Kind::Loop;
        const auto &it = *t.artifactIterator;
        auto list = t.inputs.artifacts.find(it.inputArtifact);
        if (list == t.inputs.artifacts.end())
            return error("loop '" + id + "' iterates over '" + it.inputArtifact +
                         "', which it does not receive");
        auto items = resolveArtifact(list->second, s.parent);
        if (!items.ok())
            return items.error();
        g.loop.items = *items;
        g.loop.parallelism = t.iteratorParallelism.value_or(0);
    } else if (t.parameterIterator) {
        g.kind = Group::Kind::Loop;
        const auto &it = *t.parameterIterator;
        if (it.raw) {
            auto items = nlohmann::json::parse(*it.raw, nullptr, false);
            if (items.is_discarded() || !items.is_array())
                return error("loop '" + id + "' has items.raw that is not a JSON list", "root");
            g.loop.items = Binding::constant(items);
            const std::string name = it.itemInput.rfind(kChannelPrefix, 0) == 0 ? it.itemInput.substr(kChannelPrefix.size())
                                                                                : it.itemInput;
            if (name != defaultLoopItemName(id))
                g.loop.itemName = name;
        } else {
            auto list = t.inputs.parameters.find(it.inputParameter);
            if (list == t.inputs.parameters.end())
                return error("loop '" + id + "' iterates over '" + it.inputParameter + "', which it does not receive");
            auto items = resolveParameter(list->second, s.parent);
            if (!items.ok())
                return items.error();
            g.loop.items = *items;
        }
        auto item = s.comp->inputDefinitions.parameters.find(it.itemInput);
        if (item != s.comp->inputDefinitions.parameters.end()) {
            const ParameterType declared = portTypeFromParameter(item->second).parameter;
            const ParameterType inferred = it.raw ? inferItemType(g.loop.items.value) : ParameterType::String;
            if (declared != inferred)
                g.loop.itemType = declared;
        }
        g.loop.parallelism = t.iteratorParallelism.value_or(0);
    } else if (!t.triggerCondition.empty()) {
        g.kind = Group::Kind::Condition;
        int negations = 0;
        auto c = parseCondition(t.triggerCondition, t, s.parent, &negations);
        if (!c.ok())
            return c.error();
        g.condition = *c;
        g.order = negations;
    } else if (id.rfind("condition-branches-", 0) == 0) {
        g.kind = Group::Kind::Branches;
    } else if (id.rfind("exit-handler-", 0) == 0) {
        g.kind = Group::Kind::ExitHandler;
        for (const auto &[key, task] : m_irTasks)
            if (m_taskScope[key] == s.parent && task->triggerStrategy == "ALL_UPSTREAM_TASKS_COMPLETED"
                && std::count(task->dependentTasks.begin(), task->dependentTasks.end(), id))
                g.exitTask = key;
    } else {
        g.kind = Group::Kind::Condition; // an `else` branch: no condition of its own
        const Scope *parent = s.parent.empty() ? nullptr : &m_scopes.at(s.parent);
        if (!parent || parent->task->componentRef.find("condition-branches-") == std::string::npos)
            return error("group '" + id + "' has neither a condition nor a loop");
        int negations = 0;
        auto c = parseCondition(t.triggerCondition, t, s.parent, &negations);
        g.order = negations;
    }
    graph.groups.push_back(std::move(g));
    return true;
}

Result<bool> GraphRaiser::raiseDependencies(Graph &graph)
{
    // Dependencies that data edges or exit handlers explain are derived again
    // by the compiler; only the rest become explicit `after` edges.
    auto explained = [&](const ir::PipelineTask &t, const std::string &dep) {
        for (const auto &[_, p] : t.inputs.parameters)
            if ((p.taskOutputParameter && p.taskOutputParameter->producerTask == dep)
                || (p.taskFinalStatus && *p.taskFinalStatus == dep))
                return true;
        for (const auto &[_, a] : t.inputs.artifacts)
            if (a.taskOutputArtifact && a.taskOutputArtifact->producerTask == dep)
                return true;
        return false;
    };
    auto isExitLink = [&](const std::string &task, const std::string &dep) {
        const Group *g = graph.group(dep);
        return g && g->kind == Group::Kind::ExitHandler && g->exitTask == task;
    };
    auto firstTaskIn = [&](const std::string &group) -> Task * {
        for (Task &t : graph.tasks)
            for (const Group *g : graph.groupChain(t.group))
                if (g->id == group)
                    return &t;
        return nullptr;
    };
    for (const auto &[key, t] : m_irTasks) {
        Task *task = graph.task(key);
        for (const std::string &dep : t->dependentTasks)
            if (!explained(*t, dep) && !isExitLink(key, dep))
                task->after.push_back(dep);
        if (task->runAfterFailure)
            for (const Group &g : graph.groups)
                if (g.kind == Group::Kind::ExitHandler && g.exitTask == key)
                    task->runAfterFailure = false;
    }
    for (const auto &[id, s] : m_scopes)
        for (const std::string &dep : s.task->dependentTasks)
            if (!explained(*s.task, dep)) {
                Task *inner = firstTaskIn(id);
                if (!inner)
                    return error("group '" + id + "' depends on '" + dep + "' but holds no task");
                inner->after.push_back(dep);
            }
    return true;
}

} // namespace pw
