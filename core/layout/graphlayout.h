// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "util/result.h"

#include <map>
#include <string>
#include <vector>

namespace pw {

// Input of an automatic layout: boxes with sizes, directed edges between them,
// and optional nested clusters (group frames). Units are scene units (points);
// positions are top-left corners with y growing downwards, like the canvas.
struct LayoutRequest {
    enum class Direction { LeftToRight, TopToBottom };
    struct Node {
        std::string id;
        double width = 180;
        double height = 60;
        std::string cluster; // innermost cluster id; empty = top level
    };
    struct Edge {
        std::string from, to;
    };
    struct Cluster {
        std::string id;
        std::string parent; // empty = top level
    };
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    std::vector<Cluster> clusters;
    Direction direction = Direction::LeftToRight;
    double nodeSpacing = 30; // between nodes of one rank
    double rankSpacing = 70; // between ranks
};

struct LayoutResult {
    struct Point {
        double x = 0, y = 0;
    };
    struct Rect {
        double x = 0, y = 0, width = 0, height = 0;
    };
    std::map<std::string, Point> nodes;    // top-left of each node
    std::map<std::string, Rect> clusters;  // frame of each cluster
    bool usedGraphviz = false;             // false when the fallback ranked layout ran
};

// Lays the graph out, the same way for the studio and the run view: small
// graphs without clusters with Graphviz `dot` in-process (gvLayout), large or
// clustered ones with layeredLayout (layout/layeredlayout.h), which stays
// linear and never lets frames overlap. When the dot plugin cannot be
// loaded, a simple longest-path ranking keeps the result usable. Cycles are
// tolerated. Unknown edge endpoints are an error.
Result<LayoutResult> layoutGraph(const LayoutRequest &request);

// The fallback on its own, for callers (and tests) that want it explicitly.
LayoutResult rankedLayout(const LayoutRequest &request);

} // namespace pw
