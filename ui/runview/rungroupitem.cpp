// SPDX-License-Identifier: Apache-2.0
#include "runview/rungroupitem.h"

#include "runview/runstatestyle.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace pw {

RunGroupItem::RunGroupItem(const TaskRecord &task, const QRectF &frame) : m_frame(frame)
{
    setFlags(ItemIsSelectable);
    setZValue(0);
    setRecord(task);
}

QRectF RunGroupItem::boundingRect() const { return m_frame.adjusted(-2, -2, 2, 2); }

void RunGroupItem::setRecord(const TaskRecord &t)
{
    m_id = QString::fromStdString(t.id);
    QString name = QString::fromStdString(!t.displayName.empty() ? t.displayName : t.name);
    if (t.kind == "iteration")
        name = QObject::tr("item %1").arg(QString::fromStdString(t.name));
    else if (t.kind == "loop")
        name = QObject::tr("loop · %1").arg(name);
    m_label = name;
    m_state = t.state;
    setToolTip(QStringLiteral("%1 (%2): %3").arg(m_label, m_id, RunStateStyle::text(m_state)));
    update();
}

void RunGroupItem::paint(QPainter *p, const QStyleOptionGraphicsItem *option, QWidget *)
{
    p->setRenderHint(QPainter::Antialiasing);
    const QColor c = RunStateStyle::color(m_state);
    const bool selected = option->state & QStyle::State_Selected;
    p->setPen(QPen(selected ? QColor(0x10, 0x3a, 0x80) : c, selected ? 2.5 : 1.2, Qt::DashLine));
    QColor bg = RunStateStyle::fill(m_state);
    bg.setAlpha(110);
    p->setBrush(bg);
    p->drawRoundedRect(m_frame, 10, 10);
    const QRectF header(m_frame.left() + 8, m_frame.top() + 4, m_frame.width() - 16, kHeader - 6);
    RunStateStyle::paintGlyph(p, QRectF(header.left(), header.top() + 2, 14, 14), m_state);
    p->setPen(c.darker(140));
    const QString text = m_label + QStringLiteral(" · ") + RunStateStyle::text(m_state);
    const QRectF label = header.adjusted(20, 0, 0, 0);
    p->drawText(label, Qt::AlignLeft | Qt::AlignTop,
                QFontMetricsF(p->font()).elidedText(text, Qt::ElideRight, label.width()));
}

} // namespace pw
