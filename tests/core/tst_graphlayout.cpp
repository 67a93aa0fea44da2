// SPDX-License-Identifier: Apache-2.0
#include "layout/graphlayout.h"

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
            QVERIFY2(a == b || !overlaps(p, q, 200, 100), qPrintable(QString::fromStdString(a) + " overlaps " +
                                                                    QString::fromStdString(b)));
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

QTEST_GUILESS_MAIN(TstGraphLayout)
#include "tst_graphlayout.moc"
