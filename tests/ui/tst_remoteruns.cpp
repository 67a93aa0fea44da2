// SPDX-License-Identifier: Apache-2.0
// The studio with a backend that is not this machine: Run > Backends adds,
// tests and saves one (no secret reaches the file), and the run view shows a
// run on it like a local one, through the same asynchronous backend layer.
// The backend is the test plugin `simulated`, loaded from its folder.
#include "argotestserver.h"
#include "engine/localbackendfactory.h"
#include "formats/pipelineloader.h"
#include "kfptestserver.h"
#include "runs/backendregistry.h"
#include "runview/runcontroller.h"
#include "runview/rundagview.h"
#include "runview/runparametersdialog.h"
#include "runview/runspanel.h"
#include "runview/runtargetform.h"
#include "runview/runtaskitem.h"
#include "runview/runworkspace.h"
#include "runview/schedulespanel.h"
#include "runview/taskdetails.h"
#include "settings/backendsdialog.h"
#include "testdata.h"
#include "uitest.h"
#include "vertextestserver.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTableWidget>

using namespace pw;

namespace {

// The run view of a studio with one backend configured (the plugins from
// the build tree), and what each task's box went through.
class RemoteStudio final {
public:
    explicit RemoteStudio(const BackendConfig &config)
        : controller(withBackend(registry, config)), workspace(&controller)
    {
        workspace.resize(1500, 900);
        workspace.show();
        QObject::connect(workspace.dagView(), &RunDagView::taskStateChanged, &workspace,
                         [this](const QString &task, TaskState s) {
                             seen[task] << QString::fromUtf8(toString(s).data());
                         });
    }

    // The state the task's box shows (pending while it has none).
    TaskState boxState(const char *task) const
    {
        const RunTaskItem *item = workspace.dagView()->taskItem(task);
        return item ? item->state() : TaskState::Pending;
    }

    // Starts the pipeline in `file` on the backend; the run's id once the view shows it ("" if not).
    QString start(const QString &file)
    {
        auto pipeline = loadPipelineFile(file.toStdString());
        QSignalSpy created(&controller, &RunController::runCreated);
        if (!pipeline.ok() ||
            !controller.startRun(*pipeline, {}, QString::fromStdString(registry.configs().back().name))
                 .ok() ||
            !created.wait(20000))
            return {};
        const QString id = created.first().first().toString();
        return QTest::qWaitFor([&] { return workspace.currentRunId() == id; }, 20000) ? id : QString();
    }

    BackendRegistry registry;
    RunController controller;
    RunWorkspace workspace;
    std::map<QString, QStringList> seen; // task -> the states its box showed, in order

private:
    static BackendRegistry &withBackend(BackendRegistry &registry, const BackendConfig &config)
    {
        registry.addFactory(std::make_shared<LocalBackendFactory>());
        for (const std::string &problem : registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}))
            qWarning("plugin: %s", problem.c_str());
        registry.setConfigs({config});
        return registry;
    }
};

} // namespace

