// SPDX-License-Identifier: Apache-2.0
#include "runview/taskdetails.h"

#include "runview/webenginesetup.h"

#include "report/runreport.h"
#include "runview/runstatestyle.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QWebEngineView>

#include <map>

namespace pw {

namespace {

// The artifact's file on this machine (local runs), else where it lives.
std::string localFile(const ArtifactRecord &a)
{
    const std::string path = extraText(a.extra, "path");
    if (!path.empty())
        return path;
    return a.uri.rfind("file://", 0) == 0 ? a.uri.substr(7) : a.uri;
}

constexpr int kLogBlocks = 5000;
// QWebEngineView::setHtml() refuses content over 2 MB; larger pages go through a file.
constexpr qsizetype kSetHtmlLimit = 1800 * 1024;

QString valueText(const nlohmann::json &v)
{
    if (v.is_string())
        return QString::fromStdString(v.get<std::string>());
    return QString::fromStdString(v.dump());
}

QString clockText(std::int64_t ms)
{
    return ms > 0 ? QDateTime::fromMSecsSinceEpoch(ms).toString("HH:mm:ss") : QString();
}

QString metricText(const MetricRecord &m)
{
    if (m.format == "PERCENTAGE")
        return QString::number(m.value * 100, 'f', 2) + '%';
    return QString::number(m.value, 'g', 6);
}

// The part of a task's JSON ports the tree shows: {parameters: {}, artifacts: {}}.
void addPorts(QTreeWidgetItem *parent, const nlohmann::json &ports)
{
    if (!ports.is_object())
        return;
    if (auto p = ports.find("parameters"); p != ports.end() && p->is_object())
        for (auto it = p->begin(); it != p->end(); ++it)
            new QTreeWidgetItem(parent, {QString::fromStdString(it.key()), valueText(it.value())});
    if (auto a = ports.find("artifacts"); a != ports.end() && a->is_object()) {
        for (auto it = a->begin(); it != a->end(); ++it) {
            // An artifact is a list of {uri, path, ...}; show where it lives.
            QStringList where;
            const nlohmann::json list = it.value().is_array() ? it.value() : nlohmann::json::array({it.value()});
            for (const auto &art : list) {
                if (art.is_object() && art.contains("path") && art["path"].is_string())
                    where << QString::fromStdString(art["path"].get<std::string>());
                else if (art.is_object() && art.contains("uri") && art["uri"].is_string())
                    where << QString::fromStdString(art["uri"].get<std::string>());
                else
                    where << valueText(art);
            }
            auto *item = new QTreeWidgetItem(parent, {QString::fromStdString(it.key()), where.join(", ")});
            item->setToolTip(1, where.join('\n'));
        }
    }
}

} // namespace

TaskDetails::TaskDetails(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    m_title = new QLabel(this);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.2);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_title);
    layout->addWidget(m_status);

    m_tabs = new QTabWidget(this);
    layout->addWidget(m_tabs, 1);

    m_log = new QPlainTextEdit(this);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(kLogBlocks);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setObjectName("runLog");
    m_log->setPlaceholderText(tr("Select a task in the graph or the timeline to see its log."));
    m_tabs->addTab(m_log, tr("Log"));

    m_io = new QTreeWidget(this);
    m_io->setHeaderLabels({tr("Name"), tr("Value")});
    m_io->setRootIsDecorated(true);
    m_io->setUniformRowHeights(true);
    m_tabs->addTab(m_io, tr("Inputs && outputs"));

    auto *artifactsPane = new QWidget(this);
    auto *al = new QVBoxLayout(artifactsPane);
    al->setContentsMargins(0, 0, 0, 0);
    m_artifacts = new QTreeWidget(artifactsPane);
    m_artifacts->setHeaderLabels({tr("Output"), tr("Type"), tr("Shows"), tr("Path")});
    m_artifacts->setRootIsDecorated(false);
    m_artifacts->setTextElideMode(Qt::ElideMiddle); // a path's file name stays in view
    al->addWidget(m_artifacts, 1);
    auto *buttons = new QHBoxLayout;
    m_open = new QPushButton(tr("Open"), artifactsPane);
    m_reveal = new QPushButton(tr("Show in folder"), artifactsPane);
    buttons->addWidget(m_open);
    buttons->addWidget(m_reveal);
    buttons->addStretch();
    al->addLayout(buttons);
    m_tabs->addTab(artifactsPane, tr("Artifacts"));
    connect(m_open, &QPushButton::clicked, this, [this] { openArtifact(false); });
    connect(m_reveal, &QPushButton::clicked, this, [this] { openArtifact(true); });
    connect(m_artifacts, &QTreeWidget::itemDoubleClicked, this, [this] { openArtifact(false); });
    connect(m_artifacts, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) {
        m_open->setEnabled(item);
        m_reveal->setEnabled(item);
    });

    m_metrics = new QTableWidget(0, 3, this);
    m_metrics->setHorizontalHeaderLabels({tr("Task"), tr("Metric"), tr("Value")});
    m_metrics->verticalHeader()->hide();
    m_metrics->horizontalHeader()->setStretchLastSection(false);
    m_metrics->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_metrics->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tabs->addTab(m_metrics, tr("Metrics"));

    m_web = new LazyWebView(this); // Chromium starts when the tab is first shown
    connect(m_web, &LazyWebView::loadFinished, this, &TaskDetails::visualizationsLoaded);
    m_tabs->addTab(m_web, tr("Visualizations"));

    clear();
}

