// SPDX-License-Identifier: Apache-2.0
#include "canvas/subpipelinepreview.h"

#include "canvas/autolayout.h"
#include "canvas/groupframeitem.h"
#include "canvas/taskitem.h"
#include "layout/graphlayout.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <map>
#include <set>

namespace pw {

namespace {

constexpr qreal kBoxHeight = 24;
constexpr qreal kMinBoxWidth = 72;
constexpr qreal kMaxBoxWidth = 190;
// The width an expanded node gives its picture.
constexpr qreal kTargetWidth = TaskItem::kWidth - 16;

QFont boxFont()
{
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    return font;
}

QPainterPath edgePath(const QRectF &a, const QRectF &b, bool leftToRight)
{
    const QPointF from =
        leftToRight ? QPointF(a.right(), a.center().y()) : QPointF(a.center().x(), a.bottom());
    const QPointF to = leftToRight ? QPointF(b.left(), b.center().y()) : QPointF(b.center().x(), b.top());
    const QPointF along = leftToRight ? QPointF(1, 0) : QPointF(0, 1);
    const qreal gap = leftToRight ? to.x() - from.x() : to.y() - from.y();
    const qreal d = std::max<qreal>(10, gap / 2);
    QPainterPath path(from);
    path.cubicTo(from + along * d, to - along * d, to);
    return path;
}

} // namespace

SubPipelinePreview::SubPipelinePreview(const Graph &graph)
{
    const QFontMetricsF fm(boxFont());
    LayoutRequest request = graphLayoutRequest(graph, [&fm](const Task &t) {
        const qreal text = fm.horizontalAdvance(QString::fromStdString(t.label())) + 14;
        return std::pair<double, double>(std::clamp(text, kMinBoxWidth, kMaxBoxWidth), kBoxHeight);
    });
    request.nodeSpacing = 10;
    // Left to right unless that must shrink well below natural size to fit
    // the node: then top to bottom, which stays readable.
    LayoutResult result;
    QRectF bounds;
    for (const bool leftToRight : {true, false}) {
        request.direction =
            leftToRight ? LayoutRequest::Direction::LeftToRight : LayoutRequest::Direction::TopToBottom;
        request.rankSpacing = leftToRight ? 22 : 16;
        auto laid = layoutGraph(request);
        result = laid.ok() ? *laid : rankedLayout(request);
        bounds = {};
        for (const auto &n : request.nodes)
            if (auto it = result.nodes.find(n.id); it != result.nodes.end())
                bounds |= QRectF(it->second.x, it->second.y, n.width, n.height);
        for (const auto &[id, c] : result.clusters)
            bounds |= QRectF(c.x, c.y, c.width, c.height);
        m_leftToRight = leftToRight;
        if (bounds.width() <= kTargetWidth * 1.6)
            break;
    }
    const QPointF origin = bounds.topLeft();
    std::map<std::string, QRectF> rects;
    for (const auto &n : request.nodes) {
        auto it = result.nodes.find(n.id);
        const QPointF at =
            it == result.nodes.end() ? QPointF() : QPointF(it->second.x, it->second.y) - origin;
        const QRectF r(at, QSizeF(n.width, n.height));
        rects[n.id] = r;
        m_boxes.push_back({QString::fromStdString(graph.task(n.id)->label()), r});
    }
    for (const Group &g : graph.groups)
        if (auto it = result.clusters.find(g.id); it != result.clusters.end())
            m_frames.push_back({GroupFrameItem::describe(g),
                                QRectF(it->second.x, it->second.y, it->second.width, it->second.height)
                                    .translated(-origin)});
    std::set<std::pair<std::string, std::string>> seen;
    for (const LayoutRequest::Edge &e : request.edges)
        if (seen.insert({e.from, e.to}).second)
            m_edges.push_back(edgePath(rects[e.from], rects[e.to], m_leftToRight));
    m_size = bounds.size();
}

QStringList SubPipelinePreview::frameLabels() const
{
    QStringList labels;
    for (const Box &f : m_frames)
        labels << f.label;
    return labels;
}

bool SubPipelinePreview::elidesLabels() const
{
    const QFontMetricsF fm(boxFont());
    for (const Box &b : m_boxes)
        if (fm.elidedText(b.label, Qt::ElideRight, b.rect.width() - 12) != b.label)
            return true;
    return false;
}

QStringList SubPipelinePreview::taskLabels() const
{
    QStringList labels;
    for (const Box &b : m_boxes)
        labels << b.label;
    return labels;
}

qreal SubPipelinePreview::heightFor(qreal width) const
{
    if (m_size.isEmpty())
        return 0;
    return m_size.height() * std::min<qreal>(1, width / m_size.width());
}

void SubPipelinePreview::paint(QPainter *painter, const QRectF &target) const
{
    if (m_size.isEmpty())
        return;
    const qreal scale = std::min<qreal>(1, target.width() / m_size.width());
    const QPalette pal = QApplication::palette();
    painter->save();
    painter->translate(target.topLeft() + QPointF((target.width() - m_size.width() * scale) / 2, 0));
    painter->scale(scale, scale);
    painter->setRenderHint(QPainter::Antialiasing);
    const QFont font = boxFont();
    painter->setFont(font);
    const QFontMetricsF fm(font);
    // Frames first, each with its condition or loop on its title line.
    for (const Box &f : m_frames) {
        painter->setPen(QPen(pal.color(QPalette::Mid), 1, Qt::DashLine));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(f.rect, 5, 5);
        painter->setPen(pal.color(QPalette::PlaceholderText));
        const QRectF title(f.rect.left() + 6, f.rect.top() + 2, f.rect.width() - 12, 18);
        painter->drawText(title, Qt::AlignLeft | Qt::AlignVCenter,
                          fm.elidedText(f.label, Qt::ElideRight, title.width()));
    }
    QColor edge = pal.color(QPalette::Text);
    edge.setAlpha(150);
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(edge, 1.3));
    for (const QPainterPath &path : m_edges)
        painter->drawPath(path);
    for (const Box &b : m_boxes) {
        painter->setPen(QPen(pal.color(QPalette::Mid), 1));
        painter->setBrush(pal.color(QPalette::AlternateBase));
        painter->drawRoundedRect(b.rect, 4, 4);
        painter->setPen(pal.color(QPalette::Text));
        painter->drawText(b.rect.adjusted(6, 0, -6, 0), Qt::AlignVCenter | Qt::AlignLeft,
                          fm.elidedText(b.label, Qt::ElideRight, b.rect.width() - 12));
    }
    painter->restore();
}

} // namespace pw
