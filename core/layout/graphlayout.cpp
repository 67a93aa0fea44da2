// SPDX-License-Identifier: Apache-2.0
#include "layout/graphlayout.h"

#include "layout/layeredlayout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace pw {

namespace {

constexpr double kPointsPerInch = 72.0;

// dot's crossing minimisation and network-simplex placement grow faster than
// linearly: 15 s for 10,000 nodes on the reference VM. Above this size the
// layered layout (linear) takes over; see docs/benchmarks.md.
constexpr std::size_t kGraphvizLimit = 400;

std::string inches(double points)
{
    return std::to_string(points / kPointsPerInch);
}

// cgraph takes char* everywhere, even for strings it only reads.
char *cs(const std::string &s)
{
    return const_cast<char *>(s.c_str());
}

// One context for the process: creating it loads the plugin configuration,
// which costs more than laying out a small graph.
GVC_t *context()
{
    static GVC_t *gvc = [] {
        agseterr(AGERR); // keep dot's warnings about cluster edges off stderr
        return gvContext();
    }();
    return gvc;
}

struct IndexedRequest {
    std::unordered_map<std::string, std::size_t> node;
    std::unordered_map<std::string, std::size_t> cluster;
};

Result<IndexedRequest> indexRequest(const LayoutRequest &request)
{
    IndexedRequest idx;
    for (std::size_t i = 0; i < request.nodes.size(); ++i)
        idx.node.emplace(request.nodes[i].id, i);
    for (std::size_t i = 0; i < request.clusters.size(); ++i)
        idx.cluster.emplace(request.clusters[i].id, i);
    for (const auto &e : request.edges) {
        if (!idx.node.count(e.from) || !idx.node.count(e.to))
            return Error{"layout edge " + e.from + " -> " + e.to + " names an unknown node", {}};
    }
    return idx;
}

void extendCluster(LayoutResult &result, const std::string &id, const LayoutResult::Rect &r)
{
    auto [it, inserted] = result.clusters.emplace(id, r);
    if (inserted)
        return;
    auto &c = it->second;
    const double x2 = std::max(c.x + c.width, r.x + r.width);
    const double y2 = std::max(c.y + c.height, r.y + r.height);
    c.x = std::min(c.x, r.x);
    c.y = std::min(c.y, r.y);
    c.width = x2 - c.x;
    c.height = y2 - c.y;
}

// Frames around member nodes and nested clusters, padded so a header fits.
void fitClusters(const LayoutRequest &request, const IndexedRequest &idx, LayoutResult &result)
{
    constexpr double pad = 16, header = 26;
    std::function<void(const std::string &, LayoutResult::Rect)> grow = [&](const std::string &id,
                                                                              LayoutResult::Rect r) {
        if (id.empty())
            return;
        LayoutResult::Rect padded{r.x - pad, r.y - pad - header, r.width + 2 * pad, r.height + 2 * pad + header};
        extendCluster(result, id, padded);
        auto it = idx.cluster.find(id);
        if (it != idx.cluster.end())
            grow(request.clusters[it->second].parent, result.clusters[id]);
    };
    for (const auto &n : request.nodes) {
        const auto &p = result.nodes[n.id];
        grow(n.cluster, {p.x, p.y, n.width, n.height});
    }
}

} // namespace

LayoutResult rankedLayout(const LayoutRequest &request)
{
    LayoutResult result;
    const std::size_t n = request.nodes.size();
    std::unordered_map<std::string, std::size_t> index;
    for (std::size_t i = 0; i < n; ++i)
        index.emplace(request.nodes[i].id, i);
    std::vector<std::vector<std::size_t>> out(n);
    std::vector<int> indegree(n, 0);
    for (const auto &e : request.edges) {
        auto a = index.find(e.from), b = index.find(e.to);
        if (a == index.end() || b == index.end() || a->second == b->second)
            continue;
        out[a->second].push_back(b->second);
        ++indegree[b->second];
    }
    // Kahn's order gives longest-path ranks; nodes left on a cycle go last.
    std::vector<int> rank(n, 0);
    std::vector<std::size_t> queue;
    for (std::size_t i = 0; i < n; ++i)
        if (indegree[i] == 0)
            queue.push_back(i);
    std::vector<bool> placed(n, false);
    for (std::size_t q = 0; q < queue.size(); ++q) {
        const std::size_t u = queue[q];
        placed[u] = true;
        for (std::size_t v : out[u]) {
            rank[v] = std::max(rank[v], rank[u] + 1);
            if (--indegree[v] == 0)
                queue.push_back(v);
        }
    }
    const int maxRank = n ? *std::max_element(rank.begin(), rank.end()) : 0;
    for (std::size_t i = 0; i < n; ++i)
        if (!placed[i])
            rank[i] = maxRank + 1;

    std::map<int, double> rankExtent, rankOffset; // rank -> thickness along the flow, cursor across it
    for (std::size_t i = 0; i < n; ++i) {
        const auto &node = request.nodes[i];
        const double along = request.direction == LayoutRequest::Direction::LeftToRight ? node.width : node.height;
        rankExtent[rank[i]] = std::max(rankExtent[rank[i]], along);
    }
    std::map<int, double> rankStart;
    double cursor = 0;
    for (const auto &[r, extent] : rankExtent) {
        rankStart[r] = cursor;
        cursor += extent + request.rankSpacing;
    }
    for (std::size_t i = 0; i < n; ++i) {
        const auto &node = request.nodes[i];
        double &across = rankOffset[rank[i]];
        if (request.direction == LayoutRequest::Direction::LeftToRight) {
            result.nodes[node.id] = {rankStart[rank[i]], across};
            across += node.height + request.nodeSpacing;
        } else {
            result.nodes[node.id] = {across, rankStart[rank[i]]};
            across += node.width + request.nodeSpacing;
        }
    }
    IndexedRequest idx;
    for (std::size_t i = 0; i < request.clusters.size(); ++i)
        idx.cluster.emplace(request.clusters[i].id, i);
    fitClusters(request, idx, result);
    return result;
}

