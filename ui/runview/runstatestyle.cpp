// SPDX-License-Identifier: Apache-2.0
#include "runview/runstatestyle.h"

#include <QPainter>
#include <QPainterPath>

namespace pw {

QString toQString(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QColor RunStateStyle::color(TaskState s)
{
    switch (s) {
    case TaskState::Pending: return QColor(0x8a, 0x8f, 0x98);
    case TaskState::Running: return QColor(0x1f, 0x6f, 0xd1);
    case TaskState::Succeeded: return QColor(0x2e, 0x8b, 0x3e);
    case TaskState::Failed: return QColor(0xc6, 0x28, 0x28);
    case TaskState::Skipped: return QColor(0x9e, 0x9e, 0x9e);
    case TaskState::Cached: return QColor(0x6a, 0x4c, 0xb0);
    case TaskState::Cancelled: return QColor(0xc7, 0x7c, 0x02);
    }
    return Qt::gray;
}

TaskState RunStateStyle::asTaskState(RunState s)
{
    switch (s) {
    case RunState::Pending: return TaskState::Pending;
    case RunState::Running: return TaskState::Running;
    case RunState::Succeeded: return TaskState::Succeeded;
    case RunState::Failed: return TaskState::Failed;
    case RunState::Cancelled: return TaskState::Cancelled;
    case RunState::Interrupted: return TaskState::Cancelled;
    case RunState::Cancelling: return TaskState::Running; // still going
    case RunState::Paused: return TaskState::Pending;
    case RunState::Skipped: return TaskState::Skipped;
    case RunState::Unknown: return TaskState::Pending;
    }
    return TaskState::Pending;
}

QColor RunStateStyle::color(RunState s) { return color(asTaskState(s)); }

QColor RunStateStyle::fill(TaskState s)
{
    const QColor c = color(s);
    // Mix with white so black text keeps its contrast on every state.
    const qreal k = s == TaskState::Pending || s == TaskState::Skipped ? 0.12 : 0.18;
    return QColor::fromRgbF(1 - (1 - c.redF()) * k, 1 - (1 - c.greenF()) * k, 1 - (1 - c.blueF()) * k);
}

QString RunStateStyle::text(TaskState s) { return toQString(toString(s)); }
QString RunStateStyle::text(RunState s) { return toQString(toString(s)); }

void RunStateStyle::paintGlyph(QPainter *p, const QRectF &r, TaskState s, qreal phase)
{
    p->save();
    p->setRenderHint(QPainter::Antialiasing);
    const QColor c = color(s);
    const qreal w = r.width();
    const QRectF circle = r.adjusted(1, 1, -1, -1);
    QPen pen(Qt::white, std::max<qreal>(1.5, w / 8), Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    auto at = [&](qreal fx, qreal fy) { return QPointF(r.left() + fx * w, r.top() + fy * r.height()); };
    switch (s) {
    case TaskState::Pending:
        p->setPen(QPen(c, std::max<qreal>(1.5, w / 9)));
        p->setBrush(Qt::white);
        p->drawEllipse(circle);
        break;
    case TaskState::Running: {
        p->setPen(QPen(c.lighter(160), w / 7));
        p->setBrush(Qt::NoBrush);
        const QRectF ring = r.adjusted(w / 7, w / 7, -w / 7, -w / 7);
        p->drawEllipse(ring);
        p->setPen(QPen(c, w / 7, Qt::SolidLine, Qt::RoundCap));
        p->drawArc(ring, int(-phase * 360 * 16), 100 * 16);
        break;
    }
    case TaskState::Succeeded:
    case TaskState::Cached:
        p->setPen(Qt::NoPen);
        p->setBrush(c);
        p->drawEllipse(circle);
        p->setPen(pen);
        p->drawPolyline(QPolygonF({at(0.28, 0.52), at(0.44, 0.68), at(0.73, 0.35)}));
        if (s == TaskState::Cached) { // a small disk: "from the store"
            p->setPen(QPen(c, 1));
            p->setBrush(Qt::white);
            p->drawEllipse(QRectF(at(0.62, 0.62), QSizeF(w * 0.38, w * 0.38)));
        }
        break;
    case TaskState::Failed:
        p->setPen(Qt::NoPen);
        p->setBrush(c);
        p->drawEllipse(circle);
        p->setPen(pen);
        p->drawLine(at(0.33, 0.33), at(0.67, 0.67));
        p->drawLine(at(0.67, 0.33), at(0.33, 0.67));
        break;
    case TaskState::Skipped:
        p->setPen(QPen(c, std::max<qreal>(1.5, w / 9)));
        p->setBrush(Qt::white);
        p->drawEllipse(circle);
        p->setPen(QPen(c, w / 8, Qt::SolidLine, Qt::RoundCap));
        p->drawLine(at(0.3, 0.5), at(0.7, 0.5));
        break;
    case TaskState::Cancelled:
        p->setPen(Qt::NoPen);
        p->setBrush(c);
        p->drawEllipse(circle);
        p->setBrush(Qt::white);
        p->drawRect(QRectF(at(0.34, 0.34), at(0.66, 0.66)));
        break;
    }
    p->restore();
}

} // namespace pw
