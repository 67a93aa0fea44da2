// SPDX-License-Identifier: Apache-2.0
#include "runview/runworkspace.h"

#include "compiler/raise.h"
#include "report/runreport.h"
#include "runs/await.h"
#include "runview/metricscomparison.h"
#include "runview/rundagview.h"
#include "runview/runparametersdialog.h"
#include "runview/runspanel.h"
#include "runview/runstatestyle.h"
#include "runview/runtargetform.h"
#include "runview/runtimeline.h"
#include "runview/schedulespanel.h"
#include "runview/taskdetails.h"

#include <QDesktopServices>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>

namespace pw {

QString RunWorkspace::progressText(const RunGraph &run)
{
    // Only succeeded (or cached) tasks are done: a cancelled run's tasks
    // that stopped or never started are counted apart, not as done.
    int done = 0, total = 0, failed = 0, stopped = 0, notStarted = 0;
    for (const TaskRecord &t : run.tasks) {
        if (t.kind != "container" && t.kind != "importer")
            continue;
        ++total;
        if (t.state == TaskState::Succeeded || t.state == TaskState::Cached)
            ++done;
        else if (t.state == TaskState::Failed)
            ++failed;
        else if (t.state == TaskState::Cancelled && t.startedMs > 0)
            ++stopped;
        else if (isTerminal(run.state) && t.state != TaskState::Skipped)
            ++notStarted; // pending in an ended run, or cancelled before it started
    }
    QString text = tr("%1/%2 tasks done").arg(done).arg(total);
    if (failed)
        text += tr(", %1 failed").arg(failed);
    if (stopped)
        text += tr(", %1 stopped").arg(stopped);
    if (notStarted)
        text += tr(", %1 not started").arg(notStarted);
    return text;
}

RunWorkspace::RunWorkspace(RunController *controller, QWidget *parent)
    : QWidget(parent), m_controller(controller)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_split = new QSplitter(Qt::Horizontal, this);
    layout->addWidget(m_split);

    m_runs = new RunsPanel(m_split);
    m_runs->setRerunnable([this](const RunGraph &run) { // re-run = clone as is
        auto backend = m_controller->registry()->backend(
            m_controller->backendOf(QString::fromStdString(run.id)).toStdString());
        return backend.ok() && ((*backend)->can(Capability::Clone) || (*backend)->can(Capability::Resubmit));
    });

    auto *center = new QWidget(m_split);
    auto *cl = new QVBoxLayout(center);
    cl->setContentsMargins(4, 6, 4, 4);
    auto *header = new QHBoxLayout;
    m_title = new QLabel(center);
    m_title->setTextFormat(Qt::RichText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setObjectName("runTitle");
    m_clock = new QTimer(this);
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, &RunWorkspace::tick);
    m_cancel = new QPushButton(tr("Cancel run"), center);
    m_cancel->setObjectName("cancelRun");
    m_retry = new QPushButton(tr("Retry"), center);
    m_retry->setObjectName("retryRun");
    m_retry->setToolTip(tr("Run again what did not succeed, in the same run"));
    m_rerun = new QPushButton(tr("Re-run"), center);
    m_rerun->setObjectName("rerunRun");
    m_rerun->setToolTip(tr("A new run with the same pipeline and parameters"));
    m_clone = new QPushButton(tr("Clone…"), center);
    m_clone->setObjectName("cloneRun");
    m_clone->setToolTip(tr("A new run of the same pipeline, with parameters you edit first"));
    m_openWeb = new QPushButton(tr("Open in Browser"), center);
    m_openWeb->setObjectName("openWeb");
    m_export = new QPushButton(tr("Export report…"), center);
    // The title on its own line: a long run name next to six buttons would
    // otherwise take the width the task details need.
    cl->addWidget(m_title);
    for (QPushButton *b : {m_cancel, m_retry, m_rerun, m_clone, m_openWeb, m_export})
        header->addWidget(b);
    header->addStretch(1);
    cl->addLayout(header);
    m_connection = new QLabel(center);
    m_connection->setObjectName("connectionBanner");
    m_connection->setStyleSheet("background: #fff3cd; color: #664d03; padding: 4px 8px; border-radius: 3px");
    m_connection->setWordWrap(true);
    m_connection->hide();
    cl->addWidget(m_connection);
    m_center = new QTabWidget(center);
    m_dag = new RunDagView(m_center);
    m_center->addTab(m_dag, tr("Graph"));
    m_timeline = new RunTimeline;
    m_timelineScroll = new QScrollArea(m_center);
    m_timelineScroll->setWidget(m_timeline);
    m_timelineScroll->setWidgetResizable(true);
    m_center->addTab(m_timelineScroll, tr("Timeline"));
    m_comparison = new MetricsComparison(m_center);
    m_center->addTab(m_comparison, tr("Compare"));
    m_schedules = new SchedulesPanel(m_controller->registry(), m_center);
    m_center->addTab(m_schedules, tr("Schedules"));
    cl->addWidget(m_center, 1);

