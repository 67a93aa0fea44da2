// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "model/group.h"

#include <QGraphicsItem>
#include <QString>

namespace pw {

// The frame of a condition, loop or exit-handler group around its member
// tasks. Its rectangle follows the members; the scene sets it whenever the
// document reports a move or a change of membership.
class GroupFrameItem final : public QGraphicsItem {
public:
    enum { Type = UserType + 4 };
    static constexpr qreal kHeader = 26;
    static constexpr qreal kPadding = 16;

    explicit GroupFrameItem(const Group &group);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString groupId() const { return m_id; }
    QString parentId() const { return m_parent; }
    void update(const Group &group);
    void setFrame(const QRectF &rect); // scene coordinates
    QRectF frame() const { return m_rect; }
    int depth() const { return m_depth; }
    void setDepth(int depth);

    static QString describe(const Group &group);

private:
    QString m_id, m_parent, m_label;
    Group::Kind m_kind = Group::Kind::Condition;
    QRectF m_rect;
    int m_depth = 0;
};

} // namespace pw
