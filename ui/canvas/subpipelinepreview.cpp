// SPDX-License-Identifier: Apache-2.0
#include "canvas/subpipelinepreview.h"

#include "layout/graphlayout.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <set>

namespace pw {

namespace {

constexpr qreal kBoxWidth = 96;
constexpr qreal kBoxHeight = 24;

void collectProducers(const Binding &b, std::set<std::string> &out)
{
    if (b.kind == Binding::Kind::TaskOutput || b.kind == Binding::Kind::TaskStatus)
        out.insert(b.task);
    for (const Binding &o : b.options)
        collectProducers(o, out);
}

} // namespace

SubPipelinePreview::SubPipelinePreview(const Graph &graph)
{
    LayoutRequest request;
    request.direction = LayoutRequest::Direction::LeftToRight;
    request.nodeSpacing = 8;
    request.rankSpacing = 18;
    std::set<std::string> ids;
    for (const Task &t : graph.tasks) {
        request.nodes.push_back({t.id, kBoxWidth, kBoxHeight, {}});
        ids.insert(t.id);
    }
    for (const Task &t : graph.tasks) {
        std::set<std::string> producers(t.after.begin(), t.after.end());
        for (const auto &[_, b] : t.arguments)
            collectProducers(b, producers);
        for (const std::string &p : producers)
            if (p != t.id && ids.count(p))
                request.edges.push_back({p, t.id});
    }
    auto laid = layoutGraph(request);
    const LayoutResult result = laid.ok() ? *laid : rankedLayout(request);
    qreal right = 0, bottom = 0;
    std::map<std::string, QRectF> rects;
    for (const Task &t : graph.tasks) {
        auto it = result.nodes.find(t.id);
        const QPointF at = it == result.nodes.end() ? QPointF() : QPointF(it->second.x, it->second.y);
        const QRectF r(at, QSizeF(kBoxWidth, kBoxHeight));
        rects[t.id] = r;
        m_boxes.push_back({QString::fromStdString(t.label()), r});
        right = std::max(right, r.right());
        bottom = std::max(bottom, r.bottom());
    }
    for (const LayoutRequest::Edge &e : request.edges) {
        const QRectF &a = rects[e.from], &b = rects[e.to];
        const QPointF from(a.right(), a.center().y()), to(b.left(), b.center().y());
        QPainterPath path(from);
        const qreal dx = std::max<qreal>(10, (to.x() - from.x()) / 2);
        path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
        m_edges.push_back(path);
    }
    m_size = QSizeF(right, bottom);
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
    painter->setBrush(Qt::NoBrush);
    painter->setPen(QPen(pal.color(QPalette::Mid), 1.2));
    for (const QPainterPath &edge : m_edges)
        painter->drawPath(edge);
    QFont font = QApplication::font();
    font.setPointSizeF(font.pointSizeF() * 0.85);
    painter->setFont(font);
    const QFontMetricsF fm(font);
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
