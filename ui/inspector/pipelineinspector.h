// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "document/pipelineinfo.h"

#include <QWidget>

#include <functional>

class QComboBox;
class QLineEdit;

namespace pw {

class PipelineDocument;
class RowsTable;

// The inspector page of the pipeline itself: name, description, parameters
// (name, type, default), pipeline root, service account, node pools and the
// default one, and the exit handler (a task that runs whatever happens).
class PipelineInspector final : public QWidget {
    Q_OBJECT
public:
    explicit PipelineInspector(PipelineDocument *doc, QWidget *parent = nullptr);
    void load();

private:
    void parametersEdited();
    void edit(const QString &field, const std::function<void(PipelineInfo &)> &change);
    QLineEdit *line(const QString &name, const QString &field,
                    const std::function<void(PipelineInfo &, const std::string &)> &apply);
    void setExitTask(const QString &taskId);

    PipelineDocument *m_doc;
    QLineEdit *m_name, *m_displayName, *m_description, *m_root, *m_serviceAccount;
    QComboBox *m_defaultPool;
    RowsTable *m_parameters;
    RowsTable *m_pools;
    QComboBox *m_exitTask;
};

} // namespace pw
