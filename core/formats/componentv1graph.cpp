// SPDX-License-Identifier: Apache-2.0
// implementation.graph of a KFP v1 component: tasks referencing further
// components (embedded under componentRef.spec), wired by graphInput and
// taskOutput arguments, with outputValues naming where the outputs come from.
#include "formats/componentv1support.h"

#include "fetch/componentfetch.h"

#include <memory>
#include <set>

namespace pw::componentv1 {

namespace {

struct PendingTask {
    std::string v1Id;
    YAML::Node node;
    std::string field;
    std::size_t index = 0; // into graph->tasks
};

std::string uniqueName(const std::string &base, const std::set<std::string> &taken)
{
    if (!taken.count(base))
        return base;
    for (int i = 2;; ++i) {
        std::string candidate = base + "-" + std::to_string(i);
        if (!taken.count(candidate))
            return candidate;
    }
}

const PortSpec *findPort(const std::vector<PortSpec> &ports, const std::string &name)
{
    for (const auto &p : ports) {
        if (p.name == name)
            return &p;
    }
    return nullptr;
}

PortDeclaration *findDecl(std::vector<PortDeclaration> &ports, const std::string &name)
{
    for (auto &p : ports) {
        if (p.spec.name == name)
            return &p;
    }
    return nullptr;
}

// Errors from an embedded spec carry fields relative to it; anchor them.
Error prefixed(Error e, const std::string &prefix)
{
    e.where.field = e.where.field.empty() ? prefix : prefix + "." + e.where.field;
    return e;
}

std::optional<Error> parseOptions(const Ctx &ctx, const YAML::Node &node, const std::string &field,
                                  Task &task)
{
    if (!isSet(node))
        return std::nullopt;
    if (!isMap(node))
        return ctx.error(node, field, "'executionOptions' must be a map");
    const YAML::Node retry = node["retryStrategy"];
    if (isMap(retry) && retry["maxRetries"].IsDefined()) {
        const YAML::Node n = retry["maxRetries"];
        auto v = typedValue(ctx, n, field + ".retryStrategy.maxRetries", ParameterType::Integer);
        if (!v)
            return v.error();
        task.settings.retry.maxRetries = static_cast<int>(v->get<long long>());
    }
    const YAML::Node caching = node["cachingStrategy"];
    if (isMap(caching) && isScalar(caching["maxCacheStaleness"])) {
        // v1's way of saying "never reuse a cached result".
        const std::string staleness = caching["maxCacheStaleness"].Scalar();
        if (staleness == "P0D" || staleness == "PT0S" || staleness == "P0DT0S")
            task.settings.caching = false;
    }
    return std::nullopt;
}

class GraphParser final {
public:
    GraphParser(const Ctx &ctx, std::vector<PortDeclaration> &inputs, std::vector<PortDeclaration> &outputs)
        : m_ctx(ctx), m_inputs(inputs), m_outputs(outputs), m_graph(std::make_shared<Graph>())
    {
    }

    std::optional<Error> parse(const YAML::Node &node, Component &c)
    {
        const std::string field = "implementation.graph";
        if (!isMap(node))
            return m_ctx.error(node, field, "'graph' must be a map with 'tasks' and 'outputValues'");
        const YAML::Node tasks = node["tasks"];
        if (!isMap(tasks) || tasks.size() == 0)
            return m_ctx.error(tasks.IsDefined() ? tasks : node, field + ".tasks",
                               "'tasks' must be a non-empty map of task id -> task");
        for (auto it = tasks.begin(); it != tasks.end(); ++it) {
            if (auto e = addTask(it->first, it->second, field + ".tasks"))
                return e;
        }
        for (const PendingTask &t : m_pending) {
            if (auto e = parseArguments(t))
                return e;
        }
        if (auto e = resolveTypes(m_ctx, m_inputs, m_usage, true))
            return e;
        if (auto e = parseOutputs(node["outputValues"], field + ".outputValues"))
            return e;
        for (auto &p : m_inputs)
            c.inputs.push_back(std::move(p.spec));
        for (auto &p : m_outputs)
            c.outputs.push_back(std::move(p.spec));
        c.graph = std::move(m_graph);
        return std::nullopt;
    }

private:
    std::optional<Error> addTask(const YAML::Node &key, const YAML::Node &value,
                                 const std::string &tasksField)
    {
        if (!isScalar(key) || key.Scalar().empty())
            return m_ctx.error(key, tasksField, "task ids must be non-empty strings");
        const std::string v1Id = key.Scalar();
        const std::string field = tasksField + "." + v1Id;
        if (!isMap(value))
            return m_ctx.error(value.IsDefined() ? value : key, field,
                               "a task must be a map with 'componentRef'");
        if (value["isEnabled"].IsDefined()) {
            return m_ctx.error(
                value["isEnabled"], field + ".isEnabled",
                "'isEnabled' conditions are not supported; use a condition group in the pipeline");
        }
        const YAML::Node ref = value["componentRef"];
        if (!isMap(ref))
            return m_ctx.error(ref.IsDefined() ? ref : value, field + ".componentRef",
                               "missing 'componentRef' map");
        const YAML::Node spec = ref["spec"];
        if (m_ctx.depth >= 16)
            return m_ctx.error(spec.IsDefined() ? spec : ref, field + ".componentRef",
                               "graph components nested too deeply");
        Ctx inner = m_ctx;
        inner.depth = m_ctx.depth + 1;
        Result<Component> sub = spec.IsDefined() ? parseComponentNode(inner, spec)
                                                 : parseRemote(ref, field + ".componentRef", inner);
        if (!sub)
            return spec.IsDefined() ? prefixed(sub.error(), field + ".componentRef.spec") : sub.error();

        std::set<std::string> componentIds;
        for (const auto &[id, unused] : m_ctx.registry->components)
            componentIds.insert(id);
        std::string base = k8sName(sub->name.empty() ? v1Id : sub->name);
        const std::string componentId = uniqueName(base.empty() ? "component" : base, componentIds);
        m_ctx.registry->components[componentId] = std::move(sub).value();

        Task task;
        base = k8sName(v1Id);
        task.id = uniqueName(base.empty() ? "task" : base, m_taskIds);
        m_taskIds.insert(task.id);
        if (task.id != v1Id)
            task.displayName = v1Id;
        task.component = componentId;
        if (auto e = parseOptions(m_ctx, value["executionOptions"], field + ".executionOptions", task))
            return e;
        if (m_byV1Id.count(v1Id))
            return m_ctx.error(key, field, "duplicate task id '" + v1Id + "'");
        m_byV1Id[v1Id] = m_graph->tasks.size();
        m_pending.push_back({v1Id, value, field, m_graph->tasks.size()});
        m_graph->tasks.push_back(std::move(task));
        return std::nullopt;
    }

