// SPDX-License-Identifier: Apache-2.0
// One suite for every backend: what the run views and commands rely on,
// through the asynchronous interface only. Each backend comes from the
// registry; the simulated one is a plugin loaded from a folder.
#include "engine/localbackendfactory.h"
#include "enginefixture.h"
#include "runs/await.h"
#include "runs/backendregistry.h"
#include "runs/runservice.h"
#include "runs/runwatch.h"
#include "formats/pipelineloader.h"
#include "testdata.h"
#include "watchevents.h"

#include <QFile>
#include <QTest>

#include <set>

using namespace pw;
using namespace pw::test;

namespace {

int rank(TaskState s) { return s == TaskState::Pending ? 0 : s == TaskState::Running ? 1 : 2; }

} // namespace

class TestBackendConformance final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_fx.ok());
        m_registry.addFactory(std::make_shared<LocalBackendFactory>());
        const auto warnings = m_registry.loadPlugins({QStringLiteral(PW_TEST_PLUGIN_DIR)});
        QVERIFY2(warnings.empty(), warnings.empty() ? "" : warnings.front().c_str());
        m_registry.setConfigs({
            {"local", "local", {}, {}, {{"dataDir", m_fx.path("store").toStdString()}}, {}},
            {"sim", "simulated", {}, {}, {{"pollMs", "5"}}, {}},
        });
        auto pipeline = loadPipelineFile(testDataPath("engine/chain.pipewright.yaml").toStdString());
        QVERIFY(pipeline.ok());
        m_chain = *pipeline;
    }

    void pluginComesFromTheFolder()
    {
        QVERIFY(m_registry.kinds().contains("simulated"));
        auto b = m_registry.backend("sim");
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().message.c_str());
        QCOMPARE((*b)->kind(), QString("simulated"));
        auto missing = m_registry.backend("nope");
        QVERIFY(!missing.ok());
        QVERIFY(missing.error().message.find("no backend named 'nope'") != std::string::npos);
    }

    void probe_data() { backends(); }
    void probe()
    {
        QFETCH(QString, backend);
        auto info = await(this->backend(backend)->probe());
        QVERIFY2(info.ok(), info.ok() ? "" : info.error().message.c_str());
        QVERIFY(!info->api.empty());
    }

    void submitAndWatchToTheEnd_data() { backends(); }
    void submitAndWatchToTheEnd()
    {
        QFETCH(QString, backend);
        Backend *b = this->backend(backend);
        auto submitted = await(b->submit(request({})));
        QVERIFY2(submitted.ok(), submitted.ok() ? "" : submitted.error().message.c_str());
        auto watch = b->watch(submitted->id);
        const std::vector<RunEvent> events = collectEvents(*watch);
        QVERIFY(!events.empty());
        QCOMPARE(int(events.front().kind), int(RunEvent::Kind::Snapshot));
        QCOMPARE(int(events.back().kind), int(RunEvent::Kind::End));
        QCOMPARE(stateText(events.back().state), QString("succeeded"));

        // Every task: its states in order, through running, to succeeded.
        std::map<std::string, std::vector<TaskState>> seen;
        for (const TaskRecord &t : events.front().run->tasks)
            seen[t.id].push_back(t.state);
        for (const RunEvent &e : events)
            if (e.kind == RunEvent::Kind::Task)
                seen[e.task.id].push_back(e.task.state);
        for (const char *task : {"a", "b", "c"}) {
            const std::vector<TaskState> &states = seen[task];
            QVERIFY2(!states.empty(), task);
            QVERIFY2(std::find(states.begin(), states.end(), TaskState::Running) != states.end(), task);
            QCOMPARE(stateText(states.back()), QString("succeeded"));
            for (std::size_t i = 1; i < states.size(); ++i)
                QVERIFY2(rank(states[i - 1]) <= rank(states[i]), task);
        }
        auto run = await(b->getRun(submitted->id));
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), QString("succeeded"));
        for (const TaskRecord &t : run->tasks)
            QCOMPARE(stateText(t.state), QString("succeeded"));
        m_done[backend] = submitted->id;
    }

    void logsOfAFinishedRun_data() { backends(); }
    void logsOfAFinishedRun()
    {
        QFETCH(QString, backend);
        Backend *b = this->backend(backend);
        const std::string id = m_done[backend];
        QVERIFY(!id.empty());
        auto text = await(b->logs(id, "c"));
        QVERIFY2(text.ok(), text.ok() ? "" : text.error().message.c_str());
        QVERIFY2(text->find("step c") != std::string::npos, text->c_str());

        auto watch = b->watch(id);
        watch->followLogs("c");
        bool sawLog = false;
        const auto events = collectEvents(*watch, [&](const RunEvent &e) {
            sawLog = e.kind == RunEvent::Kind::Log;
            return sawLog;
        });
        if (!sawLog) // the End came first: the log follows it
            (void)collectEvents(*watch, [&](const RunEvent &e) { return sawLog = e.kind == RunEvent::Kind::Log; });
        QVERIFY(sawLog);
    }

    // "*" follows every task's log: each container task's lines arrive, each
    // log starting with its own reset.
    void followingEveryLog_data() { backends(); }
    void followingEveryLog()
    {
        QFETCH(QString, backend);
        Backend *b = this->backend(backend);
        auto submitted = await(b->submit(request({})));
        QVERIFY(submitted.ok());
        auto watch = b->watch(submitted->id);
        watch->followLogs("*");
        std::map<std::string, int> resets;
        std::set<std::string> logged;
        const auto allLogged = [&](const RunEvent &e) {
            if (e.kind == RunEvent::Kind::Log) {
                resets[e.taskId] += e.reset;
                if (!e.lines.empty())
                    logged.insert(e.taskId);
            }
            return logged.size() == 3;
        };
        collectEvents(*watch, allLogged);
        if (logged.size() < 3) // the End came first: the last logs follow it
            collectEvents(*watch, allLogged);
        QCOMPARE(logged, (std::set<std::string>{"a", "b", "c"}));
        for (const auto &[task, count] : resets)
            QVERIFY2(count <= 1, task.c_str());
    }

    void listAndPage_data() { backends(); }
    void listAndPage()
    {
        QFETCH(QString, backend);
        Backend *b = this->backend(backend);
        auto second = await(b->submit(request({})));
        QVERIFY(second.ok());
        auto watch = b->watch(second->id);
        (void)collectEvents(*watch);
        RunQuery query;
        query.pageSize = 1;
        auto first = await(b->listRuns(query));
        QVERIFY2(first.ok(), first.ok() ? "" : first.error().message.c_str());
        QCOMPARE(first->runs.size(), std::size_t(1));
        QVERIFY(!first->nextPageToken.empty());
        query.pageToken = first->nextPageToken;
        auto next = await(b->listRuns(query));
        QVERIFY(next.ok());
        QCOMPARE(next->runs.size(), std::size_t(1));
        QVERIFY(next->runs.front().id != first->runs.front().id);
        QVERIFY(next->runs.front().tasks.empty()); // lists carry no tasks
    }

    void cancelWhileRunning_data() { backends(); }
    void cancelWhileRunning()
    {
        QFETCH(QString, backend);
        Backend *b = this->backend(backend);
        // b blocks (local: sleeps until killed) the first time it runs.
        auto submitted = await(b->submit(request({{"block", m_fx.path("block-" + backend).toStdString()}})));
        QVERIFY(submitted.ok());
        auto watch = b->watch(submitted->id);
        const auto running = collectEvents(*watch, [](const RunEvent &e) {
            return e.kind == RunEvent::Kind::Task && e.task.id == "b" && e.task.state == TaskState::Running;
        });
        QVERIFY(!running.empty() && running.back().kind == RunEvent::Kind::Task);
        auto state = await(b->cancel(submitted->id));
        QVERIFY2(state.ok(), state.ok() ? "" : state.error().message.c_str());
        const auto rest = collectEvents(*watch);
        QVERIFY(!rest.empty());
        QCOMPARE(int(rest.back().kind), int(RunEvent::Kind::End));
        QCOMPARE(stateText(rest.back().state), QString("cancelled"));
    }

    void whatABackendCannotDoIsAnError_data() { backends(); }
    void whatABackendCannotDoIsAnError()
    {
        QFETCH(QString, backend);
        Backend *b = this->backend(backend);
        if (!b->can(Capability::Schedules)) {
            auto s = await(b->createSchedule({}));
            QVERIFY(!s.ok());
            QVERIFY(s.error().message.find("cannot") != std::string::npos);
        }
        auto missing = await(b->getRun("no-such-run"));
        QVERIFY(!missing.ok());
    }

private:
    static void backends()
    {
        QTest::addColumn<QString>("backend");
        QTest::newRow("local") << QString("local");
        QTest::newRow("simulated plugin") << QString("sim");
    }

    Backend *backend(const QString &name)
    {
        auto b = m_registry.backend(name.toStdString());
        return b.ok() ? *b : nullptr;
    }

    RunRequest request(std::map<std::string, std::string> params)
    {
        params["trace"] = m_fx.path("trace").toStdString();
        RunSettings settings;
        settings.parameters = std::move(params);
        settings.workDir = m_fx.path("").toStdString();
        auto r = RunService::prepare(m_chain, settings);
        return r.ok() ? *r : RunRequest{};
    }

    EngineFixture m_fx;
    BackendRegistry m_registry;
    Pipeline m_chain;
    std::map<QString, std::string> m_done;
};

QTEST_GUILESS_MAIN(TestBackendConformance)
#include "tst_backendconformance.moc"
