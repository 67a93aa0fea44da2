// SPDX-License-Identifier: Apache-2.0
// The local engine with --runtime podman, for real: podman with runc and a
// local image (tests/podman/setup-podman.sh, CTest fixture podman.setup).
// The examples, outputs and visualizations, cancel, timeout, the environment
// a task sees, and what of the host a task's container can reach.
#include "enginesandbox.h"
#include "testdata.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>

using namespace pw::test;

namespace {

const QStringList kPodman{"--runtime", "podman", "--no-cache"};

std::string stateOf(const nlohmann::json &run, const std::string &id)
{
    for (const auto &t : run["tasks"])
        if (t["id"] == id)
            return t.value("state", "");
    return "missing";
}

std::string messageOf(const nlohmann::json &run, const std::string &id)
{
    for (const auto &t : run["tasks"])
        if (t["id"] == id)
            return t.value("message", "");
    return {};
}

// Containers this engine started (named pw-...) that are still there.
QString leftoverContainers()
{
    QProcess ps;
    ps.start("podman", {"ps", "-a", "--filter", "name=^pw-", "--format", "{{.Names}}"});
    ps.waitForFinished(60000);
    return QString::fromUtf8(ps.readAllStandardOutput()).trimmed();
}

QString logsOf(EngineSandbox &box, const char *task)
{
    return box.run({"logs", QString::fromStdString(box.lastRun()["id"].get<std::string>()), task}).out;
}

} // namespace

class TestEnginePodman final : public QObject {
    Q_OBJECT

private slots:
    void tfxExampleRuns()
    {
        // The example that needs no cloud: TFX-style training, whose pusher
        // writes the model next to the document (a folder it names: writable).
        EngineSandbox box;
        // A copy, so that what the run writes next to the document stays in the sandbox.
        QCOMPARE(QProcess::execute("cp", {"-r", QStringLiteral(PW_RESOURCES_DIR "/examples"),
                                          QStringLiteral(PW_RESOURCES_DIR "/components"), box.path("")}),
                 0);
        const CliOutcome o =
            box.run(QStringList{"run", box.path("examples/tfx-training.pipewright.yaml")} + kPodman);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const auto run = box.lastRun();
        QCOMPARE(run["state"].get<std::string>(), std::string("succeeded"));
        QVERIFY2(!run["metrics"].empty(), run.dump().c_str());
        bool matrix = false;
        for (const auto &a : run["artifacts"])
            matrix = matrix || a.value("visualization", "") == "confusion_matrix";
        QVERIFY2(matrix, "the evaluator's confusion matrix is missing");
        QVERIFY2(!QDir(box.path("examples/serving/credit-default")).isEmpty(), "the pusher wrote no model");
        QCOMPARE(leftoverContainers(), QString());
    }

    void outputsCrossFromContainerToContainer()
    {
        EngineSandbox box;
        const CliOutcome o =
            box.hostile(R"(open(value, "w").write("x" * 1234))", "hostile.pipewright.yaml", kPodman);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const auto run = box.lastRun();
        for (const auto &t : run["tasks"])
            if (t["id"] == "show")
                QCOMPARE(t["outputs"]["parameters"]["length"].get<long>(), 1234L);
    }

    void cancelStopsTheContainer()
    {
        EngineSandbox box;
        std::unique_ptr<QProcess> engine =
            box.start(QStringList{"run", testDataPath("engine/hostile.pipewright.yaml"), "--param",
                                  "script=import time\ntime.sleep(300)"} +
                      kPodman);
        QVERIFY(engine->waitForStarted());
        // The store says when emit runs in its container.
        QTRY_VERIFY_WITH_TIMEOUT(box.lastRun().is_object() && stateOf(box.lastRun(), "emit") == "running",
                                 120000);
        const CliOutcome cancel =
            box.run({"cancel", QString::fromStdString(box.lastRun()["id"].get<std::string>())});
        QVERIFY2(cancel.code == 0, qPrintable(cancel.all()));
        QVERIFY(engine->waitForFinished(120000));
        const auto run = box.lastRun();
        QCOMPARE(run["state"].get<std::string>(), std::string("cancelled"));
        QCOMPARE(stateOf(run, "emit"), std::string("cancelled"));
        QCOMPARE(leftoverContainers(), QString());
    }