QWebEngineView *TaskDetails::visualizationView() const
{
    return m_web->view();
}

void TaskDetails::clear()
{
    m_runId.clear();
    m_taskId.clear();
    m_title->setText(tr("No run selected"));
    m_status->clear();
    m_log->clear();
    m_io->clear();
    m_artifacts->clear();
    m_metrics->setRowCount(0);
    m_ioSignature.clear();
    m_artifactSignature.clear();
    m_html.clear();
    m_web->setHtml(QString());
    m_open->setEnabled(false);
    m_reveal->setEnabled(false);
}

void TaskDetails::setCurrentTab(Tab tab) { m_tabs->setCurrentIndex(int(tab)); }

void TaskDetails::setLog(const QStringList &lines)
{
    m_log->setPlainText(lines.join('\n'));
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
}

void TaskDetails::setTask(const RunGraph &run, const QString &taskId, const QStringList &log)
{
    const bool same = m_runId == QString::fromStdString(run.id) && m_taskId == taskId;
    m_runId = QString::fromStdString(run.id);
    m_taskId = taskId;
    if (!same) {
        m_ioSignature.clear();
        m_artifactSignature.clear();
        m_html.clear();
    }
    m_log->setPlaceholderText(taskId.isEmpty() ? tr("Select a task in the graph or the timeline to see its log.")
                                               : tr("No output yet."));
    m_log->setPlainText(log.join('\n'));
    m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    refresh(run);
}

void TaskDetails::refresh(const RunGraph &run)
{
    if (QString::fromStdString(run.id) != m_runId)
        return;
    const TaskRecord *task = m_taskId.isEmpty() ? nullptr : run.task(m_taskId.toStdString());
    fillHeader(run);
    fillIo(task ? task : nullptr);
    if (!task && m_taskId.isEmpty()) {
        // The run itself: its parameters stand in for inputs.
        nlohmann::json ports = {{"parameters", run.parameters}};
        const std::string sig = ports.dump();
        if (sig != m_ioSignature) {
            m_ioSignature = sig;
            m_io->clear();
            auto *in = new QTreeWidgetItem(m_io, {tr("Parameters")});
            addPorts(in, ports);
            m_io->expandAll();
            m_io->resizeColumnToContents(0);
        }
    }
    fillArtifacts(run);
    fillMetrics(run);
    fillVisualizations(run);
}

void TaskDetails::fillHeader(const RunGraph &run)
{
    const TaskRecord *t = m_taskId.isEmpty() ? nullptr : run.task(m_taskId.toStdString());
    QString title, status, message;
    QColor color;
    if (t) {
        title = QString::fromStdString(!t->displayName.empty() ? t->displayName : t->name);
        const std::int64_t end = t->finishedMs ? t->finishedMs : (t->state == TaskState::Running ? epochMs() : 0);
        status = RunStateStyle::text(t->state);
        if (t->state == TaskState::Cancelled && !t->startedMs)
            status = tr("not started (the run was cancelled first)");
        if (t->startedMs)
            status += tr(" · started %1").arg(clockText(t->startedMs));
        if (const std::string e = formatElapsed(t->startedMs, end); !e.empty())
            status += tr(" · %1").arg(QString::fromStdString(e));
        if (t->attempts > 1)
            status += tr(" · %1 attempts").arg(t->attempts);
        status += tr(" · %1").arg(QString::fromStdString(t->kind));
        message = QString::fromStdString(t->message);
        color = RunStateStyle::color(t->state);
    } else {
        title = QString::fromStdString(run.name);
        const std::int64_t end = run.finishedMs ? run.finishedMs : (run.state == RunState::Running ? epochMs() : 0);
        status = RunStateStyle::text(run.state) + tr(" · run %1").arg(QString::fromStdString(run.id));
        if (const std::string e = formatElapsed(run.createdMs, end); !e.empty())
            status += tr(" · %1").arg(QString::fromStdString(e));
        message = QString::fromStdString(run.message);
        color = RunStateStyle::color(run.state);
    }
    m_title->setText(title);
    QString html = QStringLiteral("<span style=\"color:%1;font-weight:bold\">%2</span>")
                       .arg(color.darker(115).name(), status.toHtmlEscaped());
    if (!message.isEmpty())
        html += "<br>" + message.toHtmlEscaped();
    m_status->setText(html);
}

void TaskDetails::fillIo(const TaskRecord *task)
{
    if (!task)
        return;
    const std::string sig = task->inputs.dump() + task->outputs.dump();
    if (sig == m_ioSignature)
        return;
    m_ioSignature = sig;
    m_io->clear();
    auto *in = new QTreeWidgetItem(m_io, {tr("Inputs")});
    addPorts(in, task->inputs);
    auto *out = new QTreeWidgetItem(m_io, {tr("Outputs")});
    addPorts(out, task->outputs);
    m_io->expandAll();
    m_io->resizeColumnToContents(0);
}

