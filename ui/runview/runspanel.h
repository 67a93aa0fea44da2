// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "runs/rungraph.h"

#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

class QComboBox;
class QPushButton;
class QTreeWidget;

namespace pw {

// The runs of every backend, newest first, filtered by backend, pipeline,
// experiment (where a backend has them) and state.
// Selecting one shows it; selecting several enables Compare. Cancel and
// Re-run act on the current run. Rows are refreshed in place, so the
// selection survives the store's polling.
class RunsPanel final : public QWidget {
    Q_OBJECT
public:
    explicit RunsPanel(QWidget *parent = nullptr);

    void setRuns(const std::vector<RunGraph> &runs);
    // Empty = all. The pipeline filter lists the pipelines seen in setRuns().
    void setPipelineFilter(const QString &pipelineName);
    void setStateFilter(const QString &state);
    void setBackendFilter(const QString &backend);
    void setExperimentFilter(const QString &experiment); // shown once a listed run has an experiment
    void setCurrentRun(const QString &runId);
    // The Took column of runs still going, as time passes.
    void refreshDurations();
    // Which runs Re-run can start again (their backend can clone or resubmit); default: all.
    void setRerunnable(std::function<bool(const RunGraph &)> rerunnable);
    QString currentRun() const;
    QStringList selectedRuns() const;
    // Run ids as listed after filtering, for tests.
    QStringList visibleRuns() const;
    QTreeWidget *list() const { return m_list; }

signals:
    void runSelected(const QString &runId);
    void compareRequested(const QStringList &runIds);
    void cancelRequested(const QString &runId);
    void rerunRequested(const QString &runId);

private:
    void applyFilter();
    void updateButtons();

    std::vector<RunGraph> m_runs;
    QComboBox *m_backend = nullptr;
    QComboBox *m_pipeline = nullptr;
    QComboBox *m_experiment = nullptr;
    QComboBox *m_state = nullptr;
    QTreeWidget *m_list = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_cancel = nullptr;
    QPushButton *m_rerun = nullptr;
    bool m_filling = false;
    std::function<bool(const RunGraph &)> m_rerunnable;
};

} // namespace pw
