// SPDX-License-Identifier: Apache-2.0
#include "validate/rules.h"
#include "validate/validationcontext.h"
#include "validate/validator.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

namespace pw {

namespace {

const PortSpec *findPort(const std::vector<PortSpec> &ports, std::string_view name)
{
    auto it = std::find_if(ports.begin(), ports.end(), [&](const PortSpec &p) { return p.name == name; });
    return it == ports.end() ? nullptr : &*it;
}

std::string portNames(const std::vector<PortSpec> &ports)
{
    if (ports.empty())
        return "none";
    std::string out;
    for (const PortSpec &p : ports)
        out += (out.empty() ? "" : ", ") + p.name;
    return out;
}

// Checks one graph; holds what every check of that graph needs.
class GraphChecker final {
public:
    GraphChecker(ValidationContext &ctx, const GraphScope &scope)
        : m_ctx(ctx), m_scope(scope), m_graph(*scope.graph), m_p(ctx.pipeline())
    {
        // Lookups by id happen for every binding: keep them off the task list.
        for (const Task &t : m_graph.tasks)
            m_tasks.emplace(t.id, &t);
        for (const Group &g : m_graph.groups)
            m_groups.emplace(g.id, &g);
    }

    void run()
    {
        checkNames();
        for (const Task &task : m_graph.tasks)
            checkTask(task);
        for (const Group &group : m_graph.groups)
            checkGroup(group);
        checkGraphOutputs();
        checkUnusedOutputs();
        checkCycles(m_ctx, m_scope);
    }

private:
    const Task *findTask(const std::string &id) const
    {
        auto it = m_tasks.find(id);
        return it == m_tasks.end() ? nullptr : it->second;
    }
    const Group *findGroup(const std::string &id) const
    {
        auto it = m_groups.find(id);
        return it == m_groups.end() ? nullptr : it->second;
    }

    std::string taskKey(const std::string &id) const { return m_scope.keyPrefix + "tasks." + id; }
    std::string groupKey(const std::string &id) const { return m_scope.keyPrefix + "groups." + id; }

    const Component *componentOf(const std::string &taskId) const
    {
        const Task *t = findTask(taskId);
        return t ? m_p.component(t->component) : nullptr;
    }

    // Tasks and groups share one namespace: both become DAG task names.
    void checkNames()
    {
        std::map<std::string, std::string> bySanitized; // sanitised name -> "task 'x'" / "group 'y'"
        std::map<std::string, std::string> byDisplay;
        auto claim = [&](const std::string &id, const std::string &kind, const std::string &key,
                         const std::string &taskId) {
            const std::string what = kind + " '" + id + "'";
            if (id.empty()) {
                m_ctx.error("A " + kind + " in " + m_scope.owner + " has an empty id",
                            m_ctx.locate(key, taskId));
                return;
            }
            const std::string sanitized = sanitizeK8sName(id);
            if (!isValidK8sName(id)) {
                m_ctx.error((kind == "task" ? "Task" : "Group") + std::string(" id '") + id +
                                "' is not a valid Kubernetes name" +
                                (sanitized.empty() ? std::string("; use lower-case letters, digits and '-'")
                                                   : "; rename it to '" + sanitized.substr(0, 63) + "'") +
                                " (lower-case letters, digits and '-', at most 63 characters)",
                            m_ctx.locate(key, taskId));
            }
            auto [it, inserted] = bySanitized.emplace(sanitized, what);
            if (!inserted) {
                const std::string message =
                    it->second == what ? "Two " + kind + "s have the id '" + id + "'; ids must be unique"
                                       : it->second + " and " + what + " both become '" + sanitized +
                                             "' in Kubernetes; rename one of them";
                m_ctx.error(message, m_ctx.locate(key, taskId));
            }
        };
        for (const Task &t : m_graph.tasks) {
            claim(t.id, "task", taskKey(t.id), t.id);
            if (t.displayName.empty())
                continue;
            auto [it, inserted] = byDisplay.emplace(t.displayName, t.id);
            if (!inserted)
                m_ctx.warning("Tasks '" + it->second + "' and '" + t.id + "' share the display name '" +
                                  t.displayName + "'; give them distinct names so runs can tell them apart",
                              m_ctx.locate(taskKey(t.id), t.id));
        }
        for (const Group &g : m_graph.groups)
            claim(g.id, "group", groupKey(g.id), {});
    }