    m_details = new TaskDetails(m_split);
    m_split->setStretchFactor(0, 0);
    m_split->setStretchFactor(1, 3);
    m_split->setStretchFactor(2, 2);
    m_split->setSizes({330, 760, 520});

    connect(m_controller, &RunController::runsChanged, this, &RunWorkspace::refreshRuns);
    connect(m_controller, &RunController::runUpdated, this, &RunWorkspace::onRunUpdated);
    connect(m_controller, &RunController::runFinished, this, &RunWorkspace::onRunUpdated);
    connect(m_controller, &RunController::taskChanged, this, &RunWorkspace::onTaskChanged);
    connect(m_controller, &RunController::logLines, this, &RunWorkspace::onLogLines);

    connect(m_runs, &RunsPanel::runSelected, this, &RunWorkspace::showRun);
    connect(m_runs, &RunsPanel::compareRequested, this, &RunWorkspace::compareRuns);
    connect(m_runs, &RunsPanel::cancelRequested, this, &RunWorkspace::confirmCancel);
    connect(m_controller, &RunController::runCreated, this, [this](const QString &id) {
        m_runs->setPipelineFilter({}); // the new run must be visible
        showRun(id);
    });
    connect(m_controller, &RunController::runFailed, this,
            [this](const QString &message) { QMessageBox::warning(this, tr("Run"), message); });
    connect(m_runs, &RunsPanel::rerunRequested, m_controller, &RunController::rerun);
    connect(m_cancel, &QPushButton::clicked, this, &RunWorkspace::cancelInteractively);
    connect(m_retry, &QPushButton::clicked, this, [this] { m_controller->retry(m_runId); });
    connect(m_rerun, &QPushButton::clicked, this, [this] { m_controller->rerun(m_runId); });
    connect(m_clone, &QPushButton::clicked, this, &RunWorkspace::cloneInteractively);
    connect(m_openWeb, &QPushButton::clicked, this, [this] {
        if (const RunGraph *run = m_controller->run(m_runId); run && !run->webUrl.empty())
            QDesktopServices::openUrl(QUrl(QString::fromStdString(run->webUrl)));
    });
    connect(m_controller, &RunController::connectionChanged, this,
            [this](const QString &runId, bool connected, const QString &message) {
                if (runId != m_runId)
                    return;
                m_connection->setText(
                    tr("Lost the connection to the backend; the run's state is unknown while "
                       "Pipewright reconnects. (%1)")
                        .arg(message));
                m_connection->setVisible(!connected);
            });
    connect(m_export, &QPushButton::clicked, this, &RunWorkspace::exportReportInteractively);
    connect(m_dag, &RunDagView::taskSelected, this, &RunWorkspace::selectTask);
    connect(m_timeline, &RunTimeline::taskSelected, this, &RunWorkspace::selectTask);

    refreshRuns();
    updateHeader();
}

Result<bool> RunWorkspace::startRun(const Pipeline &pipeline, const RunSettings &settings)
{
    return m_controller->startRun(pipeline, settings);
}

Result<bool> RunWorkspace::startRunWithDialog(const Pipeline &pipeline, RunSettings settings)
{
    RunParametersDialog dialog(pipeline, m_controller->registry(), this);
    if (!settings.parameters.empty())
        dialog.setValues(settings.parameters);
    if (dialog.exec() != QDialog::Accepted)
        return false;
    const RunSettings chosen = dialog.settings();
    settings.parameters = chosen.parameters;
    settings.runName = chosen.runName;
    settings.cache = chosen.cache;
    settings.experiment = chosen.experiment;
    settings.serviceAccount = chosen.serviceAccount;
    return m_controller->startRun(pipeline, settings, dialog.backend());
}

