// SPDX-License-Identifier: Apache-2.0
#include "targets/argowriter.h"

#include "targets/argobuilder.h"
#include "targets/argoexpressions.h"
#include "util/pyjson.h"

#include <cmath>

namespace pw {

Result<nlohmann::json> argoWorkflow(const ir::PipelineSpec &spec, const ArgoOptions &options)
{
    argo::ArgoBuilder builder(spec, options);
    return builder.build();
}

} // namespace pw

namespace pw::argo {

namespace {

Error fail(std::string message)
{
    return Error{std::move(message), {}};
}

// The KFP v1 type names the pipeline_spec annotation uses.
std::string v1TypeName(const std::string &parameterType)
{
    if (parameterType == "NUMBER_INTEGER")
        return "Integer";
    if (parameterType == "NUMBER_DOUBLE")
        return "Float";
    if (parameterType == "BOOLEAN")
        return "Boolean";
    if (parameterType == "LIST")
        return "JsonArray";
    if (parameterType == "STRUCT")
        return "JsonObject";
    return "String";
}

} // namespace

std::string encodeParameterValue(const Json &value, const std::string &parameterType)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_boolean())
        return value.get<bool>() ? "true" : "false";
    if (value.is_null())
        return {};
    if (value.is_number_float() && parameterType == "NUMBER_INTEGER") {
        // KFP writes integer constants as floats (9.0); an int input must get "9".
        const double d = value.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15)
            return std::to_string(static_cast<long long>(d));
    }
    return pythonJsonDumps(value);
}

bool cachingDisabled(const ir::PipelineTask &task)
{
    if (task.enableCache)
        return !*task.enableCache;
    // `cachingOptions: {}` is proto3 JSON for enableCache=false.
    return task.cachingOptionsPresent;
}

std::string stripPrefix(const std::string &name, const std::string &prefix)
{
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0)
        return name.substr(prefix.size());
    return name;
}

std::string paramTag(const std::string &kfpName)
{
    return "{{inputs.parameters." + parameterName(kfpName) + "}}";
}

std::string paramVar(const std::string &kfpName)
{
    return "inputs.parameters['" + parameterName(kfpName) + "']";
}

std::vector<std::pair<std::string, std::string>> K8sResolved::arguments() const
{
    std::vector<std::pair<std::string, std::string>> out;
    auto collect = [&](const std::vector<K8sValue> &values) {
        for (const K8sValue &v : values)
            if (v.kind == K8sValue::Kind::Param)
                out.emplace_back(v.input, v.argument);
    };
    collect(secretEnv);
    collect(secretVolume);
    collect(configMapEnv);
    collect(configMapVolume);
    collect(pullSecrets);
    collect(pvcs);
    collect(tolerations);
    collect(affinities);
    if (nodeSelector.kind == K8sValue::Kind::Param)
        out.emplace_back(nodeSelector.input, nodeSelector.argument);
    return out;
}

std::string PodPatch::text() const
{
    std::vector<std::string> parts;
    if (!limits.empty() || !requests.empty()) {
        auto block = [](const std::map<std::string, std::string> &values) {
            std::string out = "{";
            for (const auto &[name, value] : values) {
                if (out.size() > 1)
                    out += ", ";
                out += Json(name).dump() + ": " + value;
            }
            return out + "}";
        };
        std::string resources;
        if (!limits.empty())
            resources += "\"limits\": " + block(limits);
        if (!requests.empty())
            resources += std::string(resources.empty() ? "" : ", ") + "\"requests\": " + block(requests);
        // Argo names the user's container "main"; the patch merges by name.
        parts.push_back("\"containers\": [{\"name\": \"main\", \"resources\": {" + resources + "}}]");
    }
    for (const auto &[field, raw] : fields)
        parts.push_back(Json(field).dump() + ": " + raw);
    if (parts.empty())
        return {};
    std::string out = "{";
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i ? ", " : "") + parts[i];
    return out + "}";
}

ArgoBuilder::ArgoBuilder(const ir::PipelineSpec &spec, const ArgoOptions &options)
    : m_spec(spec), m_options(options)
{
}