    void checkTask(const Task &task)
    {
        const std::string key = taskKey(task.id);
        const std::string who = "Task '" + task.id + "'";
        if (!task.group.empty() && !findGroup(task.group))
            m_ctx.error(who + " is in group '" + task.group + "', which does not exist",
                        m_ctx.locate(key + ".group", task.id));
        // `after` names a task or a group (KFP's .after() on a loop or condition).
        for (const TaskId &up : task.after) {
            if (!findTask(up) && !findGroup(up))
                m_ctx.error(who + " runs after '" + up + "', which is not a task or group in " +
                                m_scope.owner,
                            m_ctx.locate(key + ".after", task.id));
            for (const Group *g : m_graph.groupChain(task.group))
                if (g->id == up)
                    m_ctx.error(who + " runs after group '" + up + "', which holds it",
                                m_ctx.locate(key + ".after", task.id));
        }
        if (!task.settings.nodePool.empty() && !m_p.nodePool(task.settings.nodePool))
            m_ctx.error(who + " uses node pool '" + task.settings.nodePool +
                            "', which is not defined under nodePools",
                        m_ctx.locate(key + ".nodePool", task.id));

        const Component *component = m_p.component(task.component);
        if (!component) {
            m_ctx.error(who + " uses component '" + task.component +
                            "', which is not defined under components",
                        m_ctx.locate(key + ".component", task.id));
        } else {
            for (const auto &[name, binding] : task.arguments) {
                const std::string argKey = key + ".arguments." + name;
                const PortSpec *port = component->input(name);
                if (!port) {
                    m_ctx.error(who + " sets input '" + name + "', but component '" + task.component +
                                    "' has no such input (inputs: " + portNames(component->inputs) + ")",
                                m_ctx.locate(argKey, task.id));
                    continue;
                }
                checkBinding(binding, &port->type, &task, argKey, who + " input '" + name + "'");
            }
            for (const PortSpec &port : component->inputs) {
                auto it = task.arguments.find(port.name);
                const bool bound = it != task.arguments.end() && it->second.isSet();
                if (!bound && !port.defaultValue && !port.optional)
                    m_ctx.error(who + " does not set required input '" + port.name + "' (" +
                                    port.type.displayName() +
                                    "); bind it to a value, a pipeline parameter or an upstream output",
                                m_ctx.locate(key, task.id));
            }
        }
        // Settings may reference parameters and outputs too (secret names, PVCs).
        forEachTaskBinding(task, key, [&](const Binding &b, const std::string &bindingKey) {
            if (bindingKey.find(".arguments.") == std::string::npos)
                checkBinding(b, nullptr, &task, bindingKey,
                             who + " setting '" + bindingKey.substr(key.size() + 1) + "'");
        });
        checkTaskSettings(m_ctx, m_scope, task);
    }

    // True when `producer` runs in a loop that does not also enclose the
    // consumer's group: the consumer then sees all iterations' values at once.
    bool isCollected(const Task &producer, const std::string &consumerGroup) const
    {
        const auto consumerChain = m_graph.groupChain(consumerGroup);
        for (const Group *g : m_graph.groupChain(producer.group)) {
            if (g->kind == Group::Kind::Loop &&
                std::find(consumerChain.begin(), consumerChain.end(), g) == consumerChain.end())
                return true;
        }
        return false;
    }

    // The type a binding delivers where it is read (the group it is evaluated
    // in), when that is known statically.
    std::optional<PortType> typeOf(const Binding &b, const std::string &consumerGroup) const
    {
        switch (b.kind) {
        case Binding::Kind::Parameter:
            if (const PortSpec *p = findPort(*m_scope.parameters, b.name))
                return p->type;
            return std::nullopt;
        case Binding::Kind::TaskOutput: {
            const Task *producer = findTask(b.task);
            const Component *c = producer ? m_p.component(producer->component) : nullptr;
            const PortSpec *p = c ? c->output(b.name) : nullptr;
            if (!p)
                return std::nullopt;
            PortType t = p->type;
            if (isCollected(*producer, consumerGroup)) {
                if (t.isArtifact())
                    t.isArtifactList = true;
                else
                    t = PortType::param(ParameterType::List);
            }
            return t;
        }
        case Binding::Kind::RunValue:
        case Binding::Kind::Template:
            return PortType::param(ParameterType::String);
        case Binding::Kind::TaskStatus:
            return PortType::param(ParameterType::TaskFinalStatus);
        default:
            return std::nullopt;
        }
    }

    std::string describe(const Binding &b) const
    {
        switch (b.kind) {
        case Binding::Kind::Parameter:
            return "parameter '" + b.name + "'";
        case Binding::Kind::TaskOutput:
            return "output '" + b.name + "' of task '" + b.task + "'";
        case Binding::Kind::RunValue:
            return "run value " + b.run.toSpec();
        case Binding::Kind::TaskStatus:
            return "the final status of '" + b.task + "'";
        case Binding::Kind::Template:
            return "the template";
        default:
            return "the value";
        }
    }

