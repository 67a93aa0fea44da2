// SPDX-License-Identifier: Apache-2.0
#include "validate/connection.h"

#include "validate/validationcontext.h"

#include <deque>
#include <unordered_map>

namespace pw {

bool dependsOn(const Graph &graph, const std::string &to, const std::string &from, std::vector<std::string> *path)
{
    // Consumers of each task, so the search walks downstream from `from`.
    std::unordered_map<std::string, std::vector<std::string>> consumers;
    for (const Task &t : graph.tasks) {
        forEachTaskBinding(t, {}, [&](const Binding &root, const std::string &) {
            forEachBindingLeaf(root, [&](const Binding &b) {
                if (b.kind == Binding::Kind::TaskOutput)
                    consumers[b.task].push_back(t.id);
            });
        });
        for (const TaskId &up : t.after)
            consumers[up].push_back(t.id);
    }
    std::unordered_map<std::string, std::string> cameFrom{{from, {}}};
    std::deque<std::string> queue{from};
    while (!queue.empty()) {
        const std::string u = queue.front();
        queue.pop_front();
        if (u == to) {
            if (path) {
                path->clear();
                for (std::string at = to; !at.empty(); at = cameFrom[at])
                    path->insert(path->begin(), at);
            }
            return true;
        }
        for (const std::string &v : consumers[u]) {
            if (cameFrom.emplace(v, u).second)
                queue.push_back(v);
        }
    }
    return false;
}

std::string connectionProblem(const Pipeline &pipeline, const Graph &graph, const std::string &fromTask,
                              const std::string &output, const std::string &toTask, const std::string &input)
{
    const Task *producer = graph.task(fromTask);
    const Task *consumer = graph.task(toTask);
    if (!producer || !consumer)
        return "Both ends of a connection must be tasks of this pipeline";
    if (fromTask == toTask)
        return "A task cannot take its own output as an input";
    const Component *pc = pipeline.component(producer->component);
    const Component *cc = pipeline.component(consumer->component);
    const PortSpec *out = pc ? pc->output(output) : nullptr;
    const PortSpec *in = cc ? cc->input(input) : nullptr;
    if (!out)
        return "'" + producer->label() + "' has no output '" + output + "'";
    if (!in)
        return "'" + consumer->label() + "' has no input '" + input + "'";
    if (!isAssignable(out->type, in->type)) {
        return "Incompatible types: output '" + output + "' of '" + producer->label() + "' is " +
               out->type.displayName() + ", but input '" + input + "' of '" + consumer->label() + "' expects " +
               in->type.displayName();
    }
    std::vector<std::string> path;
    if (dependsOn(graph, fromTask, toTask, &path)) {
        std::string chain;
        for (const std::string &id : path)
            chain += (chain.empty() ? "" : " -> ") + id;
        chain += " -> " + toTask;
        return "This connection would form a cycle: " + chain + ". Tasks must run in order, so '" +
               consumer->label() + "' cannot feed '" + producer->label() + "' and read from it";
    }
    return {};
}

} // namespace pw
