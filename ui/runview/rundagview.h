// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QGraphicsView>
#include <QHash>
#include <QString>

#include <string>
#include <unordered_map>

class QTimer;

namespace pw {

class RunGroupItem;
class RunTaskItem;

// A run's DAG laid out with Graphviz (core's layoutGraph, as the canvas):
// container tasks as nodes, group tasks (conditions, loops and their
// iterations, exit handlers, sub-pipelines) as frames around their members.
// State changes repaint single items; only a change in the set of tasks (a
// loop's iterations appearing) lays the graph out again.
class RunDagView final : public QGraphicsView {
    Q_OBJECT
public:
    explicit RunDagView(QWidget *parent = nullptr);
    // The scene, deleted after this, empties its selection on the way out:
    // that is no click, and whoever listens may be gone already.
    ~RunDagView() override;

    void setRun(const RunGraph &run);
    void updateTask(const TaskRecord &task);
    void clear();

    QString runId() const { return QString::fromStdString(m_run.id); }
    RunTaskItem *taskItem(const QString &taskId) const { return m_nodes.value(taskId); }
    RunGroupItem *groupItem(const QString &taskId) const { return m_groups.value(taskId); }
    // Ids of the tasks drawn as nodes (frames not included).
    QStringList nodeIds() const { return m_nodes.keys(); }
    QString selectedTask() const;
    void selectTask(const QString &taskId);
    void fitAll();
    // The direction of the last layout (chosen to fit the view).
    bool isLeftToRight() const { return m_leftToRight; }

signals:
    // A click chose a task, or (empty) the space beside the tasks.
    void taskSelected(const QString &taskId);
    // The view took a new state for a task (from a live change or a reload);
    // emitted once per transition, in the order the view learnt them.
    void taskStateChanged(const QString &taskId, pw::TaskState state);

protected:
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    QString structureOf(const RunGraph &run) const;
    void noteStates(const RunGraph &before);
    void rebuild();
    void onSelectionChanged();
    void onTick();

    RunGraph m_run;
    std::unordered_map<std::string, std::size_t> m_index; // task id -> index in m_run.tasks
    QString m_structure;
    QHash<QString, RunTaskItem *> m_nodes;
    QHash<QString, RunGroupItem *> m_groups;
    QTimer *m_tick = nullptr;
    QTimer *m_relayout = nullptr;
    qreal m_phase = 0;
    bool m_userZoomed = false;
    bool m_rebuilding = false; // the view changes its own selection: no taskSelected
    bool m_leftToRight = true;
};

} // namespace pw