    // References first, then the type against `target` (null: untyped slot).
    // `contextGroup` is the group a group's own binding is evaluated in; task
    // bindings are evaluated in the task's group, graph outputs at the root.
    void checkBinding(const Binding &b, const PortType *target, const Task *task, const std::string &key,
                      const std::string &what, const std::string *contextGroup = nullptr)
    {
        const std::string &consumerGroup = contextGroup ? *contextGroup : task ? task->group : m_rootGroup;
        const std::string taskId = task ? task->id : std::string();
        const Location where = m_ctx.locate(key, taskId);
        switch (b.kind) {
        case Binding::Kind::None:
            return;
        case Binding::Kind::Constant:
            if (target) {
                const ConstantFit fit = constantFits(b.value, *target);
                if (!fit.reason.empty())
                    m_ctx.report(fit.severity, what + " cannot take " + b.value.dump() + ": " + fit.reason,
                                 where);
            }
            return;
        case Binding::Kind::Parameter:
            if (!findPort(*m_scope.parameters, b.name)) {
                m_ctx.error(what + " refers to parameter '" + b.name + "', which " + m_scope.owner +
                                " does not declare (parameters: " + portNames(*m_scope.parameters) + ")",
                            where);
                return;
            }
            break;
        case Binding::Kind::TaskOutput: {
            const Task *producer = findTask(b.task);
            if (!producer) {
                m_ctx.error(what + " takes an output of task '" + b.task + "', which is not a task in " +
                                m_scope.owner,
                            where);
                return;
            }
            const Component *c = m_p.component(producer->component);
            if (c && !c->output(b.name)) {
                m_ctx.error(what + " takes output '" + b.name + "' of task '" + b.task +
                                "', which has no such output (outputs: " + portNames(c->outputs) + ")",
                            where);
                return;
            }
            break;
        }
        case Binding::Kind::LoopItem: {
            const Group *loop = findGroup(b.group);
            if (!loop || loop->kind != Group::Kind::Loop) {
                m_ctx.error(what + " takes the item of loop '" + b.group +
                                "', which is not a loop group in " + m_scope.owner,
                            where);
                return;
            }
            if (task) {
                const auto chain = m_graph.groupChain(task->group);
                if (std::find(chain.begin(), chain.end(), loop) == chain.end())
                    m_ctx.error(what + " takes the item of loop '" + b.group +
                                    "', but the task is not inside that loop; move it into the loop group",
                                where);
            }
            return; // an item's type is only known at run time
        }
        case Binding::Kind::RunValue:
            if (!b.run.timeZone.empty() && !isKnownTimeZone(b.run.timeZone))
                m_ctx.error(what + " formats a run time in unknown time zone '" + b.run.timeZone +
                                "'; use an IANA name such as Asia/Tokyo or UTC",
                            where);
            if (const std::string bad = checkStrftimeFormat(b.run.format); !bad.empty())
                m_ctx.error(what + " has a bad date format '" + b.run.format + "': " + bad, where);
            break;
        case Binding::Kind::TaskStatus: {
            // The status is that of an exit handler's body, read by its exit task.
            const Group *handler = findGroup(b.task);
            if (!handler || handler->kind != Group::Kind::ExitHandler) {
                m_ctx.error(what + " takes the final status of '" + b.task +
                                "', which is not an exit handler group in " + m_scope.owner,
                            where);
                return;
            }
            if (task && handler->exitTask != task->id)
                m_ctx.error(what + " takes the final status of exit handler '" + b.task +
                                "', which only its exit task ('" + handler->exitTask + "') can read",
                            where);
            break;
        }
        case Binding::Kind::OneOf:
            if (b.options.empty())
                m_ctx.error(what + " picks one of no options; list at least one output", where);
            for (const Binding &option : b.options)
                checkBinding(option, target, task, key, what, contextGroup);
            return;
        case Binding::Kind::Template:
            for (const Binding &part : b.options)
                checkBinding(part, nullptr, task, key, what, contextGroup);
            break;
        }
        if (!target)
            return;
        const auto from = typeOf(b, consumerGroup);
        if (from && !isAssignable(*from, *target))
            m_ctx.error(what + " expects " + target->displayName() + ", but " + describe(b) + " is " +
                            from->displayName(),
                        where);
    }

