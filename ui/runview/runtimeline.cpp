// SPDX-License-Identifier: Apache-2.0
#include "runview/runtimeline.h"

#include "runview/runstatestyle.h"

#include <QFontMetrics>
#include <QMouseEvent>
#include <QPainter>
#include <QTimer>

#include <unordered_map>

#include <cmath>

namespace pw {

namespace {
constexpr int kRowHeight = 24;
constexpr int kAxisHeight = 26;
constexpr int kLabelWidth = 210;
constexpr int kRightMargin = 70;

// A round step for axis ticks: about `target` ticks across `spanMs`.
std::int64_t tickStep(std::int64_t spanMs, int target)
{
    static const std::int64_t steps[] = {100,    200,    500,     1000,    2000,    5000,    10000,  15000,
                                         30000,  60000,  120000,  300000,  600000,  900000,  1800000, 3600000,
                                         7200000, 21600000, 43200000, 86400000};
    for (std::int64_t s : steps)
        if (spanMs / s <= target)
            return s;
    return 86400000;
}

QString tickLabel(std::int64_t ms)
{
    if (ms < 60000)
        return QString::number(double(ms) / 1000.0, 'g', 3) + " s";
    if (ms < 3600000)
        return QStringLiteral("%1m%2s").arg(ms / 60000).arg((ms / 1000) % 60, 2, 10, QChar('0'));
    return QStringLiteral("%1h%2m").arg(ms / 3600000).arg((ms / 60000) % 60, 2, 10, QChar('0'));
}
} // namespace

RunTimeline::RunTimeline(QWidget *parent) : QWidget(parent)
{
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Base);
    m_tick = new QTimer(this);
    m_tick->setInterval(500);
    connect(m_tick, &QTimer::timeout, this, qOverload<>(&QWidget::update));
}

void RunTimeline::setRun(const RunGraph &run)
{
    m_rows.clear();
    m_startMs = run.createdMs;
    m_finishedMs = run.finishedMs;
    m_live = !isTerminal(run.state);
    // Tree order puts a parent before its members: depths from a map, not a
    // search of the whole run per task (quadratic at 10,000 tasks).
    std::unordered_map<std::string, int> depthOf;
    for (const TaskRecord *t : run.treeOrder()) {
        Row r;
        r.id = QString::fromStdString(t->id);
        r.label = QString::fromStdString(t->kind == "iteration" ? "item " + t->name
                                         : !t->displayName.empty() ? t->displayName
                                                                   : t->name);
        const auto parent = depthOf.find(t->parent);
        r.depth = parent == depthOf.end() ? 0 : parent->second + 1;
        depthOf[t->id] = r.depth;
        r.state = t->state;
        r.startedMs = t->startedMs;
        r.finishedMs = t->finishedMs;
        r.group = t->kind == "dag" || t->kind == "loop" || t->kind == "iteration";
        if (m_startMs == 0 || (r.startedMs > 0 && r.startedMs < m_startMs))
            m_startMs = r.startedMs;
        m_rows.push_back(std::move(r));
    }
    if (m_live)
        m_tick->start();
    else
        m_tick->stop();
    updateGeometry();
    update();
}

void RunTimeline::clear()
{
    m_rows.clear();
    m_tick->stop();
    updateGeometry();
    update();
}

void RunTimeline::setSelectedTask(const QString &taskId)
{
    m_selected = taskId;
    update();
}

QStringList RunTimeline::rowIds() const
{
    QStringList ids;
    for (const Row &r : m_rows)
        ids << r.id;
    return ids;
}

QSize RunTimeline::sizeHint() const { return {kLabelWidth + 500, kAxisHeight + int(m_rows.size()) * kRowHeight + 8}; }
QSize RunTimeline::minimumSizeHint() const { return {kLabelWidth + 200, kAxisHeight + int(m_rows.size()) * kRowHeight + 8}; }

std::int64_t RunTimeline::endMs() const
{
    std::int64_t end = m_finishedMs;
    for (const Row &r : m_rows)
        end = std::max(end, r.finishedMs);
    if (m_live)
        end = std::max(end, epochMs());
    return std::max(end, m_startMs + 1000);
}

void RunTimeline::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette pal = palette();
    if (m_rows.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter, tr("No tasks yet"));
        return;
    }
    const std::int64_t end = endMs();
    const double span = double(end - m_startMs);
    const int x0 = kLabelWidth;
    const int x1 = std::max(x0 + 50, width() - kRightMargin);
    auto xOf = [&](std::int64_t ms) { return x0 + (x1 - x0) * double(ms - m_startMs) / span; };

    // Axis with round ticks and a faint grid.
    const std::int64_t step = tickStep(end - m_startMs, std::max(2, (x1 - x0) / 90));
    const int bottom = kAxisHeight + int(m_rows.size()) * kRowHeight;
    for (std::int64_t t = 0; m_startMs + t <= end; t += step) {
        const double x = xOf(m_startMs + t);
        p.setPen(QColor(0xe4, 0xe6, 0xea));
        p.drawLine(QPointF(x, kAxisHeight - 4), QPointF(x, bottom));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(x - 40, 2, 80, kAxisHeight - 8), Qt::AlignCenter, tickLabel(t));
    }

    const QFontMetrics fm(font());
    for (std::size_t i = 0; i < m_rows.size(); ++i) {
        const Row &r = m_rows[i];
        const int y = kAxisHeight + int(i) * kRowHeight;
        if (r.id == m_selected)
            p.fillRect(QRect(0, y, width(), kRowHeight), pal.color(QPalette::Highlight).lighter(190));
        else if (i % 2)
            p.fillRect(QRect(0, y, width(), kRowHeight), QColor(0xf6, 0xf7, 0xf9));
        const int indent = 6 + r.depth * 14;
        RunStateStyle::paintGlyph(&p, QRectF(indent, y + 5, 14, 14), r.state);
        QFont f = font();
        f.setItalic(r.group);
        p.setFont(f);
        p.setPen(pal.color(QPalette::Text));
        const QRect label(indent + 20, y, kLabelWidth - indent - 26, kRowHeight);
        p.drawText(label, Qt::AlignLeft | Qt::AlignVCenter, fm.elidedText(r.label, Qt::ElideRight, label.width()));
        if (r.startedMs <= 0)
            continue;
        const std::int64_t stop = r.finishedMs > 0 ? r.finishedMs : (r.state == TaskState::Running ? end : r.startedMs);
        const double bx = xOf(r.startedMs);
        const double bw = std::max(3.0, xOf(stop) - bx);
        const QColor c = RunStateStyle::color(r.state);
        const QRectF bar(bx, y + (r.group ? 9 : 5), bw, r.group ? 6 : kRowHeight - 10);
        p.setPen(Qt::NoPen);
        p.setBrush(r.group ? c.lighter(140) : c);
        p.drawRoundedRect(bar, 3, 3);
        const std::string elapsed = formatElapsed(r.startedMs, stop);
        if (!elapsed.empty() && !r.group) {
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QRectF(bar.right() + 4, y, kRightMargin + 60, kRowHeight), Qt::AlignLeft | Qt::AlignVCenter,
                       QString::fromStdString(elapsed));
        }
    }
}

void RunTimeline::mousePressEvent(QMouseEvent *event)
{
    const int row = (int(event->position().y()) - kAxisHeight) / kRowHeight;
    if (event->position().y() >= kAxisHeight && row >= 0 && row < int(m_rows.size())) {
        m_selected = m_rows[std::size_t(row)].id;
        update();
        emit taskSelected(m_selected);
    }
}

} // namespace pw