std::string ArgoBuilder::addTemplate(const std::string &preferredName, Json tmpl, bool entrypoint)
{
    // Hashing and comparing the trees avoids serialising every template.
    const size_t key = std::hash<Json>{}(tmpl) ^ (std::hash<std::string>{}(preferredName) * 31 + entrypoint);
    for (auto [it, end] = m_byContent.equal_range(key); it != end; ++it) {
        const SharedTemplate &shared = it->second;
        if (shared.preferredName != preferredName || shared.entrypoint != entrypoint)
            continue;
        tmpl["name"] = shared.name;
        if (m_templates.at(shared.name) == tmpl)
            return shared.name;
        tmpl.erase("name");
    }
    const std::string base = templateName(preferredName);
    std::string name = base;
    // The entrypoint keeps the pipeline's name even when a component shares it.
    for (int n = 2; m_templates.count(name) || (!entrypoint && name == m_rootName); ++n)
        name = templateName(base.substr(0, 120) + "-" + std::to_string(n));
    tmpl["name"] = name;
    m_templates.emplace(name, std::move(tmpl));
    m_byContent.emplace(key, SharedTemplate{preferredName, entrypoint, name});
    return name;
}

const ir::ComponentSpec *ArgoBuilder::component(const std::string &name) const
{
    auto it = m_spec.components.find(name);
    return it == m_spec.components.end() ? nullptr : &it->second;
}

Result<Json> ArgoBuilder::workflowArguments(Declared &rootDeclared) const
{
    const auto &inputs = m_spec.root.inputDefinitions;
    for (const auto &[name, value] : m_options.parameterValues) {
        (void)value;
        if (!inputs.parameters.count(name) && !inputs.artifacts.count(name))
            return fail("unknown pipeline parameter '" + name + "'");
    }
    Json parameters = Json::array();
    for (const auto &[name, spec] : inputs.parameters) {
        Json p = {{"name", parameterName(name)}};
        if (auto it = m_options.parameterValues.find(name); it != m_options.parameterValues.end())
            p["value"] = it->second;
        else if (spec.defaultValue)
            p["value"] = encodeParameterValue(*spec.defaultValue, spec.parameterType);
        else if (spec.isOptional)
            continue; // absent: Argo has no unset parameters, so optional-without-default is left out
        // else: no value, so `argo submit` must be given one (required parameter)
        rootDeclared.params.insert(name);
        if (p.contains("value"))
            rootDeclared.known[name] = p["value"].get<std::string>();
        parameters.push_back(std::move(p));
    }
    for (const auto &[name, spec] : inputs.artifacts) {
        if (inputs.parameters.count(name))
            return fail("pipeline input artifact '" + name + "' has the name of a parameter");
        Json p = {{"name", parameterName(name)}};
        if (auto it = m_options.parameterValues.find(name); it != m_options.parameterValues.end())
            p["value"] = it->second;
        else if (spec.isOptional)
            continue;
        rootDeclared.params.insert(name);
        rootDeclared.rawArtifacts.insert(name);
        parameters.push_back(std::move(p));
    }
    return parameters;
}

std::string ArgoBuilder::pipelineSpecAnnotation() const
{
    Json annotation;
    annotation["name"] = m_spec.displayName.empty() ? m_spec.pipelineName : m_spec.displayName;
    if (!m_spec.description.empty())
        annotation["description"] = m_spec.description;
    Json inputs = Json::array();
    for (const auto &[name, spec] : m_spec.root.inputDefinitions.parameters) {
        Json input = {{"name", name}, {"type", v1TypeName(spec.parameterType)}};
        if (spec.defaultValue)
            input["default"] = encodeParameterValue(*spec.defaultValue, spec.parameterType);
        if (spec.isOptional)
            input["optional"] = true;
        if (!spec.description.empty())
            input["description"] = spec.description;
        inputs.push_back(std::move(input));
    }
    for (const auto &[name, spec] : m_spec.root.inputDefinitions.artifacts) {
        Json input = {{"name", name}, {"type", spec.artifactType.schemaTitle}};
        if (spec.isOptional)
            input["optional"] = true;
        inputs.push_back(std::move(input));
    }
    if (!inputs.empty())
        annotation["inputs"] = std::move(inputs);
    return pythonJsonDumps(annotation);
}

