// SPDX-License-Identifier: Apache-2.0
// The run commands as users run them: real `pipewright` processes sharing one
// store. kill -9 of the engine mid-run, then `runs` and `resume`; cancel from
// another process; two runs at once; logs and show.
#include "cliprocess.h"
#include "enginefixture.h"
#include "testdata.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <QThread>

using namespace pw;
using namespace pw::test;

namespace {

QString engineData(const QString &name)
{
    return testDataPath("engine/" + name);
}

using Outcome = CliOutcome;

Outcome pipewright(const QString &workDir, const QStringList &args, int timeoutMs = 60000)
{
    return runPipewright(args, workDir, QProcessEnvironment::systemEnvironment(), timeoutMs);
}

bool waitFor(const std::function<bool()> &ready, int timeoutMs = 30000)
{
    QElapsedTimer t;
    t.start();
    while (!ready()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QThread::msleep(20);
    }
    return true;
}

nlohmann::json runsJson(const QString &workDir)
{
    const Outcome o = pipewright(workDir, {"runs", "--json"});
    return nlohmann::json::parse(o.out.toStdString(), nullptr, false);
}

nlohmann::json showJson(const QString &workDir, const QString &id)
{
    const Outcome o = pipewright(workDir, {"show", id, "--json"});
    return nlohmann::json::parse(o.out.toStdString(), nullptr, false);
}

std::string stateOf(const nlohmann::json &run, const std::string &task)
{
    for (const auto &t : run["tasks"])
        if (t["id"] == task)
            return t["state"];
    return "missing";
}

} // namespace

