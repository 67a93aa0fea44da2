// SPDX-License-Identifier: Apache-2.0
#include "inspector/inspectorpanel.h"

#include "document/pipelinedocument.h"
#include "inspector/groupinspector.h"
#include "inspector/pipelineinspector.h"
#include "inspector/taskinspector.h"

#include <QStackedWidget>

namespace pw {

InspectorPanel::InspectorPanel(PipelineDocument *doc, QWidget *parent) : QScrollArea(parent), m_doc(doc)
{
    setObjectName("inspector");
    setWidgetResizable(true);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_stack = new QStackedWidget(this);
    m_pipeline = new PipelineInspector(doc, m_stack);
    m_task = new TaskInspector(doc, m_stack);
    m_group = new GroupInspector(doc, m_stack);
    m_stack->addWidget(m_pipeline);
    m_stack->addWidget(m_task);
    m_stack->addWidget(m_group);
    setWidget(m_stack);
    // A task or group that disappears (delete, undo of an add) leaves its page.
    connect(doc, &PipelineDocument::taskRemoved, this, [this](const QString &id) {
        if (m_stack->currentWidget() == m_task && m_task->taskId() == id)
            showPipeline();
    });
    connect(doc, &PipelineDocument::groupRemoved, this, [this] {
        if (m_stack->currentWidget() == m_group)
            showPipeline();
    });
    connect(doc, &PipelineDocument::documentReset, this, &InspectorPanel::showPipeline);
}

void InspectorPanel::showPipeline()
{
    m_pipeline->load();
    m_stack->setCurrentWidget(m_pipeline);
}

void InspectorPanel::showTask(const QString &taskId)
{
    if (!m_doc->task(taskId)) {
        showPipeline();
        return;
    }
    if (m_stack->currentWidget() != m_task || m_task->taskId() != taskId)
        m_task->setTask(taskId);
    m_stack->setCurrentWidget(m_task);
}

void InspectorPanel::showGroup(const QString &groupId)
{
    m_group->setGroup(groupId);
    m_stack->setCurrentWidget(m_group);
}

} // namespace pw