    void timeoutStopsTheContainer()
    {
        EngineSandbox box;
        const CliOutcome o =
            box.hostile("import time\ntime.sleep(300)", "hostile-timeout.pipewright.yaml", kPodman);
        QCOMPARE(o.code, 1);
        QVERIFY2(messageOf(box.lastRun(), "emit").find("timed out") != std::string::npos,
                 qPrintable(o.all()));
        QCOMPARE(leftoverContainers(), QString());
    }

    void containerSeesOnlyWhatItDeclares()
    {
        EngineSandbox box;
        box.env().insert("AWS_SECRET_ACCESS_KEY", "do-not-leak");
        const CliOutcome o =
            box.hostile("import os; print('ENV', sorted(os.environ))", "hostile.pipewright.yaml", kPodman);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const QString logs = logsOf(box, "emit");
        QVERIFY2(logs.contains("'DECLARED'"), qPrintable(logs));
        QVERIFY2(!logs.contains("AWS_SECRET_ACCESS_KEY"), qPrintable(logs));
    }

    void containerReachesOnlyItsOwnFolders()
    {
        EngineSandbox box;
        QCOMPARE(box.hostile("pass", "hostile.pipewright.yaml", kPodman).code, 0);
        const QString earlierRun = QString::fromStdString(box.lastRun()["id"].get<std::string>());
        const QString runs = box.path("data/pipewright/runs");
        // Inside the container: the working folder is read-only, other runs
        // and the store are not there, its own outputs are writable.
        const QString script = "import os\n"
                               "seen = []\n"
                               "try:\n"
                               "    open(os.path.join(os.getcwd(), 'intruder.txt'), 'w').write('x')\n"
                               "    seen.append('working folder writable')\n"
                               "except OSError:\n"
                               "    pass\n"
                               "for p in ['" +
                               runs + "/" + earlierRun + "', '" + box.storeFile() +
                               "']:\n"
                               "    if os.path.exists(p):\n"
                               "        seen.append('visible: ' + p)\n"
                               "open(data, 'w').write('own output')\n"
                               "print('SEEN', seen)\n";
        const CliOutcome o = box.hostile(script, "hostile.pipewright.yaml", kPodman);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const QString logs = logsOf(box, "emit");
        QVERIFY2(logs.contains("SEEN []"), qPrintable(logs));
        QVERIFY(!QFile::exists(testDataPath("engine/intruder.txt")));
    }

    void inputArtifactsAreReadOnly()
    {
        // chain's steps pass a String; the TFX example's trainer reads its
        // input artifacts: a container that tries to change one must fail.
        EngineSandbox box;
        QDir().mkpath(box.path("w"));
        QFile doc(box.path("w/tamper.pipewright.yaml"));
        QVERIFY(doc.open(QIODevice::WriteOnly));
        doc.write(R"(pipewright: 1
name: tamper
components:
  make:
    embedded:
      name: Make
      outputs: [{name: data, type: Dataset}]
      implementation:
        container:
          image: python:3.11-slim
          command: [python3, -c, 'import os, sys; os.makedirs(os.path.dirname(sys.argv[1]), exist_ok=True); open(sys.argv[1], "w").write("original")', {outputPath: data}]
  tamper:
    embedded:
      name: Tamper
      inputs: [{name: data, type: Dataset}]
      implementation:
        container:
          image: python:3.11-slim
          command: [python3, -c, 'import sys; open(sys.argv[1], "w").write("changed")', {inputPath: data}]
tasks:
  make: {component: make}
  tamper:
    component: tamper
    arguments: {data: {task: make, output: data}}
)");
        doc.close();
        const CliOutcome o = box.run(QStringList{"run", doc.fileName()} + kPodman);
        QCOMPARE(o.code, 1);
        QVERIFY2(logsOf(box, "tamper").contains("Read-only file system"), qPrintable(logsOf(box, "tamper")));
        QCOMPARE(stateOf(box.lastRun(), "make"), std::string("succeeded"));
    }
};

QTEST_GUILESS_MAIN(TestEnginePodman)
#include "tst_enginepodman.moc"
