// SPDX-License-Identifier: Apache-2.0
#include "engine/commandresolver.h"
#include "engine/conditionexpr.h"
#include "engine/runner.h"
#include "ir/kfpplaceholder.h"

namespace pw {

namespace {

using Json = nlohmann::json;

// KFP's parameterExpressionSelector as the compiler emits it for loop item
// fields: parseJson(string_value)["key"] (keys and indexes may repeat).
Result<Json> applySelector(const Json &value, const std::string &selector)
{
    constexpr std::string_view kParse = "parseJson(string_value)";
    if (selector.rfind(kParse, 0) != 0)
        return Error{"unsupported parameter selector '" + selector + "'", {}};
    Json v = value;
    if (v.is_string()) {
        v = Json::parse(value.get<std::string>(), nullptr, false);
        if (v.is_discarded())
            return Error{"selector '" + selector + "' needs JSON, got " + value.dump(), {}};
    }
    std::string_view rest = std::string_view(selector).substr(kParse.size());
    while (!rest.empty()) {
        if (rest.substr(0, 2) == "[\"") {
            const auto end = rest.find("\"]");
            if (end == std::string_view::npos)
                break;
            const std::string key(rest.substr(2, end - 2));
            if (!v.is_object() || !v.contains(key))
                return Error{"the value has no field '" + key + "'", {}};
            v = v[key];
            rest.remove_prefix(end + 2);
        } else if (rest.front() == '[') {
            const auto end = rest.find(']');
            if (end == std::string_view::npos)
                break;
            const std::size_t i = std::stoul(std::string(rest.substr(1, end - 1)));
            if (!v.is_array() || i >= v.size())
                return Error{"the value has no item " + std::to_string(i), {}};
            v = v[i];
            rest.remove_prefix(end + 1);
        } else {
            break;
        }
    }
    if (!rest.empty())
        return Error{"unsupported parameter selector '" + selector + "'", {}};
    return v;
}

std::string stateWord(TaskState s) { return std::string(toString(s)); }

} // namespace

bool Runner::dependencyFailed(const RunNode &n, std::string &who) const
{
    for (int d : n.deps) {
        const RunNode &dep = m_nodes[d];
        if (dep.state == TaskState::Failed || dep.state == TaskState::Cancelled ||
            (dep.state == TaskState::Skipped && dep.upstreamFailed)) {
            who = dep.name;
            return true;
        }
    }
    return false;
}

Json Runner::finalStatus(const RunNode &producer) const
{
    // PipelineTaskFinalStatus, with KFP's field names.
    std::string state = "SUCCEEDED";
    if (producer.state == TaskState::Failed)
        state = "FAILED";
    else if (producer.state == TaskState::Cancelled)
        state = "CANCELLED";
    else if (producer.state == TaskState::Skipped)
        state = "SKIPPED";
    Json status = {{"state", state},
                   {"pipelineJobName", m_run.name},
                   {"pipelineJobUuid", m_run.id},
                   {"pipelineJobResourceName", "runs/" + m_run.id},
                   {"pipelineTaskName", producer.name}};
    if (state == "FAILED")
        status["error"] = {{"code", 2}, {"message", producer.message}};
    return status;
}

Runner::Resolution Runner::resolveInputs(RunNode &n, std::string &why)
{
    if (!n.task || !n.component) {
        why = "the task's component '" + (n.task ? n.task->componentRef : std::string()) + "' is missing";
        return Resolution::Fail;
    }
    const RunNode &scope = m_nodes[n.parent];
    std::map<std::string, std::string> missing; // input -> why it has no value
    bool producerSkipped = false;
    auto sibling = [&](const std::string &name) -> const RunNode * {
        auto it = scope.childByName.find(name);
        return it == scope.childByName.end() ? nullptr : &m_nodes[it->second];
    };
    auto noteMissing = [&](const std::string &input, const RunNode *producer, const std::string &producerName) {
        if (producer && producer->state == TaskState::Skipped)
            producerSkipped = true;
        missing[input] = "input '" + input + "' comes from '" + producerName + "', which " +
                         (producer ? "is " + stateWord(producer->state) + " without that output" : "does not exist");
    };

    Json params = Json::object();
    std::vector<std::string> templated;
    for (const auto &[name, p] : n.task->inputs.parameters) {
        std::optional<Json> value;
        if (p.runtimeValue) {
            if (p.runtimeValue->is_string() &&
                ir::containsKfpPlaceholder(p.runtimeValue->get_ref<const std::string &>())) {
                templated.push_back(name);
                continue;
            }
            value = *p.runtimeValue;
        } else if (p.taskOutputParameter) {
            const RunNode *producer = sibling(p.taskOutputParameter->producerTask);
            const std::string &key = p.taskOutputParameter->outputParameterKey;
            if (producer && producer->outputs.parameters.contains(key))
                value = producer->outputs.parameters[key];
            else
                noteMissing(name, producer, p.taskOutputParameter->producerTask);
        } else if (p.taskFinalStatus) {
            if (const RunNode *producer = sibling(*p.taskFinalStatus))
                value = finalStatus(*producer);
            else
                noteMissing(name, nullptr, *p.taskFinalStatus);
        } else if (!p.componentInputParameter.empty()) {
            if (scope.params.contains(p.componentInputParameter))
                value = scope.params[p.componentInputParameter];
            else
                missing[name] = "input '" + name + "' reads '" + p.componentInputParameter + "', which has no value";
        }
        if (value && !p.parameterExpressionSelector.empty()) {
            auto selected = applySelector(*value, p.parameterExpressionSelector);
            if (!selected.ok()) {
                why = "input '" + name + "': " + selected.error().message;
                return Resolution::Fail;
            }
            value = std::move(selected).value();
        }
        if (value)
            params[name] = std::move(*value);
    }
    std::map<std::string, std::vector<ArtifactValue>> artifacts;
    for (const auto &[name, a] : n.task->inputs.artifacts) {
        if (a.taskOutputArtifact) {
            const RunNode *producer = sibling(a.taskOutputArtifact->producerTask);
            const std::string &key = a.taskOutputArtifact->outputArtifactKey;
            auto it = producer ? producer->outputs.artifacts.find(key) : decltype(producer->outputs.artifacts.end()){};
            if (producer && it != producer->outputs.artifacts.end())
                artifacts[name] = it->second;
            else
                noteMissing(name, producer, a.taskOutputArtifact->producerTask);
        } else if (!a.componentInputArtifact.empty()) {
            if (auto it = scope.artifacts.find(a.componentInputArtifact); it != scope.artifacts.end())
                artifacts[name] = it->second;
            else
                missing[name] = "input '" + name + "' reads '" + a.componentInputArtifact + "', which has no value";
        }
    }
    if (!templated.empty()) {
        TaskContext ctx;
        ctx.taskName = n.name;
        ctx.parameters = params;
        ctx.artifacts = artifacts;
        ctx.run = &m_runValues;
        for (const std::string &name : templated) {
            auto text = resolveText(n.task->inputs.parameters.at(name).runtimeValue->get<std::string>(), ctx);
            if (!text.ok()) {
                why = "input '" + name + "': " + text.error().message;
                return Resolution::Fail;
            }
            params[name] = *text;
        }
    }
    // A loop's item input gets its value per iteration, not from the loop task.
    std::string itemInput;
    if (n.task->parameterIterator)
        itemInput = n.task->parameterIterator->itemInput;
    else if (n.task->artifactIterator)
        itemInput = n.task->artifactIterator->itemInput;
    for (const auto &[name, spec] : n.component->inputDefinitions.parameters) {
        if (params.contains(name) || name == itemInput)
            continue;
        if (spec.defaultValue && !spec.defaultValue->is_null()) {
            params[name] = *spec.defaultValue;
        } else if (!spec.isOptional) {
            auto m = missing.find(name);
            why = m != missing.end() ? m->second : "required input '" + name + "' has no value";
            return producerSkipped ? Resolution::Skip : Resolution::Fail;
        }
    }
    for (const auto &[name, spec] : n.component->inputDefinitions.artifacts) {
        if (artifacts.count(name) || spec.isOptional || name == itemInput)
            continue;
        auto m = missing.find(name);
        why = m != missing.end() ? m->second : "required input artifact '" + name + "' has no value";
        return producerSkipped ? Resolution::Skip : Resolution::Fail;
    }
    n.params = std::move(params);
    n.artifacts = std::move(artifacts);
    return Resolution::Ready;
}

Result<bool> Runner::evaluateTrigger(const RunNode &n) const
{
    return evaluateCondition(n.task->triggerCondition, n.params);
}

Result<bool> Runner::startLoop(RunNode &loop)
{
    const ir::PipelineTask &task = *loop.task;
    std::string itemInput;
    std::vector<Json> paramItems;
    std::vector<ArtifactValue> artifactItems;
    const bool overArtifacts = task.artifactIterator.has_value();
    if (overArtifacts) {
        itemInput = task.artifactIterator->itemInput;
        auto it = loop.artifacts.find(task.artifactIterator->inputArtifact);
        if (it == loop.artifacts.end())
            return Error{"loop input artifact '" + task.artifactIterator->inputArtifact + "' has no value", {}};
        artifactItems = it->second;
    } else {
        const ir::ParameterIterator &iter = *task.parameterIterator;
        itemInput = iter.itemInput;
        Json list;
        if (iter.raw) {
            list = Json::parse(*iter.raw, nullptr, false);
        } else if (loop.params.contains(iter.inputParameter)) {
            list = loop.params[iter.inputParameter];
            if (list.is_string())
                list = Json::parse(list.get<std::string>(), nullptr, false);
        }
        if (!list.is_array())
            return Error{"the loop's items are not a list" +
                             (iter.raw ? std::string(": ") + *iter.raw : " (input '" + iter.inputParameter + "')"),
                         {}};
        paramItems.assign(list.begin(), list.end());
    }
    loop.iterationLimit = task.iteratorParallelism.value_or(0);
    const std::size_t count = overArtifacts ? artifactItems.size() : paramItems.size();
    for (std::size_t i = 0; i < count; ++i) {
        RunNode it;
        it.kind = RunNode::Kind::Iteration;
        it.id = loop.id + "/" + std::to_string(i);
        it.name = std::to_string(i);
        it.displayName = loop.displayName + " #" + std::to_string(i);
        it.parent = loop.index;
        it.component = loop.component;
        it.params = loop.params;
        it.artifacts = loop.artifacts;
        if (overArtifacts)
            it.artifacts[itemInput] = {artifactItems[i]};
        else
            it.params[itemInput] = paramItems[i];
        const int index = addNode(std::move(it));
        m_nodes[loop.index].children.push_back(index);
        m_nodes[loop.index].childByName[std::to_string(i)] = index;
        expand(index, *loop.component);
    }
    return true;
}

void Runner::collectScopeOutputs(RunNode &scope)
{
    if (!scope.component || !scope.component->dag)
        return;
    const ir::Dag &dag = *scope.component->dag;
    auto child = [&](const std::string &name) -> const RunNode * {
        auto it = scope.childByName.find(name);
        return it == scope.childByName.end() ? nullptr : &m_nodes[it->second];
    };
    if (scope.kind == RunNode::Kind::Loop) {
        // Fan-in: one value per iteration, in item order (KFP's dsl.Collected).
        for (const auto &[key, _] : dag.outputParameters) {
            Json list = Json::array();
            for (int c : scope.children)
                if (m_nodes[c].outputs.parameters.contains(key))
                    list.push_back(m_nodes[c].outputs.parameters[key]);
            scope.outputs.parameters[key] = list;
        }
        for (const auto &[key, _] : dag.outputArtifacts) {
            std::vector<ArtifactValue> all;
            for (int c : scope.children)
                if (auto it = m_nodes[c].outputs.artifacts.find(key); it != m_nodes[c].outputs.artifacts.end())
                    all.insert(all.end(), it->second.begin(), it->second.end());
            scope.outputs.artifacts[key] = all;
        }
        return;
    }
    for (const auto &[key, out] : dag.outputParameters) {
        std::vector<ir::DagOutputParameter::Selector> selectors = out.valueFromOneof;
        if (out.valueFromParameter)
            selectors.insert(selectors.begin(), *out.valueFromParameter);
        for (const auto &sel : selectors) {
            const RunNode *producer = child(sel.producerSubtask);
            if (producer && producer->outputs.parameters.contains(sel.outputParameterKey)) {
                scope.outputs.parameters[key] = producer->outputs.parameters[sel.outputParameterKey];
                break;
            }
        }
    }
    for (const auto &[key, out] : dag.outputArtifacts) {
        for (const auto &sel : out.artifactSelectors) {
            const RunNode *producer = child(sel.producerSubtask);
            auto it = producer ? producer->outputs.artifacts.find(sel.outputArtifactKey)
                               : decltype(producer->outputs.artifacts.end()){};
            if (producer && it != producer->outputs.artifacts.end()) {
                scope.outputs.artifacts[key] = it->second;
                break;
            }
        }
    }
}

Result<TaskOutputs> Runner::importerOutputs(RunNode &n)
{
    const ir::ImporterExecutor &imp = *n.executor->importer;
    Json uri;
    if (imp.artifactUriConstant)
        uri = *imp.artifactUriConstant;
    else if (n.params.contains(imp.artifactUriRuntimeParameter))
        uri = n.params[imp.artifactUriRuntimeParameter];
    if (!uri.is_string() || uri.get<std::string>().empty())
        return Error{"the importer has no artifact URI", {}};
    ArtifactValue a;
    a.name = "artifact";
    a.uri = uri.get<std::string>();
    a.path = a.uri.rfind("file://", 0) == 0 ? a.uri.substr(7) : a.uri;
    if (!a.path.empty() && a.path.front() != '/' && a.path.find("://") == std::string::npos)
        a.path = m_workDir + "/" + a.path;
    a.schemaTitle = imp.typeSchema.schemaTitle.empty() ? a.schemaTitle : imp.typeSchema.schemaTitle;
    if (imp.metadata.is_object())
        a.metadata = imp.metadata;
    TaskOutputs out;
    out.artifacts["artifact"] = {a};
    return out;
}

} // namespace pw
