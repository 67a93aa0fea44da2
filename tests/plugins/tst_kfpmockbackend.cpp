// SPDX-License-Identifier: Apache-2.0
// The KFP backend against what KFP's own UI mock backend serves (the Express
// server the KFP UI team develops against, run with node): list runs and
// experiments with paging, a v1 run's workflow manifest as a RunGraph, a pod
// log, an artifact. Lenient on what it accepts, so only read paths are
// tested here; the contract tests use the strict loopback server.
#include "enginefixture.h"
#include "runs/await.h"
#include "runs/backendregistry.h"

#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTest>

using namespace pw;

namespace {

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

} // namespace

class TestKfpMockBackend final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString node = QStandardPaths::findExecutable("node").isEmpty()
                                 ? QStandardPaths::findExecutable("nodejs")
                                 : QStandardPaths::findExecutable("node");
        QVERIFY2(!node.isEmpty(), "node (Debian's nodejs) is needed to run KFP's UI mock backend");
        const QString dir = QStringLiteral(PW_REFERENCE_DIR "/backends/kfp-ui-mock-backend");
        QVERIFY2(QDir(dir).exists(), qPrintable(dir));
        const int port = freePort();
        m_server.setWorkingDirectory(dir);
        m_server.setProcessChannelMode(QProcess::MergedChannels);
        m_server.start(node, {"mock-backend/mock-api-server.js", QString::number(port)});
        QVERIFY(m_server.waitForStarted());
        // It says so once it listens.
        QString said;
        while (!said.contains("Server listening")) {
            QVERIFY2(m_server.waitForReadyRead(30000), qPrintable(said));
            said += QString::fromUtf8(m_server.readAll());
        }
        m_registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)});
        QVERIFY(m_registry.kinds().contains("kfp"));
        const std::string url = "http://127.0.0.1:" + std::to_string(port);
        m_registry.setConfigs({{"mock-v1", "kfp", url, {}, {{"api", "v1"}}, {}},
                               {"mock", "kfp", url, {}, {}, {}}});
    }

    void detectsTheApi()
    {
        auto info = await(backend("mock")->probe());
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QCOMPARE(info->api, std::string("v2beta1")); // the mock answers v2 healthz
        auto v1 = await(backend("mock-v1")->probe());
        QVERIFY(v1.ok());
        QCOMPARE(v1->api, std::string("v1beta1"));
    }

    void listsRunsPageByPage()
    {
        Backend *b = backend("mock-v1");
        RunQuery query;
        query.pageSize = 5;
        auto first = await(b->listRuns(query));
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QCOMPARE(first->runs.size(), std::size_t(5));
        QVERIFY(!first->nextPageToken.empty());
        query.pageToken = first->nextPageToken;
        auto second = await(b->listRuns(query));
        QVERIFY(second.ok());
        QVERIFY(!second->runs.empty());
        QVERIFY(second->runs.front().id != first->runs.front().id);
        for (const RunGraph &r : first->runs) {
            QVERIFY(!r.id.empty() && !r.name.empty());
            QVERIFY(r.webUrl.find("/#/runs/details/" + r.id) != std::string::npos);
        }
        // Filtering by name goes to the server.
        query = {};
        query.nameContains = "coinflip-recursive-run";
        auto named = await(b->listRuns(query));
        QVERIFY(named.ok());
        QCOMPARE(named->runs.size(), std::size_t(1));
        QCOMPARE(named->runs.front().id, std::string("3308d0ec-f1b3-4488-a2d3-8ad0f91e88e7"));
    }

    void listsExperiments()
    {
        auto experiments = await(backend("mock-v1")->listExperiments());
        QVERIFY2(experiments.ok(), experiments.ok() ? "" : experiments.error().message.c_str());
        QVERIFY(experiments->size() >= 2);
        for (const Experiment &e : *experiments)
            QVERIFY(!e.id.empty() && !e.name.empty());
    }

    void aV1RunBecomesARunGraph()
    {
        // The coin flip: steps groups, a skipped branch, parameters, metrics artifacts.
        auto run = await(backend("mock-v1")->getRun("3308d0ec-f1b3-4488-a2d3-8ad0f91e88e7"));
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
        QCOMPARE(test::stateText(run->state), QString("succeeded"));
        const TaskRecord *flip = run->task("[0]/flip-coin");
        QVERIFY(flip);
        QCOMPARE(flip->kind, std::string("container"));
        QCOMPARE(test::stateText(flip->state), QString("succeeded"));
        QVERIFY(flip->outputs["parameters"]["result"] == nlohmann::json("tails"));
        QCOMPARE(flip->parent, std::string("[0]"));
        QCOMPARE(flip->finishedMs - flip->startedMs, std::int64_t(5000));
        const TaskRecord *skipped = run->task("[1]/heads");
        QVERIFY(skipped);
        QCOMPARE(test::stateText(skipped->state), QString("skipped"));
        QVERIFY(skipped->message.find("evaluated false") != std::string::npos);
        const TaskRecord *nested = run->task("[1]/tails/[0]/flip-coin-with-long-log");
        QVERIFY(nested);
        QCOMPARE(nested->parent, std::string("[1]/tails/[0]"));
        QCOMPARE(run->task("[1]/tails")->kind, std::string("dag"));
        bool metadata = false;
        for (const ArtifactRecord &a : run->artifacts)
            metadata = metadata || (a.name == "mlpipeline-ui-metadata" && a.uri == "minio://somebucket/model2");
        QVERIFY(metadata);
        QVERIFY(!run->parameters.empty());
    }

    void aRetriedTaskIsOneTaskWithItsAttempts()
    {
        auto run = await(backend("mock-v1")->getRun("2f9a3d50-454c-4979-be8d-f222bc245bc1"));
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
        const TaskRecord *retried = run->task("random-failure");
        QVERIFY(retried);
        QCOMPARE(retried->attempts, 1);
        QCOMPARE(run->task("print-msg-2")->dependsOn, std::vector<std::string>{"random-failure"});
        QCOMPARE(run->task("random-failure")->dependsOn, std::vector<std::string>{"print-msg"});
        QVERIFY(!run->task("random-failure(0)")); // an attempt, not a task of its own
    }

    void podLogsAndArtifacts()
    {
        Backend *b = backend("mock-v1");
        auto log = await(b->logs("fa5d897e-88d3-4dfc-b189-9dea6947c9bc", "hello-world-7sm94"));
        QVERIFY2(log.ok(), log.ok() ? "" : log.error().message.c_str());
        QVERIFY2(log->find("hello world") != std::string::npos, log->c_str());
        // A pod the server cannot find: its message, as the KFP UI shows it.
        auto missing = await(b->logs("183ac01f-dc26-4ebf-b817-7b3f96fdc3ac", "json-12abc"));
        if (!missing.ok())
            QVERIFY2(missing.error().message.find("pod not found") != std::string::npos,
                     missing.error().message.c_str());
        auto run = await(b->getRun("3308d0ec-f1b3-4488-a2d3-8ad0f91e88e7"));
        QVERIFY(run.ok());
        for (const ArtifactRecord &a : run->artifacts) {
            if (a.uri != "minio://somebucket/analysis2")
                continue;
            auto bytes = await(b->readArtifact(run->id, a));
            QVERIFY2(bytes.ok(), bytes.ok() ? "" : bytes.error().message.c_str());
            const auto json = nlohmann::json::parse(*bytes, nullptr, false);
            QVERIFY2(json.is_object() && json.contains("outputs"), bytes->c_str()); // mlpipeline-ui-metadata
            return;
        }
        QFAIL("no artifact minio://somebucket/analysis2 in the coin flip run");
    }

    void v2ListsRunsToo()
    {
        RunQuery query;
        query.pageSize = 3;
        auto page = await(backend("mock")->listRuns(query));
        QVERIFY2(page.ok(), page.ok() ? "" : page.error().message.c_str());
        QCOMPARE(page->runs.size(), std::size_t(3));
        QVERIFY(!page->nextPageToken.empty());
    }

    void cleanupTestCase()
    {
        m_server.terminate();
        m_server.waitForFinished(5000);
    }

private:
    Backend *backend(const std::string &name)
    {
        auto b = m_registry.backend(name);
        return b.ok() ? *b : nullptr;
    }

    QProcess m_server;
    BackendRegistry m_registry;
};

QTEST_GUILESS_MAIN(TestKfpMockBackend)
#include "tst_kfpmockbackend.moc"
