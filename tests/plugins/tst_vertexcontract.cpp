// SPDX-License-Identifier: Apache-2.0
// The Vertex backend against a loopback server that enforces the published
// contract of Vertex AI v1, Cloud Logging v2 and Cloud Storage
// (tests/servers/vertex: the protos with the proto3 JSON mapping, bearer
// tokens, Google's error shapes, jobs that move as they are watched). Where
// Google's own Node client was captured talking REST, the plugin's requests
// must take the same shape.
#include "enginefixture.h"
#include "formats/pipelineloader.h"
#include "runs/await.h"
#include "runs/backendregistry.h"
#include "runs/runservice.h"
#include "runs/runwatch.h"
#include "testdata.h"
#include "vertextestserver.h"
#include "watchevents.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

#include <set>

using namespace pw;
using namespace pw::test;

namespace {

std::string why(const Error &e) { return e.message; }

std::string readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

void writeFile(const QString &path, const std::string &text)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(QByteArray::fromStdString(text));
}

nlohmann::json bodyOf(const nlohmann::json &request)
{
    if (!request.contains("body") || !request["body"].is_string())
        return nullptr;
    return nlohmann::json::parse(request["body"].get<std::string>(), nullptr, false);
}

// The object keys of a JSON value, nested ones as "a.b" (maps' own keys excluded).
std::set<std::string> keysOf(const nlohmann::json &j, const std::string &prefix = {})
{
    std::set<std::string> keys;
    if (!j.is_object())
        return keys;
    for (const auto &[k, v] : j.items()) {
        keys.insert(prefix + k);
        if (k != "parameterValues" && k != "labels" && k != "pipelineSpec" && k != "inputArtifacts" &&
            k != "parameters")
            for (const std::string &nested : keysOf(v, prefix + k + "."))
                keys.insert(nested);
    }
    return keys;
}

} // namespace

