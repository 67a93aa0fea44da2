// SPDX-License-Identifier: Apache-2.0
#include "compiler/graphlowerer.h"

#include "compiler/irnames.h"
#include "ir/kfpplaceholder.h"
#include "util/pyjson.h"

#include <algorithm>
#include <type_traits>

namespace pw {

std::string ComponentNamer::allocate(const std::string &base)
{
    std::string name = base;
    if (m_used.count(name)) {
        int &n = m_nextSuffix.try_emplace(base, 2).first->second;
        do
            name = base + "-" + std::to_string(n++);
        while (m_used.count(name));
    }
    m_used.insert(name);
    return name;
}

GraphLowerer::GraphLowerer(const Pipeline &pipeline, const Graph &graph, const std::vector<PortSpec> &inputs,
                           const std::vector<PortSpec> &outputs, ir::PipelineSpec &spec, ComponentNamer &namer,
                           SubGraphLowering lowerSubGraph, const LowerOptions &options)
    : m_pipeline(pipeline), m_graph(graph), m_inputs(inputs), m_outputs(outputs), m_spec(spec), m_namer(namer),
      m_lowerSubGraph(std::move(lowerSubGraph)), m_options(options), m_scopes(graph)
{
    m_tasksById.reserve(graph.tasks.size());
    for (const Task &t : graph.tasks)
        m_tasksById.emplace(t.id, &t);
}

const Task *GraphLowerer::findTask(const std::string &id) const
{
    auto it = m_tasksById.find(id);
    return it == m_tasksById.end() ? nullptr : it->second;
}

// ---- structure -------------------------------------------------------------

ir::ComponentSpec &GraphLowerer::componentOf(const std::string &scope)
{
    if (scope.empty())
        return m_root;
    return m_spec.components[m_groupComponent.at(scope)];
}

ir::Dag &GraphLowerer::dagOf(const std::string &scope)
{
    auto &c = componentOf(scope);
    if (!c.dag)
        c.dag.emplace();
    return *c.dag;
}

ir::PipelineTask *GraphLowerer::irTaskFor(const std::string &entity, const std::string &scope)
{
    return &dagOf(scope).tasks[entity];
}

std::string GraphLowerer::scopeOfEntity(const std::string &id) const
{
    if (const Task *t = findTask(id))
        return t->group;
    if (const Group *g = m_graph.group(id))
        return g->parent;
    return {};
}

// The task or group standing for `id` in `scope`'s DAG: `id` itself when it
// sits there, else the child group of `scope` that contains it.
std::string GraphLowerer::entityAt(const std::string &scope, const std::string &id) const
{
    std::string inner = findTask(id) ? findTask(id)->group : id;
    if (findTask(id) && inner == scope)
        return id;
    if (!findTask(id) && m_scopes.parent(id) == scope)
        return id;
    std::string child = m_scopes.childToward(scope, inner);
    return child.empty() ? id : child;
}

void GraphLowerer::addDependency(ir::PipelineTask &task, const std::string &producer)
{
    auto &deps = task.dependentTasks;
    auto it = std::lower_bound(deps.begin(), deps.end(), producer);
    if (it == deps.end() || *it != producer)
        deps.insert(it, producer);
}

PortType GraphLowerer::typeOfTaskOutput(const std::string &task, const std::string &output) const
{
    const Task *t = findTask(task);
    const Component *c = t ? m_pipeline.component(t->component) : nullptr;
    const PortSpec *p = c ? c->output(output) : nullptr;
    return p ? p->type : PortType{};
}

ir::ParameterSpec GraphLowerer::parameterSpec(const PortType &t)
{
    ir::ParameterSpec s;
    s.parameterType = std::string(toIrName(t.parameter));
    return s;
}

ir::ArtifactSpec GraphLowerer::artifactSpec(const PortType &t)
{
    ir::ArtifactSpec s;
    s.artifactType = {t.schemaTitle, t.schemaVersion};
    s.isArtifactList = t.isArtifactList;
    return s;
}

// ---- values crossing groups --------------------------------------------------

Result<GraphLowerer::ValueRef> GraphLowerer::refFor(const Binding &b, const std::string &consumerScope,
                                                     std::string *selector)
{
    ValueRef ref;
    switch (b.kind) {
    case Binding::Kind::Parameter: {
        auto it = std::find_if(m_inputs.begin(), m_inputs.end(), [&](const PortSpec &p) { return p.name == b.name; });
        if (it == m_inputs.end())
            return Error{"unknown pipeline parameter '" + b.name + "'", {}};
        ref.kind = ValueRef::Kind::GraphInput;
        ref.name = b.name;
        ref.channel = channelName(b.name);
        ref.type = it->type;
        return ref;
    }
    case Binding::Kind::TaskOutput: {
        if (!findTask(b.task))
            return Error{"reference to unknown task '" + b.task + "'", {}};
        ref.kind = ValueRef::Kind::TaskOutput;
        ref.producer = b.task;
        ref.name = b.name;
        ref.home = m_scopes.scopeOfTask(b.task);
        ref.channel = channelName(b.task + "-" + b.name);
        ref.type = typeOfTaskOutput(b.task, b.name);
        return ref;
    }
    case Binding::Kind::LoopItem: {
        const Group *g = m_graph.group(b.group);
        if (!g || g->kind != Group::Kind::Loop)
            return Error{"loop item of '" + b.group + "', which is not a loop group", {}};
        if (!m_scopes.isAncestorOrSelf(b.group, consumerScope))
            return Error{"loop item of '" + b.group + "' used outside that loop", {}};
        auto item = loopItemInput(*g);
        if (!item.ok())
            return item.error();
        ref.kind = ValueRef::Kind::GraphInput;
        ref.name = item->first;
        ref.home = b.group;
        ref.channel = item->first;
        ref.type = item->second;
        if (selector && !b.field.empty())
            *selector = "parseJson(string_value)[\"" + b.field + "\"]";
        return ref;
    }
    case Binding::Kind::OneOf: return oneOfRef(b);
    default: return Error{"this binding cannot be passed between tasks", {}};
    }
}

Result<std::pair<std::string, PortType>> GraphLowerer::loopItemInput(const Group &loop)
{
    const auto &items = loop.loop.items;
    if (items.kind == Binding::Kind::Constant) {
        std::string name = loop.loop.itemName;
        if (name.empty())
            name = defaultLoopItemName(loop.id);
        ParameterType t = loop.loop.itemType.value_or(inferItemType(items.value));
        return std::pair{channelName(name), PortType::param(t)};
    }
    auto list = refFor(items, m_scopes.parent(loop.id), nullptr);
    if (!list.ok())
        return list.error();
    PortType item = PortType::param(loop.loop.itemType.value_or(ParameterType::String));
    if (list->type.isArtifact()) {
        item = list->type;
        item.isArtifactList = false;
    }
    return std::pair{loopListChannel(items, *list) + "-loop-item", item};
}

std::string GraphLowerer::loopListChannel(const Binding &items, const ValueRef &list)
{
    if (items.kind == Binding::Kind::LoopItem && !items.field.empty())
        return list.channel + "-subvar-" + items.field;
    return list.channel;
}

GraphLowerer::ValueRef GraphLowerer::exposeUpward(ValueRef ref, const std::string &ancestor)
{
    const std::string channel = ref.channel;
    std::string producer = ref.producer;
    std::string key = ref.name;
    std::string scope = ref.home;
    // Leaving a loop collects one value per iteration (KFP's dsl.Collected);
    // KFP types the value as collected on every group it passes on the way
    // out, the ones inside the loop (a condition in it) included.
    for (std::string s = scope; s != ancestor; s = m_scopes.parent(s)) {
        if (const Group *g = m_graph.group(s); g && g->kind == Group::Kind::Loop) {
            if (ref.type.isArtifact())
                ref.type.isArtifactList = true;
            else
                ref.type = PortType::param(ParameterType::List);
        }
    }
    while (scope != ancestor) {
        auto &comp = componentOf(scope);
        auto &dag = dagOf(scope);
        if (ref.type.isArtifact()) {
            dag.outputArtifacts[channel].artifactSelectors = {{producer, key}};
            comp.outputDefinitions.artifacts[channel] = artifactSpec(ref.type);
        } else {
            ir::DagOutputParameter out;
            out.valueFromParameter = ir::DagOutputParameter::Selector{producer, key};
            dag.outputParameters[channel] = out;
            comp.outputDefinitions.parameters[channel] = parameterSpec(ref.type);
        }
        producer = scope;
        key = channel;
        scope = m_scopes.parent(scope);
    }
    ref.producer = producer;
    ref.name = key;
    ref.home = ancestor;
    return ref;
}

Result<GraphLowerer::ValueRef> GraphLowerer::oneOfRef(const Binding &b)
{
    if (b.options.empty())
        return Error{"oneOf needs at least one option", {}};
    // The same oneOf read twice (by a task and as a graph output) is one channel.
    std::string key;
    for (const Binding &option : b.options)
        key += option.task + '\n' + option.name + '\n';
    if (auto known = m_oneOfRefs.find(key); known != m_oneOfRefs.end())
        return known->second;
    std::string branches;
    std::vector<ValueRef> exposed;
    for (const Binding &option : b.options) {
        if (option.kind != Binding::Kind::TaskOutput || !findTask(option.task))
            return Error{"each oneOf option must be an output of a task in a branch", {}};
        auto ref = refFor(option, {}, nullptr);
        if (!ref.ok())
            return ref.error();
        const auto chain = m_graph.groupChain(ref->home);
        auto it = std::find_if(chain.begin(), chain.end(), [](const Group *g) {
            return g->kind == Group::Kind::Condition && !g->parent.empty();
        });
        const Group *branchesGroup = nullptr;
        for (const Group *g : chain)
            if (g->kind == Group::Kind::Branches) {
                branchesGroup = g;
                break;
            }
        if (it == chain.end() || !branchesGroup)
            return Error{"oneOf option '" + option.task + "' is not inside an if/elif/else branch", {}};
        if (!branches.empty() && branches != branchesGroup->id)
            return Error{"oneOf options come from different if/elif/else chains", {}};
        branches = branchesGroup->id;
        exposed.push_back(exposeUpward(*ref, branches));
    }
    const std::string channel = channelName(branches + "-oneof-" + std::to_string(++m_oneOfCount[branches]));
    if (exposed.front().type.isArtifact()) {
        // An artifact's oneOf lists one selector per branch; the first that ran wins.
        auto &selectors = dagOf(branches).outputArtifacts[channel].artifactSelectors;
        for (const ValueRef &r : exposed)
            selectors.push_back({r.producer, r.name});
        componentOf(branches).outputDefinitions.artifacts[channel] = artifactSpec(exposed.front().type);
    } else {
        ir::DagOutputParameter out;
        for (const ValueRef &r : exposed)
            out.valueFromOneof.push_back({r.producer, r.name});
        dagOf(branches).outputParameters[channel] = out;
        componentOf(branches).outputDefinitions.parameters[channel] = parameterSpec(exposed.front().type);
    }
    ValueRef ref;
    ref.kind = ValueRef::Kind::TaskOutput;
    ref.producer = branches;
    ref.name = channel;
    ref.home = m_scopes.parent(branches);
    ref.channel = channel;
    ref.type = exposed.front().type;
    m_oneOfRefs[key] = ref;
    return ref;
}

// Routes `in` to `scope`: directly when it is produced there, else through a
// "pipelinechannel--" input on every group between its home and `scope`.
template <typename Input>
void GraphLowerer::bindValue(const ValueRef &in, const std::string &scope, ir::PipelineTask *consumer, Input &out)
{
    constexpr bool isParameter = std::is_same_v<Input, ir::InputParameter>;
    ValueRef ref = in;
    if (ref.kind == ValueRef::Kind::TaskOutput && !m_scopes.isAncestorOrSelf(ref.home, scope))
        ref = exposeUpward(ref, m_scopes.commonAncestor(ref.home, scope));
    auto direct = [&](Input &target, ir::PipelineTask *receiver) {
        if (ref.kind != ValueRef::Kind::TaskOutput) {
            if constexpr (isParameter)
                target.componentInputParameter = ref.name;
            else
                target.componentInputArtifact = ref.name;
            return;
        }
        if constexpr (isParameter)
            target.taskOutputParameter = ir::InputParameter::TaskOutput{ref.producer, ref.name};
        else
            target.taskOutputArtifact = ir::InputArtifact::TaskOutput{ref.producer, ref.name};
        if (receiver)
            addDependency(*receiver, ref.producer);
    };
    auto viaChannel = [&](Input &target) {
        if constexpr (isParameter)
            target.componentInputParameter = ref.channel;
        else
            target.componentInputArtifact = ref.channel;
    };
    if (scope == ref.home) {
        direct(out, consumer);
        return;
    }
    const auto path = m_scopes.pathDown(ref.home, scope);
    for (std::size_t i = 0; i < path.size(); ++i) {
        const std::string &g = path[i];
        ir::PipelineTask *groupTask = irTaskFor(g, m_scopes.parent(g));
        Input src;
        if (i == 0)
            direct(src, groupTask);
        else
            viaChannel(src);
        if constexpr (isParameter) {
            componentOf(g).inputDefinitions.parameters[ref.channel] = parameterSpec(ref.type);
            groupTask->inputs.parameters[ref.channel] = src;
        } else {
            componentOf(g).inputDefinitions.artifacts[ref.channel] = artifactSpec(ref.type);
            groupTask->inputs.artifacts[ref.channel] = src;
        }
    }
    viaChannel(out);
}

void GraphLowerer::bindParameter(const ValueRef &in, const std::string &scope, ir::PipelineTask *consumer,
                                 ir::InputParameter &out)
{
    bindValue(in, scope, consumer, out);
}

void GraphLowerer::bindArtifact(const ValueRef &in, const std::string &scope, ir::PipelineTask *consumer,
                                ir::InputArtifact &out)
{
    bindValue(in, scope, consumer, out);
}

Result<ir::InputParameter> GraphLowerer::bindingToParameter(const Binding &b, const std::string &scope,
                                                            ir::PipelineTask *consumer)
{
    ir::InputParameter p;
    switch (b.kind) {
    case Binding::Kind::Constant: p.runtimeValue = b.value; return p;
    case Binding::Kind::RunValue: {
        auto text = runValuePlaceholder(b.run, m_options.nativeRunTimeFormatting);
        if (!text.ok())
            return text.error();
        p.runtimeValue = *text;
        return p;
    }
    case Binding::Kind::TaskStatus: {
        const Group *g = m_graph.group(b.task);
        if (!g || g->kind != Group::Kind::ExitHandler)
            return Error{"taskStatus must name an exit handler group, not '" + b.task + "'", {}};
        p.taskFinalStatus = entityAt(scope, b.task);
        return p;
    }
    default: {
        std::string selector;
        auto ref = refFor(b, scope, &selector);
        if (!ref.ok())
            return ref.error();
        if (ref->type.isArtifact())
            return Error{"an artifact cannot be passed where a parameter is expected", {}};
        bindParameter(*ref, scope, consumer, p);
        p.parameterExpressionSelector = selector;
        return p;
    }
    }
}

Result<bool> GraphLowerer::bindArgument(const std::string &inputName, const PortSpec *port, const Binding &b,
                                        const std::string &scope, ir::PipelineTask &task)
{
    if (port && port->type.isArtifact()) {
        auto ref = refFor(b, scope, nullptr);
        if (!ref.ok())
            return ref.error();
        if (!ref->type.isArtifact())
            return Error{"input '" + inputName + "' is an artifact but is bound to a parameter", {}};
        bindArtifact(*ref, scope, &task, task.inputs.artifacts[inputName]);
        return true;
    }
    if (b.kind == Binding::Kind::Template) {
        // KFP f-string style: the text carries placeholders of extra
        // "pipelinechannel--" inputs that the task receives alongside.
        std::string text;
        for (const Binding &part : b.options) {
            if (part.kind == Binding::Kind::Constant) {
                text += part.value.is_string() ? part.value.get<std::string>() : part.value.dump();
                continue;
            }
            if (part.kind == Binding::Kind::RunValue) {
                auto t = runValuePlaceholder(part.run, m_options.nativeRunTimeFormatting);
                if (!t.ok())
                    return t.error();
                text += *t;
                continue;
            }
            auto ref = refFor(part, scope, nullptr);
            if (!ref.ok())
                return ref.error();
            ir::InputParameter extra;
            bindParameter(*ref, scope, &task, extra);
            task.inputs.parameters[ref->channel] = extra;
            text += ir::KfpPlaceholder::inputParameter(ref->channel).toString();
        }
        task.inputs.parameters[inputName].runtimeValue = text;
        return true;
    }
    auto p = bindingToParameter(b, scope, &task);
    if (!p.ok())
        return p.error();
    task.inputs.parameters[inputName] = *p;
    return true;
}

} // namespace pw
