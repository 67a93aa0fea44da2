// SPDX-License-Identifier: Apache-2.0
// The Argo backend against a loopback Argo Server that enforces the published
// contract (tests/servers/argo: the Swagger with Go's strict decoding, Argo's
// JSON schema and submit checks, bearer tokens, the gRPC-gateway's error
// shape, workflows that move one step each time they are observed, logs as
// server-sent events, artifacts as .tgz). Where a test must see a state in
// between, a second server moves workflows only when told (--manual-steps).
#include "argotestserver.h"
#include "enginefixture.h"
#include "formats/pipelineloader.h"
#include "runs/await.h"
#include "runs/backendregistry.h"
#include "runs/runservice.h"
#include "runs/runwatch.h"
#include "testdata.h"
#include "validate/rules.h"
#include "watchevents.h"

#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include <algorithm>
#include <set>

using namespace pw;
using namespace pw::test;

namespace {

const std::string kNs = "pipewright";

std::string why(const Error &e)
{
    return e.message;
}

nlohmann::json bodyOf(const nlohmann::json &request)
{
    if (!request.contains("body") || !request["body"].is_string())
        return nullptr;
    return nlohmann::json::parse(request["body"].get<std::string>(), nullptr, false);
}

// A query parameter of a logged request ("" when absent).
std::string queryValue(const nlohmann::json &request, const std::string &name)
{
    const auto &q = request["query"];
    return q.contains(name) && !q[name].empty() ? q[name][0].get<std::string>() : std::string();
}

bool isLogFor(const RunEvent &e, const std::string &task)
{
    return e.kind == RunEvent::Kind::Log && e.taskId == task;
}

// The states a task went through, as the watch reported them.
std::vector<std::string> taskStates(const std::vector<RunEvent> &events, const std::string &task)
{
    std::vector<std::string> states;
    for (const RunEvent &e : events) {
        if (e.kind == RunEvent::Kind::Snapshot)
            if (const TaskRecord *t = e.run->task(task))
                states.emplace_back(toString(t->state));
        if (e.kind == RunEvent::Kind::Task && e.task.id == task)
            states.emplace_back(toString(e.task.state));
    }
    return states;
}

// Whether an event says the task is in `state` (a first snapshot may).
bool says(const RunEvent &e, const std::string &task, TaskState state)
{
    if (e.kind == RunEvent::Kind::Task)
        return e.task.id == task && e.task.state == state;
    const TaskRecord *t = e.kind == RunEvent::Kind::Snapshot ? e.run->task(task) : nullptr;
    return t && t->state == state;
}

// The last state the watch reported for a task ("" when none).
std::string lastState(const std::vector<RunEvent> &events, const std::string &task)
{
    const auto states = taskStates(events, task);
    return states.empty() ? std::string() : states.back();
}

// What a watch says from its start. A test that talks to the server between
// two waits misses nothing: LoopbackServer::control() and await() run nested
// event loops, in which the watch goes on delivering.
class Recorder final {
public:
    explicit Recorder(RunWatch &watch) : m_watch(watch)
    {
        QObject::connect(&watch, &RunWatch::event, &m_context,
                         [this](const RunEvent &e) { m_events.push_back(e); });
    }

