// SPDX-License-Identifier: Apache-2.0
#include "layout/graphlayout.h"
#include "layout/layeredlayout.h"

#include <QTest>

using namespace pw;

class TstGraphLayout final : public QObject {
    Q_OBJECT

private slots:
    void chainFollowsDirection_data();
    void chainFollowsDirection();
    void nodesDoNotOverlap();
    void clustersFrameTheirNodes();
    void unknownEndpointIsAnError();
    void fallbackRanks();
    void layeredKeepsEdgesForwardAndNodesApart();
    void layeredPlacesClustersAsBlocks();
    void largeGraphsUseTheLayeredLayout();
    void unconnectedPartsSitSideBySide();

private:
    void checkLayeredLayout(bool leftToRight);
};

namespace {

LayoutRequest diamond()
{
    LayoutRequest r;
    for (const char *id : {"a", "b", "c", "d"})
        r.nodes.push_back({id, 200, 80, {}});
    r.edges = {{"a", "b"}, {"a", "c"}, {"b", "d"}, {"c", "d"}};
    return r;
}

std::string name(int i)
{
    std::string s = "n"; // appended, not operator+: GCC 12 -Wrestrict false positive
    s += std::to_string(i);
    return s;
}

bool overlaps(const LayoutResult::Point &p, const LayoutResult::Point &q, double w, double h)
{
    return p.x < q.x + w && q.x < p.x + w && p.y < q.y + h && q.y < p.y + h;
}

} // namespace

void TstGraphLayout::chainFollowsDirection_data()
{
    QTest::addColumn<bool>("leftToRight");
    QTest::newRow("LR") << true;
    QTest::newRow("TB") << false;
}

void TstGraphLayout::chainFollowsDirection()
{
    QFETCH(bool, leftToRight);
    LayoutRequest r = diamond();
    r.direction = leftToRight ? LayoutRequest::Direction::LeftToRight : LayoutRequest::Direction::TopToBottom;
    auto result = layoutGraph(r);
    QVERIFY(result.ok());
    QVERIFY(result->usedGraphviz);
    const auto &n = result->nodes;
    if (leftToRight) {
        QVERIFY(n.at("a").x + 200 <= n.at("b").x);
        QVERIFY(n.at("b").x + 200 <= n.at("d").x);
    } else {
        QVERIFY(n.at("a").y + 80 <= n.at("b").y);
        QVERIFY(n.at("b").y + 80 <= n.at("d").y);
    }
}

void TstGraphLayout::nodesDoNotOverlap()
{
    LayoutRequest r;
    for (int i = 0; i < 60; ++i) {
        r.nodes.push_back({name(i), 200, 100, {}});
        if (i >= 6)
            r.edges.push_back({name(i - 6), name(i)});
    }
    auto result = layoutGraph(r);
    QVERIFY(result.ok());
    for (const auto &[a, p] : result->nodes)
        for (const auto &[b, q] : result->nodes)
            QVERIFY2(a == b || !overlaps(p, q, 200, 100),
                     qPrintable(QString::fromStdString(a) + " overlaps " + QString::fromStdString(b)));
}

void TstGraphLayout::clustersFrameTheirNodes()
{
    LayoutRequest r = diamond();
    r.clusters = {{"outer", {}}, {"inner", "outer"}};
    r.nodes[1].cluster = "inner";
    r.nodes[2].cluster = "outer";
    auto result = layoutGraph(r);
    QVERIFY(result.ok());
    const auto &inner = result->clusters.at("inner");
    const auto &outer = result->clusters.at("outer");
    const auto &b = result->nodes.at("b");
    QVERIFY(inner.x <= b.x && inner.x + inner.width >= b.x + 200);
    QVERIFY(outer.x <= inner.x && outer.y <= inner.y);
    QVERIFY(outer.x + outer.width >= inner.x + inner.width);
}

void TstGraphLayout::unknownEndpointIsAnError()
{
    LayoutRequest r = diamond();
    r.edges.push_back({"a", "zz"});
    auto result = layoutGraph(r);
    QVERIFY(!result.ok());
    QVERIFY(result.error().message.find("zz") != std::string::npos);
}

void TstGraphLayout::fallbackRanks()
{
    LayoutRequest r = diamond();
    r.edges.push_back({"d", "a"}); // a cycle: still placed, nothing lost
    const LayoutResult result = rankedLayout(r);
    QCOMPARE(result.nodes.size(), std::size_t(4));
    QVERIFY(!result.usedGraphviz);
}

// A wide layered DAG with long edges and a cycle: every edge off the cycle
// (from a node before n150) points forwards, and no two boxes overlap.
void TstGraphLayout::layeredKeepsEdgesForwardAndNodesApart()
{
    for (const bool leftToRight : {true, false})
        checkLayeredLayout(leftToRight);
}

