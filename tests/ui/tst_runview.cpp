// SPDX-License-Identifier: Apache-2.0
// The run view driven like a user would: start a pipeline from the studio's
// widgets, let the real engine run it (python3 processes, SQLite store in a
// temporary XDG_DATA_HOME) and read what the widgets show.
#include "formats/pipelineloader.h"
#include "runview/metricscomparison.h"
#include "runview/runcontroller.h"
#include "runview/rundagview.h"
#include "runview/rungroupitem.h"
#include "runview/runparametersdialog.h"
#include "runview/runspanel.h"
#include "runview/runtaskitem.h"
#include "runview/runtimeline.h"
#include "runview/runworkspace.h"
#include "runview/taskdetails.h"
#include "runview/webenginesetup.h"
#include "testdata.h"
#include "uitest.h" // QTRY_* limits

#include <QApplication>
#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QWebEnginePage>
#include <QWebEngineView>

#include <set>

using namespace pw;
using namespace pw::test;

namespace {

constexpr int kRunTimeoutMs = 60000;

QString stateName(TaskState s)
{
    return QString::fromLatin1(toString(s).data(), qsizetype(toString(s).size()));
}

// The HTML the web view holds now (toHtml is asynchronous).
void pageHtml(QWebEngineView *view, QString &html)
{
    bool done = false;
    view->page()->toHtml([&](const QString &h) {
        html = h;
        done = true;
    });
    QTRY_VERIFY_WITH_TIMEOUT(done, 10000);
}

RunSettings inDir(const QString &dir)
{
    RunSettings r;
    r.workDir = dir.toStdString();
    return r;
}

// A started run is shown once its backend took it; its id then.
QString startAndWait(RunWorkspace *workspace, const Pipeline &pipeline, const RunSettings &settings)
{
    QSignalSpy created(workspace->controller(), &RunController::runCreated);
    auto started = workspace->startRun(pipeline, settings);
    if (!started.ok()) {
        qWarning("%s", started.error().message.c_str());
        return {};
    }
    if (created.isEmpty() && !created.wait(20000))
        return {};
    return created.first().first().toString();
}

// The run's snapshot once it has ended (null until the controller has it).
bool ended(RunController *controller, const QString &id)
{
    const RunGraph *run = controller->run(id);
    return run && isTerminal(run->state);
}

QString metricValue(QTableWidget *table, const QString &name)
{
    for (int r = 0; r < table->rowCount(); ++r)
        if (table->item(r, 1) && table->item(r, 1)->text() == name)
            return table->item(r, 2)->text();
    return {};
}

} // namespace

