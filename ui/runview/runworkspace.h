// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runview/runcontroller.h"

#include <QString>
#include <QWidget>

class QLabel;
class QTimer;
class QPushButton;
class QScrollArea;
class QSplitter;
class QTabWidget;

namespace pw {

class MetricsComparison;
class RunDagView;
class RunTimeline;
class SchedulesPanel;
class RunsPanel;
class TaskDetails;

// The run view as one widget for the main window to host (a dock or a
// central tab): the runs list on the left, the selected run's DAG, timeline
// and metrics comparison in the middle, and the selected task's details on
// the right. It reads runs through a RunController the window owns.
class RunWorkspace final : public QWidget {
    Q_OBJECT
public:
    explicit RunWorkspace(RunController *controller, QWidget *parent = nullptr);

    // Starts a run and shows it once the backend took it (currentRunChanged);
    // the error says why the pipeline cannot run.
    Result<bool> startRun(const Pipeline &pipeline, const RunSettings &settings = {});
    // Asks for parameter values first; false when the user cancelled.
    Result<bool> startRunWithDialog(const Pipeline &pipeline, RunSettings settings = {});
    void showRun(const QString &runId);
    // A task of the current run, or the run itself with an empty id.
    void selectTask(const QString &taskId);
    void compareRuns(const QStringList &runIds);
    QString currentRunId() const { return m_runId; }
    QString currentTaskId() const { return m_taskId; }
    // The current run as the self-contained HTML report `pipewright show --html` writes.
    Result<bool> exportReport(const QString &file);

    RunController *controller() const { return m_controller; }
    // "2/7 tasks done, 1 stopped, 4 not started": what the header says of a run's tasks.
    static QString progressText(const RunGraph &run);
    RunsPanel *runsPanel() const { return m_runs; }
    RunDagView *dagView() const { return m_dag; }
    RunTimeline *timeline() const { return m_timeline; }
    TaskDetails *taskDetails() const { return m_details; }
    MetricsComparison *comparison() const { return m_comparison; }
    SchedulesPanel *schedules() const { return m_schedules; }
    QTabWidget *centerTabs() const { return m_center; }

signals:
    void currentRunChanged(const QString &runId);

private:
    void refreshRuns();
    void onRunUpdated(const QString &runId);
    void onTaskChanged(const QString &runId, const QString &taskId);
    void onLogLines(const QString &runId, const QString &taskId, const QStringList &lines, bool reset);
    void render(const RunGraph &run);
    void updateHeader();
    // Once a second while the shown run goes on: its elapsed time, the
    // task's, and the runs list's, which no run event would move.
    void tick();
    void exportReportInteractively();
    void cancelInteractively();
    // Asks before cancelling `runId` (from the header or the runs list).
    void confirmCancel(const QString &runId);
    void cloneInteractively();

    RunController *m_controller;
    QString m_runId, m_taskId;
    QStringList m_compared; // runs in the comparison, filled in as they load
    QLabel *m_title = nullptr;
    QTimer *m_clock = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_retry = nullptr;
    QPushButton *m_rerun = nullptr;
    QPushButton *m_clone = nullptr;
    QPushButton *m_openWeb = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_connection = nullptr; // "reconnecting" while a remote server does not answer
    QSplitter *m_split = nullptr;
    RunsPanel *m_runs = nullptr;
    QTabWidget *m_center = nullptr;
    RunDagView *m_dag = nullptr;
    RunTimeline *m_timeline = nullptr;
    QScrollArea *m_timelineScroll = nullptr;
    MetricsComparison *m_comparison = nullptr;
    SchedulesPanel *m_schedules = nullptr;
    TaskDetails *m_details = nullptr;
};

} // namespace pw