class TestVertexContract final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.ok(), qPrintable(m_server.error()));
        QVERIFY(m_registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}).empty());
        const std::string url = m_server.url().toStdString();
        const CredentialSource token{CredentialSource::Kind::File, m_server.tokenFile().toStdString()};
        const std::map<std::string, std::string> settings = {
            {"project", "pipewright-test"}, {"location", "us-central1"},
            {"outputDir", "gs://pipewright-bucket/runs"}, {"labels", "team=ml"},
            {"loggingUrl", url}, {"storageUrl", url}, {"pollMs", "50"}};
        auto noDir = settings;
        noDir.erase("outputDir");
        m_registry.setConfigs({
            {"vertex", "vertex", url, {}, settings, token},
            {"no-output-dir", "vertex", url, {}, noDir, token},
            {"wrong-token", "vertex", url, {}, settings, {CredentialSource::Kind::Command, "echo not-a-valid-token"}},
        });
        auto pipeline = loadPipelineFile(testDataPath("vertex/contract.pipewright.yaml").toStdString());
        QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().message.c_str());
        m_pipeline = *pipeline;
    }

    void probeNamesTheProject()
    {
        auto info = await(backend("vertex")->probe());
        QVERIFY2(info.ok(), info.ok() ? "" : why(info.error()).c_str());
        QCOMPARE(info->api, std::string("v1"));
        QVERIFY(info->detail.find("pipewright-test") != std::string::npos);
    }

    void aRefusedTokenIsGooglesErrorWithoutTheToken()
    {
        auto refused = await(backend("wrong-token")->listRuns({}));
        QVERIFY(!refused.ok());
        const std::string message = why(refused.error());
        QVERIFY2(message.find("HTTP 401") != std::string::npos, message.c_str());
        QVERIFY2(message.find("invalid authentication credentials") != std::string::npos, message.c_str());
        QVERIFY2(message.find("not-a-valid-token") == std::string::npos, message.c_str());
    }

    // The whole life of a job: created with the typed parameters, watched to
    // the end (flaky fails once and is retried; publish's condition is false),
    // logs from Cloud Logging, the metric from Cloud Storage.
    void runsToTheEnd()
    {
        Backend *b = backend("vertex");
        RunSettings settings;
        settings.serviceAccount = "runner@pipewright-test.iam.gserviceaccount.com";
        settings.parameters = {{"greeting", "hej"}, {"rounds", "3"}};
        auto request = RunService::prepare(m_pipeline, settings);
        QVERIFY2(request.ok(), request.ok() ? "" : why(request.error()).c_str());
        auto submitted = await(b->submit(*request));
        QVERIFY2(submitted.ok(), submitted.ok() ? "" : why(submitted.error()).c_str());
        QVERIFY2(submitted->id.rfind("vertex-contract-", 0) == 0, submitted->id.c_str());
        QCOMPARE(submitted->webUrl, "https://console.cloud.google.com/vertex-ai/locations/us-central1/pipelines/runs/" +
                                        submitted->id + "?project=pipewright-test");

        const auto sent = lastRequest("POST", "/v1/projects/pipewright-test/locations/us-central1/pipelineJobs");
        QCOMPARE(sent["status"].get<int>(), 200);
        QCOMPARE(sent["query"]["pipelineJobId"][0].get<std::string>(), submitted->id);
        const auto job = bodyOf(sent);
        QCOMPARE(job["runtimeConfig"]["gcsOutputDirectory"].get<std::string>(), std::string("gs://pipewright-bucket/runs"));
        QVERIFY2(job["runtimeConfig"]["parameterValues"]["rounds"] == nlohmann::json(3), job.dump().c_str()); // typed, not "3"
        QCOMPARE(job["serviceAccount"].get<std::string>(), settings.serviceAccount);
        QCOMPARE(job["labels"]["team"].get<std::string>(), std::string("ml"));

        auto watch = b->watch(submitted->id);
        watch->followLogs("produce");
        const auto events = collectEvents(*watch);
        QCOMPARE(int(events.front().kind), int(RunEvent::Kind::Snapshot));
        QCOMPARE(stateText(events.back().state), QString("succeeded"));
        std::map<std::string, std::vector<std::string>> states;
        bool sawLog = false;
        for (const RunEvent &e : events) {
            if (e.kind == RunEvent::Kind::Task)
                states[e.task.id].push_back(std::string(toString(e.task.state)));
            if (e.kind == RunEvent::Kind::Log && e.taskId == "produce" && !e.lines.empty())
                sawLog = true;
        }
        QVERIFY(std::find(states["produce"].begin(), states["produce"].end(), "running") != states["produce"].end());
        QCOMPARE(states["produce"].back(), std::string("succeeded"));
        QVERIFY(sawLog);

        auto run = await(b->getRun(submitted->id));
        QVERIFY2(run.ok(), run.ok() ? "" : why(run.error()).c_str());
        QCOMPARE(run->pipelineName, std::string("vertex-contract"));
        const TaskRecord *flaky = run->task("flaky");
        QVERIFY2(flaky, toJson(*run).dump().c_str());
        QCOMPARE(stateText(flaky->state), QString("succeeded"));
        QCOMPARE(flaky->attempts, 2); // the failed CustomJob, then the one that worked
        const TaskRecord *group = run->task("if-goodbye");
        QVERIFY2(group, toJson(*run).dump().c_str());
        QCOMPARE(stateText(group->state), QString("skipped")); // NOT_TRIGGERED
        QCOMPARE(group->kind, std::string("dag"));
        QCOMPARE(group->displayName, std::string("Said goodbye"));
        const TaskRecord *produce = run->task("produce");
        QVERIFY(produce);
        QVERIFY2(produce->inputs["parameters"]["greeting"] == nlohmann::json("hej"), produce->inputs.dump().c_str());
        QVERIFY2(produce->outputs["parameters"]["text"] == nlohmann::json("hello"), produce->outputs.dump().c_str());

        auto log = await(b->logs(submitted->id, "produce"));
        QVERIFY2(log.ok(), log.ok() ? "" : why(log.error()).c_str());
        QVERIFY2(log->find("[produce]") != std::string::npos, log->c_str());
        const auto entries = lastRequest("POST", "/v2/entries:list");
        const auto query = bodyOf(entries);
        QCOMPARE(query["resourceNames"][0].get<std::string>(), std::string("projects/pipewright-test"));
        QVERIFY(query["filter"].get<std::string>().find("resource.type=\"ml_job\"") != std::string::npos);

        // The metric the task wrote, read from Cloud Storage.
        bool accuracy = false;
        for (const MetricRecord &m : run->metrics)
            accuracy = accuracy || (m.task == "produce" && m.name == "accuracy" && std::abs(m.value - 0.93) < 1e-9);
        QVERIFY2(accuracy, toJson(*run).dump().c_str());
        // Its file, from Cloud Storage (the object name is one URL segment).
        auto file = std::find_if(run->artifacts.begin(), run->artifacts.end(),
                                 [](const ArtifactRecord &a) { return a.task == "produce" && a.name == "metrics"; });
        QVERIFY2(file != run->artifacts.end(), toJson(*run).dump().c_str());
        QVERIFY2(file->uri.rfind("gs://pipewright-bucket/runs/", 0) == 0, file->uri.c_str());
        auto content = await(b->readArtifact(submitted->id, *file));
        QVERIFY2(content.ok(), content.ok() ? "" : why(content.error()).c_str());
        QVERIFY2(content->find("accuracy") != std::string::npos, content->c_str());
    }

    void aFailedTaskSaysWhy()
    {
        auto failing = loadPipelineFile(testDataPath("vertex/failing.pipewright.yaml").toStdString());
        QVERIFY(failing.ok());
        auto request = RunService::prepare(*failing, {});
        QVERIFY2(request.ok(), request.ok() ? "" : why(request.error()).c_str());
        Backend *b = backend("vertex");
        auto submitted = await(b->submit(*request));
        QVERIFY2(submitted.ok(), submitted.ok() ? "" : why(submitted.error()).c_str());
        auto watch = b->watch(submitted->id);
        const auto events = collectEvents(*watch);
        QCOMPARE(stateText(events.back().state), QString("failed"));
        auto run = await(b->getRun(submitted->id));
        QVERIFY(run.ok());
        QVERIFY2(run->message.find("broken") != std::string::npos, run->message.c_str());
        const TaskRecord *broken = run->task("broken");
        QVERIFY(broken && broken->state == TaskState::Failed);
        QVERIFY2(broken->message.find("non-zero status") != std::string::npos, broken->message.c_str());
        auto log = await(b->logs(submitted->id, "broken"));
        QVERIFY(log.ok());
        QVERIFY2(log->find("ERROR") != std::string::npos, log->c_str());
    }

    void anOutputDirectoryIsRequiredBeforeAsking()
    {
        const std::size_t before = m_server.requests().size();
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        auto refused = await(backend("no-output-dir")->submit(*request));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().where.field, std::string("runtimeConfig.gcsOutputDirectory"));
        QVERIFY2(why(refused.error()).find("outputDir") != std::string::npos, why(refused.error()).c_str());
        QCOMPARE(m_server.requests().size(), before); // nothing was sent
        // A run that names one goes through.
        request->pipelineRoot = "gs://pipewright-bucket/elsewhere";
        auto made = await(backend("no-output-dir")->submit(*request));
        QVERIFY2(made.ok(), made.ok() ? "" : why(made.error()).c_str());
    }

    void cancelStopsAJob()
    {
        Backend *b = backend("vertex");
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
        // Cancelling again is Vertex's FAILED_PRECONDITION, quoted.
        auto again = await(b->cancel(submitted->id));
        QVERIFY(!again.ok());
        QVERIFY2(why(again.error()).find("HTTP 400") != std::string::npos, why(again.error()).c_str());
    }

    void listsFilterAndPage()
    {
        Backend *b = backend("vertex");
        RunSettings settings;
        settings.runName = "listed run";
        auto request = RunService::prepare(m_pipeline, settings);
        QVERIFY(request.ok());
        for (int i = 0; i < 3; ++i)
            QVERIFY(await(b->submit(*request)).ok()); // same second: ids get -2, -3
        RunQuery query;
        query.nameContains = "listed";
        query.pageSize = 2;
        auto first = await(b->listRuns(query));
        QVERIFY2(first.ok(), first.ok() ? "" : why(first.error()).c_str());
        QCOMPARE(first->runs.size(), std::size_t(2));
        QVERIFY(!first->nextPageToken.empty());
        query.pageToken = first->nextPageToken;
        auto second = await(b->listRuns(query));
        QVERIFY2(second.ok(), second.ok() ? "" : why(second.error()).c_str());
        QCOMPARE(second->runs.size(), std::size_t(1));
        for (const RunGraph &r : first->runs)
            QCOMPARE(r.name, std::string("listed run"));
        query = {};
        query.state = RunState::Paused;
        auto paused = await(b->listRuns(query));
        QVERIFY2(paused.ok(), paused.ok() ? "" : why(paused.error()).c_str());
        QVERIFY(paused->runs.empty());
    }

    void cloneGivesTheRequestBack()
    {
        Backend *b = backend("vertex");
        RunSettings settings;
        settings.parameters = {{"greeting", "bonjour"}};
        auto request = RunService::prepare(m_pipeline, settings);
        QVERIFY(request.ok());
        auto submitted = await(b->submit(*request));
        QVERIFY(submitted.ok());
        auto clone = await(b->runRequest(submitted->id));
        QVERIFY2(clone.ok(), clone.ok() ? "" : why(clone.error()).c_str());
        QVERIFY(clone->parameters.at("greeting") == nlohmann::json("bonjour"));
        QCOMPARE(clone->spec.pipelineName, std::string("vertex-contract"));
        QCOMPARE(clone->pipelineRoot, std::string("gs://pipewright-bucket/runs"));
        QVERIFY2(clone->options["labels"] == nlohmann::json({{"team", "ml"}}), clone->options.dump().c_str()); // not Vertex's billing label
        auto again = await(b->submit(*clone));
        QVERIFY2(again.ok(), again.ok() ? "" : why(again.error()).c_str());
    }

    void deleteAFinishedJob()
    {
        Backend *b = backend("vertex");
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        auto submitted = await(b->submit(*request));
        QVERIFY(submitted.ok());
        auto early = await(b->deleteRun(submitted->id)); // still pending: Vertex refuses
        QVERIFY(!early.ok());
        auto watch = b->watch(submitted->id);
        collectEvents(*watch);
        auto deleted = await(b->deleteRun(submitted->id));
        QVERIFY2(deleted.ok(), deleted.ok() ? "" : why(deleted.error()).c_str());
        auto gone = await(b->getRun(submitted->id));
        QVERIFY(!gone.ok());
        QVERIFY2(why(gone.error()).find("HTTP 404") != std::string::npos, why(gone.error()).c_str());
    }

    // Vertex keeps the time zone: the cron goes as written, after TZ=.
    void schedulesKeepTheirTimeZone()
    {
        Backend *b = backend("vertex");
        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        ScheduleRequest schedule;
        schedule.run = *request;
        schedule.name = "daily tokyo";
        schedule.cron = "0 6 * * *";
        schedule.timeZone = "Asia/Tokyo";
        schedule.maxConcurrency = 2;
        auto made = await(b->createSchedule(schedule));
        QVERIFY2(made.ok(), made.ok() ? "" : why(made.error()).c_str());
        QCOMPARE(made->cron, std::string("0 6 * * *"));
        QCOMPARE(made->timeZone, std::string("Asia/Tokyo"));
        QCOMPARE(made->maxConcurrency, 2);
        QVERIFY(made->enabled);
        const auto sent = bodyOf(lastRequest("POST", "/v1/projects/pipewright-test/locations/us-central1/schedules"));
        QCOMPARE(sent["cron"].get<std::string>(), std::string("TZ=Asia/Tokyo 0 6 * * *"));

        // A day on the server's clock starts a job that names the schedule.
        const auto clock = m_server.control("POST", "/_test/clock?advance=86400");
        QVERIFY2(!clock["started"].empty(), clock.dump().c_str());
        auto runs = await(b->listRuns({}));
        QVERIFY(runs.ok());
        QVERIFY(std::any_of(runs->runs.begin(), runs->runs.end(),
                            [&](const RunGraph &r) { return extraText(r.extra, "schedule") == made->id; }));

        QVERIFY(await(b->setScheduleEnabled(made->id, false)).ok());
        auto list = await(b->listSchedules());
        QVERIFY2(list.ok(), list.ok() ? "" : why(list.error()).c_str());
        auto found = std::find_if(list->begin(), list->end(), [&](const Schedule &s) { return s.id == made->id; });
        QVERIFY(found != list->end());
        QVERIFY(!found->enabled);
        QVERIFY(await(b->setScheduleEnabled(made->id, true)).ok());
        QVERIFY(await(b->deleteSchedule(made->id)).ok());
        list = await(b->listSchedules());
        QVERIFY(std::none_of(list->begin(), list->end(), [&](const Schedule &s) { return s.id == made->id; }));

        schedule.cron = "30 0 6 * * *"; // Vertex runs on the minute
        auto refused = await(b->createSchedule(schedule));
        QVERIFY(!refused.ok());
        schedule.cron = "0 6 * * *";
        schedule.timeZone = "Mars/Olympus";
        refused = await(b->createSchedule(schedule));
        QVERIFY(!refused.ok());
        QVERIFY(why(refused.error()).find("Mars/Olympus") != std::string::npos);
    }

    void anExpiredTokenIsRenewedOnce()
    {
        Backend *b = backend("vertex");
        QVERIFY(await(b->listRuns({})).ok());
        m_server.control("POST", "/_test/expire-token");
        m_server.setTokens({"vertex-token-2"}); // what a rotated file or a token command gives next
        const std::size_t before = m_server.requests().size();
        auto list = await(b->listRuns({}));
        QVERIFY2(list.ok(), list.ok() ? "" : why(list.error()).c_str());
        const auto log = m_server.requests();
        QCOMPARE(log.size(), before + 2);
        QCOMPARE(log[before]["status"].get<int>(), 401);
        QCOMPARE(log[before + 1]["status"].get<int>(), 200);
    }

    // The whole OAuth path: a service-account key, a JWT-bearer grant at a
    // token endpoint that checks it as Google's does, the access token it
    // hands out accepted by Vertex, and a new grant when Vertex says it expired.
    void aServiceAccountKeyIsGrantedAndRenewed()
    {
        QTemporaryDir dir;
        const QString keyPem = dir.filePath("key.pem"), publicPem = dir.filePath("public.pem");
        QCOMPARE(QProcess::execute("openssl", {"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                                               "-out", keyPem, "-quiet"}),
                 0);
        QCOMPARE(QProcess::execute("openssl", {"pkey", "-in", keyPem, "-pubout", "-out", publicPem}), 0);
        const std::string email = "runner@pipewright-test.iam.gserviceaccount.com";
        writeFile(dir.filePath("config.json"),
                  nlohmann::json{{"service_accounts",
                                  {{{"client_email", email}, {"kid", "key-1"}, {"public_key_pem", readFile(publicPem)}}}},
                                 {"expires_in", 3599}}
                      .dump());
        LoopbackServer tokens("google/token_server.py", {"--config", dir.filePath("config.json"), "--log",
                                                         dir.filePath("grants.jsonl"), "--issued", m_server.tokenFile()});
        QVERIFY2(tokens.ok(), qPrintable(tokens.error()));
        writeFile(dir.filePath("sa.json"), nlohmann::json{{"type", "service_account"},
                                                          {"project_id", "pipewright-test"},
                                                          {"private_key_id", "key-1"},
                                                          {"private_key", readFile(keyPem)},
                                                          {"client_email", email},
                                                          {"client_id", "1234567890"},
                                                          {"token_uri", tokens.url().toStdString() + "/token"}}
                                               .dump());
        const std::string url = m_server.url().toStdString();
        BackendRegistry registry;
        QVERIFY(registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}).empty());
        registry.setConfigs({{"with-key", "vertex", url, {},
                              {{"project", "pipewright-test"}, {"location", "us-central1"},
                               {"googleCredentials", dir.filePath("sa.json").toStdString()}},
                              {}}});
        auto b = registry.backend("with-key");
        QVERIFY2(b.ok(), b.ok() ? "" : why(b.error()).c_str());
        auto first = await((*b)->listRuns({}));
        QVERIFY2(first.ok(), first.ok() ? "" : why(first.error()).c_str());
        const auto grants = [&] {
            QStringList lines = QString::fromStdString(readFile(dir.filePath("grants.jsonl"))).split('\n', Qt::SkipEmptyParts);
            return lines;
        };
        QCOMPARE(grants().size(), 1);
        const auto grant = nlohmann::json::parse(grants().front().toStdString());
        QCOMPARE(grant["status"].get<int>(), 200);
        QCOMPARE(grant["jwt_claims"]["scope"].get<std::string>(), std::string("https://www.googleapis.com/auth/cloud-platform"));
        QVERIFY(await((*b)->listRuns({})).ok());
        QCOMPARE(grants().size(), 1); // cached, not granted again

        // Vertex says the token expired: one new grant, and the call goes through.
        const QStringList issued = QString::fromStdString(readFile(m_server.tokenFile())).split('\n', Qt::SkipEmptyParts);
        m_server.control("POST", "/_test/expire-token?token=" + issued.back());
        auto renewed = await((*b)->listRuns({}));
        QVERIFY2(renewed.ok(), renewed.ok() ? "" : why(renewed.error()).c_str());
        QCOMPARE(grants().size(), 2);
    }

    // Google's Node client (@google-cloud/aiplatform, REST) was captured
    // creating, getting, cancelling and listing a job: the plugin's requests
    // take the same method, path, query names, auth scheme and body shape.
    void requestsHaveTheShapeOfGooglesClient()
    {
        QFile capture(QStringLiteral(PW_REFERENCE_DIR "/backends/google-auth/vertex_nodejs_client_rest_requests.jsonl"));
        QVERIFY(capture.open(QIODevice::ReadOnly));
        std::vector<nlohmann::json> google;
        for (const QByteArray &line : capture.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                google.push_back(nlohmann::json::parse(line.toStdString()));
        QCOMPARE(google.size(), std::size_t(4));

        Backend *b = backend("vertex");
        RunSettings settings;
        settings.serviceAccount = "sa@p.iam.gserviceaccount.com";
        settings.runName = "d";
        auto request = RunService::prepare(m_pipeline, settings);
        QVERIFY(request.ok());
        const std::size_t before = m_server.requests().size();
        auto submitted = await(b->submit(*request));
        QVERIFY(submitted.ok());
        QVERIFY(await(b->getRun(submitted->id)).ok());
        QVERIFY(await(b->cancel(submitted->id)).ok());
        RunQuery query;
        query.nameContains = "d";
        query.pageSize = 5;
        QVERIFY(await(b->listRuns(query)).ok());
        auto log = m_server.requests();
        std::vector<nlohmann::json> ours(log.begin() + long(before), log.end());
        std::erase_if(ours, [](const nlohmann::json &r) { return r["path"].get<std::string>().rfind("/v1/", 0) != 0; });
        QCOMPARE(ours.size(), std::size_t(4));

        // Project, job id and query values differ; the path must not, and
        // ours names every query parameter Google's client named.
        const auto pathShape = [](const std::string &path) {
            QString p = QUrl(QStringLiteral("http://x") + QString::fromStdString(path)).path();
            p.replace(QRegularExpression("/projects/[^/]+/"), "/projects/P/");
            p.replace(QRegularExpression("/pipelineJobs/[^/:]+"), "/pipelineJobs/ID");
            return p;
        };
        for (std::size_t i = 0; i < 4; ++i) {
            const std::string theirPath = google[i]["path"].get<std::string>();
            QCOMPARE(ours[i]["method"].get<std::string>(), google[i]["method"].get<std::string>());
            QCOMPARE(pathShape(ours[i]["path"].get<std::string>()), pathShape(theirPath));
            const QUrlQuery theirQuery(QUrl(QStringLiteral("http://x") + QString::fromStdString(theirPath)));
            for (const auto &[name, value] : theirQuery.queryItems())
                if (name != "$alt") // Google's clients ask for enums as numbers; ours read names
                    QVERIFY2(ours[i]["query"].contains(name.toStdString()), qPrintable(name));
            QCOMPARE(ours[i]["authorization"]["scheme"].get<std::string>(), std::string("Bearer"));
            const auto theirs = nlohmann::json::parse(google[i]["body"].get<std::string>().empty()
                                                          ? std::string("null")
                                                          : google[i]["body"].get<std::string>());
            const auto mine = bodyOf(ours[i]);
            if (theirs.is_null()) {
                QVERIFY2(mine.is_null() || mine.is_discarded(), ours[i].dump().c_str());
                continue;
            }
            // Google's client sends what it was given; ours sends at least those fields, in camelCase.
            for (const std::string &key : keysOf(theirs))
                if (key.rfind("runtimeConfig.parameters", 0) != 0 && key.rfind("runtimeConfig.inputArtifacts", 0) != 0)
                    QVERIFY2(keysOf(mine).count(key), (key + " missing in " + mine.dump().substr(0, 300)).c_str());
        }
    }

private:
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

    VertexTestServer m_server;
    BackendRegistry m_registry;
    Pipeline m_pipeline;
};

QTEST_GUILESS_MAIN(TestVertexContract)
#include "tst_vertexcontract.moc"
