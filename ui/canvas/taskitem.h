// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "canvas/portitem.h"
#include "canvas/subpipelinepreview.h"
#include "model/component.h"
#include "model/task.h"

#include <QGraphicsItem>
#include <QHash>

#include <memory>

namespace pw {

// A task node: title, component name, input ports on the left and output
// ports on the right. Built from a snapshot of the task and its component;
// the scene rebuilds it when the document says the task changed.
class TaskItem final : public QGraphicsItem {
public:
    enum { Type = UserType + 1 };
    static constexpr qreal kWidth = 200;
    static constexpr qreal kHeader = 40;
    static constexpr qreal kRow = 20;

    TaskItem(const Task &task, const Component *component);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString taskId() const { return m_id; }
    QString label() const { return m_label; }
    // Refreshes title and badges; ports are rebuilt only when the
    // component's interface changed, so attached edges keep their ports.
    void update(const Task &task, const Component *component);
    static qreal heightFor(const Component *component);

    PortItem *input(const QString &name) const { return m_inputs.value(name); }
    PortItem *output(const QString &name) const { return m_outputs.value(name); }
    QList<PortItem *> ports() const;
    // Where ordering-only edges (`after`) attach.
    QPointF orderIn() const { return mapToScene(QPointF(0, kHeader / 2)); }
    QPointF orderOut() const { return mapToScene(QPointF(kWidth, kHeader / 2)); }

    enum class Mark { None, Warning, Error };
    void setMark(Mark mark);

    // A sub-pipeline node expands (double-click on it) to show its inner
    // tasks below the ports, and collapses back. A view state: the document
    // does not change.
    bool isSubPipeline() const { return m_innerGraph != nullptr; }
    bool isExpanded() const { return m_expanded; }
    void setExpanded(bool expanded);
    QStringList innerTasks() const;
    // The picture of the inside (laid out on first use); null unless a sub-pipeline.
    const SubPipelinePreview *preview() const;
    qreal height() const { return m_height; }

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;
    void mouseDoubleClickEvent(QGraphicsSceneMouseEvent *event) override;

private:
    void buildPorts(const Component *component);
    qreal previewHeight() const;

    QString m_id, m_label, m_subtitle;
    bool m_cacheOff = false;
    bool m_group = false;      // sub-pipeline component: drawn as a collapsed frame
    QStringList m_settingsBadges; // "GPU", "high-mem", ...: what is set on the task
    qreal m_height = kHeader;
    qreal m_portsHeight = kHeader; // the height without the expanded preview
    std::shared_ptr<const Graph> m_innerGraph;      // sub-pipeline component's graph
    mutable std::unique_ptr<SubPipelinePreview> m_preview; // laid out on first expand
    bool m_expanded = false;
    QHash<QString, PortItem *> m_inputs, m_outputs;
    QList<PortItem *> m_inputOrder, m_outputOrder;
    std::vector<PortSpec> m_inSpecs, m_outSpecs;
    Mark m_mark = Mark::None;
};

} // namespace pw
