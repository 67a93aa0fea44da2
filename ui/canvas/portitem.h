// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/porttype.h"

#include <QGraphicsItem>
#include <QString>

namespace pw {

// A typed input or output of a task node. Ports know their task by id only;
// the scene resolves ids against the document.
class PortItem final : public QGraphicsItem {
public:
    enum { Type = UserType + 2 };
    enum class Direction { Input, Output };

    PortItem(const QString &taskId, const QString &name, Direction direction, const PortSpec &spec,
             QGraphicsItem *parent);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString taskId() const { return m_taskId; }
    QString name() const { return m_name; }
    Direction direction() const { return m_direction; }
    const PortType &portType() const { return m_type; }
    bool isOptional() const { return m_optional; }
    QColor color() const { return m_color; }
    // Where edges attach, in scene coordinates.
    QPointF anchor() const { return scenePos(); }

    void setConnected(bool connected);
    void setHighlight(bool highlight);

    // One colour per parameter type and per common artifact type, so that
    // matching ports are easy to spot.
    static QColor colorFor(const PortType &type);

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;

private:
    QString m_taskId, m_name;
    Direction m_direction;
    PortType m_type;
    bool m_optional = false;
    QColor m_color;
    bool m_connected = false;
    bool m_hover = false;
    bool m_highlight = false;
};

} // namespace pw
