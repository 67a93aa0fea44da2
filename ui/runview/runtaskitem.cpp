// SPDX-License-Identifier: Apache-2.0
#include "runview/runtaskitem.h"

#include "runview/runstatestyle.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace pw {

RunTaskItem::RunTaskItem(const TaskRecord &task)
{
    setFlags(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setZValue(2);
    setRecord(task);
}

QRectF RunTaskItem::boundingRect() const { return QRectF(-2, -2, kWidth + 4, kHeight + 4); }

void RunTaskItem::setRecord(const TaskRecord &t)
{
    m_id = QString::fromStdString(t.id);
    m_label = QString::fromStdString(!t.displayName.empty() ? t.displayName : t.name.empty() ? t.id : t.name);
    m_kind = QString::fromStdString(t.kind);
    m_state = t.state;
    m_attempts = t.attempts;
    m_startedMs = t.startedMs;
    m_finishedMs = t.finishedMs;
    m_message = QString::fromStdString(t.message);
    QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3").arg(m_label.toHtmlEscaped(), m_id.toHtmlEscaped(),
                                                               statusText().toHtmlEscaped());
    if (!m_message.isEmpty())
        tip += "<br>" + m_message.toHtmlEscaped();
    setToolTip(tip);
    update();
}

QString RunTaskItem::statusText() const
{
    QString s = RunStateStyle::text(m_state);
    if (m_startedMs > 0) {
        const std::int64_t end = m_finishedMs > 0 ? m_finishedMs : (m_state == TaskState::Running ? epochMs() : 0);
        const std::string elapsed = formatElapsed(m_startedMs, end);
        if (!elapsed.empty())
            s += QStringLiteral(" · ") + QString::fromStdString(elapsed);
    }
    if (m_attempts > 1)
        s += QObject::tr(" · try %1").arg(m_attempts);
    return s;
}

void RunTaskItem::tick(qreal phase)
{
    if (m_state != TaskState::Running)
        return;
    m_phase = phase;
    update();
}

void RunTaskItem::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QRectF r(0, 0, kWidth, kHeight);
    const QColor c = RunStateStyle::color(m_state);
    const bool selected = option->state & QStyle::State_Selected;
    // Zoomed far out (thousands of tasks in view) text is unreadable anyway:
    // a box in the state's colours, drawn without antialiasing, keeps a
    // 10,000-task run at interactive frame rates.
    if (option->levelOfDetailFromTransform(p->worldTransform()) < 0.3) {
        p->setPen(selected ? QPen(QColor(0x10, 0x3a, 0x80), 0) : QPen(c, 0));
        p->setBrush(selected ? c : RunStateStyle::fill(m_state));
        p->drawRect(r);
        return;
    }
    p->setRenderHint(QPainter::Antialiasing);
    QPen border(selected ? QColor(0x10, 0x3a, 0x80) : c, selected ? 3 : 1.6);
    if (m_state == TaskState::Pending || m_state == TaskState::Skipped)
        border.setStyle(Qt::DashLine);
    p->setPen(border);
    p->setBrush(RunStateStyle::fill(m_state));
    p->drawRoundedRect(r, 8, 8);
    // A state-coloured strip on the left edge makes states scannable from afar.
    p->setPen(Qt::NoPen);
    p->setBrush(c);
    p->drawRoundedRect(QRectF(0.8, 0.8, 6, kHeight - 1.6), 3, 3);

    RunStateStyle::paintGlyph(p, QRectF(14, (kHeight - 22) / 2, 22, 22), m_state, m_phase);

    QFont title = p->font();
    title.setBold(true);
    p->setFont(title);
    p->setPen(QColor(0x20, 0x20, 0x20));
    const QRectF text(44, 7, kWidth - 52, 20);
    p->drawText(text, Qt::AlignLeft | Qt::AlignVCenter, QFontMetricsF(title).elidedText(m_label, Qt::ElideRight,
                                                                                          text.width()));
    QFont small = p->font();
    small.setBold(false);
    small.setPointSizeF(small.pointSizeF() * 0.88);
    p->setFont(small);
    p->setPen(c.darker(130));
    const QRectF status(44, 28, kWidth - 52, 18);
    p->drawText(status, Qt::AlignLeft | Qt::AlignVCenter,
                QFontMetricsF(small).elidedText(statusText(), Qt::ElideRight, status.width()));
}

} // namespace pw
