// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QGraphicsItem>
#include <QString>

namespace pw {

// A task of a run: state colour and glyph, name, state and duration. Group
// tasks that have no members yet (a loop before its items are known) are
// drawn this way too. Updated in place on every state change.
class RunTaskItem final : public QGraphicsItem {
public:
    enum { Type = UserType + 101 };
    static constexpr qreal kWidth = 190;
    static constexpr qreal kHeight = 54;

    explicit RunTaskItem(const TaskRecord &task);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString taskId() const { return m_id; }
    QString label() const { return m_label; }
    TaskState state() const { return m_state; }
    // "succeeded · 4.1 s": what the node shows under its name.
    QString statusText() const;
    void setRecord(const TaskRecord &task);
    // Advances the running spinner and the elapsed time.
    void tick(qreal phase);

private:
    QString m_id, m_label, m_kind, m_message;
    TaskState m_state = TaskState::Pending;
    int m_attempts = 0;
    std::int64_t m_startedMs = 0, m_finishedMs = 0;
    qreal m_phase = 0;
};

} // namespace pw
