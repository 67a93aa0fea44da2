// SPDX-License-Identifier: Apache-2.0
#include "compiler/runtimehelpers.h"

#include <algorithm>
#include <iterator>
#include <map>

namespace pw {

namespace {

// Reads the run time in UTC and writes it formatted in the given zone. Python's
// zoneinfo reads the IANA database, so any zone name works.
const char *kFormatScript = R"(import datetime, os, sys, zoneinfo
created = datetime.datetime.fromisoformat(sys.argv[1].replace('Z', '+00:00'))
if created.tzinfo is None:
    created = created.replace(tzinfo=datetime.timezone.utc)
text = created.astimezone(zoneinfo.ZoneInfo(sys.argv[3])).strftime(sys.argv[2])
os.makedirs(os.path.dirname(sys.argv[4]) or '.', exist_ok=True)
with open(sys.argv[4], 'w') as out:
    out.write(text)
)";

Component helperComponent()
{
    Component c;
    c.name = "Format run time";
    c.description = "Formats the run's creation time with a strftime pattern in an IANA time zone.";
    c.inputs = {PortSpec{"time", PortType::param(ParameterType::String), "", std::nullopt, false},
                PortSpec{"format", PortType::param(ParameterType::String), "", std::nullopt, false},
                PortSpec{"zone", PortType::param(ParameterType::String), "", std::nullopt, false}};
    c.outputs = {PortSpec{"Output", PortType::param(ParameterType::String), "", std::nullopt, false}};
    c.container.image = "python:3.11-slim";
    c.container.command = {CommandArg::literal("python3"), CommandArg::literal("-c"),
                           CommandArg::literal(kFormatScript),
                           CommandArg::ref(CommandArg::Kind::InputValue, "time"),
                           CommandArg::ref(CommandArg::Kind::InputValue, "format"),
                           CommandArg::ref(CommandArg::Kind::InputValue, "zone"),
                           CommandArg::ref(CommandArg::Kind::OutputPath, "Output")};
    return c;
}

bool needsHelper(const Binding &b)
{
    if (b.kind == Binding::Kind::RunValue)
        return !b.run.isPlain();
    if (b.kind == Binding::Kind::Template)
        for (const Binding &part : b.options)
            if (needsHelper(part))
                return true;
    return false;
}

class Rewriter final {
public:
    Rewriter(Pipeline &p, Graph &g) : m_pipeline(p), m_graph(g) {}

    void rewrite(Binding &b, const std::string &consumerGroup)
    {
        if (b.kind == Binding::Kind::Template) {
            for (Binding &part : b.options)
                rewrite(part, consumerGroup);
            return;
        }
        if (b.kind != Binding::Kind::RunValue || b.run.isPlain())
            return;
        const std::string helper = helperFor(b.run);
        m_consumerGroups[helper].push_back(consumerGroup);
        b = Binding::taskOutput(helper, "Output");
    }

    bool changed() const { return !m_helpers.empty(); }

    // Helper tasks are kept aside while the graph's tasks are being visited
    // (appending would invalidate the references being rewritten).
    void appendHelpers()
    {
        for (Task &t : m_added)
            t.group = enclosingExitHandler(m_consumerGroups[t.id]);
        std::move(m_added.begin(), m_added.end(), std::back_inserter(m_graph.tasks));
    }

private:
    std::string helperFor(const RunValue &v)
    {
        const std::string key = v.toSpec();
        if (auto it = m_helpers.find(key); it != m_helpers.end())
            return it->second;
        std::string id = "format-run-time";
        for (int n = 2; m_graph.task(id) || isAdded(id); ++n)
            id = "format-run-time-" + std::to_string(n);
        m_pipeline.components.try_emplace(kRunTimeHelperComponent, helperComponent());
        Task t;
        t.id = id;
        t.component = kRunTimeHelperComponent;
        RunValue time;
        time.kind = v.kind;
        t.arguments["time"] = Binding::runValue(time);
        t.arguments["format"] = Binding::constant(v.format.empty() ? "%Y-%m-%dT%H:%M:%S%z" : v.format);
        t.arguments["zone"] = Binding::constant(v.timeZone.empty() ? "UTC" : v.timeZone);
        t.settings.caching = false; // the value differs for every run
        m_added.push_back(std::move(t));
        m_helpers[key] = id;
        return id;
    }

    // The innermost exit handler around every consumer, so that a failing
    // helper still triggers the exit task; the graph root when there is none.
    // Loops and conditions are left out: the value is the same in each.
    std::string enclosingExitHandler(const std::vector<std::string> &consumerGroups) const
    {
        std::vector<std::vector<std::string>> chains;
        for (const std::string &group : consumerGroups) {
            std::vector<std::string> handlers;
            for (const Group *g : m_graph.groupChain(group))
                if (g->kind == Group::Kind::ExitHandler)
                    handlers.push_back(g->id);
            chains.push_back(std::move(handlers));
        }
        if (chains.empty())
            return {};
        for (const std::string &candidate : chains.front()) {
            const bool inAll = std::all_of(chains.begin() + 1, chains.end(), [&](const auto &chain) {
                return std::find(chain.begin(), chain.end(), candidate) != chain.end();
            });
            if (inAll)
                return candidate;
        }
        return {};
    }

    bool isAdded(const std::string &id) const
    {
        return std::any_of(m_added.begin(), m_added.end(), [&](const Task &t) { return t.id == id; });
    }

    Pipeline &m_pipeline;
    Graph &m_graph;
    std::map<std::string, std::string> m_helpers;
    std::map<std::string, std::vector<std::string>> m_consumerGroups; // helper task id -> consumers' groups
    std::vector<Task> m_added;
};

bool rewriteGraph(Pipeline &p, Graph &g)
{
    bool any = false;
    for (const Task &t : g.tasks)
        for (const auto &[_, b] : t.arguments)
            any = any || needsHelper(b);
    if (!any)
        return false;
    Rewriter rw(p, g);
    for (Task &t : g.tasks)
        for (auto &[_, b] : t.arguments)
            rw.rewrite(b, t.group);
    rw.appendHelpers();
    return rw.changed();
}

} // namespace

bool addRunTimeHelpers(Pipeline &pipeline)
{
    bool changed = rewriteGraph(pipeline, pipeline.root);
    for (auto &[id, c] : pipeline.components)
        if (c.kind == Component::Kind::Graph && c.graph) {
            auto copy = std::make_shared<Graph>(*c.graph); // graphs are shared between copies of a pipeline
            if (rewriteGraph(pipeline, *copy)) {
                c.graph = copy;
                changed = true;
            }
        }
    return changed;
}

} // namespace pw