class TstRemoteRuns final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        m_registry.addFactory(std::make_shared<LocalBackendFactory>());
        QVERIFY(m_registry.loadPlugins({QStringLiteral(PW_TEST_PLUGIN_DIR)}).empty());
        m_registry.setConfigs({});
        m_configPath = m_home.filePath("backends.yaml").toStdString();
    }

    void backendsDialogAddsTestsAndSaves()
    {
        qputenv("PW_SIM_TOKEN", "s3cr3t-value");
        BackendsDialog dialog(&m_registry, m_configPath);
        dialog.show();
        QCOMPARE(dialog.list()->count(), 1); // local is always there
        dialog.findChild<QPushButton *>("addBackend")->click();
        QCOMPARE(dialog.list()->count(), 2);
        dialog.nameEdit()->setText("sim-a");
        dialog.kindBox()->setCurrentIndex(dialog.kindBox()->findData("simulated"));
        dialog.urlEdit()->setText("https://sim.example");
        dialog.credentialBox()->setCurrentIndex(
            dialog.credentialBox()->findData(int(CredentialSource::Kind::Env)));
        dialog.credentialEdit()->setText("PW_SIM_TOKEN");
        auto *poll = qobject_cast<QLineEdit *>(dialog.settingEditor("pollMs"));
        QVERIFY(poll);
        poll->setText("5");
        QSignalSpy tested(&dialog, &BackendsDialog::testFinished);
        dialog.findChild<QPushButton *>("testBackend")->click();
        QVERIFY(tested.wait(10000));
        QVERIFY2(tested.first().at(1).toBool(), qPrintable(tested.first().at(0).toString()));
        QVERIFY(dialog.testResult()->text().contains("sim-1"));
        auto saved = dialog.save();
        QVERIFY2(saved.ok(), saved.ok() ? "" : saved.error().message.c_str());
        QFile file(QString::fromStdString(m_configPath));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        QVERIFY2(text.contains("env: PW_SIM_TOKEN"), text.constData());
        QVERIFY(!text.contains("s3cr3t"));
        QVERIFY(m_registry.config("sim-a"));
        shot(dialog, "studio-backends");

        // A wrong setting is refused with the factory's reason.
        dialog.select("sim-a");
        poll->setText("soon");
        auto refused = dialog.save();
        QVERIFY(!refused.ok());
    }

    void aRemoteRunShowsLikeALocalOne()
    {
        m_registry.setConfigs({{"sim-a", "simulated", "https://sim.example", {}, {{"pollMs", "5"}}, {}}});
        RunController controller(m_registry);
        controller.setPollInterval(50);
        RunWorkspace workspace(&controller);
        workspace.resize(1500, 900);
        workspace.show();
        auto pipeline = loadPipelineFile(test::testDataPath("engine/chain.pipewright.yaml").toStdString());
        QVERIFY(pipeline.ok());
        RunSettings settings;
        settings.parameters = {{"trace", m_home.filePath("trace").toStdString()}};
        QSignalSpy created(&controller, &RunController::runCreated);
        auto started = controller.startRun(*pipeline, settings, "sim-a");
        QVERIFY2(started.ok(), started.ok() ? "" : started.error().message.c_str());
        QVERIFY(created.wait(10000));
        const QString id = created.first().first().toString();
        QTRY_COMPARE(workspace.currentRunId(), id);
        // Every task's transitions reach the graph, as for local runs.
        std::map<QString, QStringList> seen;
        connect(
            workspace.dagView(), &RunDagView::taskStateChanged, this,
            [&](const QString &task, TaskState s) { seen[task] << QString::fromUtf8(toString(s).data()); });
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && isTerminal(controller.run(id)->state), 20000);
        QCOMPARE(QString::fromUtf8(toString(controller.run(id)->state).data()), QString("succeeded"));
        RunDagView *dag = workspace.dagView();
        QTRY_COMPARE(dag->nodeIds().size(), 3);
        for (const QString &task : {QString("a"), QString("b"), QString("c")})
            QVERIFY(dag->taskItem(task)->state() == TaskState::Succeeded);
        QVERIFY(seen["c"].contains("running"));
        // The runs list says where it ran; its header links to the server's UI.
        RunsPanel *runs = workspace.runsPanel();
        QTRY_VERIFY(runs->visibleRuns().contains(id));
        runs->setBackendFilter("sim-a");
        QCOMPARE(runs->visibleRuns(), QStringList{id});
        QTRY_VERIFY(workspace.findChild<QPushButton *>("openWeb")->isVisible());
        // The simulated server keeps no schedules: the tab says where to go.
        workspace.schedules()->reload();
        QVERIFY(workspace.schedules()->findChild<QLabel *>("scheduleNote")->text().contains("Backends"));
        shot(workspace, "runview-remote");
    }

    // A run on the strict loopback KFP server, through both KFP APIs: live
    // states, a task's log, the metric it wrote, Retry of what failed.
    void aKfpRunShowsLikeALocalOne_data()
    {
        QTest::addColumn<QString>("api");
        QTest::newRow("v2beta1") << QString("v2");
        QTest::newRow("v1beta1") << QString("v1");
    }
    void aKfpRunShowsLikeALocalOne()
    {
        QFETCH(QString, api);
        // The server moves runs only when told, so every state is held until
        // the studio has read it: the test does not depend on poll timing.
        test::KfpTestServer server({"--manual-steps"});
        QVERIFY2(server.ok(), qPrintable(server.error()));
        RemoteStudio studio({"kfp",
                             "kfp",
                             server.url().toStdString(),
                             {},
                             {{"api", api.toStdString()}, {"pollMs", "50"}},
                             {CredentialSource::Kind::File, server.tokenFile().toStdString()}});
        auto &[registry, controller, workspace, seen] = studio;
        const QString id = studio.start(test::testDataPath("kfp/contract.pipewright.yaml"));
        QVERIFY(!id.isEmpty());
        // While the run goes on, its elapsed time moves in the header by itself: the server
        // makes no step until told, so no run event could move it.
        auto *title = workspace.findChild<QLabel *>("runTitle");
        const auto elapsed = [title] {
            const auto m = QRegularExpression("([0-9.]+) s · ").match(title->text());
            return m.hasMatch() ? m.captured(1).toDouble() : -1.0;
        };
        QTRY_VERIFY(elapsed() >= 0);
        const double first = elapsed();
        QTRY_VERIFY2(elapsed() > first, qPrintable(title->text()));
        QVERIFY(driveToEnd(server, api, id));
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && isTerminal(controller.run(id)->state), 20000);
        QCOMPARE(QString::fromUtf8(toString(controller.run(id)->state).data()), QString("failed"));
        QVERIFY2(seen["produce"].contains("running"), qPrintable(seen["produce"].join(',')));
        QTRY_VERIFY(studio.boxState("flaky") == TaskState::Failed);
        // A run started with no experiment is in KFP's Default one, listed by its name.
        RunsPanel *runs = workspace.runsPanel();
        auto *experiments = runs->findChild<QComboBox *>("experimentFilter");
        QTRY_VERIFY(experiments->isVisibleTo(runs) && experiments->findData("Default") > 0);
        runs->setExperimentFilter("Default");
        QTRY_VERIFY(runs->visibleRuns().contains(id));
        runs->setExperimentFilter({});
        workspace.selectTask("produce");
        QTRY_VERIFY(workspace.taskDetails()->logText().contains("produce"));
        // The metric the task wrote, read through KFP's UI server, in the metrics table.
        workspace.taskDetails()->setCurrentTab(TaskDetails::MetricsTab);
        QTRY_VERIFY(workspace.taskDetails()->metricsTable()->rowCount() > 0);
        // Retry runs what failed, in the same run.
        auto *retry = workspace.findChild<QPushButton *>("retryRun");
        QTRY_VERIFY(retry->isEnabled());
        QVERIFY(workspace.findChild<QPushButton *>("openWeb")->isVisible());
        retry->click();
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && !isTerminal(controller.run(id)->state), 20000);
        QVERIFY(driveToEnd(server, api, id));
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && controller.run(id)->state == RunState::Succeeded,
                                 20000);
        QTRY_VERIFY(studio.boxState("flaky") == TaskState::Succeeded);
        if (api == "v2" && !qEnvironmentVariableIsEmpty("PW_STUDIO_SCREENSHOTS")) {
            // The TFX example on KFP, for the docs: a bigger graph with a condition.
            const QString tfxRun = studio.start(test::resourcesPath("examples/tfx-training.pipewright.yaml"));
            QVERIFY(!tfxRun.isEmpty());
            QVERIFY(driveToEnd(server, api, tfxRun));
            QTRY_VERIFY_WITH_TIMEOUT(controller.run(tfxRun) && isTerminal(controller.run(tfxRun)->state),
                                     20000);
            workspace.selectTask("trainer");
            QTRY_VERIFY(workspace.taskDetails()->logText().contains("[Trainer]"));
            workspace.taskDetails()->setCurrentTab(TaskDetails::LogTab);
            shot(workspace, "runview-kfp");
        }
    }

    // The run dialog asks for what the chosen backend can take: an output
    // folder for a server, not for this machine.
    void runDialogFollowsTheBackend()
    {
        BackendRegistry registry;
        registry.addFactory(std::make_shared<LocalBackendFactory>());
        QVERIFY(registry.loadPlugins({QStringLiteral(PW_TEST_PLUGIN_DIR)}).empty());
        registry.setConfigs({{"sim", "simulated", "https://sim.example", {}, {}, {}}});
        auto pipeline = loadPipelineFile(test::testDataPath("vertex/contract.pipewright.yaml").toStdString());
        QVERIFY(pipeline.ok());
        RunParametersDialog dialog(*pipeline, &registry);
        auto *root = dialog.findChild<QLineEdit *>("pipelineRoot");
        QVERIFY(root);
        dialog.target()->setBackend("local");
        QVERIFY(!root->isEnabled());
        dialog.target()->setBackend("sim");
        QVERIFY(root->isEnabled());
        root->setText("gs://bucket/elsewhere");
        QCOMPARE(dialog.settings().pipelineRoot, std::string("gs://bucket/elsewhere"));
    }

    // A Vertex AI job on the strict loopback Vertex server: the same view,
    // with the retried task's attempts, the condition that did not hold, the
    // log from Cloud Logging and the metric from the job's artifacts.
    void aVertexRunShowsLikeALocalOne()
    {
        test::VertexTestServer server({"--manual-steps"});
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const std::string url = server.url().toStdString();
        RemoteStudio studio({"vertex",
                             "vertex",
                             url,
                             {},
                             {{"project", "pipewright-test"},
                              {"location", "us-central1"},
                              {"outputDir", "gs://pipewright-bucket/runs"},
                              {"loggingUrl", url},
                              {"storageUrl", url},
                              {"pollMs", "50"}},
                             {CredentialSource::Kind::File, server.tokenFile().toStdString()}});
        auto &[registry, controller, workspace, seen] = studio;
        const QString id = studio.start(test::testDataPath("vertex/contract.pipewright.yaml"));
        QVERIFY(!id.isEmpty());
        QVERIFY(driveToEnd(server, "/_test/advance?job=" + id,
                           "/v1/projects/pipewright-test/locations/us-central1/pipelineJobs/" +
                               id.toStdString()));
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && isTerminal(controller.run(id)->state), 20000);
        QCOMPARE(QString::fromUtf8(toString(controller.run(id)->state).data()), QString("succeeded"));
        QVERIFY2(seen["produce"].contains("running"), qPrintable(seen["produce"].join(',')));
        const RunTaskItem *flaky = workspace.dagView()->taskItem("flaky");
        QVERIFY(flaky);
        QTRY_VERIFY(flaky->state() == TaskState::Succeeded);
        QCOMPARE(controller.run(id)->task("flaky")->attempts, 2);
        QTRY_VERIFY(controller.run(id)->task("if-goodbye") &&
                    controller.run(id)->task("if-goodbye")->state == TaskState::Skipped);
        workspace.selectTask("produce");
        QTRY_VERIFY(workspace.taskDetails()->logText().contains("[produce]"));
        workspace.taskDetails()->setCurrentTab(TaskDetails::MetricsTab);
        QTRY_VERIFY(workspace.taskDetails()->metricsTable()->rowCount() > 0);
        // Vertex has no retry in place; a clone and the console do.
        QVERIFY(!workspace.findChild<QPushButton *>("retryRun")->isEnabled());
        QVERIFY(workspace.findChild<QPushButton *>("cloneRun")->isEnabled());
        QVERIFY(workspace.findChild<QPushButton *>("openWeb")->isVisible());
        workspace.taskDetails()->setCurrentTab(TaskDetails::LogTab);
        shot(workspace, "runview-vertex");
    }

    // An Argo workflow on the strict loopback Argo Server: the same view;
    // the task that failed is retried in the same workflow from the studio.
    void anArgoRunShowsLikeALocalOne()
    {
        test::ArgoTestServer server({"--manual-steps"});
        QVERIFY2(server.ok(), qPrintable(server.error()));
        RemoteStudio studio({"argo",
                             "argo",
                             server.url().toStdString(),
                             "pipewright",
                             {{"pollMs", "50"}},
                             {CredentialSource::Kind::File, server.tokenFile().toStdString()}});
        auto &[registry, controller, workspace, seen] = studio;
        const QString id = studio.start(test::testDataPath("argo/contract.pipewright.yaml"));
        QVERIFY(!id.isEmpty());
        const QString advance = "/_test/advance?namespace=pipewright&name=" + id;
        const std::string runPath = "/api/v1/workflows/pipewright/" + id.toStdString();
        QVERIFY(driveToEnd(server, advance, runPath));
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && isTerminal(controller.run(id)->state), 20000);
        QCOMPARE(QString::fromUtf8(toString(controller.run(id)->state).data()), QString("failed"));
        QVERIFY2(seen["produce"].contains("running"), qPrintable(seen["produce"].join(',')));
        QTRY_VERIFY(studio.boxState("flaky") == TaskState::Failed);
        QTRY_VERIFY(studio.boxState("sturdy") == TaskState::Succeeded); // its retry policy ran it again
        QCOMPARE(controller.run(id)->task("sturdy")->attempts, 2);
        QTRY_VERIFY(controller.run(id)->task("if-goodbye") &&
                    controller.run(id)->task("if-goodbye")->state == TaskState::Skipped);
        // Argo keeps no request to clone from; retry runs what failed, in the same workflow.
        QVERIFY(!workspace.findChild<QPushButton *>("cloneRun")->isEnabled());
        QVERIFY(workspace.findChild<QPushButton *>("openWeb")->isVisible());
        auto *retry = workspace.findChild<QPushButton *>("retryRun");
        QTRY_VERIFY(retry->isEnabled());
        retry->click();
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && !isTerminal(controller.run(id)->state), 20000);
        QVERIFY(driveToEnd(server, advance, runPath));
        QTRY_VERIFY_WITH_TIMEOUT(controller.run(id) && controller.run(id)->state == RunState::Succeeded,
                                 20000);
        QTRY_VERIFY(studio.boxState("flaky") == TaskState::Succeeded);
        workspace.selectTask("produce");
        QTRY_VERIFY(workspace.taskDetails()->logText().contains("[produce]"));
        workspace.taskDetails()->setCurrentTab(TaskDetails::MetricsTab);
        QTRY_VERIFY(workspace.taskDetails()->metricsTable()->rowCount() > 0);
        workspace.taskDetails()->setCurrentTab(TaskDetails::LogTab);
        shot(workspace, "runview-argo");

        // Re-run: Argo's resubmit, a new workflow from this one's spec.
        QSignalSpy created(&controller, &RunController::runCreated);
        auto *rerun = workspace.findChild<QPushButton *>("rerunRun");
        QVERIFY(rerun->isEnabled());
        rerun->click();
        QVERIFY(created.wait(20000));
        const QString again = created.first().first().toString();
        QVERIFY2(again != id && again.startsWith("argo-contract-"), qPrintable(again));
        const auto log = server.requests();
        QVERIFY(std::any_of(log.begin(), log.end(), [&](const nlohmann::json &r) {
            return r["method"] == "PUT" && r["path"] == runPath + "/resubmit" && r["status"] == 200;
        }));
    }

