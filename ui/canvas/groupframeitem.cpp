// SPDX-License-Identifier: Apache-2.0
#include "canvas/groupframeitem.h"


#include <QApplication>
#include <QPainter>
#include <QPalette>

namespace pw {

namespace {

QString bindingText(const Binding &b)
{
    switch (b.kind) {
    case Binding::Kind::None:
        return QStringLiteral("—");
    case Binding::Kind::Constant:
        return QString::fromStdString(b.value.is_string() ? b.value.get<std::string>() : b.value.dump());
    case Binding::Kind::Parameter:
        return QStringLiteral("{%1}").arg(QString::fromStdString(b.name));
    case Binding::Kind::TaskOutput:
        return QStringLiteral("%1.%2").arg(QString::fromStdString(b.task), QString::fromStdString(b.name));
    case Binding::Kind::LoopItem:
        return QStringLiteral("item of %1").arg(QString::fromStdString(b.group));
    case Binding::Kind::RunValue:
        return QString::fromStdString(b.run.toSpec());
    default:
        return QStringLiteral("…");
    }
}

QColor kindColor(Group::Kind kind)
{
    switch (kind) {
    case Group::Kind::Condition:
    case Group::Kind::Branches:
        return QColor(0x2e, 0x7d, 0x32);
    case Group::Kind::Loop:
        return QColor(0x15, 0x65, 0xc0);
    case Group::Kind::ExitHandler:
        return QColor(0xc6, 0x28, 0x28);
    }
    return Qt::gray;
}

} // namespace

GroupFrameItem::GroupFrameItem(const Group &group)
{
    setFlag(ItemIsSelectable);
    setZValue(0);
    update(group);
}

QString GroupFrameItem::describe(const Group &group)
{
    const QString name = QString::fromStdString(group.displayName.empty() ? group.id : group.displayName);
    switch (group.kind) {
    case Group::Kind::Condition:
        if (!group.condition)
            return QObject::tr("else · %1").arg(name);
        // Inside an if/elif/else chain every branch after the first is an elif.
        return (group.order > 0 ? QObject::tr("elif %1 %2 %3 · %4") : QObject::tr("if %1 %2 %3 · %4"))
            .arg(bindingText(group.condition->lhs), QString::fromStdString(group.condition->op),
                 bindingText(group.condition->rhs), name);
    case Group::Kind::Branches:
        return QObject::tr("if / elif / else · %1").arg(name);
    case Group::Kind::Loop: {
        QString s = QObject::tr("for each in %1 · %2").arg(bindingText(group.loop.items), name);
        if (group.loop.parallelism > 0)
            s += QObject::tr(" (%1 at a time)").arg(group.loop.parallelism);
        return s;
    }
    case Group::Kind::ExitHandler:
        return QObject::tr("exit handler → %1 · %2")
            .arg(group.exitTask.empty() ? QObject::tr("(no exit task)") : QString::fromStdString(group.exitTask),
                 name);
    }
    return name;
}

void GroupFrameItem::update(const Group &group)
{
    m_id = QString::fromStdString(group.id);
    m_parent = QString::fromStdString(group.parent);
    m_kind = group.kind;
    m_label = describe(group);
    setToolTip(m_label);
    QGraphicsItem::update();
}

void GroupFrameItem::setDepth(int depth)
{
    m_depth = depth;
    setZValue(-1 + depth * 0.01); // outer frames below inner ones, all below edges
}

void GroupFrameItem::setFrame(const QRectF &rect)
{
    if (rect == m_rect)
        return;
    prepareGeometryChange();
    m_rect = rect;
}

QRectF GroupFrameItem::boundingRect() const
{
    return m_rect.adjusted(-2, -2, 2, 2);
}

void GroupFrameItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *)
{
    const QColor c = kindColor(m_kind);
    painter->setRenderHint(QPainter::Antialiasing);
    QColor fill = c;
    fill.setAlpha(22);
    QPen pen(isSelected() ? QApplication::palette().color(QPalette::Highlight) : c, isSelected() ? 2.5 : 1.5,
             Qt::DashLine);
    painter->setPen(pen);
    painter->setBrush(fill);
    painter->drawRoundedRect(m_rect, 10, 10);
    QColor head = c;
    head.setAlpha(50);
    QPainterPath header;
    header.addRoundedRect(QRectF(m_rect.topLeft(), QSizeF(m_rect.width(), kHeader)), 10, 10);
    painter->fillPath(header, head);
    QFont f = QApplication::font();
    f.setBold(true);
    painter->setFont(f);
    painter->setPen(QApplication::palette().color(QPalette::Text));
    const QRectF text = QRectF(m_rect.left() + 10, m_rect.top(), m_rect.width() - 20, kHeader);
    painter->drawText(text, Qt::AlignLeft | Qt::AlignVCenter,
                      QFontMetricsF(f).elidedText(m_label, Qt::ElideRight, text.width()));
}

} // namespace pw
