// SPDX-License-Identifier: Apache-2.0
#include "compiler/scopetree.h"

#include <algorithm>

namespace pw {

ScopeTree::ScopeTree(const Graph &graph) : m_graph(graph)
{
    m_taskGroup.reserve(graph.tasks.size());
    for (const Task &t : graph.tasks)
        m_taskGroup.emplace(t.id, t.group);
}

std::string ScopeTree::parent(const std::string &scope) const
{
    const Group *g = m_graph.group(scope);
    return g ? g->parent : std::string();
}

bool ScopeTree::isAncestorOrSelf(const std::string &ancestor, const std::string &scope) const
{
    if (ancestor.empty() || ancestor == scope)
        return true;
    for (const Group *g : m_graph.groupChain(scope))
        if (g->id == ancestor)
            return true;
    return false;
}

std::string ScopeTree::commonAncestor(const std::string &a, const std::string &b) const
{
    if (isAncestorOrSelf(a, b))
        return a;
    for (const Group *g : m_graph.groupChain(a))
        if (isAncestorOrSelf(g->id, b))
            return g->id;
    return {};
}

std::vector<std::string> ScopeTree::pathDown(const std::string &ancestor, const std::string &scope) const
{
    std::vector<std::string> path;
    for (const Group *g : m_graph.groupChain(scope)) {
        if (g->id == ancestor)
            break;
        path.push_back(g->id);
    }
    std::reverse(path.begin(), path.end());
    return path;
}

std::string ScopeTree::childToward(const std::string &ancestor, const std::string &scope) const
{
    const auto path = pathDown(ancestor, scope);
    return path.empty() ? std::string() : path.front();
}

std::string ScopeTree::scopeOfTask(const std::string &taskId) const
{
    auto it = m_taskGroup.find(taskId);
    return it == m_taskGroup.end() ? std::string() : it->second;
}

} // namespace pw
