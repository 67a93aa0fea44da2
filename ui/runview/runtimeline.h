// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QString>
#include <QWidget>

class QTimer;

namespace pw {

// A Gantt chart of a run: one row per task in tree order (groups indented
// above their members), a bar from start to finish (or to now while it
// runs) in the task's state colour, on a shared time axis from the run's
// creation. Host it in a QScrollArea with widgetResizable set.
class RunTimeline final : public QWidget {
    Q_OBJECT
public:
    explicit RunTimeline(QWidget *parent = nullptr);

    void setRun(const RunGraph &run);
    void clear();
    void setSelectedTask(const QString &taskId);
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    // Rows in display order, for tests.
    QStringList rowIds() const;

signals:
    void taskSelected(const QString &taskId);

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    struct Row {
        QString id, label;
        int depth = 0;
        TaskState state = TaskState::Pending;
        std::int64_t startedMs = 0, finishedMs = 0;
        bool group = false;
    };
    std::int64_t endMs() const;

    std::vector<Row> m_rows;
    std::int64_t m_startMs = 0, m_finishedMs = 0;
    bool m_live = false;
    QString m_selected;
    QTimer *m_tick = nullptr;
};

} // namespace pw