    // componentRef {url, digest} without a spec: the component from the
    // component cache or the web (formats/fetch). Errors name the URL and sit
    // at the reference; those inside the fetched file are located in it.
    Result<Component> parseRemote(const YAML::Node &ref, const std::string &field, Ctx &inner) const
    {
        std::string url, digest;
        for (auto [key, out] : {std::pair{"url", &url}, std::pair{"digest", &digest}}) {
            if (auto e = optionalString(m_ctx, ref[key], field + "." + key, *out))
                return *e;
        }
        if (url.empty() && digest.empty()) {
            const YAML::Node name = ref["name"];
            if (isScalar(name))
                return m_ctx.error(name, field + ".name",
                                   "componentRef.name '" + name.Scalar() +
                                       "' cannot be resolved: give its url (and digest) or embed it under "
                                       "componentRef.spec");
            return m_ctx.error(ref, field + ".spec", "componentRef needs a 'spec', a 'url' or a 'digest'");
        }
        const YAML::Node at = url.empty() ? ref["digest"] : ref["url"];
        const std::string atField = field + (url.empty() ? ".digest" : ".url");
        auto fetched = resolveRemoteComponent(url, digest);
        if (!fetched)
            return m_ctx.error(at, atField, fetched.error().message);
        inner.file = url.empty() ? fetched->cachePath : url;
        auto root = loadYaml(fetched->text, inner.file);
        Result<Component> sub =
            root ? parseComponentNode(inner, root.value()) : Result<Component>(root.error());
        if (sub)
            return sub;
        Error e = sub.error();
        e.message += " (in the component that " + m_ctx.location(at, atField).toString() + " refers to)";
        return e;
    }

    const Component &componentOf(std::size_t taskIndex) const
    {
        return m_ctx.registry->components.at(m_graph->tasks[taskIndex].component);
    }

    // {taskOutput: {taskId, outputName}} -> the producing task and output.
    Result<Binding> taskOutput(const YAML::Node &value, const std::string &field, const PortSpec **port)
    {
        if (!isMap(value))
            return m_ctx.error(value, field, "'taskOutput' must be a map with taskId and outputName");
        const YAML::Node taskId = value["taskId"];
        const YAML::Node outputName = value["outputName"];
        if (!isScalar(taskId))
            return m_ctx.error(taskId.IsDefined() ? taskId : value, field + ".taskId", "missing 'taskId'");
        if (!isScalar(outputName))
            return m_ctx.error(outputName.IsDefined() ? outputName : value, field + ".outputName",
                               "missing 'outputName'");
        const auto producer = m_byV1Id.find(taskId.Scalar());
        if (producer == m_byV1Id.end())
            return m_ctx.error(taskId, field + ".taskId", "no task '" + taskId.Scalar() + "' in this graph");
        const std::string out = sanitizeInputName(outputName.Scalar());
        *port = findPort(componentOf(producer->second).outputs, out);
        if (!*port) {
            return m_ctx.error(outputName, field + ".outputName",
                               "task '" + taskId.Scalar() + "' has no output '" + outputName.Scalar() + "'");
        }
        return Binding::taskOutput(m_graph->tasks[producer->second].id, out);
    }