    void checkCondition(const Group &g, const std::string &key)
    {
        static const std::set<std::string> ops = {"==", "!=", "<", "<=", ">", ">="};
        const Condition &c = *g.condition;
        const std::string what = "The condition of group '" + g.id + "'";
        if (!ops.count(c.op))
            m_ctx.error(what + " uses operator '" + c.op + "'; use one of == != < <= > >=",
                        m_ctx.locate(key + ".condition"));
        for (const Binding *side : {&c.lhs, &c.rhs}) {
            if (!side->isSet()) {
                m_ctx.error(what + " is missing an operand", m_ctx.locate(key + ".condition"));
                continue;
            }
            checkBinding(*side, nullptr, nullptr, key + ".condition", what, &g.id);
            if (const auto t = typeOf(*side, g.id); t && t->isArtifact())
                m_ctx.error(what + " compares " + describe(*side) +
                                ", an artifact; conditions compare parameter values",
                            m_ctx.locate(key + ".condition"));
        }
    }

    void checkLoop(const Group &g, const std::string &key)
    {
        const Binding &items = g.loop.items;
        const std::string what = "Loop '" + g.id + "'";
        const Location where = m_ctx.locate(key + ".loop", {});
        if (g.loop.parallelism < 0)
            m_ctx.error(what + " has negative parallelism; use 0 for unlimited", where);
        if (!items.isSet()) {
            m_ctx.error(what + " has nothing to iterate over; set loop.items", where);
            return;
        }
        checkBinding(items, nullptr, nullptr, key + ".loop", what + " items", &g.id);
        if (items.kind == Binding::Kind::Constant && !items.value.is_array()) {
            m_ctx.error(what + " iterates over " + items.value.dump() + ", which is not a list", where);
            return;
        }
        const auto type = typeOf(items, g.id);
        if (!type)
            return;
        if (type->isArtifact() && !type->isArtifactList)
            m_ctx.error(what + " iterates over " + describe(items) + ", an artifact that is not a list",
                        where);
        else if (type->isParameter() && type->parameter == ParameterType::String)
            m_ctx.warning(what + " iterates over " + describe(items) +
                              ", a String; it must hold a JSON list at run time (declare it as a List)",
                          where);
        else if (type->isParameter() && type->parameter != ParameterType::List)
            m_ctx.error(what + " iterates over " + describe(items) + " of type " + type->displayName() +
                            ", which is not a list",
                        where);
    }

    void checkGroup(const Group &g)
    {
        const std::string key = groupKey(g.id);
        const std::string who = "Group '" + g.id + "'";
        const Group *parent = g.parent.empty() ? nullptr : findGroup(g.parent);
        if (!g.parent.empty() && !parent)
            m_ctx.error(who + " is inside group '" + g.parent + "', which does not exist",
                        m_ctx.locate(key + ".parent"));
        const auto chain = m_graph.groupChain(g.id);
        if (!chain.empty() && !chain.back()->parent.empty() && findGroup(chain.back()->parent))
            m_ctx.error(who + " is nested inside itself through its parents; fix the `parent` chain",
                        m_ctx.locate(key + ".parent"));

        switch (g.kind) {
        case Group::Kind::Condition:
            if (g.condition)
                checkCondition(g, key);
            else if (!parent || parent->kind != Group::Kind::Branches)
                m_ctx.error(who +
                                " has no condition; only the else branch inside a branches group may omit it",
                            m_ctx.locate(key));
            break;
        case Group::Kind::Branches:
            for (const Group &child : m_graph.groups) {
                if (child.parent == g.id && child.kind != Group::Kind::Condition)
                    m_ctx.error("Group '" + child.id + "' sits directly in branches group '" + g.id +
                                    "'; a branches group holds only condition groups",
                                m_ctx.locate(groupKey(child.id)));
            }
            for (const Task &t : m_graph.tasks) {
                if (t.group == g.id)
                    m_ctx.error("Task '" + t.id + "' sits directly in branches group '" + g.id +
                                    "'; put it into one of its condition groups",
                                m_ctx.locate(taskKey(t.id), t.id));
            }
            break;
        case Group::Kind::Loop:
            checkLoop(g, key);
            break;
        case Group::Kind::ExitHandler: {
            if (g.exitTask.empty()) {
                m_ctx.error(who + " is an exit handler without an exit task; set exitTask",
                            m_ctx.locate(key));
                break;
            }
            const Task *exit = findTask(g.exitTask);
            if (!exit) {
                m_ctx.error(who + " runs exit task '" + g.exitTask + "', which is not a task in " +
                                m_scope.owner,
                            m_ctx.locate(key + ".exitTask"));
                break;
            }
            const auto exitChain = m_graph.groupChain(exit->group);
            if (std::find(exitChain.begin(), exitChain.end(), &g) != exitChain.end())
                m_ctx.error("Exit task '" + g.exitTask + "' is inside exit handler '" + g.id +
                                "' that it guards; move it out of the group",
                            m_ctx.locate(taskKey(exit->id), exit->id));
            break;
        }
        }
    }

