// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QWidget>

#include <functional>

namespace pw {

class PipelineDocument;
class RowsTable;
struct Task;

// What a task's pod sees: env vars, secrets (as env vars and/or a mounted
// volume, by name only), PVC volumes, pod labels and annotations.
class TaskEnvForm final : public QWidget {
    Q_OBJECT
public:
    explicit TaskEnvForm(PipelineDocument *doc, QWidget *parent = nullptr);
    void setTask(const QString &taskId);
    void load();

private:
    RowsTable *table(const QString &title, const QString &name, const QStringList &columns, const QString &field,
                     const std::function<void(Task &, const QList<QStringList> &)> &apply);

    PipelineDocument *m_doc;
    QString m_taskId;
    RowsTable *m_env, *m_secrets, *m_volumes, *m_labels, *m_annotations;
};

} // namespace pw
