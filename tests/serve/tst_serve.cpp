// SPDX-License-Identifier: Apache-2.0
// `pipewright serve` as clients see it: a real server process on loopback,
// real runs of the local engine, every request over a socket. Runs that must
// be watched while they go wait for a gate file the test creates, so the
// checks follow events, never the clock.
#include "cliprocess.h"
#include "servetestclient.h"
#include "testdata.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <set>

using namespace pw::test;

namespace {

constexpr int kWait = 60000;

// Compares anything nlohmann::json can hold (QCOMPARE wants equal types).
#define CHECK_EQ(actual, expected)                                                                           \
    QVERIFY2((actual) == (expected),                                                                         \
             qPrintable(QString::fromStdString("got " + nlohmann::json(actual).dump())))

QByteArray bearer(const QString &token)
{
    return "Bearer " + token.toUtf8();
}

void copyTree(const QString &from, const QString &to)
{
    QDir().mkpath(to);
    for (const QFileInfo &info : QDir(from).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot)) {
        if (info.isDir())
            copyTree(info.filePath(), to + "/" + info.fileName());
        else
            QFile::copy(info.filePath(), to + "/" + info.fileName());
    }
}

// The states one task went through, as the events told.
std::vector<std::string> statesOf(const SseReader &reader, const std::string &task)
{
    std::vector<std::string> states;
    for (const SseReader::Event &e : reader.events())
        if (e.kind == "task" && e.data["task"].value("id", "") == task)
            states.push_back(e.data["task"].value("state", ""));
    return states;
}

// The task's state now, as the snapshot and the task events since tell.
std::string latestState(const SseReader &reader, const std::string &task)
{
    std::string state;
    for (const SseReader::Event &e : reader.events()) {
        if (e.kind == "snapshot" && e.data.contains("run") && e.data["run"].is_object())
            for (const auto &t : e.data["run"].value("tasks", nlohmann::json::array()))
                if (t.value("id", "") == task)
                    state = t.value("state", "");
        if (e.kind == "task" && e.data["task"].value("id", "") == task)
            state = e.data["task"].value("state", "");
    }
    return state;
}

bool sawState(const SseReader &reader, const std::string &task, const std::string &state)
{
    const auto s = statesOf(reader, task);
    return std::find(s.begin(), s.end(), state) != s.end();
}

} // namespace

