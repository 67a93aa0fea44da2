// SPDX-License-Identifier: Apache-2.0
#include "layout/layeredlayout.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace pw {

namespace {

// Room a frame keeps around its content, and for its title bar (as the
// canvas draws them).
constexpr double kClusterPad = 16;
constexpr double kClusterHeader = 26;
// Ordering and balancing passes: enough to settle typical pipelines, few
// enough to stay linear.
constexpr int kOrderSweeps = 4;
constexpr int kBalanceSweeps = 4;
// A long edge gets one placeholder per rank it crosses, up to this many in
// all (times the level's size), so pathological graphs stay bounded.
constexpr std::size_t kDummyFactor = 8;

struct Size {
    double along = 0, across = 0;
};

struct Placed {
    double along = 0, across = 0; // top-left, in flow coordinates
};

// One level of the compound graph: boxes (nodes or whole clusters) and the
// edges between them, laid out as a flat layered graph.
class FlatLayout {
public:
    FlatLayout(std::vector<Size> boxes, const std::vector<std::pair<int, int>> &edges, double nodeSpacing,
               double rankSpacing)
        : m_sizes(std::move(boxes)), m_real(int(m_sizes.size())), m_nodeSpacing(nodeSpacing),
          m_rankSpacing(rankSpacing)
    {
        m_out.resize(m_sizes.size());
        m_in.resize(m_sizes.size());
        for (const auto &[a, b] : edges)
            m_edges.emplace_back(a, b);
    }

    std::vector<Placed> run()
    {
        breakCycles();
        assignRanks();
        addDummies();
        orderLayers();
        return placeBoxes();
    }

private:
    void link(int a, int b)
    {
        m_out[a].push_back(b);
        m_in[b].push_back(a);
    }

    // Reverses the edges that close a cycle, found by an iterative DFS.
    void breakCycles()
    {
        std::vector<std::vector<int>> out(m_real);
        for (const auto &[a, b] : m_edges)
            out[a].push_back(b);
        std::vector<char> state(m_real, 0); // 0 new, 1 on stack, 2 done
        std::unordered_set<std::uint64_t> reversed;
        auto key = [](int a, int b) { return (std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b); };
        std::vector<std::pair<int, std::size_t>> stack;
        for (int root = 0; root < m_real; ++root) {
            if (state[root])
                continue;
            stack.emplace_back(root, 0);
            state[root] = 1;
            while (!stack.empty()) {
                auto &[u, next] = stack.back();
                if (next < out[u].size()) {
                    const int v = out[u][next++];
                    if (state[v] == 1)
                        reversed.insert(key(u, v));
                    else if (state[v] == 0) {
                        state[v] = 1;
                        stack.emplace_back(v, 0);
                    }
                    continue;
                }
                state[u] = 2;
                stack.pop_back();
            }
        }
        for (auto &[a, b] : m_edges)
            if (reversed.count(key(a, b)))
                std::swap(a, b);
        for (const auto &[a, b] : m_edges)
            link(a, b);
    }

    // Longest path from the sources; a source then moves up to the rank just
    // before its nearest consumer, so inputs sit beside what reads them.
    void assignRanks()
    {
        m_rank.assign(m_real, 0);
        std::vector<int> indegree(m_real, 0);
        for (int v = 0; v < m_real; ++v)
            indegree[v] = int(m_in[v].size());
        for (int v = 0; v < m_real; ++v)
            if (indegree[v] == 0)
                m_topo.push_back(v);
        for (std::size_t q = 0; q < m_topo.size(); ++q) {
            const int u = m_topo[q];
            for (int v : m_out[u]) {
                m_rank[v] = std::max(m_rank[v], m_rank[u] + 1);
                if (--indegree[v] == 0)
                    m_topo.push_back(v);
            }
        }
        for (int v = 0; v < m_real; ++v) {
            if (!m_in[v].empty() || m_out[v].empty())
                continue;
            int nearest = m_rank[m_out[v].front()];
            for (int w : m_out[v])
                nearest = std::min(nearest, m_rank[w]);
            m_rank[v] = nearest - 1;
        }
    }

