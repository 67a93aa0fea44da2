// SPDX-License-Identifier: Apache-2.0
// The KFP backend against a loopback server that enforces KFP's published
// contract (tests/servers/kfp: the Swagger documents with protojson's rules,
// tokens, KFP's error shapes, runs that move as they are watched). Both API
// versions: v2beta1 with the PipelineSpec, v1beta1 with the Argo workflow.
#include "enginefixture.h"
#include "formats/pipelineloader.h"
#include "kfptestserver.h"
#include "runs/await.h"
#include "runs/backendregistry.h"
#include "runs/runservice.h"
#include "runs/runwatch.h"
#include "testdata.h"
#include "watchevents.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace pw;
using namespace pw::test;

namespace {

std::string why(const Error &e)
{
    return e.message;
}

} // namespace

class TestKfpContract final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.ok(), qPrintable(m_server.error()));
        QVERIFY(m_registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}).empty());
        const std::string url = m_server.url().toStdString();
        const CredentialSource token{CredentialSource::Kind::File, m_server.tokenFile().toStdString()};
        m_registry.setConfigs({
            {"kfp2", "kfp", url, {}, {{"pollMs", "50"}}, token},
            {"kfp1", "kfp", url, {}, {{"api", "v1"}, {"pollMs", "50"}}, token},
            {"anonymous", "kfp", url, {}, {{"auth", "none"}}, {}},
        });
        auto pipeline = loadPipelineFile(testDataPath("kfp/contract.pipewright.yaml").toStdString());
        QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().message.c_str());
        m_pipeline = *pipeline;
    }

    void detectsTheApiVersion()
    {
        auto v2 = await(backend("kfp2")->probe());
        QVERIFY2(v2.ok(), v2.ok() ? "" : why(v2.error()).c_str());
        QCOMPARE(v2->api, std::string("v2beta1"));
        auto v1 = await(backend("kfp1")->probe());
        QVERIFY(v1.ok());
        QCOMPARE(v1->api, std::string("v1beta1"));
    }

    void aMissingTokenIsKfpsOwnError()
    {
        auto refused = await(backend("anonymous")->listRuns({}));
        QVERIFY(!refused.ok());
        QVERIFY2(why(refused.error()).find("HTTP 401") != std::string::npos, why(refused.error()).c_str());
        QVERIFY(why(refused.error()).find("Unauthenticated") != std::string::npos);
        QVERIFY(why(refused.error()).find("--token-env") != std::string::npos); // says what to do
    }

    void runsToTheEndThenRetriesWhatFailed_data() { apis(); }
    void runsToTheEndThenRetriesWhatFailed()
    {
        QFETCH(QString, backendName);
        Backend *b = backend(backendName);
        RunSettings settings;
        settings.experiment = "contract-tests";
        settings.serviceAccount = "pipeline-runner-reports";
        settings.parameters = {{"greeting", "hej"}};
        auto request = RunService::prepare(m_pipeline, settings);
        QVERIFY2(request.ok(), request.ok() ? "" : why(request.error()).c_str());
        auto submitted = await(b->submit(*request));
        QVERIFY2(submitted.ok(), submitted.ok() ? "" : why(submitted.error()).c_str());
        QVERIFY(submitted->webUrl.find("/#/runs/details/" + submitted->id) != std::string::npos);

        // The client's body passed the server's contract checks; what it said:
        const auto sent =
            lastRequest("POST", backendName == "kfp2" ? "/apis/v2beta1/runs" : "/apis/v1beta1/runs");
        QVERIFY(!sent.is_null());
        const std::string body =
            sent["body"].is_string() ? sent["body"].get<std::string>() : sent["body"].dump();
        QVERIFY2(body.find("pipeline-runner-reports") != std::string::npos, body.c_str()); // per-run identity
        QVERIFY(sent["authorization"]["present"].get<bool>());

        // flaky fails its first attempt: produce succeeds, flaky fails, the run fails.
        auto watch = b->watch(submitted->id);
        watch->followLogs("produce");
        auto events = collectEvents(*watch);
        QVERIFY(!events.empty());
        QCOMPARE(int(events.front().kind), int(RunEvent::Kind::Snapshot));
        QCOMPARE(stateText(events.back().state), QString("failed"));
        std::map<std::string, std::vector<std::string>> states;
        bool sawLog = false;
        for (const RunEvent &e : events) {
            if (e.kind == RunEvent::Kind::Task)
                states[e.task.name].push_back(std::string(toString(e.task.state)));
            if (e.kind == RunEvent::Kind::Log && e.taskId == "produce" && !e.lines.empty())
                sawLog = true;
        }
        QVERIFY(std::find(states["produce"].begin(), states["produce"].end(), "running") !=
                states["produce"].end());
        QCOMPARE(states["produce"].back(), std::string("succeeded"));
        QCOMPARE(states["flaky"].back(), std::string("failed"));
        QVERIFY(sawLog);

        auto run = await(b->getRun(submitted->id));
        QVERIFY(run.ok());
        QCOMPARE(run->experiment.empty(), false);
        auto log = await(b->logs(submitted->id, "produce"));
        QVERIFY2(log.ok(), log.ok() ? "" : why(log.error()).c_str());
        QVERIFY2(log->find("produce") != std::string::npos, log->c_str());
        // The metric the task wrote, read through the UI server as the KFP UI reads it.
        bool accuracy = false;
        for (const MetricRecord &m : run->metrics)
            accuracy = accuracy || (m.name == "accuracy" && std::abs(m.value - 0.93) < 1e-9);
        QVERIFY2(accuracy, toJson(*run).dump().c_str());

        // Retry runs what failed, in the same run, to the end.
        auto retried = await(b->retry(submitted->id));
        QVERIFY2(retried.ok(), retried.ok() ? "" : why(retried.error()).c_str());
        QCOMPARE(*retried, submitted->id);
        auto again = b->watch(submitted->id);
        const auto after = collectEvents(*again, [](const RunEvent &e) {
            return e.kind == RunEvent::Kind::Run && e.state == RunState::Succeeded;
        });
        QCOMPARE(stateText(after.back().state), QString("succeeded"));
    }

    void cancelStopsARun_data() { apis(); }
    void cancelStopsARun()
    {
        QFETCH(QString, backendName);
        Backend *b = backend(backendName);
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        auto submitted = await(b->submit(*request));
        QVERIFY(submitted.ok());
        auto watch = b->watch(submitted->id);
        collectEvents(*watch, [](const RunEvent &e) {
            return e.kind == RunEvent::Kind::Task && e.task.state == TaskState::Running;
        });
        auto state = await(b->cancel(submitted->id));
        QVERIFY2(state.ok(), state.ok() ? "" : why(state.error()).c_str());
        const auto rest = collectEvents(*watch);
        QCOMPARE(stateText(rest.back().state), QString("cancelled"));
    }

    void anExpiredTokenIsRenewedOnce()
    {
        Backend *b = backend("kfp2");
        QVERIFY(await(b->listRuns({})).ok()); // the current token is in use
        m_server.control("POST", "/_test/expire-token");
        m_server.setToken("token-2"); // what a token command or a rotated file would give
        const std::size_t before = m_server.requests().size();
        auto list = await(b->listRuns({}));
        QVERIFY2(list.ok(), list.ok() ? "" : why(list.error()).c_str());
        const auto log = m_server.requests();
        QCOMPARE(log.size(), before + 2); // refused, then accepted with the new token
        QCOMPARE(log[before]["status"].get<int>(), 401);
        QCOMPARE(log[before + 1]["status"].get<int>(), 200);
    }

    void aDroppedConnectionIsNotAFailedRun()
    {
        Backend *b = backend("kfp2");
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        auto submitted = await(b->submit(*request));
        QVERIFY(submitted.ok());
        auto watch = b->watch(submitted->id);
        // The first snapshot, then the network goes away for a while.
        collectEvents(*watch, [](const RunEvent &e) { return e.kind == RunEvent::Kind::Snapshot; });
        m_server.control("POST", "/_test/drop?count=4");
        const auto events = collectEvents(*watch);
        bool lost = false, back = false;
        for (const RunEvent &e : events) {
            if (e.kind == RunEvent::Kind::Connection && !e.connected)
                lost = true;
            if (e.kind == RunEvent::Kind::Connection && e.connected && lost)
                back = true;
            if (e.kind == RunEvent::Kind::Run)
                QVERIFY2(e.state != RunState::Failed || back, "a lost connection became a failed run");
        }
        QVERIFY(lost && back);
        QCOMPARE(int(events.back().kind), int(RunEvent::Kind::End)); // the watch carried on to the end
    }

    void listsPageByPage_data() { apis(); }
    void listsPageByPage()
    {
        QFETCH(QString, backendName);
        Backend *b = backend(backendName);
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        for (int i = 0; i < 3; ++i)
            QVERIFY(await(b->submit(*request)).ok());
        RunQuery query;
        query.pageSize = 2;
        auto first = await(b->listRuns(query));
        QVERIFY2(first.ok(), first.ok() ? "" : why(first.error()).c_str());
        QCOMPARE(first->runs.size(), std::size_t(2));
        QVERIFY(!first->nextPageToken.empty());
        query.pageToken = first->nextPageToken;
        auto second = await(b->listRuns(query));
        QVERIFY2(second.ok(), second.ok() ? "" : why(second.error()).c_str());
        QVERIFY(!second->runs.empty());
        QVERIFY(second->runs.front().id != first->runs.front().id);
        // A name filter goes to the server (KFP unescapes filters twice: '+' must survive).
        query = {};
        query.nameContains = "no such run + really";
        auto none = await(b->listRuns(query));
        QVERIFY2(none.ok(), none.ok() ? "" : why(none.error()).c_str());
        QVERIFY(none->runs.empty());
    }

    void schedulesInATimeZoneBecomeUtcCron()
    {
        Backend *b = backend("kfp2");
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        ScheduleRequest schedule;
        schedule.run = *request;
        schedule.name = "daily-tokyo";
        schedule.cron = "0 6 * * *";
        schedule.timeZone = "Asia/Tokyo";
        schedule.maxConcurrency = 2;
        auto made = await(b->createSchedule(schedule));
        QVERIFY2(made.ok(), made.ok() ? "" : why(made.error()).c_str());
        QCOMPARE(made->cron, std::string("0 0 21 * * *")); // seconds first, the day before in UTC
        QVERIFY2(made->conversion.find("06:00 in Asia/Tokyo is 21:00 UTC the day before") !=
                     std::string::npos,
                 made->conversion.c_str());
        auto list = await(b->listSchedules());
        QVERIFY(list.ok());
        auto found =
            std::find_if(list->begin(), list->end(), [&](const Schedule &s) { return s.id == made->id; });
        QVERIFY(found != list->end());
        QCOMPARE(found->maxConcurrency, 2);
        QVERIFY(found->enabled);
        QVERIFY(await(b->setScheduleEnabled(made->id, false)).ok());
        list = await(b->listSchedules());
        found = std::find_if(list->begin(), list->end(), [&](const Schedule &s) { return s.id == made->id; });
        QVERIFY(!found->enabled);
        QVERIFY(await(b->deleteSchedule(made->id)).ok());
        list = await(b->listSchedules());
        QVERIFY(
            std::none_of(list->begin(), list->end(), [&](const Schedule &s) { return s.id == made->id; }));
        // KFP takes at most 10 runs at once; the client says so before asking.
        schedule.maxConcurrency = 11;
        auto refused = await(b->createSchedule(schedule));
        QVERIFY(!refused.ok());
    }

    void uploadsAPipelineVersionByName()
    {
        Backend *b = backend("kfp2");
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        request->options["pipeline"] = "contract-pipeline";
        auto first = await(b->submit(*request));
        QVERIFY2(first.ok(), first.ok() ? "" : why(first.error()).c_str());
        auto second = await(b->submit(*request));
        QVERIFY2(second.ok(), second.ok() ? "" : why(second.error()).c_str());
        int uploads = 0, versions = 0;
        for (const auto &r : m_server.requests()) {
            uploads += r["path"] == "/apis/v2beta1/pipelines/upload" && r["status"] == 200;
            versions += r["path"] == "/apis/v2beta1/pipelines/upload_version" && r["status"] == 200;
        }
        QCOMPARE(uploads, 1);  // a new pipeline once
        QCOMPARE(versions, 1); // then a new version of it
        const auto sent = lastRequest("POST", "/apis/v2beta1/runs");
        QVERIFY(sent["body"].dump().find("pipeline_version_reference") != std::string::npos);
    }

    // The pipelines uploaded above, read through either API (v1 pages
    // versions by resource key, v2 under the pipeline).
    void listsUploadedPipelines_data() { apis(); }
    void listsUploadedPipelines()
    {
        QFETCH(QString, backendName);
        auto list = await(backend(backendName)->listPipelines());
        QVERIFY2(list.ok(), list.ok() ? "" : why(list.error()).c_str());
        const auto found = std::find_if(list->begin(), list->end(), [](const StoredPipeline &p) {
            return p.name == "contract-pipeline";
        });
        QVERIFY(found != list->end());
        QVERIFY(!found->id.empty() && found->createdMs > 0);
        QCOMPARE(found->versions.size(), std::size_t(2));
        for (const StoredPipelineVersion &v : found->versions)
            QVERIFY(!v.id.empty() && v.createdMs >= found->createdMs);
    }

    // Archived runs leave the list of active runs and appear among the
    // archived ones; the run itself stays readable.
    void archivedRunsLeaveTheList_data() { apis(); }
    void archivedRunsLeaveTheList()
    {
        QFETCH(QString, backendName);
        Backend *b = backend(backendName);
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        request->runName = "to-archive-" + backendName.toStdString();
        auto submitted = await(b->submit(*request));
        QVERIFY(submitted.ok());
        const auto listed = [&](bool archived) {
            RunQuery q;
            q.nameContains = request->runName;
            q.archived = archived;
            auto page = await(b->listRuns(q));
            return page.ok() ? page->runs.size() : std::size_t(99);
        };
        QCOMPARE(listed(false), std::size_t(1));
        QCOMPARE(listed(true), std::size_t(0));
        auto archived = await(b->archiveRun(submitted->id));
        QVERIFY2(archived.ok(), archived.ok() ? "" : why(archived.error()).c_str());
        QCOMPARE(listed(false), std::size_t(0));
        QCOMPARE(listed(true), std::size_t(1));
        auto run = await(b->getRun(submitted->id));
        QVERIFY(run.ok());
        QCOMPARE(extraText(run->extra, "storageState").find("ARCHIVED") != std::string::npos, true);
        auto unknown = await(b->archiveRun("no-such-run"));
        QVERIFY(!unknown.ok());
        QVERIFY2(why(unknown.error()).find("no-such-run") != std::string::npos, why(unknown.error()).c_str());
    }

    void cloneGivesTheRequestBack()
    {
        Backend *b = backend("kfp2");
        RunSettings settings;
        settings.parameters = {{"greeting", "bonjour"}};
        auto request = RunService::prepare(m_pipeline, settings);
        QVERIFY(request.ok());
        auto submitted = await(b->submit(*request));
        QVERIFY(submitted.ok());
        auto clone = await(b->runRequest(submitted->id));
        QVERIFY2(clone.ok(), clone.ok() ? "" : why(clone.error()).c_str());
        QVERIFY(clone->parameters.at("greeting") == nlohmann::json("bonjour"));
        QCOMPARE(clone->spec.pipelineName, std::string("contract"));
    }

    // Google IAP: the request carries an OIDC ID token for the IAP's OAuth
    // client; here it comes from a command, as `gcloud auth print-identity-token` would give it.
    void iapSendsAnIdTokenForTheClient()
    {
        const auto part = [](const nlohmann::json &j) {
            return QByteArray::fromStdString(j.dump()).toBase64(QByteArray::Base64UrlEncoding |
                                                                QByteArray::OmitTrailingEquals);
        };
        const std::int64_t exp = epochMs() / 1000 + 3600;
        const QByteArray idToken = part({{"alg", "RS256"}, {"typ", "JWT"}}) + "." +
                                   part({{"aud", "1234-iap.apps.googleusercontent.com"},
                                         {"exp", exp},
                                         {"iss", "https://accounts.google.com"}}) +
                                   ".c2lnbmF0dXJl";
        QTemporaryDir dir;
        QFile token(dir.filePath("id-token"));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write(idToken + "\n");
        token.close();
        m_server.setToken(idToken); // what the IAP in front of KFP lets through
        BackendRegistry registry;
        QVERIFY(registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}).empty());
        registry.setConfigs({{"behind-iap",
                              "kfp",
                              m_server.url().toStdString(),
                              {},
                              {{"auth", "iap"}, {"iapClientId", "1234-iap.apps.googleusercontent.com"}},
                              {CredentialSource::Kind::Command, "cat " + token.fileName().toStdString()}}});
        auto b = registry.backend("behind-iap");
        QVERIFY2(b.ok(), b.ok() ? "" : why(b.error()).c_str());
        auto runs = await((*b)->listRuns({}));
        QVERIFY2(runs.ok(), runs.ok() ? "" : why(runs.error()).c_str());
        const auto log = m_server.requests();
        QCOMPARE(log.back()["authorization"]["scheme"].get<std::string>(), std::string("Bearer"));
        m_server.setToken("token-2"); // back to the other backends' token
    }

    void multiUserNeedsANamespace()
    {
        KfpTestServer multi({"--namespace-mode", "--grant", "alice@example.com=team-a"});
        QVERIFY2(multi.ok(), qPrintable(multi.error()));
        const CredentialSource token{CredentialSource::Kind::File, multi.tokenFile().toStdString()};
        BackendRegistry registry;
        QVERIFY(registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}).empty());
        registry.setConfigs({
            {"team-a", "kfp", multi.url().toStdString(), "team-a", {{"userId", "alice@example.com"}}, token},
            {"team-b", "kfp", multi.url().toStdString(), "team-b", {{"userId", "alice@example.com"}}, token},
        });
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        request->experiment = "team-a-nightly";
        auto a = registry.backend("team-a");
        QVERIFY(a.ok());
        auto submitted = await((*a)->submit(*request));
        QVERIFY2(submitted.ok(), submitted.ok() ? "" : why(submitted.error()).c_str());
        auto runs = await((*a)->listRuns({}));
        QVERIFY2(runs.ok(), runs.ok() ? "" : why(runs.error()).c_str());
        QCOMPARE(runs->runs.size(), std::size_t(1));
        // Alice may not use team-b: KFP's own message, and a hint about access.
        auto denied = await((*registry.backend("team-b"))->listRuns({}));
        QVERIFY(!denied.ok());
        QVERIFY2(why(denied.error()).find("HTTP 403") != std::string::npos, why(denied.error()).c_str());
        QVERIFY(why(denied.error()).find("team-b") != std::string::npos);
    }

private:
    static void apis()
    {
        QTest::addColumn<QString>("backendName");
        QTest::newRow("v2beta1") << QString("kfp2");
        QTest::newRow("v1beta1") << QString("kfp1");
    }

    Backend *backend(const QString &name)
    {
        auto b = m_registry.backend(name.toStdString());
        return b.ok() ? *b : nullptr;
    }

    nlohmann::json lastRequest(const std::string &method, const std::string &path)
    {
        nlohmann::json found;
        for (const auto &r : m_server.requests())
            if (r["method"] == method && r["path"] == path)
                found = r;
        return found;
    }

    KfpTestServer m_server;
    BackendRegistry m_registry;
    Pipeline m_pipeline;
};

QTEST_GUILESS_MAIN(TestKfpContract)
#include "tst_kfpcontract.moc"
