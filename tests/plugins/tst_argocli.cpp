// SPDX-License-Identifier: Apache-2.0
// The CLI with an Argo Workflows backend, as CI/CD scripts use it: real
// `pipewright` processes against the strict loopback Argo Server. backend
// add and test, submit --wait --logs, the failed task's last lines, resume
// (Argo's retry), rerun (resubmit), cancel from another process, a
// CronWorkflow in a time zone (disable, enable, unschedule), a rotated
// token; the token never shows.
#include "argotestserver.h"
#include "cliprocess.h"
#include "testdata.h"

#include <QRegularExpression>
#include <QTest>

using namespace pw;
using namespace pw::test;

namespace {

QString runId(const CliOutcome &o)
{
    return QRegularExpression("^run (\\S+)$", QRegularExpression::MultilineOption).match(o.out).captured(1);
}

} // namespace

class TestArgoCli final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.ok(), qPrintable(m_server.error()));
        m_server.setToken("argo-cli-s3cr3t");
        const CliOutcome added =
            run({"backend", "add", "lab", "--kind", "argo", "--url", m_server.url(), "--namespace",
                 "pipewright", "--token-file", m_server.tokenFile(), "--poll-ms", "50"});
        QVERIFY2(added.code == 0, qPrintable(added.all()));
    }

    void aBackendWithoutNamespaceIsRefused()
    {
        const CliOutcome bad = run({"backend", "add", "bad", "--kind", "argo", "--url", m_server.url()});
        QCOMPARE(bad.code, 1);
        QVERIFY2(bad.err.contains("--namespace"), qPrintable(bad.err));
        const CliOutcome test = run({"backend", "test", "lab"});
        QVERIFY2(test.code == 0 && test.out.contains("Argo v3.5.8"), qPrintable(test.all()));
    }

    // flaky fails its first attempt and has no retry policy: the run fails
    // and says why; resume retries it in the same workflow, to success.
    void submitFailsThenResumeSucceeds()
    {
        const CliOutcome failed = run({"submit", testDataPath("argo/contract.pipewright.yaml"), "--backend",
                                       "lab", "--param", "rounds=3", "--wait", "--logs"});
        QCOMPARE(failed.code, 1);
        const QString id = runId(failed);
        QVERIFY2(id.startsWith("argo-contract-"), qPrintable(failed.out));
        QVERIFY(failed.out.contains(m_server.url() + "/workflows/pipewright/" + id));
        QVERIFY2(failed.out.contains("[produce] done"), qPrintable(failed.out)); // --logs: the tasks' output
        QVERIFY2(failed.out.contains("failing on purpose"), qPrintable(failed.out));
        QVERIFY(failed.out.contains("run " + id + " failed"));

        const CliOutcome resumed = run({"resume", id, "--backend", "lab"});
        QVERIFY2(resumed.code == 0, qPrintable(resumed.all()));
        QVERIFY2(resumed.out.contains("succeeded flaky"), qPrintable(resumed.out));
        const CliOutcome logs = run({"logs", id, "flaky", "--backend", "lab"});
        QVERIFY2(logs.code == 0 && logs.out.contains("[flaky]"), qPrintable(logs.all()));
        const CliOutcome show = run({"show", id, "--backend", "lab", "--json"});
        const auto shown = nlohmann::json::parse(show.out.toStdString(), nullptr, false);
        QCOMPARE(shown.value("state", std::string()), std::string("succeeded"));
        m_runId = id;
    }

    void rerunIsArgosResubmit()
    {
        QVERIFY(!m_runId.isEmpty());
        const CliOutcome again = run({"rerun", m_runId, "--backend", "lab", "--wait"});
        // A new workflow from the same spec: flaky fails its first attempt again.
        QCOMPARE(again.code, 1);
        const QString id = runId(again);
        QVERIFY2(!id.isEmpty() && id != m_runId, qPrintable(again.out));
        const CliOutcome runs = run({"runs", "--backend", "lab", "--json"});
        QVERIFY(runs.out.contains(id) && runs.out.contains(m_runId));
    }

    void cancelFromAnotherProcess()
    {
        const CliOutcome submitted =
            run({"submit", testDataPath("argo/contract.pipewright.yaml"), "--backend", "lab"});
        QVERIFY2(submitted.code == 0, qPrintable(submitted.all()));
        const QString id = runId(submitted);
        const CliOutcome cancelled = run({"cancel", id, "--backend", "lab"});
        QVERIFY2(cancelled.code == 0, qPrintable(cancelled.all()));
        QVERIFY2(cancelled.out.contains("run " + id + " cancelled"), qPrintable(cancelled.out));
    }

    void scheduleInATimeZone()
    {
        const CliOutcome made = run({"schedule", testDataPath("argo/quick.pipewright.yaml"), "--backend",
                                     "lab", "--cron", "0 6 * * 1-5", "--time-zone", "Asia/Tokyo", "--name",
                                     "Weekday mornings", "--max-concurrency", "2"});
        QVERIFY2(made.code == 0, qPrintable(made.all()));
        QVERIFY2(made.out.contains("cron 0 6 * * 1-5 Asia/Tokyo"),
                 qPrintable(made.out)); // Argo keeps the zone
        const QString id = QRegularExpression("^schedule (\\S+) ", QRegularExpression::MultilineOption)
                               .match(made.out)
                               .captured(1);
        QCOMPARE(id, QString("weekday-mornings")); // a DNS label; the name as typed is kept too
        const auto listed = [this] {
            return nlohmann::json::parse(run({"schedules", "--backend", "lab", "--json"}).out.toStdString(),
                                         nullptr, false);
        };
        auto list = listed();
        QVERIFY2(list.is_array() && list.size() == 1, list.dump().c_str());
        QCOMPARE(list[0]["name"].get<std::string>(), std::string("Weekday mornings"));
        QCOMPARE(list[0]["timeZone"].get<std::string>(), std::string("Asia/Tokyo"));
        QCOMPARE(list[0]["maxConcurrency"].get<int>(), 2);
        QCOMPARE(run({"schedules", "disable", id, "--backend", "lab"}).code, 0);
        QCOMPARE(listed()[0]["enabled"].get<bool>(), false);
        QCOMPARE(run({"schedules", "enable", id, "--backend", "lab"}).code, 0);
        QCOMPARE(listed()[0]["enabled"].get<bool>(), true);
        QCOMPARE(run({"unschedule", id, "--backend", "lab"}).code, 0);
        QCOMPARE(listed().size(), std::size_t(0));
    }

    // The token file is rewritten after the server stopped taking the old
    // token: each process reads it when asked, and a 401 reads it again.
    void aRotatedTokenIsReadAgain()
    {
        m_server.control("POST", "/_test/expire-token");
        m_server.setToken("argo-cli-s3cr3t-2");
        const CliOutcome runs = run({"runs", "--backend", "lab"});
        QVERIFY2(runs.code == 0, qPrintable(runs.all()));
    }

    void cleanupTestCase()
    {
        const QString shown = m_cli.whereShown("argo-cli-s3cr3t");
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
    }

private:
    CliOutcome run(const QStringList &args) { return m_cli.run(args); }

    CliSandbox m_cli;
    ArgoTestServer m_server;
    QString m_runId;
};

QTEST_GUILESS_MAIN(TestArgoCli)
#include "tst_argocli.moc"