    // Splits edges spanning several ranks with placeholders, so ordering sees
    // them and nodes leave room for them to pass.
    void addDummies()
    {
        const std::size_t budget = kDummyFactor * (std::size_t(m_real) + 1);
        std::size_t used = 0;
        std::vector<std::pair<int, int>> longEdges;
        for (int u = 0; u < m_real; ++u)
            for (int v : m_out[u])
                if (m_rank[v] - m_rank[u] > 1)
                    longEdges.emplace_back(u, v);
        for (const auto &[u, v] : longEdges) {
            const std::size_t span = std::size_t(m_rank[v] - m_rank[u] - 1);
            if (used + span > budget)
                continue;
            used += span;
            std::erase(m_out[u], v);
            std::erase(m_in[v], u);
            int prev = u;
            for (int r = m_rank[u] + 1; r < m_rank[v]; ++r) {
                const int d = int(m_sizes.size());
                m_sizes.push_back({0, 0});
                m_rank.push_back(r);
                m_out.emplace_back();
                m_in.emplace_back();
                link(prev, d);
                prev = d;
            }
            link(prev, v);
        }
    }

    void orderLayers()
    {
        const int n = int(m_sizes.size());
        const int minRank = n ? *std::min_element(m_rank.begin(), m_rank.end()) : 0;
        int maxRank = 0;
        for (int &r : m_rank) {
            r -= minRank;
            maxRank = std::max(maxRank, r);
        }
        m_layers.assign(n ? maxRank + 1 : 0, {});
        // First order: topological, then placeholders in creation order.
        std::vector<char> seen(n, 0);
        for (int v : m_topo) {
            m_layers[m_rank[v]].push_back(v);
            seen[v] = 1;
        }
        for (int v = 0; v < n; ++v)
            if (!seen[v])
                m_layers[m_rank[v]].push_back(v);
        m_pos.assign(n, 0);
        updatePositions();
        for (int sweep = 0; sweep < kOrderSweeps; ++sweep) {
            const bool down = sweep % 2 == 0;
            for (std::size_t i = 1; i < m_layers.size(); ++i) {
                const std::size_t r = down ? i : m_layers.size() - 1 - i;
                sortByBarycenter(m_layers[r], down ? m_in : m_out);
            }
        }
    }

    void updatePositions()
    {
        for (const auto &layer : m_layers)
            for (std::size_t i = 0; i < layer.size(); ++i)
                m_pos[layer[i]] = double(i);
    }