class TestRunView final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("XDG_DATA_HOME", m_dir.filePath("data").toUtf8());
        m_controller = std::make_unique<RunController>();
        QCOMPARE(m_controller->dataDir(), m_dir.filePath("data/pipewright"));
        m_controller->setPollInterval(200);
        m_workspace = std::make_unique<RunWorkspace>(m_controller.get());
        m_workspace->resize(1600, 1000);
        m_workspace->show();
    }

    void tfxRunShowsStatesLogMetricsAndCharts()
    {
        auto pipeline =
            loadPipelineFile(resourcesPath("examples/tfx-training.pipewright.yaml").toStdString());
        QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().message.c_str());
        RunSettings request;
        request.parameters = {{"data_path", resourcesPath("examples/data/credit_default.csv").toStdString()},
                              {"serving_dir", m_dir.filePath("serving/credit-default").toStdString()}};
        request.workDir = m_dir.path().toStdString();

        // Every state the view took for each task, in order. The product
        // promises each transition reaches the view, however fast the task.
        std::map<QString, QStringList> seen;
        auto conn = connect(m_workspace->dagView(), &RunDagView::taskStateChanged, this,
                            [&](const QString &task, TaskState state) { seen[task] << stateName(state); });
        bool liveShot = false;
        auto conn2 = connect(m_controller.get(), &RunController::taskChanged, this, [&] {
            RunTaskItem *trainer = m_workspace->dagView()->taskItem("trainer");
            if (!liveShot && trainer && trainer->state() == TaskState::Running) {
                liveShot = true;
                shot("runview-live", 0); // no event loop inside the signal
            }
        });
        m_tfxRun = startAndWait(m_workspace.get(), *pipeline, request);
        QVERIFY(!m_tfxRun.isEmpty());
        QCOMPARE(m_workspace->currentRunId(), m_tfxRun);
        // Follow the trainer from the start: its log must arrive live.
        QTRY_VERIFY_WITH_TIMEOUT(m_workspace->dagView()->taskItem("trainer"), 10000);
        m_workspace->selectTask("trainer");
        QTRY_VERIFY_WITH_TIMEOUT(ended(m_controller.get(), m_tfxRun), kRunTimeoutMs);
        disconnect(conn);
        disconnect(conn2);
        const RunGraph *run = m_controller->run(m_tfxRun);
        QCOMPARE(toString(run->state), std::string_view("succeeded"));

        // DAG: seven container tasks, each succeeded, each seen running first.
        RunDagView *dag = m_workspace->dagView();
        QCOMPARE(dag->nodeIds().size(), 7);
        for (const QString &node : dag->nodeIds()) {
            QCOMPARE(stateName(dag->taskItem(node)->state()), QString("succeeded"));
            QVERIFY2(dag->taskItem(node)->statusText().startsWith("succeeded · "),
                     qPrintable(dag->taskItem(node)->statusText()));
            // Pending (if the view saw it before it started), then running, then succeeded.
            QStringList states = seen[node];
            if (!states.isEmpty() && states.first() == "pending")
                states.removeFirst();
            QCOMPARE(states, QStringList({"running", "succeeded"}));
        }
        QVERIFY(dag->groupItem("if-blessed"));
        QCOMPARE(stateName(dag->groupItem("if-blessed")->state()), QString("succeeded"));
        // Graphviz ranked it: ExampleGen before Trainer before Evaluator along the flow.
        const auto along = [dag](const char *id) {
            return dag->isLeftToRight() ? dag->taskItem(id)->x() : dag->taskItem(id)->y();
        };
        QVERIFY(along("example-gen") < along("trainer"));
        QVERIFY(along("trainer") < along("evaluator"));

        // Live log tail of the trainer (lines it printed while it ran).
        TaskDetails *details = m_workspace->taskDetails();
        QCOMPARE(details->taskId(), QString("trainer"));
        QVERIFY2(details->logText().contains("train loss"), qPrintable(details->logText().left(500)));
        const int liveLines = details->logText().count('\n');

        // Evaluator: metrics table and the core-rendered charts in the web view.
        QSignalSpy loaded(details, &TaskDetails::visualizationsLoaded);
        m_workspace->selectTask("evaluator");
        details->setCurrentTab(TaskDetails::MetricsTab);
        const QString auc = metricValue(details->metricsTable(), "auc");
        QVERIFY2(!auc.isEmpty(), "no auc row");
        QVERIFY2(auc.toDouble() > 0.7 && auc.toDouble() <= 1.0, qPrintable(auc));
        QVERIFY(details->visualizationHtml().contains("<svg"));
        details->setCurrentTab(TaskDetails::VisualizationsTab);
        QTRY_VERIFY_WITH_TIMEOUT(!loaded.isEmpty(), 20000);
        QVERIFY(loaded.last().first().toBool());
        QString html;
        pageHtml(details->visualizationView(), html);
        QVERIFY2(html.contains("<svg"), qPrintable(html.left(300)));
        QVERIFY(html.contains("Confusion matrix"));
        QVERIFY(html.contains("ROC"));
        QVERIFY(details->artifactList()->topLevelItemCount() > 0);

        // After the run, the same tail comes from the log file.
        m_workspace->selectTask("trainer");
        QTRY_VERIFY(details->logText().contains("train loss"));
        QVERIFY(details->logText().count('\n') >= liveLines - 1);

        // Timeline: every task has a row, groups above their members.
        const QStringList rows = m_workspace->timeline()->rowIds();
        QVERIFY(rows.contains("trainer") && rows.contains("if-blessed/pusher"));
        QVERIFY(rows.indexOf("if-blessed") < rows.indexOf("if-blessed/pusher"));

        // The runs list shows it as succeeded.
        QTRY_VERIFY(m_workspace->runsPanel()->visibleRuns().contains(m_tfxRun));

        QString report = m_dir.filePath("report.html");
        QVERIFY(m_workspace->exportReport(report).ok());
        QFile f(report);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().contains("<svg"));

        if (!qEnvironmentVariableIsEmpty("PW_RUNVIEW_SCREENSHOTS"))
            saveScreenshots();
    }

    void failingRunShowsFailedAndSkipped()
    {
        auto pipeline = loadPipelineFile(writeFile("failing.pipewright.yaml", R"(pipewright: 1
name: failing
components:
  shell:
    embedded:
      name: Shell
      inputs:
      - {name: script, type: String}
      - {name: after, type: String, default: ''}
      outputs:
      - {name: out, type: String}
      implementation:
        container:
          image: alpine
          command: [sh, -c, {inputValue: script}, {outputPath: out}, {inputValue: after}]
tasks:
  prepare:
    component: shell
    arguments: {script: 'echo preparing; echo ok > "$0"'}
    caching: false
  explode:
    component: shell
    arguments: {script: 'echo something broke >&2; exit 3', after: {task: prepare, output: out}}
    caching: false
  publish:
    component: shell
    arguments: {script: 'echo never > "$0"', after: {task: explode, output: out}}
    caching: false
)")
                                             .toStdString());
        QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().message.c_str());
        const QString id = startAndWait(m_workspace.get(), *pipeline, inDir(m_dir.path()));
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(ended(m_controller.get(), id), kRunTimeoutMs);
        QCOMPARE(toString(m_controller->run(id)->state), std::string_view("failed"));
        RunDagView *dag = m_workspace->dagView();
        QTRY_COMPARE(stateName(dag->taskItem("explode")->state()), QString("failed"));
        QCOMPARE(stateName(dag->taskItem("prepare")->state()), QString("succeeded"));
        QCOMPARE(stateName(dag->taskItem("publish")->state()), QString("skipped"));
        m_workspace->selectTask("explode");
        QTRY_VERIFY2(m_workspace->taskDetails()->logText().contains("something broke"),
                     qPrintable(m_workspace->taskDetails()->logText()));
        m_workspace->taskDetails()->setCurrentTab(TaskDetails::LogTab);
        shot("runview-failed");
    }

    void cancelledRunShowsCancelled()
    {
        auto pipeline = loadPipelineFile(writeFile("slow.pipewright.yaml", R"(pipewright: 1
name: slow
components:
  sleep:
    embedded:
      name: Sleep
      inputs:
      - {name: seconds, type: Integer}
      implementation:
        container:
          image: alpine
          command: [sh, -c, 'echo sleeping; sleep "$0"', {inputValue: seconds}]
tasks:
  nap:
    component: sleep
    arguments: {seconds: 30}
    caching: false
  after-nap:
    component: sleep
    arguments: {seconds: 1}
    after: [nap]
    caching: false
)")
                                             .toStdString());
        QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().message.c_str());
        const QString id = startAndWait(m_workspace.get(), *pipeline, inDir(m_dir.path()));
        QVERIFY(!id.isEmpty());
        RunDagView *dag = m_workspace->dagView();
        QTRY_VERIFY_WITH_TIMEOUT(dag->taskItem("nap") && dag->taskItem("nap")->state() == TaskState::Running,
                                 10000);
        QVERIFY(m_controller->isActive(id));
        m_controller->cancel(id);
        QTRY_VERIFY_WITH_TIMEOUT(!m_controller->isActive(id), 15000);
        QCOMPARE(toString(m_controller->run(id)->state), std::string_view("cancelled"));
        QCOMPARE(stateName(dag->taskItem("nap")->state()), QString("cancelled"));
        QCOMPARE(stateName(dag->taskItem("after-nap")->state()), QString("cancelled"));
    }

    void runsPanelFiltersAndRerunComparesMetrics()
    {
        RunsPanel *panel = m_workspace->runsPanel();
        QTRY_COMPARE(panel->visibleRuns().size(), 3);
        panel->setStateFilter("failed");
        QCOMPARE(panel->visibleRuns().size(), 1);
        panel->setStateFilter({});
        panel->setPipelineFilter("tfx-training");
        QCOMPARE(panel->visibleRuns(), QStringList{m_tfxRun});
        panel->setPipelineFilter({});

        // Re-run with the same parameters, then compare the two runs' metrics.
        QSignalSpy created(m_controller.get(), &RunController::runCreated);
        m_controller->rerun(m_tfxRun);
        QVERIFY(created.wait(20000));
        const QString again = created.first().first().toString();
        QTRY_VERIFY_WITH_TIMEOUT(ended(m_controller.get(), again), kRunTimeoutMs);
        QVERIFY(m_controller->run(again)->parameters == m_controller->run(m_tfxRun)->parameters);
        QCOMPARE(toString(m_controller->run(again)->state), std::string_view("succeeded"));
        // Two runs of one pipeline: a task chosen in one is not left highlighted in the
        // other, and a click beside the tasks goes back to the run itself.
        RunDagView *dag = m_workspace->dagView();
        m_workspace->showRun(m_tfxRun);
        QTRY_VERIFY(dag->taskItem("trainer"));
        m_workspace->selectTask("trainer");
        QCOMPARE(dag->selectedTask(), QString("trainer"));
        m_workspace->showRun(again);
        QTRY_VERIFY(dag->taskItem("trainer"));
        QCOMPARE(dag->selectedTask(), QString());
        QCOMPARE(m_workspace->taskDetails()->taskId(), QString());
        m_workspace->selectTask("trainer");
        QCOMPARE(m_workspace->taskDetails()->taskId(), QString("trainer"));
        QTest::mouseClick(dag->viewport(), Qt::LeftButton, {}, QPoint(3, 3));
        QCOMPARE(dag->selectedTask(), QString());
        QCOMPARE(m_workspace->taskDetails()->taskId(), QString());
        // The re-run reused the cache: same metrics. A run with other
        // training parameters differs, and the comparison marks what differs.
        auto pipeline =
            loadPipelineFile(resourcesPath("examples/tfx-training.pipewright.yaml").toStdString());
        QVERIFY(pipeline.ok());
        RunSettings tuned = inDir(m_dir.path());
        tuned.parameters = {{"data_path", resourcesPath("examples/data/credit_default.csv").toStdString()},
                            {"serving_dir", m_dir.filePath("serving/credit-default").toStdString()},
                            {"epochs", "15"},
                            {"learning_rate", "0.05"}};
        const QString other = startAndWait(m_workspace.get(), *pipeline, tuned);
        QVERIFY(!other.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(ended(m_controller.get(), other), kRunTimeoutMs);
        m_workspace->compareRuns({m_tfxRun, again, other});
        MetricsComparison *cmp = m_workspace->comparison();
        QCOMPARE(cmp->table()->columnCount(), 5);
        const int aucRow = int(cmp->rowKeys().indexOf("evaluator · auc"));
        QVERIFY(aucRow >= 0);
        QCOMPARE(cmp->table()->item(aucRow, 2)->text(), cmp->table()->item(aucRow, 3)->text());
        QVERIFY(cmp->table()->item(aucRow, 2)->text() != cmp->table()->item(aucRow, 4)->text());
        QVERIFY(cmp->table()->item(aucRow, 1)->font().bold());
        QVERIFY(cmp->rowKeys().contains("parameter · epochs"));
        QVERIFY(!cmp->rowKeys().contains("parameter · data_path")); // the same in all three
        shot("runview-compare");
    }

    void parametersDialogIsTyped()
    {
        auto pipeline =
            loadPipelineFile(resourcesPath("examples/tfx-training.pipewright.yaml").toStdString());
        QVERIFY(pipeline.ok());
        RunParametersDialog dialog(*pipeline);
        auto *epochs = qobject_cast<QLineEdit *>(dialog.editor("epochs"));
        QVERIFY(epochs);
        QCOMPARE(epochs->text(), QString("300"));
        epochs->setText("12");
        const auto values = dialog.values();
        QCOMPARE(values.at("epochs"), std::string("12"));
        QCOMPARE(values.at("learning_rate"), std::string("0.3"));
        epochs->setText("");
        QCOMPARE(dialog.values().count("epochs"), std::size_t(0)); // back to the default
    }

    void loopIterationsBecomeFrames()
    {
        auto pipeline = loadPipelineFile(testDataPath("engine/loop.pipewright.yaml").toStdString());
        QVERIFY(pipeline.ok());
        const QString id = startAndWait(m_workspace.get(), *pipeline, inDir(m_dir.path()));
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(ended(m_controller.get(), id), kRunTimeoutMs);
        const RunGraph *run = m_controller->run(id);
        QCOMPARE(toString(run->state), std::string_view("succeeded"));
        RunDagView *dag = m_workspace->dagView();
        // Iterations appeared while the run went on: the graph was laid out again.
        QTRY_COMPARE(dag->nodeIds().size(), 5); // four squares and the sum
        int frames = 0;
        for (const TaskRecord &t : run->tasks) {
            if (t.kind != "iteration" && t.kind != "loop")
                continue;
            RunGroupItem *frame = dag->groupItem(QString::fromStdString(t.id));
            QVERIFY2(frame, t.id.c_str());
            QCOMPARE(stateName(frame->state()), QString("succeeded"));
            ++frames;
        }
        QCOMPARE(frames, 5); // the loop and its four iterations
    }

    void cleanupTestCase()
    {
        m_workspace.reset();
        m_controller.reset();
    }

private:
    QString writeFile(const QString &name, const char *text)
    {
        QFile f(m_dir.filePath(name));
        if (f.open(QIODevice::WriteOnly))
            f.write(text);
        return f.fileName();
    }

    // With PW_RUNVIEW_SCREENSHOTS=DIR, the test saves what it sees (docs/screenshots).
    void shot(const QString &name, int settleMs = 300)
    {
        const QString dir = qEnvironmentVariable("PW_RUNVIEW_SCREENSHOTS");
        if (dir.isEmpty())
            return;
        QDir().mkpath(dir);
        if (settleMs > 0)
            QTest::qWait(settleMs);
        m_workspace->grab().save(dir + "/" + name + ".png");
    }

    void saveScreenshots()
    {
        TaskDetails *details = m_workspace->taskDetails();
        m_workspace->selectTask("evaluator");
        details->setCurrentTab(TaskDetails::VisualizationsTab);
        QTest::qWait(1500); // let the web view paint
        shot("runview-dag-visualizations");
        m_workspace->selectTask("trainer");
        details->setCurrentTab(TaskDetails::LogTab);
        shot("runview-log");
        m_workspace->centerTabs()->setCurrentIndex(1);
        m_workspace->selectTask("evaluator");
        details->setCurrentTab(TaskDetails::MetricsTab);
        shot("runview-timeline-metrics");
        m_workspace->centerTabs()->setCurrentIndex(0);
    }

    QTemporaryDir m_dir;
    std::unique_ptr<RunController> m_controller;
    std::unique_ptr<RunWorkspace> m_workspace;
    QString m_tfxRun;
};

int main(int argc, char **argv)
{
    pw::prepareWebEngine();
    QApplication app(argc, argv);
    TestRunView test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_runview.moc"
