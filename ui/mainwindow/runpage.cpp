// SPDX-License-Identifier: Apache-2.0
#include "mainwindow/runpage.h"

#include "document/pipelinedocument.h"
#include "runview/runcontroller.h"
#include "runs/await.h"
#include "runview/runparametersdialog.h"
#include "runview/runtargetform.h"
#include "runview/runworkspace.h"
#include "runview/schedulespanel.h"

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
    connect(m_workspace->schedules(), &SchedulesPanel::newRequested, this, &RunPage::schedule);
    connect(m_controller, &RunController::runCreated, this, [this](const QString &id) {
        emit message(tr("Started run %1").arg(id.left(8)));
        emit runStarted(id);
    });
}

void RunPage::schedule(const QString &backend)
{
    RunParametersDialog dialog(m_doc->pipeline(), m_controller->registry(), m_window,
                               RunParametersDialog::Mode::Schedule);
    dialog.target()->setBackend(backend);
    if (dialog.exec() != QDialog::Accepted)
        return;
    auto request = RunService::prepare(m_doc->pipeline(), dialog.settings());
    if (!request.ok()) {
        QMessageBox::warning(m_window, tr("Schedule"),
                             tr("The pipeline cannot run:\n%1").arg(QString::fromStdString(request.error().message)));
        return;
    }
    ScheduleRequest schedule = dialog.schedule();
    schedule.run = std::move(request).value();
    auto b = m_controller->registry()->backend(dialog.backend().toStdString());
    if (!b.ok())
        return;
    SchedulesPanel *panel = m_workspace->schedules();
    panel->setBackend(dialog.backend());
    whenReady((*b)->createSchedule(schedule), panel, [panel](Result<Schedule> made) {
        if (!made.ok()) {
            panel->setNote(QString::fromStdString(made.error().message));
            return;
        }
        QString note = QObject::tr("Created schedule %1.").arg(QString::fromStdString(made->name));
        if (!made->conversion.empty())
            note += ' ' + QString::fromStdString(made->conversion);
        panel->setNote(note);
        panel->refresh();
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