    void checkGraphOutputs()
    {
        const std::string base =
            m_scope.keyPrefix.empty() ? std::string("outputValues") : m_scope.keyPrefix + "outputValues";
        for (const auto &[name, binding] : m_graph.outputs) {
            const PortSpec *declared = findPort(*m_scope.outputs, name);
            const std::string key = base + "." + name;
            if (!declared) {
                m_ctx.error("Output '" + name + "' of " + m_scope.owner +
                                " has a value but is not declared under outputs; declare it with its type",
                            m_ctx.locate(key));
                checkBinding(binding, nullptr, nullptr, key, "Output '" + name + "'");
                continue;
            }
            checkBinding(binding, &declared->type, nullptr, key, "Output '" + name + "'");
        }
        for (const PortSpec &port : *m_scope.outputs) {
            auto it = m_graph.outputs.find(port.name);
            if (it == m_graph.outputs.end() || !it->second.isSet()) {
                const std::string declKey =
                    (m_scope.keyPrefix.empty() ? std::string()
                                               : m_scope.keyPrefix.substr(0, m_scope.keyPrefix.size() - 6)) +
                    "outputs." + port.name;
                m_ctx.error("Output '" + port.name + "' of " + m_scope.owner +
                                " is declared but nothing produces it; bind it under outputValues",
                            m_ctx.locate(declKey));
            }
        }
    }

    void checkUnusedOutputs()
    {
        std::set<std::pair<std::string, std::string>> used;
        std::set<std::string> exporting; // tasks with an output that leaves the graph
        auto note = [&](const Binding &root, bool exported) {
            forEachBindingLeaf(root, [&](const Binding &b) {
                if (b.kind != Binding::Kind::TaskOutput)
                    return;
                used.emplace(b.task, b.name);
                if (exported)
                    exporting.insert(b.task);
            });
        };
        for (const Task &t : m_graph.tasks)
            forEachTaskBinding(t, {}, [&](const Binding &b, const std::string &) { note(b, false); });
        for (const Group &g : m_graph.groups) {
            if (g.condition) {
                note(g.condition->lhs, false);
                note(g.condition->rhs, false);
            }
            note(g.loop.items, false);
        }
        for (const auto &[name, b] : m_graph.outputs)
            note(b, true);

        // A task whose results all go nowhere is likely a forgotten connection.
        // Tasks that use some outputs often leave side outputs (row counts,
        // paths) unread on purpose, and metrics are read by the run view.
        for (const Task &t : m_graph.tasks) {
            const Component *c = m_p.component(t.component);
            if (!c || exporting.count(t.id))
                continue;
            std::vector<std::string> unused;
            bool anyUsed = false;
            for (const PortSpec &out : c->outputs) {
                if (used.count({t.id, out.name}) || isViewerOutput(out))
                    anyUsed = true;
                else
                    unused.push_back("'" + out.name + "'");
            }
            if (anyUsed || unused.empty())
                continue;
            const bool one = unused.size() == 1;
            std::string names;
            for (const std::string &n : unused)
                names += (names.empty() ? "" : ", ") + n;
            m_ctx.warning((one ? "Output " : "Outputs ") + names + " of task '" + t.id +
                              (one ? "' is never used; connect it" : "' are never used; connect one") +
                              " to a downstream input or export it as an output",
                          m_ctx.locate(taskKey(t.id), t.id));
        }
    }

    // Outputs that the run view and KFP's UI show, whether or not a task reads them.
    static bool isViewerOutput(const PortSpec &out)
    {
        static const std::set<std::string> kViewerTypes = {"system.Metrics", "system.ClassificationMetrics",
                                                           "system.SlicedClassificationMetrics", "system.HTML",
                                                           "system.Markdown"};
        return out.name == "mlpipeline_metrics" || out.name == "mlpipeline_ui_metadata" ||
               (out.type.isArtifact() && kViewerTypes.count(out.type.schemaTitle));
    }

    const std::string m_rootGroup; // graph outputs are read outside every group
    ValidationContext &m_ctx;
    const GraphScope &m_scope;
    const Graph &m_graph;
    const Pipeline &m_p;
    std::unordered_map<std::string, const Task *> m_tasks;
    std::unordered_map<std::string, const Group *> m_groups;
};

} // namespace

void checkGraph(ValidationContext &ctx, const GraphScope &scope)
{
    GraphChecker(ctx, scope).run();
}

} // namespace pw
