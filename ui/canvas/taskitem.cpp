// SPDX-License-Identifier: Apache-2.0
#include "canvas/taskitem.h"

#include "canvas/pipelinescene.h"

#include <QApplication>
#include <QGraphicsSceneMouseEvent>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

namespace pw {

TaskItem::TaskItem(const Task &task, const Component *component)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemSendsScenePositionChanges);
    setAcceptHoverEvents(true);
    setZValue(2);
    update(task, component);
}

qreal TaskItem::heightFor(const Component *component)
{
    const std::size_t rows = component ? std::max(component->inputs.size(), component->outputs.size()) : 0;
    return kHeader + qreal(rows) * kRow + (rows ? 8 : 0);
}

void TaskItem::update(const Task &task, const Component *component)
{
    m_id = QString::fromStdString(task.id);
    m_label = QString::fromStdString(task.label());
    m_subtitle = component ? QString::fromStdString(component->name) : QObject::tr("missing component '%1'")
                                                                          .arg(QString::fromStdString(task.component));
    m_group = component && component->kind == Component::Kind::Graph;
    if (m_group)
        m_subtitle = QObject::tr("sub-pipeline · %1").arg(m_subtitle);
    m_cacheOff = !task.settings.caching;
    m_settingsBadges.clear();
    const auto &s = task.settings;
    if (!s.resources.acceleratorType.empty())
        m_settingsBadges << QObject::tr("GPU");
    if (!s.nodePool.empty())
        m_settingsBadges << QString::fromStdString(s.nodePool);
    else if (!s.nodeSelector.empty())
        m_settingsBadges << QObject::tr("pool");
    if (s.retry.maxRetries > 0)
        m_settingsBadges << QObject::tr("retry %1").arg(s.retry.maxRetries);
    prepareGeometryChange();
    m_portsHeight = heightFor(component);
    // The inner graph is laid out only when the node is expanded, not on
    // every update of the task.
    std::shared_ptr<const Graph> inner = m_group ? component->graph : nullptr;
    if (inner != m_innerGraph)
        m_preview.reset();
    m_innerGraph = std::move(inner);
    m_expanded = m_expanded && m_innerGraph;
    m_height = m_portsHeight + (m_expanded ? previewHeight() : 0);
    buildPorts(component);
    QString tip = QStringLiteral("<b>%1</b> (%2)<br>%3").arg(m_label.toHtmlEscaped(), m_id.toHtmlEscaped(),
                                                               m_subtitle.toHtmlEscaped());
    if (component && !component->description.empty())
        tip += "<br>" + QString::fromStdString(component->description).toHtmlEscaped();
    setToolTip(tip);
    QGraphicsItem::update();
}

void TaskItem::buildPorts(const Component *component)
{
    const std::vector<PortSpec> in = component ? component->inputs : std::vector<PortSpec>{};
    const std::vector<PortSpec> out = component ? component->outputs : std::vector<PortSpec>{};
    if (in == m_inSpecs && out == m_outSpecs)
        return;
    m_inSpecs = in;
    m_outSpecs = out;
    qDeleteAll(m_inputOrder);
    qDeleteAll(m_outputOrder);
    m_inputOrder.clear();
    m_outputOrder.clear();
    m_inputs.clear();
    m_outputs.clear();
    if (!component)
        return;
    for (std::size_t i = 0; i < component->inputs.size(); ++i) {
        const PortSpec &spec = component->inputs[i];
        auto *p = new PortItem(m_id, QString::fromStdString(spec.name), PortItem::Direction::Input, spec, this);
        p->setPos(0, kHeader + qreal(i) * kRow + kRow / 2);
        m_inputs.insert(p->name(), p);
        m_inputOrder << p;
    }
    for (std::size_t i = 0; i < component->outputs.size(); ++i) {
        const PortSpec &spec = component->outputs[i];
        auto *p = new PortItem(m_id, QString::fromStdString(spec.name), PortItem::Direction::Output, spec, this);
        p->setPos(kWidth, kHeader + qreal(i) * kRow + kRow / 2);
        m_outputs.insert(p->name(), p);
        m_outputOrder << p;
    }
}

const SubPipelinePreview *TaskItem::preview() const
{
    if (!m_preview && m_innerGraph)
        m_preview = std::make_unique<SubPipelinePreview>(*m_innerGraph);
    return m_preview.get();
}

QStringList TaskItem::innerTasks() const
{
    return isSubPipeline() ? preview()->taskLabels() : QStringList();
}

qreal TaskItem::previewHeight() const
{
    return isSubPipeline() ? preview()->heightFor(kWidth - 16) + 16 : 0;
}

void TaskItem::setExpanded(bool expanded)
{
    if (!isSubPipeline() || expanded == m_expanded)
        return;
    prepareGeometryChange();
    m_expanded = expanded;
    m_height = m_portsHeight + (m_expanded ? previewHeight() : 0);
    QGraphicsItem::update();
    if (auto *s = dynamic_cast<PipelineScene *>(scene()))
        s->taskItemResized(this);
}

