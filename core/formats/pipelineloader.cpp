// SPDX-License-Identifier: Apache-2.0
#include "formats/pipelineloader.h"

#include "compiler/raise.h"
#include "formats/componentloader.h"
#include "formats/document.h"
#include "ir/pipelinespecio.h"
#include "util/yamljson.h"
#include "validate/validator.h"

#include <yaml-cpp/yaml.h>

namespace pw {

namespace {

InputFormat formatOf(const YAML::Node &doc)
{
    if (!doc.IsMap())
        return InputFormat::Unknown;
    if (doc["pipewright"])
        return InputFormat::Document;
    if (doc["root"] || doc["deploymentSpec"] || doc["pipelineInfo"])
        return InputFormat::PipelineSpec;
    if (doc["implementation"] || (doc["name"] && (doc["inputs"] || doc["outputs"])))
        return InputFormat::ComponentV1;
    return InputFormat::Unknown;
}

bool isDirectParameter(const Binding &b, const std::string &name)
{
    return b.kind == Binding::Kind::Parameter && b.name == name;
}

// The single task of the wrapper that pipelineFromComponent, or the KFP
// compiler for a bare @component, puts around one component; null otherwise.
const Task *wrappedTask(const Pipeline &p)
{
    if (p.root.tasks.size() != 1 || !p.root.groups.empty())
        return nullptr;
    const Task &t = p.root.tasks.front();
    if (t.arguments.size() != p.inputs.size())
        return nullptr;
    for (const PortSpec &in : p.inputs) {
        auto it = t.arguments.find(in.name);
        if (it == t.arguments.end() || !isDirectParameter(it->second, in.name))
            return nullptr;
    }
    return p.component(t.component) ? &t : nullptr;
}

Result<Component> componentFromPipeline(Pipeline p, Pipeline &registry)
{
    if (const Task *t = wrappedTask(p))
        return *p.component(t->component);
    Component c;
    c.kind = Component::Kind::Graph;
    c.name = p.displayName.empty() ? p.name : p.displayName;
    c.description = p.description;
    c.inputs = std::move(p.inputs);
    c.outputs = std::move(p.outputs);
    c.graph = std::make_shared<Graph>(std::move(p.root));
    registry.components.merge(p.components);
    return c;
}

Result<std::vector<YAML::Node>> readYamlFile(const std::string &path)
{
    auto text = readTextFile(path);
    if (!text.ok())
        return text.error();
    return parseYamlDocuments(*text, path);
}

} // namespace

InputFormat detectFormat(std::string_view text)
{
    auto docs = parseYamlDocuments(text, {});
    if (!docs.ok() || docs->empty())
        return InputFormat::Unknown;
    return formatOf(docs->front());
}

Pipeline pipelineFromComponent(const Component &component, const std::string &componentId)
{
    Pipeline p;
    // As KFP names a task after its component: a Kubernetes name of at most
    // 63 characters ("component" when the component has no name).
    std::string id = sanitizeK8sName(component.name.empty() ? componentId : component.name);
    if (id.size() > 63)
        id = sanitizeK8sName(id.substr(0, 63));
    if (id.empty())
        id = "component";
    p.name = id;
    p.description = component.description;
    p.inputs = component.inputs;
    p.outputs = component.outputs;
    p.components[id] = component;
    Task t;
    t.id = id;
    t.component = id;
    for (const PortSpec &in : component.inputs)
        t.arguments[in.name] = Binding::parameter(in.name);
    for (const PortSpec &out : component.outputs)
        p.root.outputs[out.name] = Binding::taskOutput(id, out.name);
    p.root.tasks.push_back(std::move(t));
    return p;
}

Result<Component> loadAnyComponentFile(const std::string &path, Pipeline &registry)
{
    auto docs = readYamlFile(path);
    if (!docs.ok())
        return docs.error();
    if (!docs->empty() && formatOf(docs->front()) == InputFormat::PipelineSpec) {
        auto spec = ir::readPipelineSpec(*docs, path);
        if (!spec.ok())
            return spec.error();
        auto raised = raisePipelineSpec(*spec, path);
        if (!raised.ok())
            return raised.error();
        return componentFromPipeline(std::move(raised).value(), registry);
    }
    // The v1 loader's own checks name what is wrong with a file that is not a component.
    return parseComponentFileV1(docs->empty() ? YAML::Node() : docs->front(), path, registry);
}

Result<Pipeline> loadPipelineFile(const std::string &path)
{
    auto docs = readYamlFile(path);
    if (!docs.ok())
        return docs.error();
    if (docs->empty())
        return Error{"the file is empty", {path, 1, 1, {}, {}}};
    switch (formatOf(docs->front())) {
    case InputFormat::Document: return readDocument(*docs, path);
    case InputFormat::ComponentV1: {
        Pipeline registry;
        auto c = parseComponentV1(docs->front(), path, registry);
        if (!c.ok())
            return c.error();
        Pipeline p = pipelineFromComponent(*c, sanitizeK8sName(c->name));
        p.components.merge(registry.components); // components inside a graph component
        p.fileName = path;
        return p;
    }
    case InputFormat::PipelineSpec: {
        auto spec = ir::readPipelineSpec(*docs, path);
        if (!spec.ok())
            return spec.error();
        return raisePipelineSpec(*spec, path);
    }
    case InputFormat::Unknown: break;
    }
    const YAML::Mark mark = docs->front().Mark();
    return Error{"not a Pipewright document (pipewright: 1), a KFP component (implementation:) or a KFP "
                 "PipelineSpec (root:, deploymentSpec:)",
                 {path, mark.line >= 0 ? mark.line + 1 : 1, mark.column >= 0 ? mark.column + 1 : 1, {}, {}}};
}

} // namespace pw