private:
    // Moves a run on a --manual-steps server (`advance`: its /_test/advance
    // call) one step at a time until it ends. After each step that leaves it
    // going, waits until the studio has read the new state: two more reads
    // of `runPath`, since one is in flight at a time and the first may have
    // begun before the step. The end itself is held, so the caller waits for
    // the studio to show it.
    static bool driveToEnd(test::LoopbackServer &server, const QString &advance, const std::string &runPath)
    {
        const auto reads = [&] {
            int n = 0;
            for (const auto &r : server.requests())
                n += r.value("method", "") == "GET" && r.value("path", "") == runPath;
            return n;
        };
        for (int step = 0; step < 1000; ++step) {
            const int before = reads();
            const auto answer = server.control("POST", advance);
            // KFP and Vertex say `state`, Argo `phase` (Succeeded, Failed, Error).
            const QString state =
                QString::fromStdString(answer.value("state", answer.value("phase", ""))).toUpper();
            for (const char *end : {"SUCCEEDED", "FAILED", "ERROR", "CANCELED", "CANCELLED", "SKIPPED"})
                if (state.endsWith(QLatin1String(end)))
                    return true;
            if (answer.value("steps", 0) == 0 ||
                !QTest::qWaitFor([&] { return reads() >= before + 2; }, 20000))
                return false;
        }
        return false;
    }
    static bool driveToEnd(test::KfpTestServer &server, const QString &api, const QString &runId)
    {
        const std::string runPath =
            (api == "v2" ? "/apis/v2beta1/runs/" : "/apis/v1beta1/runs/") + runId.toStdString();
        return driveToEnd(server, "/_test/advance?run_id=" + runId, runPath);
    }

    // PW_STUDIO_SCREENSHOTS=DIR keeps pictures for the docs.
    static void shot(QWidget &w, const QString &name)
    {
        const QString dir = qEnvironmentVariable("PW_STUDIO_SCREENSHOTS");
        if (!dir.isEmpty())
            w.grab().save(dir + "/" + name + ".png");
    }

    QTemporaryDir m_home;
    BackendRegistry m_registry;
    std::string m_configPath;
};

PW_UI_TEST_MAIN(TstRemoteRuns)
#include "tst_remoteruns.moc"