void TaskItem::mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event)
{
    if (isSubPipeline() && event->button() == Qt::LeftButton) {
        setExpanded(!m_expanded);
        event->accept();
        return;
    }
    QGraphicsItem::mouseDoubleClickEvent(event);
}

QList<PortItem *> TaskItem::ports() const
{
    return m_inputOrder + m_outputOrder;
}

QRectF TaskItem::boundingRect() const
{
    return QRectF(-2, -2, kWidth + 4, m_height + 4);
}

void TaskItem::setMark(Mark mark)
{
    if (mark != m_mark) {
        m_mark = mark;
        QGraphicsItem::update();
    }
}

void TaskItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette pal = QApplication::palette();
    const bool dark = pal.color(QPalette::Window).lightness() < 128;
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    const QRectF body(0, 0, kWidth, m_height);

    QColor border = pal.color(QPalette::Mid);
    qreal borderWidth = 1.2;
    if (m_mark == Mark::Error) {
        border = QColor(0xd3, 0x2f, 0x2f);
        borderWidth = 2;
    } else if (m_mark == Mark::Warning) {
        border = QColor(0xf9, 0xa8, 0x25);
        borderWidth = 2;
    }
    if (isSelected()) {
        border = pal.color(QPalette::Highlight);
        borderWidth = 2.5;
    }
    QColor fill = pal.color(QPalette::Base);
    QColor header = m_group ? (dark ? QColor(0x3b, 0x4a, 0x5e) : QColor(0xdc, 0xe7, 0xf5))
                            : (dark ? QColor(0x36, 0x3d, 0x48) : QColor(0xec, 0xef, 0xf4));

    if (lod < 0.25) {
        // Far out: a plain box is all that can be seen, and it keeps 1,000 nodes smooth.
        painter->setPen(QPen(border, borderWidth / lod * 0.5));
        painter->setBrush(header);
        painter->drawRect(body);
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(border, borderWidth));
    painter->setBrush(fill);
    painter->drawRoundedRect(body, 6, 6);
    QPainterPath headerPath;
    headerPath.addRoundedRect(QRectF(0.5, 0.5, kWidth - 1, kHeader - 0.5), 6, 6);
    painter->fillPath(headerPath, header);
    painter->setPen(QPen(pal.color(QPalette::Mid), 0.8));
    if (m_height > kHeader)
        painter->drawLine(QPointF(0, kHeader), QPointF(kWidth, kHeader));

    QFont title = QApplication::font();
    title.setBold(true);
    painter->setFont(title);
    painter->setPen(pal.color(QPalette::Text));
    const QFontMetricsF fm(title);
    QString badge = m_settingsBadges.join(QStringLiteral(" · "));
    if (m_cacheOff)
        badge = badge.isEmpty() ? QObject::tr("no cache") : badge + QObject::tr(" · no cache");
    // Sub-pipelines carry a disclosure mark: double-click expands or collapses.
    const QString heading = isSubPipeline() ? (m_expanded ? QStringLiteral("▾ ") : QStringLiteral("▸ ")) + m_label : m_label;
    painter->drawText(QRectF(10, 3, kWidth - 20, kHeader / 2), Qt::AlignLeft | Qt::AlignVCenter,
                      fm.elidedText(heading, Qt::ElideRight, kWidth - 20));
    if (lod < 0.5)
        return;
    QFont small = QApplication::font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    painter->setFont(small);
    const QFontMetricsF sm(small);
    QColor dim = pal.color(QPalette::Text);
    dim.setAlphaF(0.65);
    painter->setPen(dim);
    QString sub = m_subtitle;
    if (!badge.isEmpty())
        sub += QStringLiteral("  [%1]").arg(badge);
    painter->drawText(QRectF(10, kHeader / 2, kWidth - 20, kHeader / 2 - 2), Qt::AlignLeft | Qt::AlignVCenter,
                      sm.elidedText(sub, Qt::ElideRight, kWidth - 20));

    painter->setPen(pal.color(QPalette::Text));
    const qreal half = kWidth / 2 - 14;
    for (PortItem *p : m_inputOrder) {
        const QRectF r(12, p->y() - kRow / 2, half, kRow);
        painter->drawText(r, Qt::AlignLeft | Qt::AlignVCenter, sm.elidedText(p->name(), Qt::ElideRight, half));
    }
    for (PortItem *p : m_outputOrder) {
        const QRectF r(kWidth - 12 - half, p->y() - kRow / 2, half, kRow);
        painter->drawText(r, Qt::AlignRight | Qt::AlignVCenter, sm.elidedText(p->name(), Qt::ElideRight, half));
    }
    if (m_expanded) {
        painter->setPen(QPen(pal.color(QPalette::Mid), 0.8, Qt::DashLine));
        painter->drawLine(QPointF(0, m_portsHeight), QPointF(kWidth, m_portsHeight));
        preview()->paint(painter, QRectF(8, m_portsHeight + 8, kWidth - 16, m_height - m_portsHeight - 16));
    }
}

QVariant TaskItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemScenePositionHasChanged) {
        if (auto *s = dynamic_cast<PipelineScene *>(scene()))
            s->taskItemMoved(this);
    }
    return QGraphicsItem::itemChange(change, value);
}

} // namespace pw