std::string ArgoBuilder::finalStatusJson(RefScope refs, const std::string &upstreamKey,
                                         const ir::Dag &dag) const
{
    std::string taskName = upstreamKey;
    if (auto it = dag.tasks.find(upstreamKey); it != dag.tasks.end() && !it->second.taskInfoName.empty())
        taskName = it->second.taskInfoName;
    // KFP's PipelineTaskFinalStatus; states are upper case there (SUCCEEDED, FAILED).
    std::string state;
    std::string error = "{}";
    if (refs == RefScope::RootExit) {
        state = "{{=sprig.upper(workflow.status)}}";
        // workflow.failures is a quoted JSON string by the time it is substituted.
        error = "{\"message\": {{workflow.failures}}}";
    } else {
        state = "{{=sprig.upper(tasks['" + templateName(upstreamKey) + "'].status)}}";
    }
    return "{\"state\": \"" + state +
           "\", \"pipelineJobResourceName\": \"{{workflow.name}}\", "
           "\"pipelineTaskName\": " +
           Json(taskName).dump() + ", \"error\": " + error + "}";
}

Result<std::string> ArgoBuilder::rootExitHandler(const DagScope &root)
{
    Json tasks = Json::array();
    for (const std::string &key : m_rootExitTasks) {
        const ir::PipelineTask &task = root.dag->tasks.at(key);
        const std::string upstream =
            task.dependentTasks.empty() ? std::string() : task.dependentTasks.front();
        auto t = dagTask(key, task, root, RefScope::RootExit, upstream);
        if (!t)
            return t.error();
        tasks.push_back(std::move(t.value()));
    }
    // A single exit task without arguments is the KFP v1 shape: onExit names it directly.
    if (tasks.size() == 1 && !tasks[0].contains("arguments"))
        return tasks[0]["template"].get<std::string>();
    Json tmpl;
    tmpl["dag"]["tasks"] = std::move(tasks);
    return addTemplate(m_rootName + "-on-exit", std::move(tmpl));
}

Result<Json> ArgoBuilder::build()
{
    if (!m_spec.root.dag)
        return fail("the pipeline has no root DAG");
    const std::string prefix =
        generateNamePrefix(m_spec.pipelineName.empty() ? m_spec.displayName : m_spec.pipelineName);
    m_rootName = templateName(prefix.substr(0, prefix.size() - 1));

    Declared rootDeclared;
    auto arguments = workflowArguments(rootDeclared);
    if (!arguments)
        return arguments.error();

    auto entrypoint = dagTemplate("root", m_spec.root, rootDeclared, m_rootName, true);
    if (!entrypoint)
        return entrypoint.error();

    std::string onExit;
    if (!m_rootExitTasks.empty()) {
        DagScope scope{&m_spec.root, &*m_spec.root.dag, rootDeclared, true};
        auto handler = rootExitHandler(scope);
        if (!handler)
            return handler.error();
        onExit = *handler;
    }

    Json wf;
    wf["apiVersion"] = "argoproj.io/v1alpha1";
    wf["kind"] = "Workflow";
    wf["metadata"]["generateName"] = prefix;
    wf["metadata"]["annotations"]["pipelines.kubeflow.org/pipeline_spec"] = pipelineSpecAnnotation();
    wf["metadata"]["annotations"]["pipewright.dev/compiler_version"] = PW_VERSION;
    wf["metadata"]["labels"]["pipewright.dev/compiler_version"] = PW_VERSION;
    Json &spec = wf["spec"];
    spec["entrypoint"] = *entrypoint;
    spec["arguments"]["parameters"] = std::move(arguments.value());
    if (!m_options.serviceAccount.empty())
        spec["serviceAccountName"] = m_options.serviceAccount;
    if (!onExit.empty())
        spec["onExit"] = onExit;
    if (!m_pullSecrets.empty()) {
        Json secrets = Json::array();
        for (const std::string &name : m_pullSecrets)
            secrets.push_back({{"name", name}});
        spec["imagePullSecrets"] = std::move(secrets);
    }
    Json templates = Json::array();
    for (auto &[name, tmpl] : m_templates)
        templates.push_back(std::move(tmpl));
    spec["templates"] = std::move(templates);
    return wf;
}

} // namespace pw::argo