Result<LayoutResult> layoutGraph(const LayoutRequest &request)
{
    auto indexed = indexRequest(request);
    if (!indexed.ok())
        return indexed.error();
    const IndexedRequest &idx = *indexed;
    // Clustered graphs too: dot lets sibling frames overlap, the layered
    // layout places each cluster as one block.
    if (request.nodes.size() > kGraphvizLimit || !request.clusters.empty())
        return layeredLayout(request);
    GVC_t *gvc = context();
    if (!gvc || request.nodes.empty())
        return rankedLayout(request);

    Agraph_t *g = agopen(cs("pipeline"), Agdirected, nullptr);
    const bool lr = request.direction == LayoutRequest::Direction::LeftToRight;
    agattr(g, AGRAPH, cs("rankdir"), cs(lr ? "LR" : "TB"));
    agattr(g, AGRAPH, cs("nodesep"), cs(inches(request.nodeSpacing)));
    agattr(g, AGRAPH, cs("ranksep"), cs(inches(request.rankSpacing)));
    // Only node positions are used: straight edges skip dot's spline router,
    // and a lower crossing-minimisation budget keeps large graphs interactive.
    agattr(g, AGRAPH, cs("splines"), cs("line"));
    if (request.nodes.size() > 300)
        agattr(g, AGRAPH, cs("mclimit"), cs("0.3"));
    Agsym_t *shape = agattr(g, AGNODE, cs("shape"), cs("box"));
    Agsym_t *fixed = agattr(g, AGNODE, cs("fixedsize"), cs("true"));
    Agsym_t *width = agattr(g, AGNODE, cs("width"), cs("1"));
    Agsym_t *height = agattr(g, AGNODE, cs("height"), cs("1"));
    Agsym_t *label = agattr(g, AGNODE, cs("label"), cs(""));
    (void)shape;
    (void)fixed;
    (void)label;
    agattr(g, AGRAPH, cs("label"), cs(""));

    // Clusters: subgraph names must start with "cluster" for dot to frame them.
    std::vector<Agraph_t *> clusterGraphs(request.clusters.size(), nullptr);
    std::function<Agraph_t *(std::size_t)> clusterGraph = [&](std::size_t i) -> Agraph_t * {
        if (clusterGraphs[i])
            return clusterGraphs[i];
        Agraph_t *parent = g;
        auto p = idx.cluster.find(request.clusters[i].parent);
        if (p != idx.cluster.end() && p->second != i)
            parent = clusterGraph(p->second);
        // Appending (not operator+) sidesteps a GCC 12 -Wrestrict false positive.
        std::string name = "cluster_";
        name += std::to_string(i);
        clusterGraphs[i] = agsubg(parent, cs(name), 1);
        // The canvas draws a title bar on every frame: a blank label of that
        // height makes dot keep room for it, so stacked frames do not overlap.
        agsafeset(clusterGraphs[i], cs("label"), cs(" "), cs(""));
        agsafeset(clusterGraphs[i], cs("labelloc"), cs("t"), cs(""));
        agsafeset(clusterGraphs[i], cs("fontsize"), cs("24"), cs(""));
        agsafeset(clusterGraphs[i], cs("margin"), cs("16"), cs(""));
        return clusterGraphs[i];
    };

    std::vector<Agnode_t *> nodes(request.nodes.size());
    for (std::size_t i = 0; i < request.nodes.size(); ++i) {
        const auto &n = request.nodes[i];
        std::string name = "n";
        name += std::to_string(i);
        nodes[i] = agnode(g, cs(name), 1);
        agxset(nodes[i], width, cs(inches(n.width)));
        agxset(nodes[i], height, cs(inches(n.height)));
        auto c = idx.cluster.find(n.cluster);
        if (c != idx.cluster.end()) {
            // A node must be added to every enclosing subgraph, innermost last.
            std::vector<Agraph_t *> chain;
            for (std::size_t k = c->second;;) {
                chain.push_back(clusterGraph(k));
                auto up = idx.cluster.find(request.clusters[k].parent);
                if (up == idx.cluster.end() || up->second == k)
                    break;
                k = up->second;
            }
            for (auto it = chain.rbegin(); it != chain.rend(); ++it)
                agsubnode(*it, nodes[i], 1);
        }
    }
    for (const auto &e : request.edges)
        agedge(g, nodes[idx.node.at(e.from)], nodes[idx.node.at(e.to)], nullptr, 1);

    if (gvLayout(gvc, g, "dot") != 0) {
        agclose(g);
        return rankedLayout(request);
    }
    LayoutResult result;
    result.usedGraphviz = true;
    const boxf bb = GD_bb(g);
    for (std::size_t i = 0; i < request.nodes.size(); ++i) {
        const auto &n = request.nodes[i];
        const pointf c = ND_coord(nodes[i]);
        // dot's y axis points up; the canvas's points down.
        result.nodes[n.id] = {c.x - bb.LL.x - n.width / 2, (bb.UR.y - c.y) - n.height / 2};
    }
    gvFreeLayout(gvc, g);
    agclose(g);
    fitClusters(request, idx, result);
    return result;
}

} // namespace pw