    std::optional<Error> parseArguments(const PendingTask &t)
    {
        const YAML::Node args = t.node["arguments"];
        const std::string field = t.field + ".arguments";
        if (!isSet(args))
            return std::nullopt;
        if (!isMap(args))
            return m_ctx.error(args, field, "'arguments' must be a map of input name -> argument");
        const Component &callee = componentOf(t.index);
        Task &task = m_graph->tasks[t.index];
        for (auto it = args.begin(); it != args.end(); ++it) {
            const std::string raw = isScalar(it->first) ? it->first.Scalar() : std::string();
            const std::string name = sanitizeInputName(raw);
            const std::string argField = field + "." + raw;
            const PortSpec *input = findPort(callee.inputs, name);
            if (!input)
                return m_ctx.error(it->first, argField, "task '" + t.v1Id + "' has no input '" + raw + "'");
            auto binding = parseArgument(it->second, argField, *input);
            if (!binding)
                return binding.error();
            task.arguments[name] = std::move(binding).value();
        }
        return std::nullopt;
    }

    Result<Binding> parseArgument(const YAML::Node &value, const std::string &field, const PortSpec &input)
    {
        if (isScalar(value)) {
            if (input.type.isArtifact())
                return m_ctx.error(value, field, "an artifact input cannot take a constant value");
            auto v = typedValue(m_ctx, value, field, input.type.parameter);
            if (!v)
                return v.error();
            return Binding::constant(std::move(v).value());
        }
        if (!isMap(value) || value.size() != 1 || !isScalar(value.begin()->first))
            return m_ctx.error(value, field, "expected a constant, {graphInput: ...} or {taskOutput: ...}");
        const std::string kind = value.begin()->first.Scalar();
        const YAML::Node body = value.begin()->second;
        if (kind == "taskOutput") {
            const PortSpec *port = nullptr;
            return taskOutput(body, field + ".taskOutput", &port);
        }
        if (kind != "graphInput")
            return m_ctx.error(value, field, "unknown argument kind '" + kind + "'");
        const YAML::Node nameNode = isMap(body) ? body["inputName"] : body;
        if (!isScalar(nameNode))
            return m_ctx.error(body, field + ".graphInput.inputName", "missing 'inputName'");
        const std::string name = sanitizeInputName(nameNode.Scalar());
        if (!findDecl(m_inputs, name)) {
            return m_ctx.error(nameNode, field + ".graphInput.inputName",
                               "refers to undeclared input '" + nameNode.Scalar() + "'");
        }
        Usage &u = m_usage[name];
        (input.type.isArtifact() ? u.byFile : u.byValue) = true;
        return Binding::parameter(name);
    }

    std::optional<Error> parseOutputs(const YAML::Node &values, const std::string &field)
    {
        if (isSet(values) && !isMap(values))
            return m_ctx.error(values, field,
                               "'outputValues' must be a map of output name -> {taskOutput: ...}");
        if (auto e = resolveTypes(m_ctx, m_outputs, {}, false))
            return e;
        if (isMap(values)) {
            for (auto it = values.begin(); it != values.end(); ++it) {
                const std::string raw = isScalar(it->first) ? it->first.Scalar() : std::string();
                const std::string outField = field + "." + raw;
                PortDeclaration *decl = findDecl(m_outputs, sanitizeInputName(raw));
                if (!decl)
                    return m_ctx.error(it->first, outField, "refers to undeclared output '" + raw + "'");
                const YAML::Node v = it->second;
                if (!isMap(v) || v.size() != 1 || !v["taskOutput"].IsDefined())
                    return m_ctx.error(v, outField, "expected {taskOutput: {taskId, outputName}}");
                const PortSpec *port = nullptr;
                auto binding = taskOutput(v["taskOutput"], outField + ".taskOutput", &port);
                if (!binding)
                    return binding.error();
                // An untyped graph output is whatever its producer makes.
                if (!isKnownType(decl->type)) {
                    const std::string source = decl->spec.type.sourceName;
                    decl->spec.type = port->type;
                    decl->spec.type.sourceName = source;
                }
                m_graph->outputs[decl->spec.name] = std::move(binding).value();
            }
        }
        for (const auto &decl : m_outputs) {
            if (!m_graph->outputs.count(decl.spec.name))
                return m_ctx.error(decl.node, decl.field,
                                   "output '" + decl.spec.name + "' has no outputValues entry");
        }
        return std::nullopt;
    }

    const Ctx &m_ctx;
    std::vector<PortDeclaration> &m_inputs;
    std::vector<PortDeclaration> &m_outputs;
    std::shared_ptr<Graph> m_graph;
    std::vector<PendingTask> m_pending;
    std::map<std::string, std::size_t> m_byV1Id;
    std::set<std::string> m_taskIds;
    std::map<std::string, Usage> m_usage;
};

} // namespace

std::optional<Error> parseGraph(const Ctx &ctx, const YAML::Node &graph, Component &c,
                                std::vector<PortDeclaration> &inputs, std::vector<PortDeclaration> &outputs)
{
    if (!ctx.registry)
        return ctx.error(graph, "implementation.graph", "graph components need a component registry");
    return GraphParser(ctx, inputs, outputs).parse(graph, c);
}

} // namespace pw::componentv1
