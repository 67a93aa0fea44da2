// SPDX-License-Identifier: Apache-2.0
#include "canvas/portitem.h"

#include "canvas/pipelinescene.h"

#include <QCursor>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>

namespace pw {

namespace {

constexpr qreal kRadius = 5.5;
constexpr qreal kHit = 9; // larger than the dot, so ports are easy to grab

QString escape(const std::string &s)
{
    return QString::fromStdString(s).toHtmlEscaped();
}

} // namespace

PortItem::PortItem(const QString &taskId, const QString &name, Direction direction, const PortSpec &spec,
                   QGraphicsItem *parent)
    : QGraphicsItem(parent), m_taskId(taskId), m_name(name), m_direction(direction), m_type(spec.type),
      m_optional(spec.optional || spec.defaultValue.has_value()), m_color(colorFor(spec.type))
{
    setAcceptHoverEvents(true);
    setCursor(Qt::CrossCursor);
    QString tip = QStringLiteral("<b>%1</b>: %2").arg(name.toHtmlEscaped(), escape(spec.type.displayName()));
    if (m_optional && direction == Direction::Input)
        tip += QObject::tr(" (optional)");
    if (!spec.description.empty())
        tip += "<br>" + escape(spec.description);
    tip += "<br><i>" +
           (direction == Direction::Output ? QObject::tr("Drag to an input to connect")
                                           : QObject::tr("Drag to an output to connect")) +
           "</i>";
    setToolTip(tip);
}

QRectF PortItem::boundingRect() const
{
    return QRectF(-kHit, -kHit, 2 * kHit, 2 * kHit);
}

QPainterPath PortItem::shape() const
{
    QPainterPath p;
    p.addEllipse(boundingRect());
    return p;
}

void PortItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const qreal r = (m_hover || m_highlight) ? kRadius + 2 : kRadius;
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(m_color.darker(150), 1.5));
    // Filled when bound, hollow when free: unbound required inputs stand out.
    painter->setBrush(m_connected ? m_color : QColor(m_color.red(), m_color.green(), m_color.blue(), 60));
    if (m_type.isArtifact()) {
        painter->drawRoundedRect(QRectF(-r, -r, 2 * r, 2 * r), 2, 2); // artifacts square, parameters round
    } else {
        painter->drawEllipse(QPointF(0, 0), r, r);
    }
    if (m_highlight) {
        painter->setBrush(Qt::NoBrush);
        painter->setPen(QPen(m_color, 1.5, Qt::DotLine));
        painter->drawEllipse(QPointF(0, 0), r + 3, r + 3);
    }
}

void PortItem::setConnected(bool connected)
{
    if (connected != m_connected) {
        m_connected = connected;
        update();
    }
}

void PortItem::setHighlight(bool highlight)
{
    if (highlight != m_highlight) {
        m_highlight = highlight;
        update();
    }
}

QColor PortItem::colorFor(const PortType &type)
{
    if (type.isParameter()) {
        switch (type.parameter) {
        case ParameterType::String:
            return QColor(0x2a, 0x9d, 0x8f);
        case ParameterType::Integer:
            return QColor(0x3a, 0x86, 0xff);
        case ParameterType::Double:
            return QColor(0x83, 0x38, 0xec);
        case ParameterType::Boolean:
            return QColor(0xe0, 0x7a, 0x1f);
        case ParameterType::List:
            return QColor(0x1b, 0x98, 0xe0);
        case ParameterType::Struct:
            return QColor(0x8d, 0x6e, 0x63);
        case ParameterType::TaskFinalStatus:
            return QColor(0x88, 0x88, 0x88);
        }
    }
    const std::string &t = type.schemaTitle;
    if (t == "system.Dataset")
        return QColor(0xe6, 0x39, 0x46);
    if (t == "system.Model")
        return QColor(0xd6, 0x33, 0x84);
    if (t == "system.Metrics" || t == "system.ClassificationMetrics")
        return QColor(0xf4, 0xa2, 0x61);
    if (t == "system.Artifact")
        return QColor(0x9e, 0x9e, 0x9e);
    // Other schemas get a stable hue of their own.
    const uint hue = qHash(QString::fromStdString(t)) % 360;
    return QColor::fromHsv(int(hue), 170, 210);
}

void PortItem::hoverEnterEvent(QGraphicsSceneHoverEvent *)
{
    m_hover = true;
    update();
}

void PortItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *)
{
    m_hover = false;
    update();
}

void PortItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    // A drag from a port draws an edge instead of moving the node.
    if (event->button() == Qt::LeftButton) {
        if (auto *s = dynamic_cast<PipelineScene *>(scene())) {
            s->beginConnection(this, event->scenePos());
            event->accept();
            return;
        }
    }
    QGraphicsItem::mousePressEvent(event);
}

} // namespace pw