    // The events after those already returned, up to the first one `stop`
    // holds for, or the End; waits for it (a hung backend: a minute, then
    // what came, which then does not end with what was waited for).
    std::vector<RunEvent> until(const std::function<bool(const RunEvent &)> &stop = {})
    {
        const auto done = [&](const RunEvent &e) {
            return e.kind == RunEvent::Kind::End || (stop && stop(e));
        };
        const auto found = [&] {
            return std::find_if(m_events.begin() + long(m_next), m_events.end(), done);
        };
        if (found() == m_events.end()) {
            QEventLoop loop;
            // Connected after the recording one, so the event is recorded when this runs.
            QObject::connect(&m_watch, &RunWatch::event, &loop, [&](const RunEvent &e) {
                if (done(e))
                    loop.quit();
            });
            QTimer::singleShot(60000, &loop, &QEventLoop::quit);
            loop.exec();
        }
        const auto end = found();
        std::vector<RunEvent> out(m_events.begin() + long(m_next), end == m_events.end() ? end : end + 1);
        m_next += out.size();
        return out;
    }

private:
    RunWatch &m_watch;
    QObject m_context;
    std::vector<RunEvent> m_events;
    std::size_t m_next = 0;
};

// Whether `seen` only moves forward through `order` (repeats allowed).
bool inOrder(const std::vector<std::string> &seen, const std::vector<std::string> &order)
{
    std::size_t at = 0;
    for (const std::string &s : seen) {
        while (at < order.size() && order[at] != s)
            ++at;
        if (at == order.size())
            return false;
    }
    return true;
}

std::string joined(const std::vector<std::string> &items)
{
    std::string out;
    for (const std::string &s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

} // namespace

class TestArgoContract final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.ok(), qPrintable(m_server.error()));
        QVERIFY2(m_manual.ok(), qPrintable(m_manual.error()));
        QVERIFY(m_registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}).empty());
        const std::string url = m_server.url().toStdString();
        const CredentialSource token{CredentialSource::Kind::File, m_server.tokenFile().toStdString()};
        const std::map<std::string, std::string> settings = {{"pollMs", "50"}};
        m_registry.setConfigs({
            {"argo", "argo", url, kNs, settings, token},
            {"paging", "argo", url, "pw-paging", settings, token},
            {"anonymous", "argo", url, kNs, settings, {}},
            {"wrong-token",
             "argo",
             url,
             kNs,
             settings,
             {CredentialSource::Kind::Command, "echo not-a-valid-token"}},
            {"manual",
             "argo",
             m_manual.url().toStdString(),
             kNs,
             settings,
             {CredentialSource::Kind::File, m_manual.tokenFile().toStdString()}},
            // `argo auth token` prints the whole header value.
            {"whole-header",
             "argo",
             url,
             kNs,
             settings,
             {CredentialSource::Kind::Command, "echo Bearer argo-token-1"}},
            {"graceful",
             "argo",
             m_manual.url().toStdString(),
             kNs,
             {{"pollMs", "50"}, {"cancel", "stop"}},
             {CredentialSource::Kind::File, m_manual.tokenFile().toStdString()}},
        });
        m_pipeline = load("argo/contract.pipewright.yaml");
        m_quick = load("argo/quick.pipewright.yaml");
    }

    void probeSaysVersionAndNamespace()
    {
        auto info = await(backend("argo")->probe());
        QVERIFY2(info.ok(), info.ok() ? "" : why(info.error()).c_str());
        QCOMPARE(info->version, std::string("Argo v3.5.8"));
        QCOMPARE(info->api, std::string("v1"));
        QVERIFY2(info->detail.find(kNs) != std::string::npos, info->detail.c_str());
        const auto sent = lastRequest(m_server, "GET", "/api/v1/workflows/" + kNs);
        QCOMPARE(sent["status"].get<int>(), 200); // the namespace can be read
    }

    // No credential: the Argo Server's own 401 (code 16), and what to do about it.
    void aMissingTokenIsArgosOwnError()
    {
        auto refused = await(backend("anonymous")->listRuns({}));
        QVERIFY(!refused.ok());
        const std::string message = why(refused.error());
        QVERIFY2(message.find("HTTP 401") != std::string::npos, message.c_str());
        QVERIFY2(message.find("token not valid") != std::string::npos, message.c_str());
        QVERIFY2(message.find("--token-env") != std::string::npos, message.c_str());
    }

    // A wrong token is asked for once more (it may have rotated), then the
    // error quotes the server; the token is in no message.
    void aRefusedTokenNeverShowsTheToken()
    {
        Backend *b = backend("wrong-token");
        const std::size_t before = m_server.requests().size();
        auto refused = await(b->listRuns({}));
        QVERIFY(!refused.ok());
        const auto log = m_server.requests();
        QCOMPARE(log.size(), before + 2);
        QCOMPARE(log[before]["status"].get<int>(), 401);
        QCOMPARE(log[before + 1]["status"].get<int>(), 401);
        QCOMPARE(log[before]["authorization"]["scheme"].get<std::string>(), std::string("Bearer"));
        auto request = RunService::prepare(m_quick, {});
        QVERIFY(request.ok());
        auto submitted = await(b->submit(*request));
        QVERIFY(!submitted.ok());
        auto probed = await(b->probe());
        QVERIFY(!probed.ok());
        for (const std::string &message :
             {why(refused.error()), why(submitted.error()), why(probed.error())}) {
            QVERIFY2(message.find("HTTP 401") != std::string::npos, message.c_str());
            QVERIFY2(message.find("Unauthorized") != std::string::npos, message.c_str());
            QVERIFY2(message.find("not-a-valid-token") == std::string::npos, message.c_str());
        }
    }

    // A credential that is already "Bearer <token>" is sent as it is, not
    // as "Bearer Bearer ...".
    void aTokenWithItsSchemeIsSentAsItIs()
    {
        auto listed = await(backend("whole-header")->listRuns({}));
        QVERIFY2(listed.ok(), listed.ok() ? "" : why(listed.error()).c_str());
        const auto sent = lastRequest(m_server, "GET", "/api/v1/workflows/" + kNs);
        QCOMPARE(sent["status"].get<int>(), 200);
        QCOMPARE(sent["authorization"]["scheme"].get<std::string>(), std::string("Bearer"));
    }

    // The whole life of a workflow: submitted with the typed parameters,
    // watched to the end (produce seen running; sturdy's retry policy runs it
    // again; flaky fails, so the run fails; the condition is false), logs
    // streamed and read, the metric and visualizations from the archived
    // artifacts; then a retry runs what failed, in the same run, to success.
    void runsToTheEndThenRetriesWhatFailed()
    {
        Backend *b = backend("argo");
        RunSettings settings;
        settings.serviceAccount = "pipeline-runner-reports";
        settings.parameters = {{"greeting", "hej"}, {"rounds", "3"}};
        settings.runName = "contract run";
        auto request = RunService::prepare(m_pipeline, settings);
        QVERIFY2(request.ok(), request.ok() ? "" : why(request.error()).c_str());
        auto submitted = await(b->submit(*request));
        QVERIFY2(submitted.ok(), submitted.ok() ? "" : why(submitted.error()).c_str());
        const std::string id = submitted->id;
        QVERIFY2(id.rfind("argo-contract-", 0) == 0, id.c_str());
        QCOMPARE(submitted->webUrl, m_server.url().toStdString() + "/workflows/" + kNs + "/" + id);

        const auto sent = lastRequest(m_server, "POST", "/api/v1/workflows/" + kNs);
        QCOMPARE(sent["status"].get<int>(), 200);
        const auto wf = bodyOf(sent)["workflow"];
        QCOMPARE(wf["metadata"]["labels"]["pipelines.kubeflow.org/pipeline"].get<std::string>(),
                 std::string("argo-contract"));
        QCOMPARE(wf["metadata"]["annotations"]["pipelines.kubeflow.org/run_name"].get<std::string>(),
                 std::string("contract run"));
        QCOMPARE(wf["spec"]["serviceAccountName"].get<std::string>(), settings.serviceAccount);
        bool rounds = false;
        for (const auto &p : wf["spec"]["arguments"]["parameters"])
            rounds = rounds || (p["name"] == "rounds" && p["value"] == "3");
        QVERIFY2(rounds, wf["spec"]["arguments"].dump().c_str());

        // Nothing but this watch observes the workflow until the log stream
        // starts, so it sees every step up to produce running.
        auto watch = b->watch(id);
        watch->followLogs("produce");
        auto events = collectEvents(*watch);
        QVERIFY(!events.empty());
        QCOMPARE(int(events.front().kind), int(RunEvent::Kind::Snapshot));
        QCOMPARE(int(events.back().kind), int(RunEvent::Kind::End));
        QCOMPARE(stateText(events.back().state), QString("failed"));
        const auto produce = taskStates(events, "produce");
        QVERIFY2(std::find(produce.begin(), produce.end(), "running") != produce.end(),
                 joined(produce).c_str());
        QVERIFY2(inOrder(produce, {"pending", "running", "succeeded"}), joined(produce).c_str());
        QCOMPARE(produce.back(), std::string("succeeded"));
        QCOMPARE(lastState(events, "flaky"), std::string("failed"));
        std::vector<std::string> runStates{std::string(toString(events.front().run->state))};
        for (const RunEvent &e : events)
            if (e.kind == RunEvent::Kind::Run)
                runStates.emplace_back(toString(e.state));
        QVERIFY2(inOrder(runStates, {"pending", "running", "failed"}), joined(runStates).c_str());
        // The followed log came from the stream, and all of it before the End (nothing follows an End).
        const auto lines = [](const RunEvent &e) { return isLogFor(e, "produce") && !e.lines.empty(); };
        QVERIFY2(std::any_of(events.begin(), events.end(), lines), "no log line of produce");
        watch.reset();
        const auto followed = lastRequest(m_server, "GET", "/api/v1/workflows/" + kNs + "/" + id + "/log");
        QVERIFY(!followed.is_null());

        auto run = await(b->getRun(id));
        QVERIFY2(run.ok(), run.ok() ? "" : why(run.error()).c_str());
        QCOMPARE(run->name, std::string("contract run"));
        QCOMPARE(run->pipelineName, std::string("argo-contract"));
        QCOMPARE(stateText(run->state), QString("failed"));
        const TaskRecord *flaky = run->task("flaky");
        QVERIFY2(flaky, toJson(*run).dump().c_str());
        QCOMPARE(stateText(flaky->state), QString("failed"));
        QVERIFY2(flaky->message.find("exit code 1") != std::string::npos, flaky->message.c_str());
        const TaskRecord *sturdy = run->task("sturdy");
        QVERIFY2(sturdy, toJson(*run).dump().c_str());
        QCOMPARE(stateText(sturdy->state), QString("succeeded"));
        QCOMPARE(sturdy->attempts, 2); // its retry policy ran it again
        const TaskRecord *group = run->task("if-goodbye");
        QVERIFY2(group, toJson(*run).dump().c_str());
        QCOMPARE(stateText(group->state), QString("skipped"));
        const TaskRecord *producer = run->task("produce");
        QVERIFY(producer);
        QVERIFY2(producer->outputs["parameters"]["text"] == nlohmann::json("hello"),
                 producer->outputs.dump().c_str());

        // The log, plainly: the main container, with the kubelet's timestamps.
        auto log = await(b->logs(id, "produce"));
        QVERIFY2(log.ok(), log.ok() ? "" : why(log.error()).c_str());
        QVERIFY2(log->find(" out [produce] done") != std::string::npos, log->c_str());
        const auto plain = lastRequest(m_server, "GET", "/api/v1/workflows/" + kNs + "/" + id + "/log");
        QCOMPARE(queryValue(plain, "logOptions.container"), std::string("main"));
        QCOMPARE(queryValue(plain, "logOptions.follow"), std::string());
        QCOMPARE(queryValue(plain, "podName"), extraText(producer->extra, "podName"));

        // The metric and the visualizations, from the archived (.tgz) artifacts.
        bool accuracy = false;
        for (const MetricRecord &m : run->metrics)
            accuracy =
                accuracy || (m.task == "produce" && m.name == "accuracy" && std::abs(m.value - 0.93) < 1e-9);
        QVERIFY2(accuracy, toJson(*run).dump().c_str());
        std::set<std::string> visualizations;
        for (const ArtifactRecord &a : run->artifacts)
            if (a.task == "produce" && !a.visualization.empty())
                visualizations.insert(a.visualization);
        QVERIFY2(visualizations.count("markdown") && visualizations.count("table"),
                 toJson(*run).dump().c_str());
        auto metrics =
            std::find_if(run->artifacts.begin(), run->artifacts.end(), [](const ArtifactRecord &a) {
                return a.task == "produce" && a.name == "mlpipeline-metrics";
            });
        QVERIFY2(metrics != run->artifacts.end(), toJson(*run).dump().c_str());
        auto content = await(b->readArtifact(id, *metrics));
        QVERIFY2(content.ok(), content.ok() ? "" : why(content.error()).c_str());
        QVERIFY2(content->rfind("{", 0) == 0 && content->find("accuracy") != std::string::npos,
                 content->c_str());

        // Retry: flaky runs again (fail-once: now it works), in the same run.
        auto retried = await(b->retry(id));
        QVERIFY2(retried.ok(), retried.ok() ? "" : why(retried.error()).c_str());
        QCOMPARE(*retried, id);
        auto again = b->watch(id);
        const auto after = collectEvents(*again);
        QVERIFY(!after.empty());
        QCOMPARE(stateText(after.back().state), QString("succeeded"));
        QCOMPARE(lastState(after, "flaky"), std::string("succeeded"));
        run = await(b->getRun(id));
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->task("flaky")->state), QString("succeeded"));
        QCOMPARE(stateText(run->task("sturdy")->state), QString("succeeded")); // kept, not run again
    }

    // The Argo Server keeps a followed log open until the whole workflow has
    // completed; the watch closes it once the task has ended and reads the
    // log once more in full, while the rest of the workflow still runs.
    void aFinishedTaskClosesItsLogStream()
    {
        Backend *b = backend("manual");
        const std::string id = submit(b, m_pipeline);
        QVERIFY(!id.empty());
        auto watch = b->watch(id);
        Recorder recorded(*watch);
        watch->followLogs("produce");
        QCOMPARE(m_manual.advance(kNs, id, 2), std::string("Running")); // produce's pod runs
        auto events =
            recorded.until([](const RunEvent &e) { return isLogFor(e, "produce") && !e.lines.empty(); });
        QVERIFY2(!events.empty() && isLogFor(events.back(), "produce") && !events.back().lines.empty(),
                 "the stream brought nothing");
        QCOMPARE(lastState(events, "produce"), std::string("running"));
        const std::string logPath = "/api/v1/workflows/" + kNs + "/" + id + "/log";
        const auto follow = lastRequest(m_manual, "GET", logPath);
        QCOMPARE(queryValue(follow, "logOptions.follow"), std::string("true"));
        QCOMPARE(follow["headers"]["Accept"].get<std::string>(), std::string("text/event-stream"));

        QCOMPARE(m_manual.advance(kNs, id, 2), std::string("Running")); // produce ends, the next tasks start
        events = recorded.until(
            [](const RunEvent &e) { return isLogFor(e, "produce") && e.reset && !e.lines.empty(); });
        QVERIFY2(!events.empty() && isLogFor(events.back(), "produce") && events.back().reset,
                 "no full reading of the ended task's log");
        const RunEvent &last = events.back();
        QCOMPARE(lastState(events, "produce"), std::string("succeeded"));
        QVERIFY2(
            std::any_of(last.lines.begin(), last.lines.end(),
                        [](const std::string &l) { return l.find("[produce] done") != std::string::npos; }),
            joined(last.lines).c_str());
        // That reading is a plain one of the same pod, made once the stream had
        // been closed; the workflow has not completed.
        const auto plain = lastRequest(m_manual, "GET", logPath);
        QVERIFY(plain["seq"].get<int>() > follow["seq"].get<int>());
        QCOMPARE(queryValue(plain, "podName"), queryValue(follow, "podName"));
        QCOMPARE(queryValue(plain, "logOptions.follow"), std::string());
        QCOMPARE(m_manual.advance(kNs, id, 0), std::string("Running"));
        m_manual.advance(kNs, id, 100);
    }

    void cancelTerminatesARunningRun()
    {
        Backend *b = backend("manual");
        const std::string id = submit(b, m_pipeline);
        QVERIFY(!id.empty());
        auto watch = b->watch(id);
        Recorder recorded(*watch);
        QCOMPARE(m_manual.advance(kNs, id, 2), std::string("Running"));
        const auto running =
            recorded.until([](const RunEvent &e) { return says(e, "produce", TaskState::Running); });
        QVERIFY(!running.empty() && says(running.back(), "produce", TaskState::Running));
        QCOMPARE(lastState(running, "produce"), std::string("running"));
        auto state = await(b->cancel(id));
        QVERIFY2(state.ok(), state.ok() ? "" : why(state.error()).c_str());
        QCOMPARE(stateText(*state), QString("cancelling"));
        const auto sent = lastRequest(m_manual, "PUT", "/api/v1/workflows/" + kNs + "/" + id + "/terminate");
        QCOMPARE(sent["status"].get<int>(), 200);
        QCOMPARE(m_manual.advance(kNs, id, 100), std::string("Failed")); // as Argo ends a terminated workflow
        const auto rest = recorded.until();
        QVERIFY(!rest.empty());
        QCOMPARE(int(rest.back().kind), int(RunEvent::Kind::End));
        QCOMPARE(stateText(rest.back().state), QString("cancelled"));
        QVERIFY2(rest.back().message.find("Stopped with strategy 'Terminate'") != std::string::npos,
                 rest.back().message.c_str());
        QCOMPARE(lastState(rest, "produce"), std::string("cancelled"));

        // Argo refuses to shut down a completed workflow (400); the run is
        // over, so cancelling it is no error: the answer is how it ended.
        auto again = await(b->cancel(id));
        QVERIFY2(again.ok(), again.ok() ? "" : why(again.error()).c_str());
        QCOMPARE(stateText(*again), QString("cancelled"));
        QCOMPARE(lastRequest(m_manual, "PUT", "/api/v1/workflows/" + kNs + "/" + id + "/terminate")["status"]
                     .get<int>(),
                 400);
        const std::string done = submit(b, m_quick);
        QVERIFY(!done.empty());
        QCOMPARE(m_manual.advance(kNs, done, 100), std::string("Succeeded"));
        auto late = await(b->cancel(done));
        QVERIFY2(late.ok(), late.ok() ? "" : why(late.error()).c_str());
        QCOMPARE(stateText(*late), QString("succeeded"));
        // A run that does not exist is still an error.
        auto missing = await(b->cancel("no-such-workflow"));
        QVERIFY(!missing.ok());
        QVERIFY2(why(missing.error()).find("HTTP 404") != std::string::npos, why(missing.error()).c_str());
    }

    // With `cancel: stop` a run is stopped (its exit handlers run), not
    // terminated; it ends cancelled all the same.
    void stopInsteadOfTerminate()
    {
        Backend *b = backend("graceful");
        const std::string id = submit(b, m_pipeline);
        QVERIFY(!id.empty());
        QCOMPARE(m_manual.advance(kNs, id, 2), std::string("Running"));
        auto state = await(b->cancel(id));
        QVERIFY2(state.ok(), state.ok() ? "" : why(state.error()).c_str());
        QCOMPARE(stateText(*state), QString("cancelling"));
        QCOMPARE(lastRequest(m_manual, "PUT", "/api/v1/workflows/" + kNs + "/" + id + "/stop")["status"]
                     .get<int>(),
                 200);
        QVERIFY(lastRequest(m_manual, "PUT", "/api/v1/workflows/" + kNs + "/" + id + "/terminate").is_null());
        m_manual.advance(kNs, id, 100);
        auto run = await(b->getRun(id));
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), QString("cancelled"));
    }

    // Re-run on Argo: the server's resubmit, a new workflow from the old
    // one's spec (Argo keeps no request to clone).
    void resubmitStartsANewWorkflow()
    {
        Backend *b = backend("argo");
        QVERIFY(b->can(Capability::Resubmit) && !b->can(Capability::Clone));
        const std::string id = submit(b, m_quick);
        QVERIFY(!id.empty());
        QCOMPARE(stateText(collectEvents(*b->watch(id)).back().state), QString("succeeded"));
        auto again = await(b->resubmit(id));
        QVERIFY2(again.ok(), again.ok() ? "" : why(again.error()).c_str());
        QVERIFY(again->id != id && again->id.rfind("argo-quick-", 0) == 0);
        QCOMPARE(again->webUrl, m_server.url().toStdString() + "/workflows/" + kNs + "/" + again->id);
        const auto sent = lastRequest(m_server, "PUT", "/api/v1/workflows/" + kNs + "/" + id + "/resubmit");
        QCOMPARE(sent["status"].get<int>(), 200);
        QCOMPARE(stateText(collectEvents(*b->watch(again->id)).back().state), QString("succeeded"));
        auto missing = await(b->resubmit("no-such-workflow"));
        QVERIFY(!missing.ok());
        QVERIFY2(why(missing.error()).find("HTTP 404") != std::string::npos, why(missing.error()).c_str());
    }

    // A workflow the controller has not picked up yet has no phase label:
    // it is Pending, and listed as such.
    void listsByStateIncludingPending()
    {
        Backend *b = backend("manual");
        const std::string id = submit(b, m_quick);
        QVERIFY(!id.empty());
        const auto listed = [&](RunState state) {
            RunQuery query;
            query.state = state;
            auto page = await(b->listRuns(query));
            if (!page.ok()) {
                qWarning("%s", why(page.error()).c_str());
                return false;
            }
            return std::any_of(page->runs.begin(), page->runs.end(), [&](const RunGraph &r) {
                return r.id == id && r.state == state && r.tasks.empty();
            });
        };
        QVERIFY(listed(RunState::Pending));
        QVERIFY(!listed(RunState::Running));
        QCOMPARE(m_manual.advance(kNs, id, 1), std::string("Running"));
        QVERIFY(listed(RunState::Running));
        QVERIFY(!listed(RunState::Pending));
        QCOMPARE(m_manual.advance(kNs, id, 100), std::string("Succeeded"));
        QVERIFY(listed(RunState::Succeeded));
        QVERIFY(!listed(RunState::Failed));
        QVERIFY(!listed(RunState::Running));
        for (const auto &r : m_manual.requests())
            if (r["path"] == "/api/v1/workflows/" + kNs && r["method"] == "GET")
                QCOMPARE(r["status"].get<int>(), 200); // every selector was one the server takes
    }

    // Pages are filled to the size asked for, the name matched on the run's
    // name, across the server's pages (continue tokens); never an empty page
    // that says more follows.
    void listsPageByPage()
    {
        Backend *b = backend("paging");
        for (const char *name :
             {"listed run", "other run", "other run", "listed run", "other run", "other run", "other run"}) {
            RunSettings settings;
            settings.runName = name;
            QVERIFY(!submit(b, m_quick, settings).empty());
        }
        const auto all = [&](RunQuery query, std::vector<std::size_t> *sizes) {
            std::vector<std::string> ids;
            for (int guard = 0; guard < 20; ++guard) {
                auto page = await(b->listRuns(query));
                if (!page.ok()) {
                    qWarning("%s", why(page.error()).c_str());
                    return std::vector<std::string>{};
                }
                sizes->push_back(page->runs.size());
                for (const RunGraph &r : page->runs) {
                    ids.push_back(r.id);
                    if (!query.nameContains.empty() && r.name.find(query.nameContains) == std::string::npos)
                        return std::vector<std::string>{};
                }
                if (page->nextPageToken.empty())
                    break;
                if (page->runs.size() != std::size_t(query.pageSize))
                    return std::vector<std::string>{}; // more follows, yet the page is not full
                query.pageToken = page->nextPageToken;
            }
            return ids;
        };
        const std::size_t before = m_server.requests().size();
        RunQuery query;
        query.nameContains = "listed";
        query.pageSize = 1;
        std::vector<std::size_t> sizes;
        auto ids = all(query, &sizes);
        QCOMPARE(ids.size(), std::size_t(2));
        QVERIFY(ids[0] != ids[1]);
        QCOMPARE(sizes[0], std::size_t(1));
        QCOMPARE(sizes[1], std::size_t(1));
        // Every server page was asked for with the same limit (continue tokens require it).
        const auto log = m_server.requests();
        for (std::size_t i = before; i < log.size(); ++i)
            if (log[i]["path"] == "/api/v1/workflows/pw-paging") {
                QCOMPARE(log[i]["status"].get<int>(), 200);
                QCOMPARE(queryValue(log[i], "listOptions.limit"), std::string("1"));
            }

        query = {};
        query.pageSize = 3;
        sizes.clear();
        ids = all(query, &sizes);
        QCOMPARE(ids.size(), std::size_t(7));
        QCOMPARE(std::set<std::string>(ids.begin(), ids.end()).size(), std::size_t(7));
        QCOMPARE(sizes[0], std::size_t(3));

        query = {};
        query.nameContains = "no such run";
        auto none = await(b->listRuns(query));
        QVERIFY2(none.ok(), none.ok() ? "" : why(none.error()).c_str());
        QVERIFY(none->runs.empty());
        QVERIFY(none->nextPageToken.empty());
        query.pageToken = "pw1:bm90LWpzb24";
        auto forged = await(b->listRuns(query));
        QVERIFY(!forged.ok());
    }

    // The label that names the pipeline takes a label value: at most 63
    // characters of [A-Za-z0-9._-]; the full name is kept in an annotation,
    // and the workflows a schedule starts carry both too.
    void longPipelineNamesBecomeValidLabels()
    {
        Backend *b = backend("argo");
        auto request = RunService::prepare(m_quick, {});
        QVERIFY(request.ok());
        const std::string longName =
            "Nightly training: ResNet-50 on ImageNet (full dataset, 8 GPUs) \xe2\x80\x94 with evaluation";
        request->spec.pipelineName = longName;
        auto submitted = await(b->submit(*request));
        QVERIFY2(submitted.ok(), submitted.ok() ? "" : why(submitted.error()).c_str());
        const auto wf = bodyOf(lastRequest(m_server, "POST", "/api/v1/workflows/" + kNs))["workflow"];
        const std::string label =
            wf["metadata"]["labels"]["pipelines.kubeflow.org/pipeline"].get<std::string>();
        QVERIFY2(isValidLabelValue(label) && !label.empty(), label.c_str());
        QCOMPARE(label, std::string("Nightly-training--ResNet-50-on-ImageNet--full-dataset--8-GPUs"));
        QCOMPARE(wf["metadata"]["annotations"]["pipewright.dev/pipeline-name"].get<std::string>(), longName);
        auto run = await(b->getRun(submitted->id));
        QVERIFY(run.ok());
        QCOMPARE(run->pipelineName, longName);

        ScheduleRequest schedule;
        schedule.run = *request;
        schedule.cron = "0 3 * * *";
        auto made = await(b->createSchedule(schedule));
        QVERIFY2(made.ok(), made.ok() ? "" : why(made.error()).c_str());
        QVERIFY2(made->id.size() <= 52 && made->id.rfind("nightly-training-", 0) == 0, made->id.c_str());
        const auto cron =
            bodyOf(lastRequest(m_server, "POST", "/api/v1/cron-workflows/" + kNs))["cronWorkflow"];
        QCOMPARE(
            cron["spec"]["workflowMetadata"]["labels"]["pipelines.kubeflow.org/pipeline"].get<std::string>(),
            label);
        QCOMPARE(cron["spec"]["workflowMetadata"]["annotations"]["pipewright.dev/pipeline-name"]
                     .get<std::string>(),
                 longName);
        const auto fired = trigger(m_server, made->id);
        QVERIFY2(fired["workflow"].is_string(), fired.dump().c_str());
        run = await(b->getRun(fired["workflow"].get<std::string>()));
        QVERIFY2(run.ok(), run.ok() ? "" : why(run.error()).c_str());
        QCOMPARE(run->pipelineName, longName);
        QCOMPARE(extraText(run->extra, "schedule"), made->id);
        QVERIFY(await(b->deleteSchedule(made->id)).ok());
    }

    // CronWorkflows keep the time zone. Argo 3.6 takes a list of schedules;
    // older servers know only the single `schedule` (the other is an unknown field).
    void schedulesKeepTheirTimeZone_data()
    {
        QTest::addColumn<QString>("version");
        QTest::addColumn<QString>("field");
        QTest::newRow("v3.5") << QString("v3.5.8") << QString("schedule");
        QTest::newRow("v3.6") << QString("v3.6.2") << QString("schedules");
    }
    void schedulesKeepTheirTimeZone()
    {
        QFETCH(QString, version);
        QFETCH(QString, field);
        ArgoTestServer server({"--version", version});
        QVERIFY2(server.ok(), qPrintable(server.error()));
        BackendRegistry registry;
        QVERIFY(registry.loadPlugins({QStringLiteral(PW_PLUGIN_OUTPUT_DIR)}).empty());
        registry.setConfigs({{"cron",
                              "argo",
                              server.url().toStdString(),
                              kNs,
                              {{"pollMs", "50"}},
                              {CredentialSource::Kind::File, server.tokenFile().toStdString()}}});
        auto found = registry.backend("cron");
        QVERIFY(found.ok());
        Backend *b = *found;
        auto info = await(b->probe());
        QVERIFY(info.ok());
        QCOMPARE(QString::fromStdString(info->version), "Argo " + version);

        auto request = RunService::prepare(m_pipeline, {});
        QVERIFY(request.ok());
        ScheduleRequest schedule;
        schedule.run = *request;
        schedule.name = "Nightly Tokyo";
        schedule.cron = "0 6 * * *";
        schedule.timeZone = "Asia/Tokyo";
        schedule.maxConcurrency = 2;
        auto made = await(b->createSchedule(schedule));
        QVERIFY2(made.ok(), made.ok() ? "" : why(made.error()).c_str());
        QCOMPARE(made->id, std::string("nightly-tokyo")); // a CronWorkflow's name is a DNS label
        QCOMPARE(made->name, std::string("Nightly Tokyo"));
        QCOMPARE(made->cron, std::string("0 6 * * *"));
        QCOMPARE(made->timeZone, std::string("Asia/Tokyo"));
        const auto sent = lastRequest(server, "POST", "/api/v1/cron-workflows/" + kNs);
        QCOMPARE(sent["status"].get<int>(), 200);
        const auto spec = bodyOf(sent)["cronWorkflow"]["spec"];
        QCOMPARE(spec["timezone"].get<std::string>(), std::string("Asia/Tokyo"));
        if (field == "schedules") {
            QVERIFY2(spec["schedules"] == nlohmann::json::array({"0 6 * * *"}), spec.dump().c_str());
            QVERIFY(!spec.contains("schedule"));
        } else {
            QCOMPARE(spec["schedule"].get<std::string>(), std::string("0 6 * * *"));
            QVERIFY(!spec.contains("schedules"));
        }
        QCOMPARE(spec["concurrencyPolicy"].get<std::string>(), std::string("Allow"));

        const auto listed = [&]() -> std::optional<Schedule> {
            auto list = await(b->listSchedules());
            if (!list.ok())
                return std::nullopt;
            auto it =
                std::find_if(list->begin(), list->end(), [&](const Schedule &s) { return s.id == made->id; });
            return it == list->end() ? std::nullopt : std::optional<Schedule>(*it);
        };
        auto shown = listed();
        QVERIFY(shown);
        QCOMPARE(shown->name, std::string("Nightly Tokyo"));
        QCOMPARE(shown->cron, std::string("0 6 * * *"));
        QCOMPARE(shown->timeZone, std::string("Asia/Tokyo"));
        QCOMPARE(shown->maxConcurrency, 2);
        QVERIFY(shown->enabled);

        // Suspended, its schedule does not fire; resumed, it starts a workflow.
        QVERIFY(await(b->setScheduleEnabled(made->id, false)).ok());
        shown = listed();
        QVERIFY(shown && !shown->enabled);
        QCOMPARE(trigger(server, made->id)["skipped"].get<std::string>(), std::string("suspended"));
        QVERIFY(await(b->setScheduleEnabled(made->id, true)).ok());
        shown = listed();
        QVERIFY(shown && shown->enabled);
        const auto fired = trigger(server, made->id);
        QVERIFY2(fired["workflow"].is_string(), fired.dump().c_str());
        auto runs = await(b->listRuns({}));
        QVERIFY2(runs.ok(), runs.ok() ? "" : why(runs.error()).c_str());
        auto started = std::find_if(runs->runs.begin(), runs->runs.end(), [&](const RunGraph &r) {
            return r.id == fired["workflow"].get<std::string>();
        });
        QVERIFY(started != runs->runs.end());
        QCOMPARE(extraText(started->extra, "schedule"), made->id);
        QCOMPARE(started->pipelineName, std::string("argo-contract"));

        // Without a name the CronWorkflow is named after the pipeline.
        schedule.name.clear();
        auto unnamed = await(b->createSchedule(schedule));
        QVERIFY2(unnamed.ok(), unnamed.ok() ? "" : why(unnamed.error()).c_str());
        QVERIFY2(unnamed->id.rfind("argo-contract-", 0) == 0, unnamed->id.c_str());

        QVERIFY(await(b->deleteSchedule(made->id)).ok());
        QVERIFY(!listed());
        QVERIFY(await(b->deleteSchedule(unnamed->id)).ok());

        // What Argo cannot run is refused before asking.
        const std::size_t before = server.requests().size();
        schedule.cron = "30 0 6 * * *"; // on the minute only
        QVERIFY(!await(b->createSchedule(schedule)).ok());
        schedule.cron = "0 6 * * *";
        schedule.timeZone = "Mars/Olympus";
        auto refused = await(b->createSchedule(schedule));
        QVERIFY(!refused.ok());
        QVERIFY2(why(refused.error()).find("Mars/Olympus") != std::string::npos,
                 why(refused.error()).c_str());
        QCOMPARE(server.requests().size(), before);
    }

    // Every task's log ("*", what `submit --wait --logs` follows): each
    // task's log as a reset, all before the End.
    void everyTasksLogComesBeforeTheEnd()
    {
        Backend *b = backend("argo");
        const std::string id = submit(b, m_pipeline);
        QVERIFY(!id.empty());
        auto watch = b->watch(id);
        watch->followLogs("*");
        const auto events = collectEvents(*watch);
        QVERIFY(!events.empty());
        QCOMPARE(int(events.back().kind), int(RunEvent::Kind::End));
        std::set<std::string> logged;
        for (const RunEvent &e : events)
            if (e.kind == RunEvent::Kind::Log && e.reset && !e.lines.empty())
                logged.insert(e.taskId);
        for (const char *task : {"produce", "flaky"})
            QVERIFY2(logged.count(task),
                     (std::string(task) + " has no log; logged: " + joined({logged.begin(), logged.end()}))
                         .c_str());
    }

    // Argo keeps no request a run came from.
    void cloneIsNotOffered()
    {
        Backend *b = backend("argo");
        QVERIFY(!b->can(Capability::Clone));
        auto clone = await(b->runRequest("anything"));
        QVERIFY(!clone.ok());
    }

    void deleteAFinishedRun()
    {
        Backend *b = backend("argo");
        const std::string id = submit(b, m_quick);
        QVERIFY(!id.empty());
        const auto events = collectEvents(*b->watch(id));
        QVERIFY(!events.empty());
        QCOMPARE(stateText(events.back().state), QString("succeeded"));
        auto deleted = await(b->deleteRun(id));
        QVERIFY2(deleted.ok(), deleted.ok() ? "" : why(deleted.error()).c_str());
        auto gone = await(b->getRun(id));
        QVERIFY(!gone.ok());
        QVERIFY2(why(gone.error()).find("HTTP 404") != std::string::npos, why(gone.error()).c_str());
        QVERIFY2(why(gone.error()).find("not found") != std::string::npos, why(gone.error()).c_str());
    }

    // The token file is rewritten (rotated) after the server stopped taking
    // the old token: one 401, the file read again, and the call goes through.
    void anExpiredTokenIsRenewedOnce()
    {
        Backend *b = backend("argo");
        QVERIFY(await(b->probe()).ok());
        m_server.control("POST", "/_test/expire-token");
        m_server.setToken("argo-token-2");
        const std::size_t before = m_server.requests().size();
        auto info = await(b->probe());
        QVERIFY2(info.ok(), info.ok() ? "" : why(info.error()).c_str());
        std::vector<int> statuses;
        const auto log = m_server.requests();
        for (std::size_t i = before; i < log.size(); ++i)
            statuses.push_back(log[i]["status"].get<int>());
        QCOMPARE(statuses, (std::vector<int>{401, 200})); // the namespace's list (the version is known)
    }

    // While the server cannot be reached the watch says so (Connection
    // events) and keeps reading; the run is not failed for it.
    void aDroppedConnectionIsNotAFailedRun()
    {
        Backend *b = backend("argo");
        const std::string id = submit(b, m_quick);
        QVERIFY(!id.empty());
        m_server.control("POST", "/_test/drop?count=3"); // the first three readings get no answer
        auto watch = b->watch(id);
        std::string story;
        for (const RunEvent &e : collectEvents(*watch))
            if (e.kind == RunEvent::Kind::Connection)
                story += e.connected ? "back " : "lost ";
            else if (e.kind == RunEvent::Kind::Snapshot)
                story += std::string(toString(e.run->state)) + " ";
            else if (e.kind == RunEvent::Kind::Run || e.kind == RunEvent::Kind::End)
                story += std::string(toString(e.state)) + (e.kind == RunEvent::Kind::End ? " end" : " ");
        QCOMPARE(story, std::string("lost back running succeeded succeeded end"));
    }