    void sortByBarycenter(std::vector<int> &layer, const std::vector<std::vector<int>> &neighbours)
    {
        std::vector<std::pair<double, int>> keyed;
        keyed.reserve(layer.size());
        for (int v : layer) {
            const auto &ns = neighbours[v];
            double key = m_pos[v];
            if (!ns.empty()) {
                double sum = 0;
                for (int w : ns)
                    sum += m_pos[w];
                key = sum / double(ns.size());
            }
            keyed.emplace_back(key, v);
        }
        std::stable_sort(keyed.begin(), keyed.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (std::size_t i = 0; i < layer.size(); ++i) {
            layer[i] = keyed[i].second;
            m_pos[layer[i]] = double(i);
        }
    }

    double gapAfter(int v) const { return v >= m_real ? m_nodeSpacing / 2 : m_nodeSpacing; }

    // Coordinates across the flow: pack each layer, then repeatedly move each
    // box towards the mean centre of its neighbours, as far as the order
    // allows, averaging a placement pushed from the left with one pushed
    // from the right so neither side drifts.
    std::vector<Placed> placeBoxes()
    {
        const int n = int(m_sizes.size());
        std::vector<double> across(n, 0);
        double widest = 0;
        for (const auto &layer : m_layers) {
            double cursor = 0;
            for (int v : layer) {
                across[v] = cursor;
                cursor += m_sizes[v].across + gapAfter(v);
            }
            widest = std::max(widest, cursor);
        }
        for (const auto &layer : m_layers) { // centre each layer on the widest
            if (layer.empty())
                continue;
            const int last = layer.back();
            const double shift = (widest - (across[last] + m_sizes[last].across)) / 2;
            for (int v : layer)
                across[v] += shift;
        }
        for (int sweep = 0; sweep < kBalanceSweeps; ++sweep) {
            const bool down = sweep % 2 == 0;
            for (std::size_t i = 0; i < m_layers.size(); ++i) {
                const std::size_t r = down ? i : m_layers.size() - 1 - i;
                balanceLayer(m_layers[r], down ? m_in : m_out, across);
            }
        }
        double minAcross = 0;
        bool first = true;
        for (int v = 0; v < m_real; ++v) {
            minAcross = first ? across[v] : std::min(minAcross, across[v]);
            first = false;
        }
        std::vector<double> rankStart(m_layers.size(), 0), rankExtent(m_layers.size(), 0);
        for (int v = 0; v < n; ++v)
            rankExtent[m_rank[v]] = std::max(rankExtent[m_rank[v]], m_sizes[v].along);
        double cursor = 0;
        for (std::size_t r = 0; r < m_layers.size(); ++r) {
            rankStart[r] = cursor;
            cursor += rankExtent[r] + m_rankSpacing;
        }
        std::vector<Placed> placed(m_real);
        for (int v = 0; v < m_real; ++v) {
            const int r = m_rank[v];
            placed[v] = {rankStart[r] + (rankExtent[r] - m_sizes[v].along) / 2, across[v] - minAcross};
        }
        return placed;
    }

    void balanceLayer(const std::vector<int> &layer, const std::vector<std::vector<int>> &neighbours,
                      std::vector<double> &across) const
    {
        if (layer.empty())
            return;
        const std::size_t k = layer.size();
        std::vector<double> want(k);
        for (std::size_t i = 0; i < k; ++i) {
            const int v = layer[i];
            const auto &ns = neighbours[v];
            if (ns.empty()) {
                want[i] = across[v];
                continue;
            }
            double sum = 0;
            for (int w : ns)
                sum += across[w] + m_sizes[w].across / 2;
            want[i] = sum / double(ns.size()) - m_sizes[v].across / 2;
        }
        std::vector<double> left(k), right(k);
        for (std::size_t i = 0; i < k; ++i) {
            left[i] = i == 0 ? want[i]
                             : std::max(want[i],
                                        left[i - 1] + m_sizes[layer[i - 1]].across + gapAfter(layer[i - 1]));
        }
        for (std::size_t j = k; j-- > 0;) {
            const int v = layer[j];
            right[j] =
                j + 1 == k ? want[j] : std::min(want[j], right[j + 1] - gapAfter(v) - m_sizes[v].across);
        }
        for (std::size_t i = 0; i < k; ++i)
            across[layer[i]] = (left[i] + right[i]) / 2;
    }

    std::vector<Size> m_sizes;
    int m_real; // boxes before the placeholders
    double m_nodeSpacing, m_rankSpacing;
    std::vector<std::pair<int, int>> m_edges;
    std::vector<std::vector<int>> m_out, m_in;
    std::vector<int> m_rank, m_topo;
    std::vector<std::vector<int>> m_layers;
    std::vector<double> m_pos;
};

// The compound graph: nodes 0..N-1 then clusters N..N+C-1, each with the
// cluster it sits in (-1: top level).
struct Compound {
    std::vector<int> parent;
    std::vector<int> depth;
    std::vector<std::vector<int>> children; // by cluster index + 1 (0: top level)
};

Compound buildCompound(const LayoutRequest &request, const std::unordered_map<std::string, int> &clusterIndex)
{
    const int n = int(request.nodes.size()), c = int(request.clusters.size());
    Compound g;
    g.parent.assign(n + c, -1);
    auto clusterOf = [&](const std::string &id) {
        auto it = clusterIndex.find(id);
        return it == clusterIndex.end() ? -1 : n + it->second;
    };
    for (int i = 0; i < n; ++i)
        g.parent[i] = clusterOf(request.nodes[i].cluster);
    for (int i = 0; i < c; ++i)
        g.parent[n + i] = clusterOf(request.clusters[i].parent);
    // A parent chain that loops back is cut where it closes.
    g.depth.assign(n + c, -1);
    for (int e = 0; e < n + c; ++e) {
        std::vector<int> chain;
        int x = e;
        while (x >= 0 && g.depth[x] < 0 && std::find(chain.begin(), chain.end(), x) == chain.end()) {
            chain.push_back(x);
            x = g.parent[x];
        }
        if (x >= 0 && g.depth[x] < 0)
            g.parent[chain.back()] = -1, x = -1; // closed a loop
        int d = x < 0 ? 0 : g.depth[x] + 1;
        for (auto it = chain.rbegin(); it != chain.rend(); ++it)
            g.depth[*it] = d++;
    }
    g.children.resize(c + 1);
    for (int e = 0; e < n + c; ++e)
        g.children[g.parent[e] < 0 ? 0 : g.parent[e] - n + 1].push_back(e);
    return g;
}

// Unconnected parts of the top level (independent loops, separate
// pipelines side by side) would otherwise stack in one tall column: they go
// into columns along the flow instead, each filled across to about the size
// that gives the whole a screen-like shape, in their original order.
void packComponents(const std::vector<Size> &boxes, const std::vector<std::pair<int, int>> &edges,
                    std::vector<Placed> &placed, double gap, double rankSpacing, bool leftToRight)
{
    const int n = int(boxes.size());
    std::vector<int> root(n);
    std::iota(root.begin(), root.end(), 0);
    auto find = [&root](int x) {
        while (root[x] != x)
            x = root[x] = root[root[x]];
        return x;
    };
    for (const auto &[a, b] : edges)
        root[find(a)] = find(b);
    struct Part {
        std::vector<int> members;
        double along0 = 0, across0 = 0, along1 = 0, across1 = 0;
    };
    std::vector<Part> parts;
    std::unordered_map<int, std::size_t> partOf;
    for (int v = 0; v < n; ++v) {
        auto [it, fresh] = partOf.emplace(find(v), parts.size());
        if (fresh)
            parts.emplace_back();
        Part &p = parts[it->second];
        if (p.members.empty()) {
            p.along0 = placed[v].along;
            p.across0 = placed[v].across;
            p.along1 = placed[v].along + boxes[v].along;
            p.across1 = placed[v].across + boxes[v].across;
        }
        p.members.push_back(v);
        p.along0 = std::min(p.along0, placed[v].along);
        p.across0 = std::min(p.across0, placed[v].across);
        p.along1 = std::max(p.along1, placed[v].along + boxes[v].along);
        p.across1 = std::max(p.across1, placed[v].across + boxes[v].across);
    }
    if (parts.size() < 2)
        return;
    // Parts in the order they appear across the flow.
    std::stable_sort(parts.begin(), parts.end(),
                     [](const Part &a, const Part &b) { return a.across0 < b.across0; });
    double area = 0, widest = 0;
    for (const Part &p : parts) {
        area += (p.along1 - p.along0 + rankSpacing) * (p.across1 - p.across0 + gap);
        widest = std::max(widest, p.across1 - p.across0);
    }
    // A 16:10 view: left to right wants the whole wider than tall.
    const double aspect = leftToRight ? 1.6 : 1 / 1.6;
    const double limit = std::max(widest, std::sqrt(area / aspect));
    double columnAlong = 0, columnDepth = 0, across = 0;
    for (const Part &p : parts) {
        const double extent = p.across1 - p.across0;
        if (across > 0 && across + extent > limit) {
            columnAlong += columnDepth + rankSpacing;
            columnDepth = 0;
            across = 0;
        }
        for (int v : p.members) {
            placed[v].along += columnAlong - p.along0;
            placed[v].across += across - p.across0;
        }
        across += extent + gap;
        columnDepth = std::max(columnDepth, p.along1 - p.along0);
    }
}

} // namespace

Result<LayoutResult> layeredLayout(const LayoutRequest &request)
{
    const int n = int(request.nodes.size()), c = int(request.clusters.size());
    std::unordered_map<std::string, int> nodeIndex, clusterIndex;
    for (int i = 0; i < n; ++i)
        nodeIndex.emplace(request.nodes[i].id, i);
    for (int i = 0; i < c; ++i)
        clusterIndex.emplace(request.clusters[i].id, i);
    const Compound g = buildCompound(request, clusterIndex);
    const bool lr = request.direction == LayoutRequest::Direction::LeftToRight;

    // Each edge joins the two children of the innermost cluster holding both.
    std::vector<std::vector<std::pair<int, int>>> levelEdges(c + 1);
    for (const auto &e : request.edges) {
        auto a = nodeIndex.find(e.from), b = nodeIndex.find(e.to);
        if (a == nodeIndex.end() || b == nodeIndex.end())
            return Error{"layout edge " + e.from + " -> " + e.to + " names an unknown node", {}};
        int u = a->second, v = b->second;
        if (u == v)
            continue;
        while (g.depth[u] > g.depth[v])
            u = g.parent[u];
        while (g.depth[v] > g.depth[u])
            v = g.parent[v];
        while (g.parent[u] != g.parent[v]) {
            u = g.parent[u];
            v = g.parent[v];
        }
        if (u != v)
            levelEdges[g.parent[u] < 0 ? 0 : g.parent[u] - n + 1].emplace_back(u, v);
    }

    // Inner clusters first: each becomes a block of its laid-out content.
    std::vector<int> order(c);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int x, int y) { return g.depth[n + x] > g.depth[n + y]; });
    order.push_back(-1); // the top level last
    std::vector<Size> size(n + c);
    for (int i = 0; i < n; ++i)
        size[i] = lr ? Size{request.nodes[i].width, request.nodes[i].height}
                     : Size{request.nodes[i].height, request.nodes[i].width};
    std::vector<Placed> offset(n + c); // relative to the enclosing block's content
    for (int cl : order) {
        const auto &members = g.children[cl + 1];
        std::vector<Size> boxes;
        std::unordered_map<int, int> local;
        for (int e : members) {
            local.emplace(e, int(boxes.size()));
            boxes.push_back(size[e]);
        }
        std::vector<std::pair<int, int>> edges;
        std::unordered_set<std::uint64_t> seen;
        for (const auto &[u, v] : levelEdges[cl + 1]) {
            const int a = local.at(u), b = local.at(v);
            if (seen.insert((std::uint64_t(std::uint32_t(a)) << 32) | std::uint32_t(b)).second)
                edges.emplace_back(a, b);
        }
        std::vector<Placed> placed = FlatLayout(boxes, edges, request.nodeSpacing, request.rankSpacing).run();
        if (cl < 0)
            packComponents(boxes, edges, placed, request.nodeSpacing * 2, request.rankSpacing, lr);
        double along = 0, across = 0;
        for (std::size_t i = 0; i < members.size(); ++i) {
            offset[members[i]] = placed[i];
            along = std::max(along, placed[i].along + boxes[i].along);
            across = std::max(across, placed[i].across + boxes[i].across);
        }
        if (cl < 0)
            break;
        // The title bar runs along the top edge: across the flow when it goes
        // left to right, along it when it goes down.
        const double padAlong = lr ? 2 * kClusterPad : 2 * kClusterPad + kClusterHeader;
        const double padAcross = lr ? 2 * kClusterPad + kClusterHeader : 2 * kClusterPad;
        size[n + cl] = {std::max(along, 60.0) + padAlong, std::max(across, 40.0) + padAcross};
    }

    // Absolute positions: outer blocks first, members offset inside them.
    std::vector<Placed> absolute(n + c);
    std::vector<int> byDepth(n + c);
    std::iota(byDepth.begin(), byDepth.end(), 0);
    std::stable_sort(byDepth.begin(), byDepth.end(), [&](int x, int y) { return g.depth[x] < g.depth[y]; });
    for (int e : byDepth) {
        const int p = g.parent[e];
        if (p < 0) {
            absolute[e] = offset[e];
            continue;
        }
        const double insetAlong = lr ? kClusterPad : kClusterPad + kClusterHeader;
        const double insetAcross = lr ? kClusterPad + kClusterHeader : kClusterPad;
        absolute[e] = {absolute[p].along + insetAlong + offset[e].along,
                       absolute[p].across + insetAcross + offset[e].across};
    }
    LayoutResult result;
    auto toXY = [lr](const Placed &p) {
        return lr ? LayoutResult::Point{p.along, p.across} : LayoutResult::Point{p.across, p.along};
    };
    for (int i = 0; i < n; ++i)
        result.nodes[request.nodes[i].id] = toXY(absolute[i]);
    for (int i = 0; i < c; ++i) {
        const auto xy = toXY(absolute[n + i]);
        const Size s = size[n + i];
        result.clusters[request.clusters[i].id] = {xy.x, xy.y, lr ? s.along : s.across,
                                                   lr ? s.across : s.along};
    }
    return result;
}

} // namespace pw
