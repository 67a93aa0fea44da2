// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QScrollArea>

class QStackedWidget;

namespace pw {

class GroupInspector;
class PipelineDocument;
class PipelineInspector;
class TaskInspector;

// The inspector dock: the page for the selected task or group, or the
// pipeline's own page when nothing (or several things) is selected.
class InspectorPanel final : public QScrollArea {
    Q_OBJECT
public:
    explicit InspectorPanel(PipelineDocument *doc, QWidget *parent = nullptr);

    void showPipeline();
    void showTask(const QString &taskId);
    void showGroup(const QString &groupId);

    TaskInspector *taskInspector() const { return m_task; }
    PipelineInspector *pipelineInspector() const { return m_pipeline; }
    GroupInspector *groupInspector() const { return m_group; }

private:
    PipelineDocument *m_doc;
    QStackedWidget *m_stack;
    PipelineInspector *m_pipeline;
    TaskInspector *m_task;
    GroupInspector *m_group;
};

} // namespace pw
