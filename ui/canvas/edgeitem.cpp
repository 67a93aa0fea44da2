// SPDX-License-Identifier: Apache-2.0
#include "canvas/edgeitem.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

namespace pw {

EdgeItem::EdgeItem(const QString &fromTask, const QString &output, const QString &toTask, const QString &input,
                   const QColor &color)
    : m_fromTask(fromTask), m_output(output), m_toTask(toTask), m_input(input), m_color(color)
{
    setFlag(ItemIsSelectable);
    setZValue(1);
    setToolTip(isOrdering() ? QObject::tr("%1 runs after %2").arg(toTask, fromTask)
                            : QObject::tr("%1.%2 → %3.%4").arg(fromTask, output, toTask, input));
}

void EdgeItem::setEnds(const QPointF &from, const QPointF &to)
{
    // Horizontal tangents: ports sit on the left and right sides of nodes.
    const qreal dx = std::max<qreal>(40, std::abs(to.x() - from.x()) / 2);
    QPainterPath path(from);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    setPath(path);
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(10); // easier to click than the 2px line
    return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    if (lod > 0.25)
        painter->setRenderHint(QPainter::Antialiasing);
    QColor c = m_color;
    qreal width = 2;
    if (isSelected()) {
        c = QApplication::palette().color(QPalette::Highlight);
        width = 3.5;
    }
    QPen pen(c, width);
    if (isOrdering())
        pen.setStyle(Qt::DashLine);
    pen.setCosmetic(lod < 0.5); // stays visible when zoomed far out
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
}

} // namespace pw