class TestServe : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_pipelines;
    std::unique_ptr<ServeProcess> m_server;

    HttpReply get(const QByteArray &target)
    {
        return httpCall(m_server->port(), "GET", target, {{"Authorization", bearer(m_server->token())}});
    }
    HttpReply post(const QByteArray &target, const nlohmann::json &body)
    {
        return httpCall(m_server->port(), "POST", target,
                        {{"Authorization", bearer(m_server->token())}, {"Content-Type", "application/json"}},
                        QByteArray::fromStdString(body.dump()));
    }
    QString gatePath(const QString &name) const { return m_dir.filePath("gates/" + name); }
    // A run of the gated pipeline; returns its id.
    std::string startGated(const QString &gate)
    {
        const HttpReply r = post("/api/v1/runs", {{"pipeline", "gated"},
                                                  {"parameters", {{"gate", gatePath(gate).toStdString()}}}});
        if (r.status != 201)
            qWarning() << r.status << r.body;
        return r.json().value("id", "");
    }
    QByteArray eventsPath(const std::string &id)
    {
        return QByteArray::fromStdString("/api/v1/runs/" + id + "/events");
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // The examples and the components they use, copied: runs write next to them.
        m_pipelines = m_dir.filePath("pipelines/examples");
        copyTree(resourcesPath("examples"), m_pipelines);
        copyTree(resourcesPath("components"), m_dir.filePath("pipelines/components"));
        QVERIFY(
            QFile::copy(testDataPath("serve/gated.pipewright.yaml"), m_pipelines + "/gated.pipewright.yaml"));
        QDir().mkpath(m_dir.filePath("gates"));
        // A valid document outside the folder, reachable through a link inside it.
        QDir().mkpath(m_dir.filePath("outside"));
        QVERIFY(QFile::copy(testDataPath("serve/gated.pipewright.yaml"),
                            m_dir.filePath("outside/secret.pipewright.yaml")));
        QVERIFY(QFile::link(m_dir.filePath("outside/secret.pipewright.yaml"),
                            m_pipelines + "/escape.pipewright.yaml"));
        m_server = std::make_unique<ServeProcess>(QStringList{
            "--pipelines", m_pipelines, "--max-streams", "60", "--cors-origin", "https://admin.example.com"});
        QVERIFY2(m_server->ok(), qPrintable(m_server->error()));
        QVERIFY(!m_server->token().isEmpty());
    }

    void refusesWithoutToken()
    {
        for (const QByteArray &path :
             {QByteArray("/api/v1/pipelines"), QByteArray("/api/v1/runs"), QByteArray("/api/openapi.json"),
              QByteArray("/api/v1/runs/x/events")}) {
            const HttpReply none = httpCall(m_server->port(), "GET", path);
            QCOMPARE(none.status, 401);
            CHECK_EQ(none.json()["error"].value("code", ""), "unauthorized");
            CHECK_EQ(none.header("www-authenticate"), "Bearer");
            const HttpReply wrong =
                httpCall(m_server->port(), "GET", path, {{"Authorization", "Bearer nope"}});
            QCOMPARE(wrong.status, 401);
            const HttpReply basic = httpCall(m_server->port(), "GET", path,
                                             {{"Authorization", "Basic " + m_server->token().toUtf8()}});
            QCOMPARE(basic.status, 401);
        }
        const HttpReply post =
            httpCall(m_server->port(), "POST", "/api/v1/runs", {}, R"({"pipeline":"gated"})");
        QCOMPARE(post.status, 401);
        // The web view's own files load without it.
        const HttpReply page = httpCall(m_server->port(), "GET", "/");
        QCOMPARE(page.status, 200);
        QVERIFY(page.body.contains("<html"));
        QVERIFY(!page.header("content-security-policy").empty());
        CHECK_EQ(httpCall(m_server->port(), "GET", "/app.js").status, 200);
    }

    void refusesNonLoopbackWithoutToken()
    {
        CliSandbox sandbox;
        const CliOutcome o = sandbox.run({"serve", "--listen", "0.0.0.0:0"});
        CHECK_EQ(o.code, 2);
        QVERIFY2(o.err.contains("needs a token"), qPrintable(o.err));
    }

    void tokenShownOnce() { CHECK_EQ(m_server->output().count(m_server->token()), 1); }

    void listsPipelines()
    {
        const HttpReply r = get("/api/v1/pipelines");
        QCOMPARE(r.status, 200);
        const nlohmann::json list = r.json()["pipelines"];
        std::map<std::string, nlohmann::json> byName;
        for (const auto &p : list)
            byName[p["name"]] = p;
        QVERIFY(byName.count("tfx-training"));
        QVERIFY(byName.count("gated"));
        QVERIFY2(!byName.count("escape"), "a link out of the pipelines folder must not be offered");
        bool sawEpochs = false;
        for (const auto &p : byName["tfx-training"]["parameters"])
            if (p["name"] == "epochs") {
                sawEpochs = true;
                CHECK_EQ(p["type"], "Integer");
                CHECK_EQ(p["default"], 300);
            }
        QVERIFY(sawEpochs);
        const HttpReply detail = get("/api/v1/pipelines/tfx-training");
        QCOMPARE(detail.status, 200);
        const nlohmann::json d = detail.json();
        QVERIFY(d["document"].get<std::string>().find("name: tfx-training") != std::string::npos);
        bool trainerAfterTransform = false;
        for (const auto &t : d["dag"]["tasks"])
            if (t["id"] == "trainer")
                for (const auto &dep : t["dependsOn"])
                    trainerAfterTransform |= dep == "transform";
        QVERIFY(trainerAfterTransform);
    }

    void listsBackends()
    {
        const HttpReply r = get("/api/v1/backends");
        QCOMPARE(r.status, 200);
        const nlohmann::json b = r.json()["backends"];
        CHECK_EQ(b.size(), 1u);
        CHECK_EQ(b[0]["name"], "local");
        CHECK_EQ(b[0]["kind"], "local");
        QVERIFY(std::find(b[0]["capabilities"].begin(), b[0]["capabilities"].end(), "cancel") !=
                b[0]["capabilities"].end());
    }

    void runsTfxExampleToSuccess()
    {
        const HttpReply started =
            post("/api/v1/runs", {{"pipeline", "tfx-training"},
                                  {"parameters", {{"epochs", 40}, {"learning_rate", "0.5"}}},
                                  {"name", "api-tfx"}});
        QCOMPARE(started.status, 201);
        const std::string id = started.json().value("id", "");
        QVERIFY(!id.empty());
        CHECK_EQ(started.header("location"), "/api/v1/runs/" + id + "?backend=local");
        SseReader events(m_server->port(), eventsPath(id), m_server->token().toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(events.closed(), kWait);
        QCOMPARE(events.status(), 200);
        QVERIFY(!events.events().empty());
        CHECK_EQ(events.events().front().kind, "snapshot");
        CHECK_EQ(events.events().back().kind, "end");
        CHECK_EQ(events.events().back().data["state"], "succeeded");
        QVERIFY(sawState(events, "trainer", "succeeded"));

        const HttpReply run = get(QByteArray::fromStdString("/api/v1/runs/" + id));
        QCOMPARE(run.status, 200);
        const nlohmann::json j = run.json();
        CHECK_EQ(j["state"], "succeeded");
        CHECK_EQ(j["name"], "api-tfx");
        CHECK_EQ(j["parameters"]["epochs"], 40);
        CHECK_EQ(j["parameters"]["learning_rate"], 0.5);
        bool auc = false;
        for (const auto &m : j["metrics"])
            auc |= m["name"] == "auc";
        QVERIFY(auc);
        QVERIFY(j["tasks"].size() >= 7);

        const HttpReply logs = get(QByteArray::fromStdString("/api/v1/runs/" + id + "/logs/trainer"));
        QCOMPARE(logs.status, 200);
        QVERIFY(logs.body.contains("epoch"));
        QVERIFY(logs.header("content-type").rfind("text/plain", 0) == 0);
        const HttpReply nested =
            get(QByteArray::fromStdString("/api/v1/runs/" + id + "/logs/if-blessed%2Fpusher"));
        QCOMPARE(nested.status, 200);

        // A plain artifact is its bytes; a visualization is the report's HTML
        // (all that one artifact holds, or the kind asked for).
        std::set<std::string> kinds;
        for (const auto &a : j["artifacts"])
            if (a["task"] == "evaluator" && a["name"] == "mlpipeline_ui_metadata")
                kinds.insert(a.value("visualization", ""));
        QVERIFY(kinds.count("roc") && kinds.count("confusion_matrix"));
        const QByteArray visPath =
            QByteArray::fromStdString("/api/v1/runs/" + id + "/artifacts/evaluator/mlpipeline_ui_metadata");
        const HttpReply vis = get(visPath);
        QCOMPARE(vis.status, 200);
        QVERIFY(vis.header("content-type").rfind("text/html", 0) == 0);
        QVERIFY(vis.body.count("<svg") >= 2); // the confusion matrix and the ROC curve
        QVERIFY(!vis.body.contains("<script"));
        QVERIFY(vis.header("content-security-policy").find("sandbox") != std::string::npos);
        const HttpReply roc = get(visPath + "?visualization=roc");
        QCOMPARE(roc.status, 200);
        QVERIFY(roc.body.count("<svg") >= 1 && roc.body.size() < vis.body.size());
        QCOMPARE(get(visPath + "?visualization=nope").status, 404);
        const HttpReply data =
            get(QByteArray::fromStdString("/api/v1/runs/" + id + "/artifacts/example-gen/train"));
        QCOMPARE(data.status, 200);
        QVERIFY(data.body.contains("default")); // the CSV's header row names the label column

        const HttpReply list = get("/api/v1/runs?state=succeeded&pipeline=tfx-training");
        QCOMPARE(list.status, 200);
        bool listed = false;
        const nlohmann::json rows = list.json();
        for (const auto &r : rows["runs"]) {
            listed |= r["id"] == id;
            CHECK_EQ(r["state"], "succeeded");
            QVERIFY(!r.contains("tasks"));
        }
        QVERIFY2(listed, list.body.constData());
        CHECK_EQ(get("/api/v1/runs?state=running&pipeline=tfx-training").json()["runs"].size(), 0u);
        QCOMPARE(get("/api/v1/runs?state=sideways").status, 400);
    }

    void refusesBadParameters()
    {
        HttpReply r =
            post("/api/v1/runs", {{"pipeline", "tfx-training"}, {"parameters", {{"epochs", "many"}}}});
        QCOMPARE(r.status, 400);
        CHECK_EQ(r.json()["error"]["code"], "invalid_parameter");
        CHECK_EQ(r.json()["error"]["field"], "parameters.epochs");
        QVERIFY(r.json()["error"]["message"].get<std::string>().find("epochs") != std::string::npos);
        r = post("/api/v1/runs", {{"pipeline", "tfx-training"}, {"parameters", {{"nope", 1}}}});
        QCOMPARE(r.status, 400);
        CHECK_EQ(r.json()["error"]["field"], "parameters.nope");
        r = post("/api/v1/runs", {{"pipeline", "gated"}}); // gate has no default
        QCOMPARE(r.status, 400);
        CHECK_EQ(r.json()["error"]["field"], "parameters.gate");
        QVERIFY(r.json()["error"]["message"].get<std::string>().find("gate") != std::string::npos);
        r = post("/api/v1/runs", {{"pipeline", "no-such"}});
        QCOMPARE(r.status, 404);
        CHECK_EQ(r.json()["error"]["field"], "pipeline");
        r = post("/api/v1/runs", {{"pipeline", "gated"}, {"cache", "no"}});
        QCOMPARE(r.status, 400);
        CHECK_EQ(r.json()["error"]["field"], "cache");
        r = post("/api/v1/runs", {{"pipeline", "gated"}, {"colour", "blue"}});
        QCOMPARE(r.status, 400);
        CHECK_EQ(r.json()["error"]["field"], "colour");
        r = post("/api/v1/runs", {{"pipeline", 3}});
        QCOMPARE(r.status, 400);
        r = post("/api/v1/runs", {{"pipeline", "gated"}, {"backend", "prod"}});
        QCOMPARE(r.status, 404);
        CHECK_EQ(r.json()["error"]["field"], "backend");
        r = httpCall(m_server->port(), "POST", "/api/v1/runs", {{"Authorization", bearer(m_server->token())}},
                     "{not json");
        QCOMPARE(r.status, 400);
        CHECK_EQ(r.json()["error"]["code"], "invalid_json");
    }

    void refusesPathTraversal()
    {
        const QByteArray secret = "name: gated"; // the linked-to document's text
        for (const QByteArray &path :
             {QByteArray("/api/v1/pipelines/..%2F..%2Foutside%2Fsecret"),
              QByteArray("/api/v1/pipelines/..%2Foutside%2Fsecret.pipewright.yaml"),
              QByteArray("/api/v1/pipelines/%2Fetc%2Fpasswd"), QByteArray("/api/v1/pipelines/escape"),
              QByteArray("/api/v1/pipelines/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd"),
              QByteArray("/api/v1/pipelines/../../etc/passwd"), QByteArray("/api/v1/pipelines/gated%00"),
              QByteArray("/..%2F..%2Fetc%2Fpasswd"), QByteArray("/../app.js")}) {
            const HttpReply r = get(path);
            QVERIFY2(r.status == 400 || r.status == 404, path.constData());
            QVERIFY2(!r.body.contains(secret) && !r.body.contains("root:"), path.constData());
        }
        // Artifacts are named by their records, never by a path.
        const HttpReply runs = get("/api/v1/runs?pipeline=tfx-training");
        QVERIFY(!runs.json()["runs"].empty());
        const std::string id = runs.json()["runs"][0]["id"];
        for (const std::string &tail :
             {"trainer/..%2F..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc/passwd", "..%2Fexample-gen/train",
              "example-gen/..%2Fexample-gen%2Ftrain", "example-gen/%2Fetc%2Fpasswd"}) {
            const HttpReply r = get(QByteArray::fromStdString("/api/v1/runs/" + id + "/artifacts/" + tail));
            QVERIFY2(r.status == 400 || r.status == 404, tail.c_str());
            QVERIFY2(!r.body.contains("root:"), tail.c_str());
        }
        QCOMPARE(get(QByteArray::fromStdString("/api/v1/runs/" + id + "/logs/..%2F..%2Fetc%2Fpasswd")).status,
                 404);
        QCOMPARE(get("/api/v1/runs/..%2F..%2Fetc").status, 404);
    }

    void limitsBodySize()
    {
        const QByteArray big(2 * 1024 * 1024, 'x');
        const HttpReply r = httpCall(m_server->port(), "POST", "/api/v1/runs",
                                     {{"Authorization", bearer(m_server->token())}}, big);
        QCOMPARE(r.status, 413);
        CHECK_EQ(r.json()["error"]["code"], "too_large");
        const HttpReply chunked =
            httpCall(m_server->port(), "POST", "/api/v1/runs",
                     {{"Authorization", bearer(m_server->token())}, {"Transfer-Encoding", "chunked"}});
        QCOMPARE(chunked.status, 411);
        const HttpReply headers =
            httpCall(m_server->port(), "GET", "/api/v1/runs", {{"X-Filler", QByteArray(64 * 1024, 'y')}});
        QCOMPARE(headers.status, 431);
        // Still serving.
        QCOMPARE(get("/api/v1/backends").status, 200);
    }

    void corsOnlyForGivenOrigins()
    {
        const HttpReply allowed =
            httpCall(m_server->port(), "OPTIONS", "/api/v1/runs", {{"Origin", "https://admin.example.com"}});
        QCOMPARE(allowed.status, 204);
        CHECK_EQ(allowed.header("access-control-allow-origin"), "https://admin.example.com");
        QVERIFY(allowed.header("access-control-allow-headers").find("Authorization") != std::string::npos);
        const HttpReply other =
            httpCall(m_server->port(), "OPTIONS", "/api/v1/runs", {{"Origin", "https://evil.example.com"}});
        QCOMPARE(other.status, 403);
        QVERIFY(other.header("access-control-allow-origin").empty());
        const HttpReply get =
            httpCall(m_server->port(), "GET", "/api/v1/backends",
                     {{"Origin", "https://evil.example.com"}, {"Authorization", bearer(m_server->token())}});
        QVERIFY(get.header("access-control-allow-origin").empty());
        QVERIFY(get.header("set-cookie").empty());
    }

    void cancelsARun()
    {
        const std::string id = startGated("never");
        QVERIFY(!id.empty());
        SseReader events(m_server->port(), eventsPath(id), m_server->token().toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(latestState(events, "wait") == "running", kWait);
        const HttpReply cancelled =
            post(QByteArray::fromStdString("/api/v1/runs/" + id + "/cancel"), nlohmann::json::object());
        QCOMPARE(cancelled.status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(events.closed(), kWait);
        CHECK_EQ(events.events().back().kind, "end");
        CHECK_EQ(events.events().back().data["state"], "cancelled");
        QVERIFY(!sawState(events, "report", "running"));
        CHECK_EQ(get(QByteArray::fromStdString("/api/v1/runs/" + id)).json()["state"], "cancelled");
        // A run that ended cannot be cancelled again; a GET is not a cancel.
        QCOMPARE(httpCall(m_server->port(), "GET",
                          QByteArray::fromStdString("/api/v1/runs/" + id + "/cancel"),
                          {{"Authorization", bearer(m_server->token())}})
                     .status,
                 405);
    }

    void followsLogsLive()
    {
        const std::string id = startGated("logs");
        QVERIFY(!id.empty());
        SseReader log(m_server->port(),
                      QByteArray::fromStdString("/api/v1/runs/" + id + "/logs/wait?follow=1"),
                      m_server->token().toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(log.raw().contains("waiting for gate"), kWait);
        QVERIFY(!log.closed());
        QVERIFY(!log.raw().contains("gate open"));
        QFile gate(gatePath("logs"));
        QVERIFY(gate.open(QIODevice::WriteOnly));
        gate.close();
        QTRY_VERIFY_WITH_TIMEOUT(log.closed(), kWait);
        QVERIFY(log.raw().contains("gate open"));
        QCOMPARE(log.status(), 200);
    }

    // 50 clients read one run's events while it runs; ten more fill the
    // limit; the next is turned away; clients that leave cost nothing.
    void manyClientsFollowOneRun()
    {
        const std::string id = startGated("many");
        QVERIFY(!id.empty());
        std::vector<std::unique_ptr<SseReader>> readers;
        for (int i = 0; i < 50; ++i)
            readers.push_back(
                std::make_unique<SseReader>(m_server->port(), eventsPath(id), m_server->token().toUtf8()));
        auto allSee = [&](auto pred) {
            return std::all_of(readers.begin(), readers.end(), [&](const auto &r) { return pred(*r); });
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            allSee([](const SseReader &r) { return latestState(r, "wait") == "running"; }), kWait);
        std::vector<std::unique_ptr<SseReader>> leaving;
        for (int i = 0; i < 10; ++i)
            leaving.push_back(
                std::make_unique<SseReader>(m_server->port(), eventsPath(id), m_server->token().toUtf8()));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(leaving.begin(), leaving.end(), [](const auto &r) { return r->find("snapshot"); }),
            kWait);
        const HttpReply refused = get(eventsPath(id));
        QCOMPARE(refused.status, 503);
        CHECK_EQ(refused.json()["error"]["code"], "too_many_streams");
        for (auto &r : leaving)
            r->abort();
        leaving.clear();
        // Their places free up once the server has seen them go: a stream of a
        // run that has ended (it sends the snapshot and the end, then closes)
        // is served again rather than refused.
        const nlohmann::json ended = get("/api/v1/runs?pipeline=tfx-training&state=succeeded").json();
        QVERIFY(!ended["runs"].empty());
        const std::string endedId = ended["runs"][0]["id"];
        QTRY_VERIFY_WITH_TIMEOUT(get(eventsPath(endedId)).status == 200, kWait);
        const HttpReply replay = get(eventsPath(endedId));
        QCOMPARE(replay.status, 200);
        QVERIFY(replay.body.contains("event: end"));
        QFile gate(gatePath("many"));
        QVERIFY(gate.open(QIODevice::WriteOnly));
        gate.close();
        QTRY_VERIFY_WITH_TIMEOUT(allSee([](const SseReader &r) { return r.closed(); }), kWait);
        for (const auto &r : readers) {
            CHECK_EQ(r->events().front().kind, "snapshot");
            CHECK_EQ(r->events().back().kind, "end");
            CHECK_EQ(r->events().back().data["state"], "succeeded");
            QVERIFY(sawState(*r, "report", "succeeded"));
        }
    }

    // A client that stops reading a followed log is dropped once the server
    // holds enough for it; the run, and readers that keep up, go on.
    void slowReaderDoesNotHoldUpTheRun()
    {
        const HttpReply started =
            post("/api/v1/runs",
                 {{"pipeline", "gated"},
                  {"parameters", {{"gate", gatePath("slow").toStdString()}, {"chatter", 300000}}}});
        QCOMPARE(started.status, 201);
        const std::string id = started.json()["id"];
        const QByteArray logPath = QByteArray::fromStdString("/api/v1/runs/" + id + "/logs/wait?follow=1");
        QTcpSocket slow; // takes at most 4 KiB from the kernel, never reads them
        slow.setReadBufferSize(4096);
        slow.connectToHost("127.0.0.1", m_server->port());
        QVERIFY(slow.waitForConnected(kWait));
        slow.write("GET " + logPath + " HTTP/1.1\r\nAuthorization: " + bearer(m_server->token()) +
                   "\r\n\r\n");
        SseReader events(m_server->port(), eventsPath(id), m_server->token().toUtf8());
        SseReader log(m_server->port(), logPath, m_server->token().toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(log.raw().contains("waiting for gate"), kWait);
        QFile gate(gatePath("slow"));
        QVERIFY(gate.open(QIODevice::WriteOnly));
        gate.close();
        QTRY_VERIFY_WITH_TIMEOUT(events.closed(), kWait);
        CHECK_EQ(events.events().back().data["state"], "succeeded");
        QTRY_VERIFY_WITH_TIMEOUT(log.closed(), kWait);
        QVERIFY(log.raw().contains("gate open"));
        QVERIFY(log.raw().size() > 30000000);
        // What the slow client can still read stops short: it was dropped.
        slow.setReadBufferSize(0);
        QByteArray got;
        QDeadlineTimer deadline(kWait);
        while (slow.state() == QAbstractSocket::ConnectedState && !deadline.hasExpired()) {
            slow.waitForReadyRead(1000);
            got += slow.readAll();
        }
        got += slow.readAll();
        QVERIFY(got.startsWith("HTTP/1.1 200"));
        QVERIFY2(!got.contains("gate open"), QByteArray::number(got.size()).constData());
        QVERIFY(got.size() < log.raw().size());
    }

    // A backend that can only be asked (a plugin, like KFP or Argo): runs go
    // there by name, their events come from polling, and what it cannot do
    // is refused with its reason. --backend limits what the API offers.
    void servesAPluginBackend()
    {
        ServeProcess server({"--pipelines", m_pipelines, "--backend", "sim"},
                            {"PIPEWRIGHT_PLUGIN_PATH=" + QStringLiteral(PW_TEST_PLUGIN_DIR)},
                            "backends:\n- name: sim\n  kind: simulated\n  url: https://sim.example\n"
                            "  settings: {pollMs: '5'}\n");
        QVERIFY2(server.ok(), qPrintable(server.error()));
        const QByteArray auth = bearer(server.token());
        const HttpReply backends =
            httpCall(server.port(), "GET", "/api/v1/backends", {{"Authorization", auth}});
        QCOMPARE(backends.status, 200);
        const nlohmann::json list = backends.json()["backends"];
        QVERIFY2(list.size() == 1, backends.body.constData()); // local is not offered
        CHECK_EQ(list[0]["name"], "sim");
        CHECK_EQ(list[0]["kind"], "simulated");
        const HttpReply started =
            httpCall(server.port(), "POST", "/api/v1/runs", {{"Authorization", auth}},
                     QByteArray::fromStdString(nlohmann::json{{"pipeline", "tfx-training"}}.dump()));
        QCOMPARE(started.status, 201);
        CHECK_EQ(started.json()["backend"], "sim"); // the one offered is the default
        const std::string id = started.json()["id"];
        SseReader events(server.port(),
                         QByteArray::fromStdString("/api/v1/runs/" + id + "/events?backend=sim"),
                         server.token().toUtf8());
        QTRY_VERIFY_WITH_TIMEOUT(events.closed(), kWait);
        QCOMPARE(events.status(), 200);
        CHECK_EQ(events.events().front().kind, "snapshot");
        CHECK_EQ(events.events().back().kind, "end");
        QVERIFY(events.find("task"));
        const HttpReply runs =
            httpCall(server.port(), "GET", "/api/v1/runs?backend=sim", {{"Authorization", auth}});
        QCOMPARE(runs.status, 200);
        CHECK_EQ(runs.json()["runs"][0]["id"], id);
        const HttpReply retry = httpCall(
            server.port(), "POST", QByteArray::fromStdString("/api/v1/runs/" + id + "/retry?backend=sim"),
            {{"Authorization", auth}});
        QCOMPARE(retry.status, 409);
        QVERIFY(retry.json()["error"]["message"].get<std::string>().find("sim") != std::string::npos);
        QCOMPARE(
            httpCall(server.port(), "GET", "/api/v1/runs?backend=local", {{"Authorization", auth}}).status,
            404);
    }

    void retriesAndReruns()
    {
        const HttpReply runs = get("/api/v1/runs?pipeline=gated&state=cancelled");
        QVERIFY(!runs.json()["runs"].empty());
        const std::string id = runs.json()["runs"][0]["id"];
        const HttpReply rerun =
            post(QByteArray::fromStdString("/api/v1/runs/" + id + "/rerun"), nlohmann::json::object());
        QCOMPARE(rerun.status, 201);
        const std::string again = rerun.json().value("id", "");
        QVERIFY(!again.empty() && again != id);
        const HttpReply cancelled =
            post(QByteArray::fromStdString("/api/v1/runs/" + again + "/cancel"), nlohmann::json::object());
        QCOMPARE(cancelled.status, 200);
        QCOMPARE(get(QByteArray::fromStdString("/api/v1/runs/nope-not-a-run")).status, 404);
    }

    void servesOpenApi()
    {
        const HttpReply r = get("/api/openapi.json");
        QCOMPARE(r.status, 200);
        const nlohmann::json doc = r.json();
        QVERIFY(doc.value("openapi", "").rfind("3.", 0) == 0);
        QVERIFY(doc["paths"].contains("/api/v1/runs/{id}/events"));
        // docs/api.md has a "### METHOD PATH" section for each operation, and no other.
        QFile md(QStringLiteral(PW_SOURCE_DIR) + "/docs/api.md");
        QVERIFY(md.open(QIODevice::ReadOnly));
        std::set<std::string> documented;
        for (const QByteArray &line : md.readAll().split('\n'))
            if (line.startsWith("### GET /") || line.startsWith("### POST /"))
                documented.insert(line.mid(4).trimmed().toStdString());
        std::set<std::string> described;
        for (const auto &[path, operations] : doc["paths"].items())
            for (const auto &[method, op] : operations.items())
                described.insert(QByteArray::fromStdString(method).toUpper().toStdString() + " " + path);
        for (const std::string &op : described)
            QVERIFY2(documented.count(op), ("docs/api.md does not document " + op).c_str());
        for (const std::string &op : documented)
            QVERIFY2(described.count(op), ("openapi.json does not describe " + op).c_str());
        QCOMPARE(described.size(), 13u);
    }

    void cleanupTestCase()
    {
        // After every test's runs, the token is in no file the server wrote.
        const QStringList holding = m_server->filesContaining(m_server->token());
        QVERIFY2(holding.isEmpty(), qPrintable(holding.join(", ")));
        const QString all = m_server->output();
        m_server.reset();
        QVERIFY(!all.contains("error"));
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