class TestEngineCli final : public QObject {
    Q_OBJECT

private slots:
    void killNineThenResume()
    {
        EngineFixture fx;
        const QString dir = fx.path("");
        const QString trace = fx.path("trace"), block = fx.path("block");
        QProcess engine;
        engine.setWorkingDirectory(dir);
        engine.start(binPath("pipewright"), {"run", engineData("chain.pipewright.yaml"), "--param",
                                             "trace=" + trace, "--param", "block=" + block});
        QVERIFY(engine.waitForStarted());
        QVERIFY2(waitFor([&] { return QFile::exists(block); }), "task b never started");
        engine.kill(); // SIGKILL: no chance to clean up
        QVERIFY(engine.waitForFinished());

        const nlohmann::json runs = runsJson(dir);
        QCOMPARE(runs.size(), std::size_t(1));
        QCOMPARE(runs[0]["state"].get<std::string>(), std::string("interrupted"));
        const QString id = QString::fromStdString(runs[0]["id"].get<std::string>());
        const Outcome list = pipewright(dir, {"runs"});
        QVERIFY2(list.out.contains("interrupted"), qPrintable(list.out));

        const Outcome resumed = pipewright(dir, {"resume", id.left(8)});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.out + resumed.err));
        QVERIFY(resumed.out.contains("succeeded c"));
        QVERIFY2(!resumed.out.contains("running   a"), qPrintable(resumed.out)); // a was done: kept
        QCOMPARE(readText(trace), QString("a\nb\nb\nc\n"));
        const nlohmann::json run = showJson(dir, id);
        QCOMPARE(run["state"].get<std::string>(), std::string("succeeded"));
        QCOMPARE(stateOf(run, "a"), std::string("succeeded"));
        QCOMPARE(stateOf(run, "c"), std::string("succeeded"));
    }

    void cancelFromAnotherProcess()
    {
        EngineFixture fx;
        const QString dir = fx.path("");
        const QString block = fx.path("block");
        QProcess engine;
        engine.setWorkingDirectory(dir);
        engine.start(binPath("pipewright"), {"run", engineData("chain.pipewright.yaml"), "--param",
                                             "trace=" + fx.path("trace"), "--param", "block=" + block});
        QVERIFY(engine.waitForStarted());
        QVERIFY2(waitFor([&] { return QFile::exists(block); }), "task b never started");
        const nlohmann::json runs = runsJson(dir);
        QCOMPARE(runs.size(), std::size_t(1));
        const QString id = QString::fromStdString(runs[0]["id"].get<std::string>());
        const Outcome cancel = pipewright(dir, {"cancel", id});
        QVERIFY2(cancel.code == 0, qPrintable(cancel.out + cancel.err));
        QVERIFY(cancel.out.contains("cancelled"));
        // b blocks until it is killed: the engine ends only because of the cancel (a minute: a hang guard).
        QVERIFY2(engine.waitForFinished(60000), "cancel did not stop the run");
        QCOMPARE(engine.exitCode(), 1);
        const nlohmann::json run = showJson(dir, id);
        QCOMPARE(run["state"].get<std::string>(), std::string("cancelled"));
        QCOMPARE(stateOf(run, "b"), std::string("cancelled"));
        QCOMPARE(stateOf(run, "c"), std::string("cancelled"));
        QCOMPARE(stateOf(run, "a"), std::string("succeeded"));
    }

    void twoRunsAtOnce()
    {
        EngineFixture fx;
        const QString dir = fx.path("");
        QProcess first, second;
        for (QProcess *p : {&first, &second}) {
            p->setWorkingDirectory(dir);
            p->start(binPath("pipewright"), {"run", engineData("loop.pipewright.yaml"), "--no-cache",
                                             "--param", "numbers=[1,2,3,4,5,6]"});
        }
        for (QProcess *p : {&first, &second}) {
            QVERIFY(p->waitForFinished(60000));
            QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
        }
        const nlohmann::json runs = runsJson(dir);
        QCOMPARE(runs.size(), std::size_t(2));
        for (const auto &r : runs) {
            const nlohmann::json run = showJson(dir, QString::fromStdString(r["id"].get<std::string>()));
            QCOMPARE(run["state"].get<std::string>(), std::string("succeeded"));
            QCOMPARE(run["tasks"].size(), std::size_t(1 + 6 * 2 + 1)); // loop, iterations and squares, sum
            for (const auto &t : run["tasks"])
                QCOMPARE(t["state"].get<std::string>(), std::string("succeeded"));
        }
    }

    void logsShowAndExitCodes()
    {
        EngineFixture fx;
        const QString dir = fx.path("");
        const Outcome ok = pipewright(
            dir, {"run", engineData("chain.pipewright.yaml"), "--param", "trace=" + fx.path("trace")});
        QCOMPARE(ok.code, 0);
        QVERIFY(ok.out.contains("running   b"));
        const QString id = QString::fromStdString(runsJson(dir)[0]["id"].get<std::string>());
        const Outcome logs = pipewright(dir, {"logs", id, "b"});
        QCOMPARE(logs.code, 0);
        QVERIFY2(QRegularExpression(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z out step b\n$)")
                     .match(logs.out)
                     .hasMatch(),
                 qPrintable(logs.out));
        const Outcome all = pipewright(dir, {"logs", id, "--follow"});
        QVERIFY(all.out.contains("[a] ") && all.out.contains("[c] "));
        const Outcome show = pipewright(dir, {"show", id});
        QVERIFY2(show.out.contains("succeeded") && show.out.contains("out = c"), qPrintable(show.out));
        const Outcome html = pipewright(dir, {"show", id, "--html", fx.path("report.html")});
        QCOMPARE(html.code, 0);
        QVERIFY(readText(fx.path("report.html")).startsWith("<!DOCTYPE html>"));
        // rerun: a new run of the same pipeline with the same parameters.
        const Outcome again = pipewright(dir, {"rerun", id.left(8), "--wait"});
        QVERIFY2(again.code == 0, qPrintable(again.out + again.err));
        const QString second = QRegularExpression("^run (\\S+)$", QRegularExpression::MultilineOption)
                                   .match(again.out)
                                   .captured(1);
        QVERIFY2(!second.isEmpty() && second != id, qPrintable(again.out));
        QVERIFY(again.out.contains("succeeded c"));
        const nlohmann::json first = showJson(dir, id)["parameters"];
        QVERIFY2(first.contains("trace") && showJson(dir, second)["parameters"] == first,
                 first.dump().c_str());

        const Outcome failed = pipewright(dir, {"run", engineData("exithandler.pipewright.yaml")});
        QCOMPARE(failed.code, 1);
        QVERIFY(failed.out.contains("succeeded report"));
        QCOMPARE(pipewright(dir, {"show", "no-such-run"}).code, 1);
        QCOMPARE(pipewright(dir, {"run", engineData("chain.pipewright.yaml"), "--parallelism", "0"}).code, 2);
    }

    // A document's own relative paths resolve next to it, whatever the
    // current folder; a typed value naming something in the current folder
    // resolves there. A failed task's last log lines are shown.
    void relativePathsAndTheFailedTasksTail()
    {
        EngineFixture fx;
        QDir root(fx.path(""));
        QVERIFY(root.mkpath("project/data") && root.mkpath("elsewhere/results"));
        QFile input(fx.path("project/data/in.txt"));
        QVERIFY(input.open(QIODevice::WriteOnly));
        input.write("from the project\n");
        input.close();
        QFile doc(fx.path("project/copy.pipewright.yaml"));
        QVERIFY(doc.open(QIODevice::WriteOnly));
        doc.write(R"(pipewright: 1
name: copy
inputs:
  source: {type: String, default: data/in.txt}
  target: {type: String}
components:
  copy:
    embedded:
      name: Copy
      inputs:
      - {name: source, type: String}
      - {name: target, type: String}
      implementation:
        container:
          image: alpine
          command: [sh, -c, 'echo copying "$0"; cat "$0" > "$1"', {inputValue: source}, {inputValue: target}]
tasks:
  copy:
    component: copy
    arguments: {source: {param: source}, target: {param: target}}
    caching: false
)");
        doc.close();
        const QString cwd = fx.path("elsewhere");
        const Outcome ok =
            pipewright(cwd, {"run", "../project/copy.pipewright.yaml", "--param", "target=results/copy.txt"});
        QVERIFY2(ok.code == 0, qPrintable(ok.out + ok.err));
        QCOMPARE(readText(fx.path("elsewhere/results/copy.txt")), QString("from the project\n"));

        const Outcome failed = pipewright(cwd, {"run", "../project/copy.pipewright.yaml", "--param",
                                                "target=results/copy.txt", "--param", "source=missing.txt"});
        QCOMPARE(failed.code, 1);
        QVERIFY2(failed.out.contains("last lines of copy:\n  | copying missing.txt\n"),
                 qPrintable(failed.out));
        QVERIFY2(failed.out.contains("missing.txt: No such file or directory"), qPrintable(failed.out));
    }
};

QTEST_GUILESS_MAIN(TestEngineCli)
#include "tst_enginecli.moc"
