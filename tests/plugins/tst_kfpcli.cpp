// SPDX-License-Identifier: Apache-2.0
// The CLI with a KFP backend, as CI/CD scripts use it: real `pipewright`
// processes against the strict loopback KFP server. backend add/list/test,
// submit --wait, runs, show, logs, cancel, schedule with a time zone,
// schedules, unschedule, archive, experiments, pipelines; the token never
// shows.
#include "cliprocess.h"
#include "kfptestserver.h"
#include "testdata.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTest>

#include <set>

using namespace pw;
using namespace pw::test;

using Outcome = CliOutcome;

class TestKfpCli final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.ok(), qPrintable(m_server.error()));
        m_server.setToken("cli-s3cr3t-token");
        const Outcome added = run({"backend", "add", "prod", "--kind", "kfp", "--url", m_server.url(),
                                   "--token-file", m_server.tokenFile(), "--poll-ms", "50"});
        QVERIFY2(added.code == 0, qPrintable(added.all()));
        QVERIFY(added.out.contains("added backend prod"));
    }

    void listAndTestNeverShowTheToken()
    {
        const Outcome list = run({"backend", "list", "--json"});
        QCOMPARE(list.code, 0);
        const auto json = nlohmann::json::parse(list.out.toStdString(), nullptr, false);
        QVERIFY(json.is_array());
        bool prod = false;
        for (const auto &b : json)
            if (b["name"] == "prod") {
                prod = true;
                QCOMPARE(b["credential"].get<std::string>(), "file:" + m_server.tokenFile().toStdString());
                QVERIFY(b["available"].get<bool>());
                const auto caps = b["capabilities"];
                QVERIFY2(std::find(caps.begin(), caps.end(), "archive") != caps.end() &&
                             std::find(caps.begin(), caps.end(), "schedules") != caps.end(),
                         caps.dump().c_str());
            }
        QVERIFY(prod);
        const Outcome test = run({"backend", "test", "prod"});
        QVERIFY2(test.code == 0, qPrintable(test.all()));
        QVERIFY2(test.out.contains("prod: kfp, KFP 2.17.0, API v2beta1"), qPrintable(test.out));
        const Outcome unknown =
            run({"submit", testDataPath("engine/chain.pipewright.yaml"), "--backend", "nope"});
        QCOMPARE(unknown.code, 1);
        QVERIFY(unknown.err.contains("no backend named 'nope'"));
        const Outcome missing = run({"submit", testDataPath("engine/chain.pipewright.yaml")});
        QCOMPARE(missing.code, 2); // usage: submit needs --backend
    }

    void submitWaitsAndFollows()
    {
        const Outcome submitted =
            run({"submit", testDataPath("engine/chain.pipewright.yaml"), "--backend", "prod", "--experiment",
                 "ci", "--name", "nightly", "--param", "trace=unused", "--wait"});
        QVERIFY2(submitted.code == 0, qPrintable(submitted.all()));
        const auto id =
            QRegularExpression("^run (\\S+)$", QRegularExpression::MultilineOption).match(submitted.out);
        QVERIFY2(id.hasMatch(), qPrintable(submitted.out));
        m_runId = id.captured(1);
        QVERIFY(submitted.out.contains(m_server.url() + "/#/runs/details/" + m_runId));
        QVERIFY(submitted.out.contains("running   b"));
        QVERIFY(submitted.out.contains("succeeded c"));
        QVERIFY(submitted.out.contains("run " + m_runId + " succeeded"));

        const Outcome runs = run({"runs", "--backend", "prod", "--experiment", "ci", "--json"});
        QVERIFY2(runs.code == 0, qPrintable(runs.all()));
        QVERIFY(runs.out.contains(m_runId));
        // Runs carry the experiment's id; it is shown by its name.
        for (const auto &r : nlohmann::json::parse(runs.out.toStdString(), nullptr, false))
            QCOMPARE(r.value("experiment", std::string()), std::string("ci"));
        const Outcome show = run({"show", m_runId, "--backend", "prod"});
        QVERIFY2(show.code == 0, qPrintable(show.all()));
        QVERIFY(show.out.contains("nightly") && show.out.contains("succeeded"));
        const Outcome logs = run({"logs", m_runId, "b", "--backend", "prod"});
        QVERIFY2(logs.code == 0 && logs.out.contains("[b]"), qPrintable(logs.all()));
    }

    // The same against the KFP 1.x API: the Argo workflow `compile --target
    // argo` writes, watched through its workflow manifest.
    void submitWaitsAndFollowsOnV1()
    {
        const Outcome added = run({"backend", "add", "prod1", "--kind", "kfp", "--url", m_server.url(),
                                   "--api", "v1", "--token-file", m_server.tokenFile(), "--poll-ms", "50"});
        QVERIFY2(added.code == 0, qPrintable(added.all()));
        const Outcome test = run({"backend", "test", "prod1"});
        QVERIFY2(test.code == 0 && test.out.contains("API v1beta1"), qPrintable(test.all()));
        const Outcome submitted =
            run({"submit", testDataPath("engine/chain.pipewright.yaml"), "--backend", "prod1", "--experiment",
                 "ci-v1", "--param", "trace=unused", "--wait", "--logs"});
        QVERIFY2(submitted.code == 0, qPrintable(submitted.all()));
        const QString id = QRegularExpression("^run (\\S+)$", QRegularExpression::MultilineOption)
                               .match(submitted.out)
                               .captured(1);
        QVERIFY2(submitted.out.contains("succeeded c") && submitted.out.contains("[b]"),
                 qPrintable(submitted.out));
        const Outcome runs = run({"runs", "--backend", "prod1", "--experiment", "ci-v1", "--json"});
        const auto list = nlohmann::json::parse(runs.out.toStdString(), nullptr, false);
        QVERIFY2(list.is_array() && list.size() == 1 && list[0]["id"] == id.toStdString(),
                 qPrintable(runs.out));
        QCOMPARE(list[0].value("experiment", std::string()), std::string("ci-v1"));
        const Outcome logs = run({"logs", id, "b", "--backend", "prod1"});
        QVERIFY2(logs.code == 0 && logs.out.contains("[b]"), qPrintable(logs.all()));
    }

    void aFailedTaskShowsItsLastLines()
    {
        const Outcome failed =
            run({"submit", testDataPath("kfp/contract.pipewright.yaml"), "--backend", "prod", "--wait"});
        QCOMPARE(failed.code, 1);
        QVERIFY2(failed.out.contains("last lines of flaky:"), qPrintable(failed.out));
        QVERIFY(failed.out.contains("failing on purpose"));
    }

    void cancelFromAnotherProcess()
    {
        const Outcome submitted =
            run({"submit", testDataPath("kfp/contract.pipewright.yaml"), "--backend", "prod"});
        QVERIFY2(submitted.code == 0, qPrintable(submitted.all()));
        const QString id = QRegularExpression("^run (\\S+)$", QRegularExpression::MultilineOption)
                               .match(submitted.out)
                               .captured(1);
        const Outcome cancelled = run({"cancel", id, "--backend", "prod"});
        QVERIFY2(cancelled.code == 0, qPrintable(cancelled.all()));
        QVERIFY(cancelled.out.contains("cancel requested for run " + id));
        QVERIFY2(cancelled.out.contains("run " + id + " cancelled"), qPrintable(cancelled.out));
    }

    void schedulesInATimeZone()
    {
        const Outcome made = run({"schedule", testDataPath("engine/chain.pipewright.yaml"), "--backend",
                                  "prod", "--cron", "30 6 * * 1-5", "--time-zone", "Asia/Tokyo", "--name",
                                  "weekday-mornings", "--max-concurrency", "3", "--param", "trace=unused"});
        QVERIFY2(made.code != 0 || made.out.contains("schedule"), qPrintable(made.all()));
        // 1-5 is a range: it cannot be moved to UTC exactly, and the user is told so.
        QCOMPARE(made.code, 1);
        QVERIFY2(made.err.contains("day-of-week"), qPrintable(made.err));

        const Outcome ok = run({"schedule", testDataPath("engine/chain.pipewright.yaml"), "--backend", "prod",
                                "--cron", "30 6 * * MON,TUE", "--time-zone", "Asia/Tokyo", "--name",
                                "early-week", "--param", "trace=unused"});
        QVERIFY2(ok.code == 0, qPrintable(ok.all()));
        QVERIFY2(ok.out.contains("cron 0 30 21 * * 0,1 (UTC)"),
                 qPrintable(ok.out)); // Sunday and Monday in UTC
        QVERIFY(ok.out.contains("06:30 in Asia/Tokyo is 21:30 UTC the day before"));
        const QString id = QRegularExpression("^schedule (\\S+) ", QRegularExpression::MultilineOption)
                               .match(ok.out)
                               .captured(1);
        const Outcome list = run({"schedules", "--backend", "prod", "--json"});
        QVERIFY2(list.code == 0 && list.out.contains(id), qPrintable(list.all()));
        const Outcome removed = run({"unschedule", id, "--backend", "prod"});
        QVERIFY2(removed.code == 0, qPrintable(removed.all()));
        QVERIFY(!run({"schedules", "--backend", "prod", "--json"}).out.contains(id));
    }

    // Like the KFP UI: archived runs leave the run list (not the server),
    // archived experiments leave the experiment list; uploaded pipelines
    // are listed with their versions, newest first.
    void archiveExperimentsAndPipelines()
    {
        QVERIFY(!m_runId.isEmpty());
        const Outcome archived = run({"archive", m_runId, "--backend", "prod"});
        QVERIFY2(archived.code == 0, qPrintable(archived.all()));
        QCOMPARE(archived.out, "archived run " + m_runId + "\n");
        QVERIFY(!run({"runs", "--backend", "prod", "--json"}).out.contains(m_runId));
        const Outcome inArchive = run({"runs", "--backend", "prod", "--archived", "--json"});
        QVERIFY2(inArchive.code == 0 && inArchive.out.contains(m_runId), qPrintable(inArchive.all()));

        const auto experiments = [this](const QStringList &extra) {
            const Outcome o = run(QStringList{"experiments", "--backend", "prod", "--json"} + extra);
            return nlohmann::json::parse(o.out.toStdString(), nullptr, false);
        };
        const auto named = [](const nlohmann::json &list, const std::string &name) {
            for (const auto &e : list)
                if (e["name"] == name)
                    return e;
            return nlohmann::json();
        };
        QVERIFY(named(experiments({}), "ci").is_object());
        const Outcome gone = run({"experiments", "archive", "ci", "--backend", "prod"});
        QVERIFY2(gone.code == 0 && gone.out.startsWith("archived experiment "), qPrintable(gone.all()));
        QVERIFY(named(experiments({}), "ci").is_null());
        QCOMPARE(named(experiments({"--all"}), "ci").value("archived", false), true);
        const Outcome unknown = run({"experiments", "archive", "no-such", "--backend", "prod"});
        QCOMPARE(unknown.code, 1);
        QVERIFY2(unknown.err.contains("no experiment named 'no-such' on backend 'prod'"),
                 qPrintable(unknown.err));

        for (const char *version : {"first", "second"}) {
            const Outcome uploaded =
                run({"submit", testDataPath("engine/chain.pipewright.yaml"), "--backend", "prod",
                     "--pipeline", "chain-cli", "--version", version, "--param", "trace=unused"});
            QVERIFY2(uploaded.code == 0, qPrintable(uploaded.all()));
        }
        const Outcome pipelines = run({"pipelines", "--backend", "prod", "--json"});
        QVERIFY2(pipelines.code == 0, qPrintable(pipelines.all()));
        const auto chain =
            named(nlohmann::json::parse(pipelines.out.toStdString(), nullptr, false), "chain-cli");
        QVERIFY2(chain.is_object(), qPrintable(pipelines.out));
        // As with kfp.Client: the first upload makes the pipeline, whose first version takes its name.
        std::set<std::string> versions;
        for (const auto &v : chain["versions"])
            versions.insert(v["name"].get<std::string>());
        QCOMPARE(versions, (std::set<std::string>{"chain-cli", "second"}));
        const Outcome text = run({"pipelines", "--backend", "prod"});
        QVERIFY2(text.out.contains("  chain-cli\n") && text.out.contains("  second\n"), qPrintable(text.out));
        const Outcome local = run({"pipelines"});
        QCOMPARE(local.code, 1);
        QVERIFY2(local.err.contains("list uploaded pipelines"), qPrintable(local.err));
    }

    void theTokenNeverShows()
    {
        const QString shown = m_cli.whereShown("cli-s3cr3t-token");
        QVERIFY2(shown.isEmpty(), qPrintable(shown));
    }

private:
    Outcome run(const QStringList &args) { return m_cli.run(args); }

    CliSandbox m_cli;
    KfpTestServer m_server;
    QString m_runId;
};

QTEST_GUILESS_MAIN(TestKfpCli)
#include "tst_kfpcli.moc"
