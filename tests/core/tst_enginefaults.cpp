// SPDX-License-Identifier: Apache-2.0
// Faults a task, a file or a crash can cause, through real `pipewright`
// processes: bad output (types, bytes, sizes), processes a task leaves
// behind, a killed engine, two resumes at once, a damaged run store, and the
// environment a task sees. None of them may take the engine down or lose data.
#include "cliprocess.h"
#include "enginesandbox.h"
#include "testdata.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <signal.h>

using namespace pw::test;

namespace {

const nlohmann::json &task(const nlohmann::json &run, const std::string &id)
{
    static const nlohmann::json none = nlohmann::json::object();
    for (const auto &t : run["tasks"])
        if (t["id"] == id)
            return t;
    return none;
}

std::string messageOf(const nlohmann::json &run, const std::string &id)
{
    return task(run, id).value("message", "");
}

// Gone, or a zombie that nobody has reaped yet (it runs no more).
bool processEnded(long pid)
{
    QFile stat(QString("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const QByteArray text = stat.readAll();
    const int close = text.lastIndexOf(')');
    return close > 0 && text.size() > close + 2 && text[close + 2] == 'Z';
}

long readPid(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toLong() : 0;
}

// The file appears when the task got that far; the limit only keeps a broken
// engine from hanging the suite.
bool waitFor(const std::function<bool()> &ready)
{
    for (int i = 0; i < 6000 && !ready(); ++i)
        QTest::qWait(20);
    return ready();
}

bool waitForFile(const QString &path)
{
    return waitFor([&] { return QFileInfo(path).size() > 0; });
}

QString pyPath(const QString &p)
{
    return "'" + p + "'";
}

// A task script: starts `sleep` in a session of its own, writes its pid, sleeps.
QString sessionLeaderThenSleep(const QString &pidfile)
{
    return "import subprocess, time\np = subprocess.Popen(['sleep', '300'], start_new_session=True)\nopen(" +
           pyPath(pidfile) + ", 'w').write(str(p.pid))\ntime.sleep(300)\n";
}

} // namespace

class TestEngineFaults final : public QObject {
    Q_OBJECT

private slots:
    // --- output a task writes -------------------------------------------------

    void outputParameterThatIsNotUtf8FailsTheTask()
    {
        EngineSandbox box;
        const CliOutcome o = box.hostile(R"(open(value, "wb").write(b"ab\xff\xfe"))");
        QCOMPARE(o.code, 1); // the run failed; the engine did not crash (-1)
        const auto run = box.lastRun();
        QCOMPARE(task(run, "emit")["state"].get<std::string>(), std::string("failed"));
        QVERIFY2(messageOf(run, "emit")
                         .find("output parameter 'value' is not UTF-8 text (byte 0xFF at offset 2)") !=
                     std::string::npos,
                 messageOf(run, "emit").c_str());
        QCOMPARE(task(run, "show")["state"].get<std::string>(), std::string("skipped"));
    }

    void outputParameterWithNulFailsTheTask()
    {
        EngineSandbox box;
        const CliOutcome o = box.hostile(R"(open(value, "wb").write(b"ab\x00cd"))");
        QCOMPARE(o.code, 1);
        const auto run = box.lastRun();
        QVERIFY2(messageOf(run, "emit").find("contains a NUL byte at offset 2") != std::string::npos,
                 messageOf(run, "emit").c_str());
    }

    void outputParameterOverTheLimitFailsTheTask()
    {
        EngineSandbox box;
        const CliOutcome o = box.hostile(R"(open(value, "w").write("x" * (2 * 1024 * 1024)))");
        QCOMPARE(o.code, 1);
        const auto run = box.lastRun();
        QVERIFY2(messageOf(run, "emit").find("is 2.0 MiB; parameters are limited to 1.0 MiB") !=
                     std::string::npos,
                 messageOf(run, "emit").c_str());
    }

    void argumentOverTheLinuxLimitFailsWithTheReason()
    {
        // 200 KB is a valid parameter, but too long for one argument of show's command.
        EngineSandbox box;
        const CliOutcome o = box.hostile(R"(open(value, "w").write("x" * 200000))");
        QCOMPARE(o.code, 1);
        const auto run = box.lastRun();
        QCOMPARE(task(run, "emit")["state"].get<std::string>(), std::string("succeeded"));
        QVERIFY2(messageOf(run, "show").find("Linux passes at most 128 KiB in one argument") !=
                     std::string::npos,
                 messageOf(run, "show").c_str());
    }

    void uiMetadataOfWrongTypesIsSkipped_data()
    {
        QTest::addColumn<QString>("json");
        QTest::newRow("type is a number") << R"({"outputs": [{"type": 5, "source": "x"}]})";
        QTest::newRow("outputs is a string") << R"({"outputs": "abc"})";
        QTest::newRow("schema is an object")
            << R"({"outputs": [{"type": "confusion_matrix", "schema": {"a": 1}, "storage": "inline", "source": "a,b,1"}]})";
        QTest::newRow("labels of any type")
            << R"({"outputs": [{"type": "confusion_matrix", "labels": [1, null, {"x": 2}], "storage": "inline", "source": "1,1,3"}]})";
        QTest::newRow("header is a number")
            << R"({"outputs": [{"type": "table", "header": 5, "storage": "inline", "source": "a,b"}]})";
        QTest::newRow("a list, not an object") << R"([1, 2, 3])";
    }

    void uiMetadataOfWrongTypesIsSkipped()
    {
        QFETCH(QString, json);
        EngineSandbox box;
        const QString script =
            "open(ui, 'w').write(" + pyPath(json) +
            "); open(metrics, 'w').write('{\"metrics\": [{\"name\": 7, \"numberValue\": 1}]}')";
        const CliOutcome o = box.hostile(script);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        QCOMPARE(box.lastRun()["state"].get<std::string>(), std::string("succeeded"));
    }

    void confusionMatrixTooLargeIsNotDrawnAndSaysWhy()
    {
        EngineSandbox box;
        // 3,000 labels, as the fuzzing found: drawing them took 18 GB before.
        const QString script =
            "import json\n"
            "rows = '\\n'.join('l%d,l%d,1' % (i, (i * 7) % 3000) for i in range(3000))\n"
            "open(data, 'w').write(rows)\n"
            "json.dump({'outputs': [{'type': 'confusion_matrix', 'source': data, 'schema': "
            "[{'name': 'target'}, {'name': 'predicted'}, {'name': 'count'}]}]}, open(ui, 'w'))\n";
        const CliOutcome o = box.hostile(script);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const CliOutcome html = box.run(
            {"show", box.lastRun()["id"].get<std::string>().c_str(), "--html", box.path("report.html")});
        QVERIFY2(html.code == 0, qPrintable(html.all()));
        QFile report(box.path("report.html"));
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(report.readAll());
        QVERIFY2(text.contains("the confusion matrix has 3000 labels; at most 100 are drawn"),
                 qPrintable(text.left(2000)));
    }

    void visualizationSourceThatIsNotUtf8IsNotDrawn()
    {
        EngineSandbox box;
        const QString script =
            "import json\n"
            "open(data, 'wb').write(b'a,b\\n\\xff\\xfe,1\\n')\n"
            "json.dump({'outputs': [{'type': 'table', 'source': data, 'header': ['a', 'b']}]}, "
            "open(ui, 'w'))\n";
        const CliOutcome o = box.hostile(script);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const auto run = box.lastRun();
        bool found = false;
        for (const auto &a : run["artifacts"])
            if (a.value("visualization", "") == "table")
                found = a["metadata"].value("notRendered", "") == "its data is not UTF-8 text";
        QVERIFY2(found, run["artifacts"].dump().c_str());
    }

    // --- symbolic links out of the run ----------------------------------------

    void linksOutOfTheRunAreNotRead_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<QString>("taskMessage"); // "" when the task succeeds and only the viz stays empty
        // SECRET is a host file outside the run (see below).
        QTest::newRow("artifact linked to a host file")
            << "import json, os\nos.symlink(SECRET, data)\n"
               "json.dump({'outputs': [{'type': 'markdown', 'source': data}]}, open(ui, 'w'))"
            << "";
        QTest::newRow("ui-metadata source naming a host file")
            << "import json\njson.dump({'outputs': [{'type': 'markdown', 'source': SECRET}]}, open(ui, 'w'))"
            << "";
        QTest::newRow("output parameter linked to a host file")
            << "import os\nos.remove(value)\nos.symlink(SECRET, value)"
            << "output parameter 'value': ";
    }

    void linksOutOfTheRunAreNotRead()
    {
        QFETCH(QString, script);
        QFETCH(QString, taskMessage);
        EngineSandbox box;
        QFile secret(box.path("host-secret.txt"));
        QVERIFY(secret.open(QIODevice::WriteOnly));
        secret.write("host-only-content-4711\n");
        secret.close();
        const CliOutcome o = box.hostile("SECRET = " + pyPath(secret.fileName()) + "\n" + script);
        const auto run = box.lastRun();
        QVERIFY2(run.dump().find("host-only-content-4711") == std::string::npos, run.dump().c_str());
        if (taskMessage.isEmpty()) {
            QVERIFY2(o.code == 0, qPrintable(o.all()));
        } else {
            QCOMPARE(o.code, 1);
            const std::string message = messageOf(run, "emit");
            QVERIFY2(message.find(taskMessage.toStdString()) != std::string::npos &&
                         message.find("through a symbolic link; refused") != std::string::npos,
                     message.c_str());
        }
    }

    void outputFolderLinkedOutOfTheRunIsNotWrittenThrough()
    {
        EngineSandbox box;
        QVERIFY(QDir().mkpath(box.path("outside")));
        // emit turns show's task folder into a link to a folder outside the run.
        const QString script = "import os\ntasks = os.path.dirname(os.path.dirname(os.path.dirname(value)))\n"
                               "os.symlink(" +
                               pyPath(box.path("outside")) + ", os.path.join(tasks, 'show'))";
        const CliOutcome o = box.hostile(script);
        QCOMPARE(o.code, 1);
        const std::string message = messageOf(box.lastRun(), "show");
        QVERIFY2(message.find("leads outside") != std::string::npos &&
                     message.find("through a symbolic link; refused") != std::string::npos,
                 message.c_str());
        QCOMPARE(QDir(box.path("outside")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries), QStringList());
    }

    // --- text that comes in ---------------------------------------------------

    void documentThatIsNotUtf8IsALocatedError()
    {
        EngineSandbox box;
        QFile f(box.path("latin1.pipewright.yaml"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("pipewright: 1\nname: \"caf\xe9\"\n");
        f.close();
        for (const char *target : {"vertex", "argo", "pipelinespec"}) {
            const CliOutcome o = box.run({"compile", f.fileName(), "--target", target});
            QCOMPARE(o.code, 1);
            QVERIFY2(
                o.err.contains("latin1.pipewright.yaml:2:11: error: the file is not UTF-8 text: byte 0xE9"),
                qPrintable(o.err));
        }
    }

    void parameterThatIsNotUtf8IsRefused()
    {
        // Through a shell: QProcess would encode the argument as UTF-8.
        EngineSandbox box;
        QProcess sh;
        sh.setProcessEnvironment(box.env());
        sh.start("/bin/sh",
                 {"-c",
                  QStringLiteral("\"$0\" compile \"$1\" --target pipelinespec --param "
                                 "\"$(printf 'script=caf\\351')\""),
                  QStringLiteral(PW_BIN_DIR "/pipewright"), testDataPath("engine/hostile.pipewright.yaml")});
        QVERIFY(sh.waitForFinished(60000));
        const CliOutcome o{sh.exitCode(), sh.readAllStandardOutput(), sh.readAllStandardError()};
        QVERIFY2(o.code == 1 || o.code == 2, qPrintable(o.all()));
        QVERIFY2(o.err.contains("--param script is not UTF-8 text"), qPrintable(o.err));
    }

    // --- processes a task starts ----------------------------------------------

    void processesATaskLeavesBehindEndWithIt_data()
    {
        QTest::addColumn<QString>("start");
        QTest::newRow("in the background") << "subprocess.Popen(['sleep', '300'])";
        QTest::newRow("in a new session") << "subprocess.Popen(['sleep', '300'], start_new_session=True)";
        QTest::newRow("below a process in a new session")
            << "subprocess.Popen(['sh', '-c', 'sleep 300 & echo $! > ' + pidfile + '.inner; wait'], "
               "start_new_session=True)";
    }

    void processesATaskLeavesBehindEndWithIt()
    {
        QFETCH(QString, start);
        EngineSandbox box;
        const QString pidfile = box.path("stray.pid");
        // The task ends once the process it started has written its pid.
        const QString script = "import os, subprocess, time\npidfile = " + pyPath(pidfile) +
                               "\np = " + start + "\nopen(pidfile, 'w').write(str(p.pid))\n" +
                               QString(start.contains(".inner")
                                           ? "inner = pidfile + '.inner'\n"
                                             "while not (os.path.exists(inner) and os.path.getsize(inner)):\n"
                                             "    time.sleep(0.01)\n"
                                           : "");
        const CliOutcome o = box.hostile(script);
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const long pid = readPid(pidfile);
        QVERIFY(pid > 0);
        QVERIFY2(processEnded(pid), "a process the task started outlived it");
        if (start.contains(".inner")) {
            const long inner = readPid(pidfile + ".inner");
            QVERIFY(inner > 0);
            QVERIFY2(processEnded(inner), "a process below the task's session outlived it");
        }
    }

    void newSessionProcessEndsWhenTheTaskTimesOut()
    {
        EngineSandbox box;
        const QString pidfile = box.path("stray.pid");
        const QString script = sessionLeaderThenSleep(pidfile);
        const CliOutcome o = box.hostile(script, "hostile-timeout.pipewright.yaml");
        QCOMPARE(o.code, 1);
        QVERIFY2(messageOf(box.lastRun(), "emit").find("timed out") != std::string::npos,
                 qPrintable(o.all()));
        const long pid = readPid(pidfile);
        QVERIFY(pid > 0);
        QVERIFY2(processEnded(pid), "a process in its own session survived the timeout");
    }

    void killedEngineLeavesNoTaskProcessOnTheNextStart()
    {
        EngineSandbox box;
        const QString pidfile = box.path("stray.pid");
        const QString script = sessionLeaderThenSleep(pidfile);
        std::unique_ptr<QProcess> engine(box.start(
            {"run", testDataPath("engine/hostile.pipewright.yaml"), "--param", "script=" + script}));
        QVERIFY(engine->waitForStarted());
        QVERIFY2(waitForFile(pidfile), "the task never started its process");
        ::kill(static_cast<pid_t>(engine->processId()), SIGKILL);
        QVERIFY(engine->waitForFinished());
        const long pid = readPid(pidfile);
        QVERIFY(!processEnded(pid)); // escaped the engine's death: the next start must find it
        const CliOutcome list = box.run({"runs"});
        QVERIFY2(list.out.contains("interrupted"), qPrintable(list.all()));
        QVERIFY2(processEnded(pid), "the interrupted run's process still runs");
    }

    void taskSeesOnlyWhatItDeclares()
    {
        EngineSandbox box;
        box.env().insert("AWS_SECRET_ACCESS_KEY", "do-not-leak");
        box.env().insert("WANTED", "passed");
        box.env().insert("PIPEWRIGHT_PASS_ENV", "WANTED");
        const CliOutcome o = box.hostile("import os; print('ENV', sorted(os.environ))");
        QVERIFY2(o.code == 0, qPrintable(o.all()));
        const CliOutcome logs = box.run({"logs", box.lastRun()["id"].get<std::string>().c_str(), "emit"});
        QVERIFY2(logs.out.contains("'DECLARED'") && logs.out.contains("'PATH'") &&
                     logs.out.contains("'WANTED'"),
                 qPrintable(logs.out));
        QVERIFY2(!logs.out.contains("AWS_SECRET_ACCESS_KEY"), qPrintable(logs.out));
    }

    void terminalControlsInTaskOutputAreNeutralisedOnATerminal()
    {
        EngineSandbox box;
        QCOMPARE(box.hostile(R"(print("evil \x1b[2J\x1b]0;title\x07\rdone\x9b"))").code, 0);
        const QString id = QString::fromStdString(box.lastRun()["id"].get<std::string>());
        // Piped: the bytes as the task wrote them.
        const CliOutcome piped = box.run({"logs", id, "emit"});
        QVERIFY2(piped.out.contains("evil \x1b[2J\x1b]0;title\x07\rdone\u009b"), qPrintable(piped.out));
        // On a terminal (script(1) gives the command a pseudo-terminal): shown, not obeyed.
        QProcess tty;
        tty.setProcessEnvironment(box.env());
        tty.start("script",
                  {"-qec", QStringLiteral(PW_BIN_DIR "/pipewright logs ") + id + " emit", "/dev/null"});
        QVERIFY(tty.waitForFinished(60000));
        const QString shown = QString::fromUtf8(tty.readAllStandardOutput());
        QVERIFY2(shown.contains("evil ^[[2J^[]0;title^G^Mdone<U+009B>"), qPrintable(shown));
        QVERIFY2(!shown.contains(QChar(0x1b)) && !shown.contains(QChar(0x07)), qPrintable(shown));
    }

    // --- the run store ----------------------------------------------------------

    void twoResumesAtOnceRunTheTaskOnce()
    {
        EngineSandbox box;
        const QString trace = box.path("trace"), block = box.path("block");
        std::unique_ptr<QProcess> engine(
            box.start({"run", testDataPath("engine/chain.pipewright.yaml"), "--param", "trace=" + trace,
                       "--param", "block=" + block}));
        QVERIFY(engine->waitForStarted());
        QVERIFY2(waitFor([&] { return QFile::exists(block); }), "task b never started");
        ::kill(static_cast<pid_t>(engine->processId()), SIGKILL);
        QVERIFY(engine->waitForFinished());
        const CliOutcome list = box.run({"runs", "--json"});
        const auto runs = nlohmann::json::parse(list.out.toStdString());
        QCOMPARE(runs[0]["state"].get<std::string>(), std::string("interrupted"));
        const QString id = QString::fromStdString(runs[0]["id"].get<std::string>());

        std::unique_ptr<QProcess> first = box.start({"resume", id}), second = box.start({"resume", id});
        QVERIFY(first->waitForFinished(120000) && second->waitForFinished(120000));
        const int winners = (first->exitCode() == 0) + (second->exitCode() == 0);
        QCOMPARE(winners, 1);
        QProcess *loser = first->exitCode() == 0 ? second.get() : first.get();
        const QString said = loser->readAllStandardError() + loser->readAllStandardOutput();
        QVERIFY2(said.contains("already"), qPrintable(said));
        QFile f(trace);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readAll()), QString("a\nb\nb\nc\n")); // b and c once more, not twice
    }

    void damagedStoreIsRefusedWithTheWayBack()
    {
        EngineSandbox box;
        const QString metrics =
            "import json; json.dump({'metrics': [{'name': 'a', 'numberValue': 1}, {'name': 'b', "
            "'numberValue': 2}]}, open(metrics, 'w'))";
        QCOMPARE(box.hostile(metrics).code, 0);
        // The backup is refreshed when it is an hour old: age it, so the next start copies the two runs.
        QVERIFY(QFile::exists(box.storeFile() + ".bak"));
        QFile bak(box.storeFile() + ".bak");
        QVERIFY(bak.open(QIODevice::ReadWrite));
        QVERIFY(
            bak.setFileTime(QDateTime::currentDateTime().addSecs(-7200), QFileDevice::FileModificationTime));
        bak.close();
        QCOMPARE(box.hostile("pass").code, 0);
        for (int i = 0; i < 20; ++i) // enough rows to span pages
            QCOMPARE(box.hostile("pass").code, 0);

        // Garbage over every page but the first (the header and the schema).
        QFile db(box.storeFile());
        QVERIFY(db.open(QIODevice::ReadWrite));
        const qint64 pages = db.size() / 4096;
        QVERIFY(pages > 3);
        for (qint64 p = 1; p < pages; ++p) {
            db.seek(p * 4096);
            db.write(QByteArray(4096, '\x5a'));
        }
        db.close();
        const CliOutcome show = box.run({"runs"});
        QCOMPARE(show.code, 1);
        QVERIFY2(show.err.contains("The run store is damaged") && show.err.contains("runs.db.bak"),
                 qPrintable(show.err));
        // Nothing writes over it afterwards: a new run is refused too.
        const QByteArray damaged = [&] {
            QFile f(box.storeFile());
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        const CliOutcome again = box.hostile("pass");
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains("damaged"), qPrintable(again.err));
        QFile after(box.storeFile());
        QVERIFY(after.open(QIODevice::ReadOnly));
        QCOMPARE(after.readAll(), damaged);
        after.close();

        // The way back the message gives.
        QVERIFY(QFile::rename(box.storeFile(), box.storeFile() + ".damaged"));
        QVERIFY(QFile::copy(box.storeFile() + ".bak", box.storeFile()));
        const CliOutcome restored = box.run({"runs", "--json"});
        QCOMPARE(restored.code, 0);
        QCOMPARE(nlohmann::json::parse(restored.out.toStdString()).size(), std::size_t(1));
    }

    void truncatedStoreIsNotReplacedByAnEmptyOne()
    {
        EngineSandbox box;
        QCOMPARE(box.hostile("pass").code, 0);
        QFile db(box.storeFile());
        QVERIFY(db.resize(0));
        const CliOutcome list = box.run({"runs"});
        QCOMPARE(list.code, 1);
        QVERIFY2(list.err.contains("the run store is empty (0 bytes): it was truncated"),
                 qPrintable(list.err));
        QCOMPARE(QFileInfo(box.storeFile()).size(), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestEngineFaults)
#include "tst_enginefaults.moc"
