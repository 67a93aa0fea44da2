// SPDX-License-Identifier: Apache-2.0
// The studio as a user runs a pipeline: open the TFX example, press Run (F5),
// fill the parameters dialog, and watch the run on the Runs page. The real
// engine runs the example's python3 components; the run store is a real
// SQLite file in the test's isolated XDG_DATA_HOME.
#include "mainwindow/filecontroller.h"
#include "mainwindow/mainwindow.h"
#include "mainwindow/runpage.h"
#include "runview/runcontroller.h"
#include "runview/rundagview.h"
#include "runview/runparametersdialog.h"
#include "runview/runtaskitem.h"
#include "runview/runworkspace.h"
#include "runview/taskdetails.h"
#include "testdata.h"
#include "uitest.h"

#include <QAction>
#include <QDockWidget>
#include <QLineEdit>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>

using namespace pw;

class TstStudioRun final : public QObject {
    Q_OBJECT

private slots:
    void runTheExampleFromTheStudio()
    {
        QTemporaryDir out;
        QVERIFY(out.isValid());
        MainWindow window;
        window.resize(1500, 950);
        window.show();
        QVERIFY(window.files()->open(test::resourcesPath("examples/tfx-training.pipewright.yaml")));
        auto *pages = window.findChild<QTabWidget *>("pages");
        QVERIFY(pages);
        auto *inspector = window.findChild<QDockWidget *>("inspectorDock");
        QVERIFY(inspector && inspector->isVisible());

        // F5 opens the parameters dialog; the model goes to a temporary folder.
        bool filled = false;
        QTimer::singleShot(0, this, [&] {
            auto *dialog = qobject_cast<RunParametersDialog *>(QApplication::activeModalWidget());
            QVERIFY(dialog);
            auto *serving = qobject_cast<QLineEdit *>(dialog->editor("serving_dir"));
            QVERIFY(serving);
            serving->setText(out.filePath("serving"));
            filled = true;
            dialog->accept();
        });
        window.runs()->runAction()->trigger();
        QVERIFY(filled);

        // Once the engine took the run, the Runs page shows it; the design
        // docks stepped aside.
        QTRY_COMPARE(pages->currentIndex(), 1);
        QVERIFY(!inspector->isVisible());
        RunWorkspace *workspace = window.runs()->workspace();
        const QString runId = workspace->currentRunId();
        QVERIFY(!runId.isEmpty());
        RunController *runs = window.runs()->controller();
        QTRY_VERIFY_WITH_TIMEOUT(runs->run(runId) && isTerminal(runs->run(runId)->state), 60000);
        QCOMPARE(toString(runs->run(runId)->state), std::string_view("succeeded"));

        RunDagView *dag = workspace->dagView();
        QTRY_VERIFY(dag->taskItem("evaluator")->state() == TaskState::Succeeded);
        QVERIFY(dag->taskItem("trainer")->state() == TaskState::Succeeded);
        // The example's relative data path resolved next to the document.
        QVERIFY(QFile::exists(out.filePath("serving")));

        workspace->selectTask("trainer");
        TaskDetails *details = workspace->taskDetails();
        QTRY_VERIFY(details->logText().contains("train loss"));
        workspace->selectTask("evaluator");
        details->setCurrentTab(TaskDetails::MetricsTab);
        QTableWidget *metrics = details->metricsTable();
        bool sawAuc = false;
        for (int r = 0; r < metrics->rowCount(); ++r)
            sawAuc = sawAuc || (metrics->item(r, 1) && metrics->item(r, 1)->text() == "auc");
        QVERIFY(sawAuc);
        // PW_STUDIO_SCREENSHOTS=DIR keeps a picture of the Runs page for the docs.
        if (const QString dir = qEnvironmentVariable("PW_STUDIO_SCREENSHOTS"); !dir.isEmpty()) {
            details->setCurrentTab(TaskDetails::VisualizationsTab);
            QTest::qWait(1500); // the web view paints the charts
            QVERIFY(window.grab().save(dir + "/studio-runs.png"));
        }

        // Back on the pipeline page the docks return as they were.
        window.showPage(MainWindow::Page::Pipeline);
        QVERIFY(inspector->isVisible());
        window.close();
    }
};

PW_UI_TEST_MAIN(TstStudioRun)
#include "tst_studiorun.moc"
