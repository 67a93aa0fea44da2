// SPDX-License-Identifier: Apache-2.0
#include "validate/validator.h"

#include "validate/rules.h"
#include "validate/validationcontext.h"

#include <cmath>
#include <set>

namespace pw {

Location ValidationContext::locate(const std::string &key, const std::string &task) const
{
    Location where;
    std::string probe = key;
    while (!probe.empty()) {
        auto it = m_pipeline.sourceMap.find(probe);
        if (it != m_pipeline.sourceMap.end()) {
            where = it->second;
            break;
        }
        // A section key ("tasks") says nothing about where an entry that was
        // added after reading sits, so the search stops above entries.
        const auto dot = probe.rfind('.');
        probe = dot == std::string::npos ? std::string() : probe.substr(0, dot);
        if (probe.find('.') == std::string::npos)
            break;
    }
    if (where.file.empty())
        where.file = m_pipeline.fileName;
    where.field = key;
    where.task = task;
    return where;
}

void ValidationContext::report(Problem::Severity severity, std::string message, Location where)
{
    m_problems.push_back(Problem{severity, std::move(message), std::move(where)});
}

void forEachBindingLeaf(const Binding &binding, const std::function<void(const Binding &)> &visit)
{
    visit(binding);
    for (const Binding &option : binding.options)
        forEachBindingLeaf(option, visit);
}

void forEachTaskBinding(const Task &task, const std::string &taskKey,
                        const std::function<void(const Binding &, const std::string &key)> &visit)
{
    for (const auto &[name, binding] : task.arguments)
        visit(binding, taskKey + ".arguments." + name);
    const ExecutionSettings &s = task.settings;
    if (s.nodeSelectorJson)
        visit(*s.nodeSelectorJson, taskKey + ".nodeSelectorFrom");
    for (const Binding &b : s.tolerationJson)
        visit(b, taskKey + ".tolerationsFrom");
    for (const Binding &b : s.nodeAffinityJson)
        visit(b, taskKey + ".nodeAffinityFrom");
    for (const ObjectRef &ref : s.secrets)
        visit(ref.name, taskKey + ".secrets");
    for (const ObjectRef &ref : s.configMaps)
        visit(ref.name, taskKey + ".configMaps");
    for (const Binding &b : s.imagePullSecrets)
        visit(b, taskKey + ".imagePullSecrets");
    for (const PvcMount &m : s.volumes)
        visit(m.claimName, taskKey + ".volumes");
}

ConstantFit constantFits(const nlohmann::json &value, const PortType &to)
{
    using Sev = Problem::Severity;
    if (to.isArtifact())
        return {Sev::Error, "it is an artifact (" + to.displayName() +
                                "); pass an upstream task's artifact or an importer instead of a constant"};
    if (value.is_null())
        return {};
    switch (to.parameter) {
    case ParameterType::String:
        if (value.is_string())
            return {};
        if (value.is_number() || value.is_boolean())
            return {Sev::Warning, "it expects a String and will receive the text '" + value.dump() +
                                      "'; quote the value to make that explicit"};
        return {Sev::Error, "it expects a String but the constant is a " +
                                std::string(value.is_array() ? "list" : "map")};
    case ParameterType::Integer:
        // PipelineSpec stores every number as a double: 9.0 is a fine integer.
        if (value.is_number_integer() || (value.is_number_float() && std::isfinite(value.get<double>()) &&
                                          value.get<double>() == std::floor(value.get<double>())))
            return {};
        return {Sev::Error, "it expects an Integer but the constant is " + value.dump()};
    case ParameterType::Double:
        if (value.is_number())
            return {};
        return {Sev::Error, "it expects a number but the constant is " + value.dump()};
    case ParameterType::Boolean:
        if (value.is_boolean())
            return {};
        return {Sev::Error, "it expects true or false but the constant is " + value.dump()};
    case ParameterType::List:
    case ParameterType::Struct: {
        const bool isList = to.parameter == ParameterType::List;
        if (isList ? value.is_array() : value.is_object())
            return {};
        // KFP v1 wrote structured values as JSON text and passes text through.
        if (value.is_string())
            return {Sev::Warning, std::string("it expects a ") + (isList ? "list" : "map") +
                                      " and gets text, which must hold JSON when the task runs"};
        return {Sev::Error, std::string("it expects a ") + (isList ? "list" : "map") +
                                " but the constant is " + value.dump()};
    }
    case ParameterType::TaskFinalStatus:
        return {Sev::Error, "it receives a task's final status; bind it with {taskStatus: <task>}"};
    }
    return {};
}

namespace {

// KFP's pipelineInfo.name: the label alphabet, up to 128 characters.
bool isValidPipelineName(std::string_view name)
{
    return !name.empty() && name.size() <= 128 && sanitizeK8sName(name) == name;
}

// KFP runs name a Kubernetes service account; Vertex runs a Google Cloud one,
// which is an e-mail address (runner@project.iam.gserviceaccount.com).
bool isValidServiceAccount(std::string_view name)
{
    const auto at = name.find('@');
    if (at == std::string_view::npos)
        return isValidDnsSubdomain(name);
    const std::string_view user = name.substr(0, at);
    return !user.empty() && isValidK8sName(user) && isValidDnsSubdomain(name.substr(at + 1)) &&
           name.find('.', at) != std::string_view::npos;
}

// Vertex AI run labels: lower-case keys starting with a letter; values and
// keys use [a-z0-9_-] and stay within 63 characters.
bool isValidRunLabelPart(std::string_view s, bool isKey)
{
    if (s.size() > 63 || (isKey && (s.empty() || s.front() < 'a' || s.front() > 'z')))
        return false;
    for (char c : s) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

void checkPorts(ValidationContext &ctx, const std::vector<PortSpec> &ports, const std::string &keyBase,
                const std::string &what)
{
    std::set<std::string> seen;
    for (const PortSpec &port : ports) {
        const std::string key = keyBase + "." + port.name;
        if (port.name.empty())
            ctx.error(what + " has an input or output without a name", ctx.locate(keyBase));
        else if (!seen.insert(port.name).second)
            ctx.error(what + " declares '" + port.name + "' twice; rename or remove one", ctx.locate(key));
        if (port.defaultValue) {
            const ConstantFit fit = constantFits(*port.defaultValue, port.type);
            if (!fit.reason.empty())
                ctx.report(fit.severity,
                           "The default of '" + port.name + "' does not fit its type: " + fit.reason,
                           ctx.locate(key));
        }
    }
}

void checkCommandArgs(ValidationContext &ctx, const Component &component, const std::vector<CommandArg> &args,
                      const std::string &key, const std::string &what)
{
    for (const CommandArg &arg : args) {
        switch (arg.kind) {
        case CommandArg::Kind::InputValue:
        case CommandArg::Kind::InputPath:
        case CommandArg::Kind::InputUri:
        case CommandArg::Kind::InputMetadata:
        case CommandArg::Kind::InputArtifacts:
        case CommandArg::Kind::IfPresent:
            if (!component.input(arg.name))
                ctx.error(what + " refers to input '" + arg.name +
                              "' in its command line, but has no such input",
                          ctx.locate(key));
            break;
        case CommandArg::Kind::OutputPath:
        case CommandArg::Kind::OutputUri:
        case CommandArg::Kind::OutputMetadata:
            if (!component.output(arg.name))
                ctx.error(what + " refers to output '" + arg.name +
                              "' in its command line, but has no such output",
                          ctx.locate(key));
            break;
        case CommandArg::Kind::RunValue: {
            const auto run = RunValue::fromSpec(arg.text);
            if (!run)
                ctx.error(what + " uses an unknown run value '" + arg.text + "'", ctx.locate(key));
            else if (!run->timeZone.empty() && !isKnownTimeZone(run->timeZone))
                ctx.error(what + " formats a run time in unknown time zone '" + run->timeZone +
                              "'; use an IANA name such as Europe/Berlin",
                          ctx.locate(key));
            break;
        }
        default:
            break;
        }
        checkCommandArgs(ctx, component, arg.items, key, what);
        checkCommandArgs(ctx, component, arg.thenArgs, key, what);
        checkCommandArgs(ctx, component, arg.elseArgs, key, what);
    }
}

// Sub-pipelines may nest, but never contain themselves.
bool reachesComponent(const Pipeline &p, const Component &from, const std::string &target,
                      std::set<std::string> &seen)
{
    if (from.kind != Component::Kind::Graph || !from.graph)
        return false;
    for (const Task &t : from.graph->tasks) {
        if (t.component == target)
            return true;
        if (!seen.insert(t.component).second)
            continue;
        if (const Component *c = p.component(t.component); c && reachesComponent(p, *c, target, seen))
            return true;
    }
    return false;
}

void checkComponents(ValidationContext &ctx)
{
    const Pipeline &p = ctx.pipeline();
    for (const auto &[id, component] : p.components) {
        const std::string key = "components." + id;
        const std::string what = "Component '" + id + "'";
        checkPorts(ctx, component.inputs, key + ".inputs", what);
        checkPorts(ctx, component.outputs, key + ".outputs", what);
        switch (component.kind) {
        case Component::Kind::Container:
            if (component.container.image.empty()) // KFP 1.8 compiled such components; they cannot run as they are
                ctx.warning(what + " has an empty container image: set one before it runs", ctx.locate(key));
            checkCommandArgs(ctx, component, component.container.command, key, what);
            checkCommandArgs(ctx, component, component.container.args, key, what);
            break;
        case Component::Kind::Importer:
            if (!component.importer.artifactUri.isSet())
                ctx.error(what + " is an importer without an artifact URI", ctx.locate(key));
            break;
        case Component::Kind::Graph: {
            if (!component.graph) {
                ctx.error(what + " is a sub-pipeline without a body", ctx.locate(key));
                break;
            }
            std::set<std::string> seen;
            if (reachesComponent(p, component, id, seen)) {
                ctx.error(what + " contains itself (directly or through other sub-pipelines); a pipeline "
                                 "cannot be its own step",
                          ctx.locate(key));
                break; // its body would be checked forever by the compiler as well
            }
            GraphScope scope;
            scope.graph = component.graph.get();
            scope.parameters = &component.inputs;
            scope.outputs = &component.outputs;
            scope.keyPrefix = key + ".graph.";
            scope.owner = "sub-pipeline '" + id + "'";
            checkGraph(ctx, scope);
            break;
        }
        }
    }
}

void checkPipelineSettings(ValidationContext &ctx)
{
    const Pipeline &p = ctx.pipeline();
    if (p.name.empty())
        ctx.error("The pipeline has no name; set `name` to a lower-case name such as 'daily-batch'",
                  ctx.locate("name"));
    else if (!isValidPipelineName(p.name)) {
        const std::string fixed = sanitizeK8sName(p.name);
        ctx.error("Pipeline name '" + p.name + "' is not a valid Kubernetes name" +
                      (fixed.empty() ? std::string("; use lower-case letters, digits and '-'")
                                     : "; use '" + fixed.substr(0, 128) + "'"),
                  ctx.locate("name"));
    }
    if (!p.serviceAccount.empty() && !isValidServiceAccount(p.serviceAccount))
        ctx.error(
            "Service account '" + p.serviceAccount +
                "' is neither a Kubernetes service account name (lower-case letters, digits, '-' and '.') "
                "nor a Google Cloud service account e-mail",
            ctx.locate("serviceAccount"));
    if (!p.pipelineRoot.empty() && p.pipelineRoot.find("://") == std::string::npos &&
        p.pipelineRoot.front() != '{')
        ctx.warning(
            "Pipeline root '" + p.pipelineRoot +
                "' has no scheme; artifact stores expect a URI such as gs://bucket/path or minio://bucket",
            ctx.locate("pipelineRoot"));
    for (const auto &[key, value] : p.labels) {
        if (!isValidRunLabelPart(key, true) || !isValidRunLabelPart(value, false))
            ctx.error("Run label '" + key + ": " + value +
                          "' is invalid; keys start with a lower-case letter and both use only [a-z0-9_-], "
                          "at most 63 characters",
                      ctx.locate("labels." + key));
    }
    std::set<std::string> poolNames;
    for (const NodePool &pool : p.nodePools) {
        const std::string key = "nodePools." + pool.name;
        if (pool.name.empty())
            ctx.error("A node pool has no name", ctx.locate("nodePools"));
        else if (!poolNames.insert(pool.name).second)
            ctx.error("Node pool '" + pool.name + "' is defined twice", ctx.locate(key));
        checkLabelMap(ctx, pool.nodeSelector, key + ".nodeSelector", {},
                      "Node pool '" + pool.name + "' selector", true);
        checkTolerations(ctx, pool.tolerations, key + ".tolerations", {}, "Node pool '" + pool.name + "'");
    }
    if (!p.defaultNodePool.empty() && !p.nodePool(p.defaultNodePool))
        ctx.error("Default node pool '" + p.defaultNodePool + "' is not defined under nodePools",
                  ctx.locate("defaultNodePool"));
    checkPorts(ctx, p.inputs, "inputs", "The pipeline");
    checkPorts(ctx, p.outputs, "outputs", "The pipeline");
}

} // namespace

std::vector<Problem> validatePipeline(const Pipeline &pipeline)
{
    ValidationContext ctx(pipeline);
    checkPipelineSettings(ctx);
    GraphScope root;
    root.graph = &pipeline.root;
    root.parameters = &pipeline.inputs;
    root.outputs = &pipeline.outputs;
    root.owner = "the pipeline";
    checkGraph(ctx, root);
    checkComponents(ctx);
    return ctx.takeProblems();
}

} // namespace pw
