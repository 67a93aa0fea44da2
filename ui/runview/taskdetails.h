// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QString>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QTreeWidget;
class QWebEngineView;

namespace pw {

class LazyWebView;

// Everything about one task of a run: a header with state, times and the
// failure message, then tabs for the live log, inputs and outputs, artifact
// files, metrics, and visualizations. Visualizations are core's rendering
// (the same HTML `pipewright show --html` writes) shown in a web view.
class TaskDetails final : public QWidget {
    Q_OBJECT
public:
    enum Tab { LogTab, InputsOutputsTab, ArtifactsTab, MetricsTab, VisualizationsTab };

    explicit TaskDetails(QWidget *parent = nullptr);

    // Shows a task (or the run, with an empty taskId); `log` is its tail so far.
    void setTask(const RunGraph &run, const QString &taskId, const QStringList &log);
    // The run changed (states, artifacts, metrics): refresh what depends on it.
    void refresh(const RunGraph &run);
    // Only the header (state and elapsed time), for a clock tick.
    void refreshHeader(const RunGraph &run)
    {
        if (QString::fromStdString(run.id) == m_runId)
            fillHeader(run);
    }
    void appendLog(const QStringList &lines);
    // Replaces the log shown (a task's log as read so far).
    void setLog(const QStringList &lines);
    void clear();

    QString runId() const { return m_runId; }
    QString taskId() const { return m_taskId; }
    void setCurrentTab(Tab tab);

    // For tests and the report export: what the panes hold.
    QString logText() const;
    QTableWidget *metricsTable() const { return m_metrics; }
    QTreeWidget *ioTree() const { return m_io; }
    QTreeWidget *artifactList() const { return m_artifacts; }
    QWebEngineView *visualizationView() const;
    QString visualizationHtml() const { return m_html; }

signals:
    // The view finished loading the HTML handed to it (ok = rendered).
    void visualizationsLoaded(bool ok);

private:
    void fillHeader(const RunGraph &run);
    void fillIo(const TaskRecord *task);
    void fillArtifacts(const RunGraph &run);
    void fillMetrics(const RunGraph &run);
    void fillVisualizations(const RunGraph &run);
    void openArtifact(bool reveal);

    QString m_runId, m_taskId;
    QLabel *m_title = nullptr;
    QLabel *m_status = nullptr;
    QTabWidget *m_tabs = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QTreeWidget *m_io = nullptr;
    QTreeWidget *m_artifacts = nullptr;
    QPushButton *m_open = nullptr;
    QPushButton *m_reveal = nullptr;
    QTableWidget *m_metrics = nullptr;
    LazyWebView *m_web = nullptr;
    QString m_html;
    std::string m_ioSignature, m_artifactSignature;
};

} // namespace pw
