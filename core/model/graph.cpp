// SPDX-License-Identifier: Apache-2.0
#include "model/graph.h"

#include <algorithm>

namespace pw {

namespace {
template <typename Vec, typename Id>
auto findById(Vec &items, Id id) -> decltype(&items.front())
{
    auto it = std::find_if(items.begin(), items.end(), [&](const auto &x) { return x.id == id; });
    return it == items.end() ? nullptr : &*it;
}
} // namespace

Task *Graph::task(std::string_view id) { return findById(tasks, id); }
const Task *Graph::task(std::string_view id) const { return findById(tasks, id); }
Group *Graph::group(std::string_view id) { return findById(groups, id); }
const Group *Graph::group(std::string_view id) const { return findById(groups, id); }

std::vector<const Group *> Graph::groupChain(std::string_view groupId) const
{
    std::vector<const Group *> chain;
    const Group *g = groupId.empty() ? nullptr : group(groupId);
    // Bounded by the number of groups so a malformed parent cycle cannot hang.
    while (g && chain.size() <= groups.size()) {
        chain.push_back(g);
        g = g->parent.empty() ? nullptr : group(g->parent);
    }
    return chain;
}

} // namespace pw
