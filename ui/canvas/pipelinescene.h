// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/pipelinedocument.h"

#include <QGraphicsScene>

#include <optional>
#include <QHash>

namespace pw {

class EdgeItem;
class GroupFrameItem;
class PortItem;
class TaskItem;

// The canvas's items, kept in step with a PipelineDocument: items are made
// and destroyed only in reaction to document signals. User gestures (drag a
// node, draw an edge, drop into a frame) become undo commands on the
// document; the resulting signals then update the items.
class PipelineScene final : public QGraphicsScene {
    Q_OBJECT
public:
    explicit PipelineScene(PipelineDocument *doc, QObject *parent = nullptr);

    PipelineDocument *document() const { return m_doc; }
    TaskItem *taskItem(const QString &id) const { return m_tasks.value(id); }
    GroupFrameItem *groupItem(const QString &id) const { return m_groups.value(id); }
    QList<EdgeItem *> edges() const;
    // Edges from producers into the frames of groups that read them.
    QList<EdgeItem *> groupInputEdges() const { return m_groupEdges; }
    int taskCount() const { return int(m_tasks.size()); }

    QStringList selectedTaskIds() const;
    QStringList selectedGroupIds() const;
    QList<EdgeItem *> selectedEdges() const;
    void selectTask(const QString &id);
    void selectGroup(const QString &id);
    // Every selectable item, announced by one selectionChanged.
    void selectAll();

    // Connects two ports (either order). Returns the reason when refused, and
    // emits connectionRefused; pushes the binding command otherwise.
    QString connectPorts(PortItem *a, PortItem *b);
    // Severity marks from validation, by task id.
    void setProblemMarks(const QHash<QString, int> &severityByTask);

    // Called by items.
    void beginConnection(PortItem *port, const QPointF &scenePos);
    void taskItemMoved(TaskItem *item);
    // A node changed size (a sub-pipeline expanded): edges and frames follow.
    void taskItemResized(TaskItem *item);

signals:
    void connectionRefused(const QString &reason);
    void connectionMade(const QString &toTask, const QString &input);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;

private:
    void rebuild();
    void addTaskItem(const QString &id);
    void addTaskItem(const Task &task);
    void removeTaskItem(const QString &id);
    void refreshTask(const QString &id);
    void rebuildIncomingEdges(const QString &taskId);
    // `marks`: also refresh the connected marks of the task and its producers.
    void rebuildIncomingEdges(const Task &task, bool marks = true);
    void removeIncomingEdges(const QString &taskId);
    void updateEdgeGeometry(EdgeItem *edge);
    void updateConnectedMarks(const QString &taskId);
    void updateConnectedMarks(const Task &task);
    void addGroupItem(const QString &id);
    void removeGroupItem(const QString &id);
    void updateFrames();
    // A loop over an upstream output (or a condition on one) shows as an edge
    // from the producer into the frame.
    void updateGroupInputEdges();
    QPointF defaultPosition(const QString &id) const;
    QString frameAt(const QPointF &scenePos, const QString &ignore) const;
    void commitDrag(bool regroup = true);
    bool startFrameDrag(const QPointF &scenePos);
    void highlightCompatible(bool on);
    void finishConnection(const QPointF &scenePos);

    PipelineDocument *m_doc;
    QHash<QString, TaskItem *> m_tasks;
    QHash<QString, GroupFrameItem *> m_groups;
    QHash<QString, QList<EdgeItem *>> m_incoming; // by consumer task
    QHash<QString, QList<EdgeItem *>> m_outgoing; // by producer task
    QList<EdgeItem *> m_groupEdges;               // producer -> frame, not selectable
    QHash<QString, QPointF> m_fallback;           // positions of tasks the layout section lacks
    bool m_framesDirty = false;

    PortItem *connectSource() const;
    QString m_connectTask, m_connectPort;
    bool m_connectFromOutput = false;
    bool m_connecting = false;
    QGraphicsPathItem *m_pendingEdge = nullptr;

    // Dragging a frame by its title moves every task inside it (nested too).
    struct FrameDrag {
        QPointF start;
        QHash<TaskItem *, QPointF> members; // item -> position at the press
    };
    std::optional<FrameDrag> m_frameDrag;
};

} // namespace pw
