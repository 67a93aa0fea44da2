// SPDX-License-Identifier: Apache-2.0
#include "pipelinejson.h"

#include <set>

namespace pw::serve {

namespace {

nlohmann::json parameterJson(const PortSpec &p)
{
    nlohmann::json j = {{"name", p.name},
                        {"type", p.type.displayName()},
                        {"description", p.description},
                        {"required", !p.defaultValue && !p.optional}};
    if (p.type.isArtifact())
        j["artifact"] = true;
    if (p.defaultValue)
        j["default"] = *p.defaultValue;
    return j;
}

// Every task a binding reads from (through if/elif outputs and templates too).
void upstreamTasks(const Binding &b, std::set<std::string> &out)
{
    if ((b.kind == Binding::Kind::TaskOutput || b.kind == Binding::Kind::TaskStatus) && !b.task.empty())
        out.insert(b.task);
    for (const Binding &o : b.options)
        upstreamTasks(o, out);
}

} // namespace

nlohmann::json pipelineSummaryJson(const PipelineCatalog::Entry &entry, const Pipeline &pipeline)
{
    nlohmann::json params = nlohmann::json::array();
    for (const PortSpec &p : pipeline.inputs)
        params.push_back(parameterJson(p));
    return {{"name", entry.name},
            {"kind", entry.kind},
            {"pipelineName", pipeline.name},
            {"displayName", pipeline.displayName.empty() ? pipeline.name : pipeline.displayName},
            {"description", pipeline.description},
            {"parameters", params}};
}

nlohmann::json pipelineDetailJson(const PipelineCatalog::Entry &entry, const Pipeline &pipeline,
                                  const std::string &documentText)
{
    nlohmann::json j = pipelineSummaryJson(entry, pipeline);
    nlohmann::json tasks = nlohmann::json::array();
    for (const Task &t : pipeline.root.tasks) {
        std::set<std::string> deps(t.after.begin(), t.after.end());
        for (const auto &[input, binding] : t.arguments)
            upstreamTasks(binding, deps);
        deps.erase(t.id);
        const Component *c = pipeline.component(t.component);
        tasks.push_back({{"id", t.id},
                         {"label", t.label()},
                         {"component", c ? c->name : t.component},
                         {"group", t.group},
                         {"dependsOn", std::vector<std::string>(deps.begin(), deps.end())}});
    }
    nlohmann::json groups = nlohmann::json::array();
    for (const Group &g : pipeline.root.groups)
        groups.push_back(
            {{"id", g.id}, {"parent", g.parent}, {"label", g.displayName.empty() ? g.id : g.displayName}});
    j["dag"] = {{"tasks", tasks}, {"groups", groups}};
    j["document"] = documentText;
    return j;
}

} // namespace pw::serve
