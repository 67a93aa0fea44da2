// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QGraphicsPathItem>
#include <QString>

namespace pw {

// A binding drawn as a curve from an output port to an input port, or (with
// an empty output and input) an ordering-only `after` dependency. Holds ids
// only; the scene gives it end points.
class EdgeItem final : public QGraphicsPathItem {
public:
    enum { Type = UserType + 3 };
    EdgeItem(const QString &fromTask, const QString &output, const QString &toTask, const QString &input,
             const QColor &color);

    int type() const override { return Type; }
    QString fromTask() const { return m_fromTask; }
    QString output() const { return m_output; }
    QString toTask() const { return m_toTask; }
    QString input() const { return m_input; }
    bool isOrdering() const { return m_input.isEmpty(); }

    void setEnds(const QPointF &from, const QPointF &to);
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    QString m_fromTask, m_output, m_toTask, m_input;
    QColor m_color;
};

} // namespace pw
