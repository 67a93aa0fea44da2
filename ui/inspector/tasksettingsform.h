// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace pw {

class PipelineDocument;
class RowsTable;
struct Task;

// Where and how a task runs: node pool (a named pool of the pipeline, node
// selector presets from settings, custom labels), tolerations, CPU/memory
// requests and limits, accelerator, retries and backoff, caching, timeout.
class TaskSettingsForm final : public QWidget {
    Q_OBJECT
public:
    explicit TaskSettingsForm(PipelineDocument *doc, QWidget *parent = nullptr);
    void setTask(const QString &taskId);
    void load();

    // Node selector presets offered in the pool menu ("key: value"), from
    // settings (nodeSelectorPresets) or a default GKE set.
    static QStringList nodeSelectorPresets();

private:
    void edit(const QString &field, const std::function<void(Task &)> &change);
    // Says what the typed pool is, and offers to define it when the pipeline has no such pool.
    void updatePoolHint();
    void defineTypedPool();
    QLineEdit *line(const QString &name, const QString &placeholder, const QString &field,
                    const std::function<void(Task &, const QString &)> &apply);

    PipelineDocument *m_doc;
    QString m_taskId;
    QComboBox *m_pool;
    QPushButton *m_definePool;
    QLabel *m_poolHint;
    QComboBox *m_preset;
    RowsTable *m_selector;
    RowsTable *m_tolerations;
    QLineEdit *m_cpuRequest, *m_cpuLimit, *m_memRequest, *m_memLimit;
    QComboBox *m_accelerator;
    QLineEdit *m_acceleratorCount;
    QSpinBox *m_retries;
    QLineEdit *m_backoff, *m_backoffFactor, *m_backoffMax;
    QCheckBox *m_caching;
    QLineEdit *m_timeout;
};

} // namespace pw
