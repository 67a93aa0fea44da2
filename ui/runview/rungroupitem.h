// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QGraphicsItem>
#include <QString>

namespace pw {

// The frame around a group task's members (condition, loop, loop iteration,
// exit handler, sub-pipeline), with its name, kind and state in the header.
class RunGroupItem final : public QGraphicsItem {
public:
    enum { Type = UserType + 102 };
    static constexpr qreal kHeader = 26;

    RunGroupItem(const TaskRecord &task, const QRectF &frame);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString taskId() const { return m_id; }
    TaskState state() const { return m_state; }
    void setRecord(const TaskRecord &task);
    QRectF frame() const { return m_frame; }

private:
    QString m_id, m_label;
    TaskState m_state = TaskState::Pending;
    QRectF m_frame;
};

} // namespace pw