private:
    Pipeline load(const QString &file)
    {
        auto pipeline = loadPipelineFile(testDataPath(file).toStdString());
        if (!pipeline.ok())
            qFatal("%s", pipeline.error().message.c_str());
        return *pipeline;
    }

    // Submits the pipeline as it is; the run's id, or empty (and why, on stderr).
    std::string submit(Backend *b, const Pipeline &pipeline, const RunSettings &settings = {})
    {
        auto request = RunService::prepare(pipeline, settings);
        if (!request.ok()) {
            qWarning("%s", why(request.error()).c_str());
            return {};
        }
        auto submitted = await(b->submit(*request));
        if (!submitted.ok())
            qWarning("%s", why(submitted.error()).c_str());
        return submitted.ok() ? submitted->id : std::string();
    }

    Backend *backend(const QString &name)
    {
        auto b = m_registry.backend(name.toStdString());
        return b.ok() ? *b : nullptr;
    }

    static nlohmann::json lastRequest(LoopbackServer &server, const std::string &method,
                                      const std::string &path)
    {
        nlohmann::json found;
        for (const auto &r : server.requests())
            if (r["method"] == method && r["path"] == path)
                found = r;
        return found;
    }

    static nlohmann::json trigger(LoopbackServer &server, const std::string &cron)
    {
        return server.control("POST", QStringLiteral("/_test/trigger-cron?namespace=%1&name=%2")
                                          .arg(QString::fromStdString(kNs), QString::fromStdString(cron)));
    }

    ArgoTestServer m_server;
    ArgoTestServer m_manual{{"--manual-steps"}};
    BackendRegistry m_registry;
    Pipeline m_pipeline;
    Pipeline m_quick;
};

QTEST_GUILESS_MAIN(TestArgoContract)
#include "tst_argocontract.moc"