void RunWorkspace::refreshRuns()
{
    m_runs->setRuns(m_controller->runs());
    m_runs->setCurrentRun(m_runId);
}

void RunWorkspace::showRun(const QString &runId)
{
    const bool changed = runId != m_runId;
    m_runId = runId;
    m_taskId.clear();
    m_controller->watchRun(runId);
    m_timeline->setSelectedTask({});
    m_runs->setCurrentRun(runId);
    m_center->setCurrentWidget(m_dag);
    if (const RunGraph *run = m_controller->run(runId)) {
        render(*run);
        m_dag->selectTask({}); // the task shown before belongs to the other run
        m_details->setTask(*run, {}, {});
    } else {
        m_dag->clear(); // the watch brings the run in a moment
    }
    updateHeader();
    if (changed)
        emit currentRunChanged(runId);
}

void RunWorkspace::render(const RunGraph &run)
{
    m_dag->setRun(run);
    m_timeline->setRun(run);
}

void RunWorkspace::selectTask(const QString &taskId)
{
    const RunGraph *run = m_controller->run(m_runId);
    if (!run)
        return;
    m_taskId = taskId;
    m_dag->selectTask(taskId);
    m_timeline->setSelectedTask(taskId);
    m_details->setTask(*run, taskId, {});
    m_controller->followLogs(m_runId, taskId); // its log follows as a reset
}

void RunWorkspace::compareRuns(const QStringList &runIds)
{
    m_compared = runIds;
    std::vector<RunGraph> runs;
    for (const QString &id : runIds)
        if (const RunGraph *r = m_controller->run(id))
            runs.push_back(*r);
    m_comparison->setRuns(runs);
    m_center->setCurrentWidget(m_comparison);
}

void RunWorkspace::onRunUpdated(const QString &runId)
{
    if (m_compared.contains(runId) && m_center->currentWidget() == m_comparison)
        compareRuns(m_compared);
    if (runId != m_runId)
        return;
    const RunGraph *run = m_controller->run(runId);
    if (!run)
        return;
    const bool first = m_details->runId() != runId;
    render(*run);
    if (first)
        m_details->setTask(*run, m_taskId, {});
    else
        m_details->refresh(*run);
    updateHeader();
}

void RunWorkspace::onTaskChanged(const QString &runId, const QString &taskId)
{
    if (runId != m_runId)
        return;
    const RunGraph *run = m_controller->run(runId);
    const TaskRecord *task = run ? run->task(taskId.toStdString()) : nullptr;
    if (!task)
        return;
    m_dag->updateTask(*task);
    m_timeline->setRun(*run);
    if (m_taskId.isEmpty() || m_taskId == taskId)
        m_details->refresh(*run);
    updateHeader();
}

void RunWorkspace::onLogLines(const QString &runId, const QString &taskId, const QStringList &lines,
                              bool reset)
{
    if (runId != m_runId || taskId != m_details->taskId() || taskId.isEmpty())
        return;
    if (reset)
        m_details->setLog(lines);
    else
        m_details->appendLog(lines);
}

void RunWorkspace::cancelInteractively()
{
    confirmCancel(m_runId);
}

void RunWorkspace::confirmCancel(const QString &runId)
{
    const RunGraph *run = m_controller->run(runId);
    const QString name = run ? QString::fromStdString(run->name) : runId;
    const auto answer = QMessageBox::question(
        this, tr("Cancel run"),
        tr("Cancel run %1? Tasks still running are stopped; tasks not started yet will not start.").arg(name),
        QMessageBox::Yes | QMessageBox::No, QMessageBox::No);
    if (answer == QMessageBox::Yes)
        m_controller->cancel(runId);
}