void TstGraphLayout::checkLayeredLayout(bool leftToRight)
{
    LayoutRequest r;
    r.direction = leftToRight ? LayoutRequest::Direction::LeftToRight : LayoutRequest::Direction::TopToBottom;
    for (int i = 0; i < 200; ++i) {
        r.nodes.push_back({name(i), 180, 60.0 + (i % 3) * 20, {}});
        if (i >= 7)
            r.edges.push_back({name(i - 7), name(i)});
        if (i >= 30 && i % 5 == 0)
            r.edges.push_back({name(i - 30), name(i)}); // spans several ranks
    }
    r.edges.push_back({name(199), name(150)}); // closes a cycle
    auto result = layeredLayout(r);
    QVERIFY(result.ok());
    QCOMPARE(result->nodes.size(), r.nodes.size());
    for (const auto &e : r.edges) {
        if (std::stoi(e.from.substr(1)) >= 150)
            continue;
        const auto &a = result->nodes.at(e.from), &b = result->nodes.at(e.to);
        QVERIFY2(leftToRight ? a.x + 180 <= b.x : a.y + 60 <= b.y,
                 qPrintable(QString::fromStdString(e.from + " -> " + e.to)));
    }
    for (std::size_t i = 0; i < r.nodes.size(); ++i)
        for (std::size_t j = i + 1; j < r.nodes.size(); ++j) {
            const auto &p = result->nodes.at(r.nodes[i].id), &q = result->nodes.at(r.nodes[j].id);
            const bool apart = p.x + 180 <= q.x || q.x + 180 <= p.x || p.y + r.nodes[i].height <= q.y ||
                               q.y + r.nodes[j].height <= p.y;
            QVERIFY2(apart, qPrintable(QString::fromStdString(r.nodes[i].id + " overlaps " + r.nodes[j].id)));
        }
}

// Two sibling loops fed by one producer and read by one consumer: the
// producer comes first, the frames hold their members and do not overlap.
void TstGraphLayout::layeredPlacesClustersAsBlocks()
{
    LayoutRequest r;
    r.clusters = {{"loop-a", {}}, {"loop-b", {}}, {"inner", "loop-a"}};
    r.nodes = {{"make", 180, 60, {}},     {"a1", 180, 60, "loop-a"}, {"a2", 180, 60, "inner"},
               {"b1", 180, 60, "loop-b"}, {"b2", 180, 60, "loop-b"}, {"sum", 180, 60, {}}};
    r.edges = {{"make", "a1"}, {"a1", "a2"}, {"make", "b1"}, {"b1", "b2"}, {"a2", "sum"}, {"b2", "sum"}};
    auto result = layoutGraph(r);
    QVERIFY(result.ok());
    const auto &n = result->nodes;
    const auto &c = result->clusters;
    auto inside = [](const LayoutResult::Rect &f, const LayoutResult::Point &p) {
        return f.x <= p.x && f.y <= p.y && p.x + 180 <= f.x + f.width && p.y + 60 <= f.y + f.height;
    };
    for (const char *id : {"a1", "a2"})
        QVERIFY(inside(c.at("loop-a"), n.at(id)));
    QVERIFY(inside(c.at("inner"), n.at("a2")));
    for (const char *id : {"b1", "b2"})
        QVERIFY(inside(c.at("loop-b"), n.at(id)));
    const auto &a = c.at("loop-a"), &b = c.at("loop-b");
    QVERIFY(a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y);
    QVERIFY(n.at("make").x + 180 <= a.x && n.at("make").x + 180 <= b.x);
    QVERIFY(a.x + a.width <= n.at("sum").x && b.x + b.width <= n.at("sum").x);
}

// Above a few hundred nodes dot grows worse than linearly: the layered
// layout takes over (counted by which engine ran, not by time).
void TstGraphLayout::largeGraphsUseTheLayeredLayout()
{
    LayoutRequest r;
    for (int i = 0; i < 2000; ++i) {
        r.nodes.push_back({name(i), 180, 60, {}});
        if (i >= 10)
            r.edges.push_back({name(i - 10), name(i)});
    }
    auto result = layoutGraph(r);
    QVERIFY(result.ok());
    QVERIFY(!result->usedGraphviz);
    QCOMPARE(result->nodes.size(), std::size_t(2000));
    QVERIFY(result->nodes.at(name(0)).x + 180 <= result->nodes.at(name(10)).x);
}

// Twelve unconnected producer -> loop pairs (an imported pipeline of
// independent loops) used to stack in one tall column: they now fill columns
// so the whole is wider than tall, and each pair keeps its order.
void TstGraphLayout::unconnectedPartsSitSideBySide()
{
    LayoutRequest r;
    for (int i = 0; i < 12; ++i) {
        const std::string loop = "loop-" + std::to_string(i);
        r.clusters.push_back({loop, {}});
        r.nodes.push_back({name(2 * i), 180, 60, {}});
        r.nodes.push_back({name(2 * i + 1), 180, 60, loop});
        r.edges.push_back({name(2 * i), name(2 * i + 1)});
    }
    auto result = layoutGraph(r);
    QVERIFY(result.ok());
    double right = 0, bottom = 0;
    for (const auto &[id, c] : result->clusters) {
        right = std::max(right, c.x + c.width);
        bottom = std::max(bottom, c.y + c.height);
    }
    QVERIFY2(right > bottom, qPrintable(QString("%1 x %2").arg(right).arg(bottom)));
    for (int i = 0; i < 12; ++i)
        QVERIFY(result->nodes.at(name(2 * i)).x + 180 <= result->clusters.at("loop-" + std::to_string(i)).x);
}

QTEST_GUILESS_MAIN(TstGraphLayout)
#include "tst_graphlayout.moc"
