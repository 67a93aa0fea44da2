// SPDX-License-Identifier: Apache-2.0
// DAG templates and DAG tasks of the Argo target.
#include "targets/argobuilder.h"
#include "targets/argoexpressions.h"

#include <cctype>

namespace pw::argo {

namespace {

Error fail(std::string message)
{
    return Error{std::move(message), {}};
}

std::string taskTag(const std::string &taskKey, const std::string &kind, const std::string &name)
{
    return "{{tasks." + templateName(taskKey) + ".outputs." + kind + "." + parameterName(name) + "}}";
}

std::string taskVar(const std::string &taskKey, const std::string &kind, const std::string &name)
{
    return "tasks['" + templateName(taskKey) + "'].outputs." + kind + "['" + parameterName(name) + "']";
}

bool plainKey(const std::string &key)
{
    if (key.empty())
        return false;
    for (char c : key)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
            return false;
    return true;
}

// The loop-item field KFP selects with parseJson(string_value)["k"], passed
// from the loop task as {{item.k}} like KFP v1 did.
std::string subvarName(const std::string &itemInput, const std::string &key)
{
    return itemInput + "-subvar-" + key;
}

// Static selection of a constant: parseJson on a string, then the keys.
Result<Json> selectConstant(const Json &value, const std::vector<std::string> &keys)
{
    Json current = value;
    if (current.is_string()) {
        current = Json::parse(current.get<std::string>(), nullptr, false);
        if (current.is_discarded())
            return fail("parameterExpressionSelector applied to a constant that is not JSON");
    }
    for (const std::string &key : keys) {
        if (!current.is_object() || !current.contains(key))
            return fail("parameterExpressionSelector key '" + key + "' is not in the constant");
        current = Json(current[key]);
    }
    return current;
}

bool isLoop(const ir::Dag &dag, const std::string &taskKey)
{
    auto it = dag.tasks.find(taskKey);
    return it != dag.tasks.end() && (it->second.parameterIterator || it->second.artifactIterator);
}

// `tasks['a'].status == 'Succeeded' ? x : (...)`: the first branch that ran wins.
std::string oneofExpression(const std::vector<std::pair<std::string, std::string>> &choices)
{
    std::string expression = choices.back().second;
    for (size_t i = choices.size() - 1; i-- > 0;)
        expression = "tasks['" + templateName(choices[i].first) + "'].status == 'Succeeded' ? " +
                     choices[i].second + " : (" + expression + ")";
    return expression;
}

} // namespace

Result<std::string> ArgoBuilder::dagTemplate(const std::string &componentName,
                                             const ir::ComponentSpec &component, const Declared &declared,
                                             const std::string &preferredName, bool root)
{
    if (!component.dag)
        return fail("component '" + componentName + "' has no DAG");
    const ir::Dag &dag = *component.dag;
    DagScope scope{&component, &dag, declared, root};

    std::set<std::string> exitKeys;
    for (const auto &[key, task] : dag.tasks)
        if (task.triggerStrategy == kTriggerAllCompleted)
            exitKeys.insert(key);
    for (const auto &[key, task] : dag.tasks) {
        if (exitKeys.count(key))
            continue;
        for (const std::string &dep : task.dependentTasks)
            if (exitKeys.count(dep))
                return fail("task '" + key + "' runs after '" + dep +
                            "', which only runs when its upstream tasks completed; Argo runs such tasks as "
                            "exit handlers, and nothing can run after an exit handler");
    }

    std::map<std::string, Json> tasks;
    for (const auto &[key, task] : dag.tasks) {
        if (exitKeys.count(key))
            continue;
        auto t = dagTask(key, task, scope, RefScope::Dag, {});
        if (!t)
            return t.error();
        tasks.emplace(key, std::move(t.value()));
    }
    for (const std::string &key : exitKeys) {
        if (root) {
            m_rootExitTasks.push_back(key);
            continue;
        }
        const ir::PipelineTask &task = dag.tasks.at(key);
        if (task.dependentTasks.size() != 1 || !tasks.count(task.dependentTasks.front()))
            return fail("exit handler task '" + key +
                        "' inside a sub-DAG must follow exactly one task for Argo (it becomes that task's "
                        "exit hook)");
        const std::string &upstream = task.dependentTasks.front();
        auto t = dagTask(key, task, scope, RefScope::Hook, upstream);
        if (!t)
            return t.error();
        Json &target = tasks.at(upstream);
        if (target.contains("hooks"))
            return fail("task '" + upstream +
                        "' has more than one exit handler task; Argo allows one exit hook");
        Json hook = {{"template", t.value()["template"]}};
        if (t.value().contains("arguments"))
            hook["arguments"] = t.value()["arguments"];
        target["hooks"]["exit"] = std::move(hook);
    }

    Json tmpl;
    Json params = Json::array();
    for (const std::string &name : declared.params) {
        Json p = {{"name", parameterName(name)}};
        auto it = component.inputDefinitions.parameters.find(name);
        if (!root && it != component.inputDefinitions.parameters.end() && it->second.defaultValue)
            p["default"] = encodeParameterValue(*it->second.defaultValue, it->second.parameterType);
        params.push_back(std::move(p));
    }
    Json artifacts = Json::array();
    for (const std::string &name : declared.artifacts)
        artifacts.push_back({{"name", parameterName(name)}});
    if (!params.empty())
        tmpl["inputs"]["parameters"] = std::move(params);
    if (!artifacts.empty())
        tmpl["inputs"]["artifacts"] = std::move(artifacts);
    Json taskList = Json::array();
    for (auto &[key, t] : tasks)
        taskList.push_back(std::move(t));
    tmpl["dag"]["tasks"] = std::move(taskList);
    auto outputs = dagOutputs(dag);
    if (!outputs)
        return outputs.error();
    if (!outputs->empty())
        tmpl["outputs"] = std::move(outputs.value());
    return addTemplate(preferredName, std::move(tmpl), root);
}

Result<Json> ArgoBuilder::dagOutputs(const ir::Dag &dag) const
{
    Json out = Json::object();
    Json params = Json::array();
    for (const auto &[name, output] : dag.outputParameters) {
        Json p = {{"name", parameterName(name)}};
        if (output.valueFromParameter) {
            const auto &s = *output.valueFromParameter;
            p["valueFrom"]["parameter"] = taskTag(s.producerSubtask, "parameters", s.outputParameterKey);
        } else if (!output.valueFromOneof.empty()) {
            std::vector<std::pair<std::string, std::string>> choices;
            for (const auto &s : output.valueFromOneof)
                choices.emplace_back(s.producerSubtask,
                                     taskVar(s.producerSubtask, "parameters", s.outputParameterKey));
            p["valueFrom"]["expression"] = oneofExpression(choices);
        } else {
            return fail("DAG output parameter '" + name + "' has no source");
        }
        params.push_back(std::move(p));
    }
    Json artifacts = Json::array();
    for (const auto &[name, output] : dag.outputArtifacts) {
        Json a = {{"name", parameterName(name)}};
        if (output.artifactSelectors.empty())
            return fail("DAG output artifact '" + name + "' has no source");
        for (const auto &selector : output.artifactSelectors)
            if (isLoop(dag, selector.producerSubtask))
                return fail("DAG output artifact '" + name +
                            "' collects artifacts from the iterations of loop '" + selector.producerSubtask +
                            "'; Argo passes artifacts of single tasks only");
        if (output.artifactSelectors.size() == 1) {
            const auto &s = output.artifactSelectors.front();
            a["from"] = taskTag(s.producerSubtask, "artifacts", s.outputArtifactKey);
        } else {
            std::vector<std::pair<std::string, std::string>> choices;
            for (const auto &s : output.artifactSelectors)
                choices.emplace_back(s.producerSubtask,
                                     taskVar(s.producerSubtask, "artifacts", s.outputArtifactKey));
            a["fromExpression"] = oneofExpression(choices);
        }
        artifacts.push_back(std::move(a));
    }
    if (!params.empty())
        out["parameters"] = std::move(params);
    if (!artifacts.empty())
        out["artifacts"] = std::move(artifacts);
    return out;
}

Result<std::optional<std::string>> ArgoBuilder::parameterValue(const ir::InputParameter &p,
                                                               const DagScope &scope, RefScope refs,
                                                               const std::string &hookedTask) const
{
    using Value = std::optional<std::string>;
    if (p.taskFinalStatus) {
        if (refs == RefScope::Dag)
            return fail("an input takes the final status of task '" + *p.taskFinalStatus +
                        "', but only exit handler tasks (strategy ALL_UPSTREAM_TASKS_COMPLETED) can");
        return Value(finalStatusJson(refs, hookedTask.empty() ? *p.taskFinalStatus : hookedTask, *scope.dag));
    }
    std::vector<std::string> keys;
    if (!p.parameterExpressionSelector.empty()) {
        auto parsed = selectorKeys(p.parameterExpressionSelector);
        if (!parsed)
            return parsed.error();
        keys = std::move(parsed.value());
    }
    std::string text, var;
    if (!p.componentInputParameter.empty()) {
        const std::string &name = p.componentInputParameter;
        if (keys.size() == 1 && scope.declared.params.count(subvarName(name, keys.front())))
            return Value(paramTag(subvarName(name, keys.front())));
        if (!scope.declared.params.count(name))
            return Value(); // an optional input nobody set: the argument is left out
        if (refs == RefScope::RootExit) {
            text = "{{workflow.parameters." + parameterName(name) + "}}";
            var = "workflow.parameters['" + parameterName(name) + "']";
        } else {
            text = paramTag(name);
            var = paramVar(name);
        }
    } else if (p.taskOutputParameter) {
        const auto &o = *p.taskOutputParameter;
        if (refs == RefScope::RootExit)
            return fail("the exit handler reads output '" + o.outputParameterKey + "' of task '" +
                        o.producerTask + "'; Argo's onExit template cannot read task outputs");
        text = taskTag(o.producerTask, "parameters", o.outputParameterKey);
        var = taskVar(o.producerTask, "parameters", o.outputParameterKey);
    } else {
        return fail("a task input parameter has no source");
    }
    if (keys.empty())
        return Value(text);
    std::string path = "$";
    for (const std::string &key : keys) {
        if (!plainKey(key))
            return fail("parameterExpressionSelector key '" + key +
                        "' cannot be written as an Argo JSON path");
        path += "." + key;
    }
    return Value("{{=jsonpath(" + var + ", " + exprString(path) + ")}}");
}

std::optional<Result<std::string>> ArgoBuilder::renderRunPlaceholder(const ir::KfpPlaceholder &ph,
                                                                     const std::string &taskName) const
{
    using Kind = ir::KfpPlaceholder::Kind;
    switch (ph.kind) {
    case Kind::JobName:
    case Kind::JobResourceName:
        return std::string("{{workflow.name}}");
    case Kind::JobUuid:
        return std::string("{{workflow.uid}}");
    case Kind::JobCreateTime:
    case Kind::JobScheduleTime:
        // A plain Workflow has no schedule time; the creation time is the closest.
        return std::string("{{workflow.creationTimestamp.RFC3339}}");
    case Kind::TaskName:
        return taskName;
    case Kind::PipelineRoot:
        if (m_spec.defaultPipelineRoot.empty())
            return fail(ph.toString() + " is used but the pipeline has no default pipeline root");
        return m_spec.defaultPipelineRoot;
    case Kind::RunTime:
    case Kind::ScheduleTime:
        return runTimeExpression(ph.format(), ph.zone());
    default:
        return std::nullopt;
    }
}

Result<std::string> ArgoBuilder::renderConstant(const std::string &text, const ir::PipelineTask &task,
                                                const std::map<std::string, std::string> &siblings) const
{
    return renderPlaceholders(text, [&](const ir::KfpPlaceholder &ph) -> Result<std::string> {
        if (auto run = renderRunPlaceholder(ph, task.taskInfoName))
            return *run;
        if (ph.kind != ir::KfpPlaceholder::Kind::InputParameter)
            return fail(ph.toString() + " cannot be used in an argument of task '" + task.taskInfoName + "'");
        if (auto it = siblings.find(ph.name.value); it != siblings.end())
            return it->second;
        return fail("a constant of task '" + task.taskInfoName + "' refers to input '" + ph.name.value +
                    "', which the task does not receive");
    });
}

Result<ArgoBuilder::TaskArgs> ArgoBuilder::taskArguments(const ir::PipelineTask &task, const DagScope &scope,
                                                         RefScope refs, const std::string &hookedTask) const
{
    const ir::ComponentSpec *child = component(task.componentRef);
    if (!child)
        return fail("task '" + task.taskInfoName + "' refers to unknown component '" + task.componentRef +
                    "'");
    auto typeOf = [&](const std::string &name) {
        auto it = child->inputDefinitions.parameters.find(name);
        return it == child->inputDefinitions.parameters.end() ? std::string() : it->second.parameterType;
    };

    TaskArgs args;
    for (const auto &[name, p] : task.inputs.parameters) {
        if (p.runtimeValue)
            continue;
        auto value = parameterValue(p, scope, refs, hookedTask);
        if (!value)
            return value.error();
        if (!*value)
            continue;
        args.values[name] = **value;
        if (!p.componentInputParameter.empty() && p.parameterExpressionSelector.empty())
            if (auto known = scope.declared.known.find(p.componentInputParameter);
                known != scope.declared.known.end())
                args.declared.known[name] = known->second;
    }
    // Constants after references: a constant may quote a sibling input.
    std::vector<std::pair<std::string, std::string>> templated;
    for (const auto &[name, p] : task.inputs.parameters) {
        if (!p.runtimeValue)
            continue;
        Json value = *p.runtimeValue;
        if (!p.parameterExpressionSelector.empty()) {
            auto keys = selectorKeys(p.parameterExpressionSelector);
            if (!keys)
                return keys.error();
            auto selected = selectConstant(value, *keys);
            if (!selected)
                return selected.error();
            value = std::move(selected.value());
        }
        std::string text = encodeParameterValue(value, typeOf(name));
        if (ir::containsKfpPlaceholder(text)) {
            templated.emplace_back(name, std::move(text));
        } else {
            args.declared.known[name] = text;
            args.values[name] = std::move(text);
        }
    }
    for (auto &[name, text] : templated) {
        auto rendered = renderConstant(text, task, args.values);
        if (!rendered)
            return rendered.error();
        args.values[name] = std::move(rendered.value());
    }

    if (task.parameterIterator && refs == RefScope::Dag) {
        const std::string &item = task.parameterIterator->itemInput;
        args.values[item] = "{{item}}";
        if (child->dag) {
            for (const auto &[innerKey, inner] : child->dag->tasks) {
                (void)innerKey;
                for (const auto &[innerName, ip] : inner.inputs.parameters) {
                    (void)innerName;
                    if (ip.componentInputParameter != item || ip.parameterExpressionSelector.empty())
                        continue;
                    auto keys = selectorKeys(ip.parameterExpressionSelector);
                    if (keys && keys->size() == 1 && plainKey(keys->front()))
                        args.values[subvarName(item, keys->front())] = "{{item." + keys->front() + "}}";
                }
            }
        }
    }

    for (const auto &[name, a] : task.inputs.artifacts) {
        if (refs == RefScope::RootExit)
            return fail("exit handler task '" + task.taskInfoName + "' takes artifact '" + name +
                        "'; Argo's onExit template cannot receive artifacts");
        if (!a.componentInputArtifact.empty()) {
            if (scope.declared.rawArtifacts.count(a.componentInputArtifact))
                args.artifacts[name] = {{"raw", {{"data", paramTag(a.componentInputArtifact)}}}};
            else if (scope.declared.artifacts.count(a.componentInputArtifact))
                args.artifacts[name] = {
                    {"from", "{{inputs.artifacts." + parameterName(a.componentInputArtifact) + "}}"}};
        } else if (a.taskOutputArtifact) {
            if (scope.dag && isLoop(*scope.dag, a.taskOutputArtifact->producerTask))
                return fail("task '" + task.taskInfoName + "' takes artifact '" + name +
                            "' from the iterations of loop '" + a.taskOutputArtifact->producerTask +
                            "'; Argo passes artifacts of single tasks only");
            args.artifacts[name] = {{"from", taskTag(a.taskOutputArtifact->producerTask, "artifacts",
                                                     a.taskOutputArtifact->outputArtifactKey)}};
        } else {
            return fail("input artifact '" + name + "' of task '" + task.taskInfoName + "' has no source");
        }
    }

    for (const auto &[name, text] : args.values) {
        (void)text;
        args.declared.params.insert(name);
    }
    for (const auto &[name, spec] : child->inputDefinitions.parameters) {
        if (!spec.defaultValue || args.values.count(name))
            continue;
        args.declared.params.insert(name);
        args.declared.known[name] = encodeParameterValue(*spec.defaultValue, spec.parameterType);
    }
    for (const auto &[name, from] : args.artifacts) {
        (void)from;
        args.declared.artifacts.insert(name);
    }
    return args;
}

Result<ArgoBuilder::ChildRef> ArgoBuilder::childTemplate(const ir::PipelineTask &task, const TaskArgs &args,
                                                         const DagScope &scope, RefScope refs)
{
    const ir::ComponentSpec *child = component(task.componentRef);
    if (!child)
        return fail("task '" + task.taskInfoName + "' refers to unknown component '" + task.componentRef +
                    "'");
    if (child->dag) {
        auto name = dagTemplate(task.componentRef, *child, args.declared,
                                stripPrefix(task.componentRef, "comp-"), false);
        if (!name)
            return name.error();
        return ChildRef{*name, {}};
    }
    auto executor = m_spec.executors.find(child->executorLabel);
    if (executor == m_spec.executors.end())
        return fail("component '" + task.componentRef + "' refers to unknown executor '" +
                    child->executorLabel + "'");

    ContainerUse use;
    use.task = &task;
    use.taskName = task.taskInfoName;
    use.component = child;
    use.executorLabel = child->executorLabel;
    use.declared = args.declared;
    for (const std::string &name : args.declared.params) {
        auto it = child->inputDefinitions.parameters.find(name);
        use.paramTypes[name] =
            it == child->inputDefinitions.parameters.end() ? "STRING" : it->second.parameterType;
    }
    auto k8s = resolveK8s(child->executorLabel, scope, refs);
    if (!k8s)
        return k8s.error();
    use.k8s = std::move(k8s.value());

    Result<std::string> name =
        fail("executor '" + child->executorLabel + "' is neither a container nor an importer");
    if (executor->second.container)
        name = containerTemplate(use);
    else if (executor->second.importer)
        name = importerTemplate(use, *executor->second.importer);
    if (!name)
        return name.error();
    return ChildRef{*name, use.k8s.arguments()};
}

Result<Json> ArgoBuilder::dagTask(const std::string &taskKey, const ir::PipelineTask &task,
                                  const DagScope &scope, RefScope refs, const std::string &hookedTask)
{
    auto args = taskArguments(task, scope, refs, hookedTask);
    if (!args)
        return args.error();
    auto child = childTemplate(task, *args, scope, refs);
    if (!child)
        return child.error();

    Json t;
    t["name"] = templateName(taskKey);
    t["template"] = child->name;
    Json params = Json::array();
    for (const auto &[name, value] : args->values)
        params.push_back({{"name", parameterName(name)}, {"value", value}});
    for (const auto &[name, value] : child->extraArguments)
        params.push_back({{"name", name}, {"value", value}});
    Json artifacts = Json::array();
    for (const auto &[name, argument] : args->artifacts) {
        Json a = {{"name", parameterName(name)}};
        a.update(argument);
        artifacts.push_back(std::move(a));
    }
    if (!params.empty())
        t["arguments"]["parameters"] = std::move(params);
    if (!artifacts.empty())
        t["arguments"]["artifacts"] = std::move(artifacts);
    if (refs != RefScope::Dag)
        return t;

    std::set<std::string> deps;
    for (const std::string &dep : task.dependentTasks)
        deps.insert(templateName(dep));
    if (!deps.empty())
        t["dependencies"] = Json(std::vector<std::string>(deps.begin(), deps.end()));

    if (!task.triggerCondition.empty()) {
        const auto &values = args->values;
        auto when =
            whenFromCel(task.triggerCondition, [&](const std::string &name) -> std::optional<std::string> {
                auto it = values.find(name);
                if (it == values.end())
                    return std::nullopt;
                return it->second;
            });
        if (!when)
            return Error{when.error().message + " (task '" + taskKey + "')", {}};
        t["when"] = *when;
    }

    if (task.artifactIterator)
        return fail("task '" + taskKey +
                    "' loops over an artifact list, which an Argo Workflow cannot express");
    if (task.parameterIterator) {
        const ir::ParameterIterator &it = *task.parameterIterator;
        std::string source;
        if (it.raw) {
            source = *it.raw;
        } else {
            auto v = args->values.find(it.inputParameter);
            if (v == args->values.end())
                return fail("loop task '" + taskKey + "' iterates over input '" + it.inputParameter +
                            "', which it does not receive");
            source = v->second;
        }
        if (source.find("{{") != std::string::npos) {
            t["withParam"] = source;
        } else {
            Json items = Json::parse(source, nullptr, false);
            if (items.is_discarded() || !items.is_array())
                return fail("loop task '" + taskKey + "' iterates over '" + source +
                            "', which is not a JSON list");
            t["withItems"] = std::move(items);
        }
        if (task.iteratorParallelism && *task.iteratorParallelism > 0)
            return parallelismWrapper(std::move(t), *task.iteratorParallelism, *component(task.componentRef));
    }
    return t;
}

Result<Json> ArgoBuilder::parallelismWrapper(Json loopTask, int parallelism, const ir::ComponentSpec &child)
{
    // Template parallelism counts the template's own children, so the limit
    // goes on a DAG that holds only the expanded loop task (putting it on
    // the loop body would limit the steps inside one iteration instead).
    constexpr const char *itemsInput = "pipewright-loop-items";
    Json inner = loopTask;
    inner.erase("dependencies");
    inner.erase("when");
    Json wrapperInputs = Json::array(), innerParams = Json::array(), outerParams = Json::array();
    if (loopTask.contains("arguments") && loopTask["arguments"].contains("parameters")) {
        for (const Json &p : loopTask["arguments"]["parameters"]) {
            const std::string value = p["value"].get<std::string>();
            if (value.rfind("{{item", 0) == 0) {
                innerParams.push_back(p);
                continue;
            }
            const std::string name = p["name"].get<std::string>();
            wrapperInputs.push_back({{"name", name}});
            innerParams.push_back({{"name", name}, {"value", "{{inputs.parameters." + name + "}}"}});
            outerParams.push_back(p);
        }
    }
    Json wrapperArtifacts = Json::array(), innerArtifacts = Json::array(), outerArtifacts = Json::array();
    if (loopTask.contains("arguments") && loopTask["arguments"].contains("artifacts")) {
        for (const Json &a : loopTask["arguments"]["artifacts"]) {
            const std::string name = a["name"].get<std::string>();
            wrapperArtifacts.push_back({{"name", name}});
            innerArtifacts.push_back({{"name", name}, {"from", "{{inputs.artifacts." + name + "}}"}});
            outerArtifacts.push_back(a);
        }
    }
    if (loopTask.contains("withParam")) {
        wrapperInputs.push_back({{"name", itemsInput}});
        outerParams.push_back({{"name", itemsInput}, {"value", loopTask["withParam"]}});
        inner["withParam"] = std::string("{{inputs.parameters.") + itemsInput + "}}";
    }
    inner.erase("arguments");
    if (!innerParams.empty())
        inner["arguments"]["parameters"] = std::move(innerParams);
    if (!innerArtifacts.empty())
        inner["arguments"]["artifacts"] = std::move(innerArtifacts);

    Json wrapper;
    if (!wrapperInputs.empty())
        wrapper["inputs"]["parameters"] = std::move(wrapperInputs);
    if (!wrapperArtifacts.empty())
        wrapper["inputs"]["artifacts"] = std::move(wrapperArtifacts);
    wrapper["parallelism"] = parallelism;
    const std::string innerName = inner["name"].get<std::string>();
    Json outputs = Json::array();
    for (const auto &[name, spec] : child.outputDefinitions.parameters) {
        (void)spec;
        outputs.push_back({{"name", parameterName(name)},
                           {"valueFrom", {{"parameter", taskTag(innerName, "parameters", name)}}}});
    }
    if (!outputs.empty())
        wrapper["outputs"]["parameters"] = std::move(outputs);
    const std::string bodyName = loopTask["template"].get<std::string>();
    wrapper["dag"]["tasks"] = Json::array({std::move(inner)});
    const std::string wrapperName = addTemplate(bodyName + "-parallelism", std::move(wrapper));

    Json outer = std::move(loopTask);
    outer["template"] = wrapperName;
    outer.erase("withItems");
    outer.erase("withParam");
    outer.erase("arguments");
    if (!outerParams.empty())
        outer["arguments"]["parameters"] = std::move(outerParams);
    if (!outerArtifacts.empty())
        outer["arguments"]["artifacts"] = std::move(outerArtifacts);
    return outer;
}

} // namespace pw::argo
