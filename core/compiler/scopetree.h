// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/graph.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace pw {

// The nesting of a graph's groups seen as scopes: "" is the graph root, every
// group id is a scope inside its parent. Answers the questions the compiler
// asks when a value crosses group boundaries.
class ScopeTree final {
public:
    explicit ScopeTree(const Graph &graph);

    std::string parent(const std::string &scope) const; // "" for top-level groups; root has none
    bool isAncestorOrSelf(const std::string &ancestor, const std::string &scope) const;
    std::string commonAncestor(const std::string &a, const std::string &b) const;

    // Groups on the way from `ancestor` (exclusive) down to `scope` (inclusive), outermost first.
    std::vector<std::string> pathDown(const std::string &ancestor, const std::string &scope) const;

    // The scope `ancestor`'s direct child on the way to `scope`, or "" when scope == ancestor.
    std::string childToward(const std::string &ancestor, const std::string &scope) const;

    std::string scopeOfTask(const std::string &taskId) const;

private:
    const Graph &m_graph;
    std::unordered_map<std::string, std::string> m_taskGroup; // task id -> group

};

} // namespace pw
