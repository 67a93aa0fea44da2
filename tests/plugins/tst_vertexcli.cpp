// SPDX-License-Identifier: Apache-2.0
// The CLI with a Vertex AI backend, as CI/CD scripts use it: real `pipewright`
// processes against the strict loopback Vertex server. backend add (project,
// location, output folder) and test, submit --wait --logs, runs, logs,
// schedule in a time zone, schedules, unschedule; the token never shows.
#include "cliprocess.h"
#include "testdata.h"
#include "vertextestserver.h"

#include <QRegularExpression>
#include <QTest>

using namespace pw;
using namespace pw::test;

class TestVertexCli final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.ok(), qPrintable(m_server.error()));
        m_server.setTokens({"ya29.cli-s3cr3t-token"});
        const CliOutcome added = run({"backend",
                                      "add",
                                      "gcp",
                                      "--kind",
                                      "vertex",
                                      "--url",
                                      m_server.url(),
                                      "--project",
                                      "pipewright-test",
                                      "--location",
                                      "us-central1",
                                      "--output-dir",
                                      "gs://pipewright-bucket/cli",
                                      "--token-file",
                                      m_server.tokenFile(),
                                      "--set",
                                      "loggingUrl=" + m_server.url(),
                                      "--set",
                                      "storageUrl=" + m_server.url(),
                                      "--poll-ms",
                                      "50"});
        QVERIFY2(added.code == 0, qPrintable(added.all()));
    }

    void aMisconfiguredBackendIsRefusedWithTheReason()
    {
        const CliOutcome noProject =
            run({"backend", "add", "bad", "--kind", "vertex", "--location", "us-central1"});
        QCOMPARE(noProject.code, 1);
        QVERIFY2(noProject.err.contains("project"), qPrintable(noProject.err));
        const CliOutcome badDir =
            run({"backend", "add", "bad", "--kind", "vertex", "--project", "pipewright-test", "--location",
                 "us-central1", "--output-dir", "/tmp/out"});
        QCOMPARE(badDir.code, 1);
        QVERIFY2(badDir.err.contains("gs://"), qPrintable(badDir.err));
    }

    void testSaysWhatItReached()
    {
        const CliOutcome test = run({"backend", "test", "gcp"});
        QVERIFY2(test.code == 0, qPrintable(test.all()));
        QVERIFY2(test.out.contains("Vertex AI Pipelines") && test.out.contains("pipewright-test"),
                 qPrintable(test.out));
    }

    void submitWaitsAndShowsWhatFailed()
    {
        const CliOutcome ok = run({"submit", testDataPath("vertex/contract.pipewright.yaml"), "--backend",
                                   "gcp", "--param", "rounds=4", "--wait"});
        QVERIFY2(ok.code == 0, qPrintable(ok.all()));
        QVERIFY2(ok.out.contains("console.cloud.google.com/vertex-ai/locations/us-central1/pipelines/runs/"),
                 qPrintable(ok.out));
        QVERIFY2(ok.out.contains("succeeded produce"), qPrintable(ok.out));
        const auto id = QRegularExpression("^run (\\S+)$", QRegularExpression::MultilineOption).match(ok.out);
        QVERIFY2(id.hasMatch(), qPrintable(ok.out));

        const CliOutcome failed =
            run({"submit", testDataPath("vertex/failing.pipewright.yaml"), "--backend", "gcp", "--wait"});
        QCOMPARE(failed.code, 1);
        QVERIFY2(failed.all().contains("failing on purpose"),
                 qPrintable(failed.all())); // the task's last log lines

        const CliOutcome runs = run({"runs", "--backend", "gcp", "--json"});
        QVERIFY2(runs.code == 0, qPrintable(runs.all()));
        const auto list = nlohmann::json::parse(runs.out.toStdString(), nullptr, false);
        QVERIFY(list.is_array() && list.size() >= 2);
        const CliOutcome logs = run({"logs", id.captured(1), "produce", "--backend", "gcp"});
        QVERIFY2(logs.code == 0, qPrintable(logs.all()));
        QVERIFY2(logs.out.contains("[produce]"), qPrintable(logs.out));
        const CliOutcome bad = run({"submit", testDataPath("vertex/contract.pipewright.yaml"), "--backend",
                                    "gcp", "--param", "rounds=many"});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("rounds"), qPrintable(bad.err));
    }

    void schedulesInTheirTimeZone()
    {
        const CliOutcome made =
            run({"schedule", testDataPath("vertex/contract.pipewright.yaml"), "--backend", "gcp", "--cron",
                 "0 6 * * *", "--time-zone", "Europe/Berlin", "--name", "morning"});
        QVERIFY2(made.code == 0, qPrintable(made.all()));
        const CliOutcome list = run({"schedules", "--backend", "gcp", "--json"});
        QVERIFY2(list.code == 0, qPrintable(list.all()));
        const auto schedules = nlohmann::json::parse(list.out.toStdString(), nullptr, false);
        QVERIFY2(schedules.is_array() && schedules.size() == 1, qPrintable(list.out));
        QCOMPARE(schedules[0]["timeZone"].get<std::string>(), std::string("Europe/Berlin"));
        QCOMPARE(schedules[0]["cron"].get<std::string>(), std::string("0 6 * * *"));
        const QString id = QString::fromStdString(schedules[0]["id"].get<std::string>());
        const CliOutcome removed = run({"unschedule", id, "--backend", "gcp"});
        QVERIFY2(removed.code == 0, qPrintable(removed.all()));
        const CliOutcome empty = run({"schedules", "--backend", "gcp", "--json"});
        QCOMPARE(nlohmann::json::parse(empty.out.toStdString(), nullptr, false).size(), std::size_t(0));
    }

    void cleanupTestCase()
    {
        const QString shown = m_cli.whereShown("cli-s3cr3t-token");
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
    }

private:
    CliOutcome run(const QStringList &args) { return m_cli.run(args); }

    CliSandbox m_cli;
    VertexTestServer m_server;
};

QTEST_GUILESS_MAIN(TestVertexCli)
#include "tst_vertexcli.moc"