void RunWorkspace::cloneInteractively()
{
    const QString runId = m_runId;
    const QString backend = m_controller->backendOf(runId);
    auto b = m_controller->registry()->backend(backend.toStdString());
    if (!b.ok())
        return;
    whenReady((*b)->runRequest(runId.toStdString()), this, [this, backend](Result<RunRequest> request) {
        if (!request.ok()) {
            QMessageBox::warning(this, tr("Clone run"), QString::fromStdString(request.error().message));
            return;
        }
        auto pipeline = raisePipelineSpec(request->spec, "clone");
        if (!pipeline.ok()) {
            QMessageBox::warning(this, tr("Clone run"), QString::fromStdString(pipeline.error().message));
            return;
        }
        RunParametersDialog dialog(*pipeline, m_controller->registry(), this);
        std::map<std::string, std::string> values;
        for (const auto &[k, v] : request->parameters)
            values[k] = v.is_string() ? v.get<std::string>() : v.dump();
        dialog.setValues(values);
        dialog.target()->setBackend(backend);
        if (dialog.exec() != QDialog::Accepted)
            return;
        RunSettings settings = dialog.settings();
        settings.workDir = request->workDir;
        if (auto started = m_controller->startRun(*pipeline, settings, dialog.backend()); !started.ok())
            QMessageBox::warning(this, tr("Clone run"), QString::fromStdString(started.error().message));
    });
}

void RunWorkspace::tick()
{
    updateHeader();
    if (const RunGraph *run = m_runId.isEmpty() ? nullptr : m_controller->run(m_runId))
        m_details->refreshHeader(*run);
    m_runs->refreshDurations();
}

void RunWorkspace::updateHeader()
{
    const RunGraph *run = m_runId.isEmpty() ? nullptr : m_controller->run(m_runId);
    m_cancel->setEnabled(run && !isTerminal(run->state));
    m_export->setEnabled(run != nullptr);
    auto backend = m_runId.isEmpty()
                       ? Result<Backend *>(Error{"", {}})
                       : m_controller->registry()->backend(m_controller->backendOf(m_runId).toStdString());
    const bool ended = run && isTerminal(run->state);
    m_retry->setEnabled(backend.ok() && (*backend)->can(Capability::Retry) && ended &&
                        run->state != RunState::Succeeded);
    m_clone->setEnabled(backend.ok() && (*backend)->can(Capability::Clone) && run);
    // Re-run: a clone as is, or the server's resubmit where it keeps no request.
    m_rerun->setEnabled(backend.ok() &&
                        ((*backend)->can(Capability::Clone) || (*backend)->can(Capability::Resubmit)) && run);
    m_openWeb->setVisible(run && !run->webUrl.empty());
    if (run && !isTerminal(run->state)) {
        if (!m_clock->isActive())
            m_clock->start();
    } else {
        m_clock->stop();
    }
    if (!run) {
        m_title->setText(tr("<b>No run selected</b> — start one, or pick one from the runs list"));
        return;
    }
    const std::int64_t end = run->finishedMs ? run->finishedMs : epochMs();
    m_title->setText(
        QStringLiteral("<b>%1</b> &nbsp;<span style=\"color:%2\">%3</span> &nbsp;%4 · %5")
            .arg(QString::fromStdString(run->name).toHtmlEscaped(),
                 RunStateStyle::color(run->state).darker(110).name(), RunStateStyle::text(run->state),
                 QString::fromStdString(formatElapsed(run->createdMs, end)), progressText(*run)));
    m_title->setToolTip(tr("run %1\npipeline %2\n%3")
                            .arg(m_runId, QString::fromStdString(run->pipelineName),
                                 QString::fromStdString(run->webUrl.empty() ? extraText(run->extra, "runDir")
                                                                            : run->webUrl)));
}

Result<bool> RunWorkspace::exportReport(const QString &file)
{
    const RunGraph *run = m_controller->run(m_runId);
    if (!run)
        return Error{"no run is shown", {}};
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return Error{"cannot write " + file.toStdString() + ": " + f.errorString().toStdString(), {}};
    const std::string html = renderRunReport(*run);
    f.write(html.data(), qint64(html.size()));
    return true;
}

void RunWorkspace::exportReportInteractively()
{
    const RunGraph *run = m_controller->run(m_runId);
    if (!run)
        return;
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export run report"), QString::fromStdString(run->name) + ".html", tr("HTML (*.html)"));
    if (file.isEmpty())
        return;
    if (auto r = exportReport(file); !r.ok())
        QMessageBox::warning(this, tr("Export run report"), QString::fromStdString(r.error().message));
}

} // namespace pw
