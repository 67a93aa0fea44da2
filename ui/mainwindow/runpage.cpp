// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/runpage.h"

#include "document/pipelinedocument.h"
#include "runview/runcontroller.h"
#include "runview/runworkspace.h"

#include <QAction>
#include <QMessageBox>
#include <QWidget>

namespace pw {

RunPage::RunPage(PipelineDocument *doc, QWidget *window)
    : QObject(window), m_doc(doc), m_window(window), m_controller(new RunController(QString(), this)),
      m_workspace(new RunWorkspace(m_controller, window))
{
    m_workspace->setObjectName("runWorkspace");
    m_run = new QAction(tr("&Run…"), this);
    m_run->setObjectName("runAction");
    m_run->setShortcut(QKeySequence(Qt::Key_F5));
    m_run->setToolTip(tr("Run the pipeline on this machine, asking for parameter values (F5)"));
    connect(m_run, &QAction::triggered, this, [this] { start(true); });
    m_runDefaults = new QAction(tr("Run with &Defaults"), this);
    m_runDefaults->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_F5));
    connect(m_runDefaults, &QAction::triggered, this, [this] { start(false); });
    connect(m_controller, &RunController::runCreated, this, [this](const QString &id) {
        emit message(tr("Started run %1").arg(id.left(8)));
        emit runStarted(id);
    });
}

void RunPage::start(bool askForParameters)
{
    // Relative paths in the pipeline resolve next to its file (RunSettings'
    // default), so an example runs the same from the studio as from its folder.
    // runCreated follows once the backend took the run.
    const Result<bool> started = askForParameters ? m_workspace->startRunWithDialog(m_doc->pipeline())
                                                  : m_workspace->startRun(m_doc->pipeline());
    if (!started.ok())
        QMessageBox::warning(m_window, tr("Run"),
                             tr("The pipeline cannot run:\n%1")
                                 .arg(QString::fromStdString(started.error().toString())));
}

} // namespace pw
