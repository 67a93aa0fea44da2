// SPDX-License-Identifier: Apache-2.0
#include "validate/validationcontext.h"

#include <algorithm>
#include <deque>
#include <unordered_map>

namespace pw {

namespace {

struct DependencyEdge {
    int to = 0;
    std::string why; // "evaluate uses output 'model' of train"
};

using DependencyGraph = std::vector<std::vector<DependencyEdge>>;

// u -> v when v cannot start before u ends: data edges, `after`, and the
// conditions and loop items of every group around v.
DependencyGraph buildDependencies(const Graph &graph)
{
    std::unordered_map<std::string, int> indexOf;
    for (std::size_t i = 0; i < graph.tasks.size(); ++i)
        indexOf.emplace(graph.tasks[i].id, int(i));
    DependencyGraph deps(graph.tasks.size());

    for (std::size_t v = 0; v < graph.tasks.size(); ++v) {
        const Task &task = graph.tasks[v];
        auto addFrom = [&](const Binding &root, const std::string &via) {
            // A TaskStatus names an exit handler group, whose exit task runs
            // after the group anyway: it adds no edge between tasks.
            forEachBindingLeaf(root, [&](const Binding &b) {
                if (b.kind != Binding::Kind::TaskOutput)
                    return;
                auto it = indexOf.find(b.task);
                if (it == indexOf.end())
                    return;
                std::string why = task.id + " uses output '" + b.name + "' of " + b.task;
                deps[it->second].push_back({int(v), via.empty() ? why : why + " " + via});
            });
        };
        forEachTaskBinding(task, {}, [&](const Binding &b, const std::string &) { addFrom(b, {}); });
        for (const TaskId &up : task.after) {
            if (auto it = indexOf.find(up); it != indexOf.end())
                deps[it->second].push_back({int(v), task.id + " runs after " + up});
            // After a group: after every task inside it.
            for (std::size_t u = 0; u < graph.tasks.size(); ++u)
                for (const Group *g : graph.groupChain(graph.tasks[u].group))
                    if (g->id == up && u != v)
                        deps[u].push_back({int(v), task.id + " runs after group " + up});
        }
        for (const Group *g : graph.groupChain(task.group)) {
            if (g->condition) {
                addFrom(g->condition->lhs, "in the condition of group '" + g->id + "'");
                addFrom(g->condition->rhs, "in the condition of group '" + g->id + "'");
            }
            addFrom(g->loop.items, "as the items of loop '" + g->id + "'");
        }
    }
    return deps;
}

// Tarjan's strongly connected components, iterative so that long chains of
// tasks cannot exhaust the stack.
std::vector<std::vector<int>> cyclicComponents(const DependencyGraph &deps)
{
    const int n = int(deps.size());
    std::vector<int> index(n, -1), low(n, 0);
    std::vector<bool> onStack(n, false);
    std::vector<int> stack;
    std::vector<std::vector<int>> result;
    int counter = 0;
    for (int s = 0; s < n; ++s) {
        if (index[s] != -1)
            continue;
        std::vector<std::pair<int, std::size_t>> work{{s, 0}};
        index[s] = low[s] = counter++;
        stack.push_back(s);
        onStack[s] = true;
        while (!work.empty()) {
            const int v = work.back().first;
            const std::size_t i = work.back().second;
            if (i < deps[v].size()) {
                ++work.back().second;
                const int w = deps[v][i].to;
                if (index[w] == -1) {
                    index[w] = low[w] = counter++;
                    stack.push_back(w);
                    onStack[w] = true;
                    work.emplace_back(w, 0);
                } else if (onStack[w]) {
                    low[v] = std::min(low[v], index[w]);
                }
                continue;
            }
            if (low[v] == index[v]) {
                std::vector<int> members;
                int w = -1;
                do {
                    w = stack.back();
                    stack.pop_back();
                    onStack[w] = false;
                    members.push_back(w);
                } while (w != v);
                const bool selfLoop = std::any_of(deps[v].begin(), deps[v].end(),
                                                  [&](const DependencyEdge &e) { return e.to == v; });
                if (members.size() > 1 || selfLoop)
                    result.push_back(std::move(members));
            }
            work.pop_back();
            if (!work.empty())
                low[work.back().first] = std::min(low[work.back().first], low[v]);
        }
    }
    return result;
}

// Shortest way round the cycle through `start`, staying inside its component.
std::vector<const DependencyEdge *> cycleThrough(const DependencyGraph &deps, int start,
                                                 const std::vector<int> &members)
{
    std::vector<bool> inComponent(deps.size(), false);
    for (int m : members)
        inComponent[m] = true;
    std::vector<const DependencyEdge *> via(deps.size(), nullptr);
    std::vector<int> from(deps.size(), -1);
    std::deque<int> queue{start};
    std::vector<bool> seen(deps.size(), false);
    seen[start] = true;
    while (!queue.empty()) {
        const int x = queue.front();
        queue.pop_front();
        for (const DependencyEdge &e : deps[x]) {
            if (!inComponent[e.to])
                continue;
            if (e.to == start) {
                std::vector<const DependencyEdge *> path{&e};
                for (int at = x; at != start; at = from[at])
                    path.push_back(via[at]);
                std::reverse(path.begin(), path.end());
                return path;
            }
            if (!seen[e.to]) {
                seen[e.to] = true;
                from[e.to] = x;
                via[e.to] = &e;
                queue.push_back(e.to);
            }
        }
    }
    return {};
}

} // namespace

void checkCycles(ValidationContext &ctx, const GraphScope &scope)
{
    const Graph &graph = *scope.graph;
    const DependencyGraph deps = buildDependencies(graph);
    for (const std::vector<int> &members : cyclicComponents(deps)) {
        const int start = *std::min_element(members.begin(), members.end());
        const auto path = cycleThrough(deps, start, members);
        std::string chain = graph.tasks[start].id;
        std::string reasons;
        for (const DependencyEdge *e : path) {
            chain += " -> " + graph.tasks[e->to].id;
            reasons += (reasons.empty() ? "" : "; ") + e->why;
        }
        const std::string &id = graph.tasks[start].id;
        ctx.error("Tasks form a cycle: " + chain + " (" + reasons +
                      "). Remove one of these dependencies so the tasks can run in order",
                  ctx.locate(scope.keyPrefix + "tasks." + id, id));
    }
}

} // namespace pw