void TaskDetails::fillArtifacts(const RunGraph &run)
{
    std::string sig;
    const std::string task = m_taskId.toStdString();
    for (const ArtifactRecord &a : run.artifacts)
        if (task.empty() || a.task == task)
            sig += a.task + '/' + a.name + '/' + a.uri + '/' + a.visualization + ';';
    if (sig == m_artifactSignature)
        return;
    m_artifactSignature = sig;
    m_artifacts->clear();
    // One row per output file: a file with several visualizations (KFP's
    // mlpipeline_ui_metadata) lists them together instead of once each.
    std::map<std::string, QTreeWidgetItem *> rows;
    for (const ArtifactRecord &a : run.artifacts) {
        if (!task.empty() && a.task != task)
            continue;
        const QString shows = QString::fromStdString(a.visualization);
        QTreeWidgetItem *&item = rows[a.task + '\n' + a.name + '\n' + a.uri];
        if (item) {
            if (!shows.isEmpty() && !item->text(2).split(", ").contains(shows))
                item->setText(2, item->text(2).isEmpty() ? shows : item->text(2) + ", " + shows);
            continue;
        }
        const QString name = QString::fromStdString(task.empty() ? a.task + "." + a.name : a.name);
        const QString path = QString::fromStdString(localFile(a));
        item = new QTreeWidgetItem(m_artifacts, {name, QString::fromStdString(a.type), shows, path});
        item->setData(0, Qt::UserRole, path);
        item->setToolTip(3, QString::fromStdString(a.uri));
    }
    for (int c = 0; c < 3; ++c)
        m_artifacts->resizeColumnToContents(c);
    m_open->setEnabled(false);
    m_reveal->setEnabled(false);
}

void TaskDetails::fillMetrics(const RunGraph &run)
{
    const std::string task = m_taskId.toStdString();
    std::vector<const MetricRecord *> rows;
    for (const MetricRecord &m : run.metrics)
        if (task.empty() || m.task == task)
            rows.push_back(&m);
    m_metrics->setRowCount(int(rows.size()));
    for (int r = 0; r < int(rows.size()); ++r) {
        const MetricRecord &m = *rows[std::size_t(r)];
        m_metrics->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(m.task)));
        m_metrics->setItem(r, 1, new QTableWidgetItem(QString::fromStdString(m.name)));
        auto *value = new QTableWidgetItem(metricText(m));
        value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        value->setToolTip(QString::number(m.value, 'g', 17));
        m_metrics->setItem(r, 2, value);
    }
    m_metrics->setColumnHidden(0, !task.empty()); // one task: the column says nothing
    m_metrics->resizeColumnsToContents();
    m_metrics->setColumnWidth(1, std::max(m_metrics->columnWidth(1), 160));
    m_metrics->setColumnWidth(2, std::max(m_metrics->columnWidth(2), 110));
}

void TaskDetails::fillVisualizations(const RunGraph &run)
{
    std::string body;
    std::string title;
    if (m_taskId.isEmpty()) {
        title = run.name;
        body = renderRunReport(run); // already a whole page
    } else {
        title = m_taskId.toStdString();
        const std::string fragment = renderTaskVisualizations(run, title);
        body = htmlPage(title, fragment.empty() ? "<p class=\"pw-muted\">" + tr("This task has no visualizations.")
                                                                               .toStdString() + "</p>"
                                                : fragment);
    }
    const QString html = QString::fromStdString(body);
    if (html == m_html)
        return; // keep scroll position and avoid a flash on every refresh
    m_html = html;
    if (html.toUtf8().size() < kSetHtmlLimit) {
        m_web->setHtml(html, QUrl("about:blank"));
        return;
    }
    const QString file = QDir(QDir::tempPath()).filePath(
        QStringLiteral("pipewright-visualizations-%1.html").arg(QCoreApplication::applicationPid()));
    QFile f(file);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        f.write(html.toUtf8());
        f.close();
        m_web->load(QUrl::fromLocalFile(file));
    }
}

void TaskDetails::appendLog(const QStringList &lines)
{
    QScrollBar *bar = m_log->verticalScrollBar();
    const bool follow = bar->value() >= bar->maximum() - 4; // the user has not scrolled up
    for (const QString &line : lines)
        m_log->appendPlainText(line);
    if (follow)
        bar->setValue(bar->maximum());
}

QString TaskDetails::logText() const { return m_log->toPlainText(); }

void TaskDetails::openArtifact(bool reveal)
{
    QTreeWidgetItem *item = m_artifacts->currentItem();
    if (!item)
        return;
    const QString path = item->data(0, Qt::UserRole).toString();
    if (path.isEmpty())
        return;
    const QFileInfo info(path);
    const QString target = reveal ? (info.isDir() ? info.absoluteFilePath() : info.absolutePath()) : path;
    QDesktopServices::openUrl(QUrl::fromLocalFile(target));
}

} // namespace pw
