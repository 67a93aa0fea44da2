// SPDX-License-Identifier: Apache-2.0
// The engine against real processes and a real SQLite store: scheduling,
// retries, conditions, loops, exit handlers, caching, timeouts, argv
// safety and the run directory boundary.
#include "engine/localrecords.h"
#include "enginefixture.h"
#include "ir/pipelinespecio.h"
#include "testdata.h"

#include <QElapsedTimer>
#include <QFile>
#include <QStringList>
#include <QTest>

using namespace pw;
using namespace pw::test;

namespace {

const TaskRecord &taskOf(const RunGraph &run, const std::string &id)
{
    static const TaskRecord none;
    const TaskRecord *t = run.task(id);
    return t ? *t : none;
}

QString engineData(const QString &name) { return testDataPath("engine/" + name); }

} // namespace

class TestEngineDag final : public QObject {
    Q_OBJECT

private slots:
    void diamond()
    {
        EngineFixture fx;
        QVERIFY(fx.ok());
        const QString trace = fx.path("trace");
        auto run = fx.run(engineData("diamond.pipewright.yaml"), {{"trace", trace.toStdString()}});
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
        QCOMPARE(stateText(run->state), stateText(RunState::Succeeded));
        const TaskRecord &d = taskOf(*run, "d");
        QCOMPARE(stateText(d.state), stateText(TaskState::Succeeded));
        QCOMPARE(d.outputs["parameters"]["out"].get<std::string>(), std::string("d[b[a[]]c[a[]]]"));
        // d starts only after both of its upstream tasks ended.
        QVERIFY(d.startedMs >= taskOf(*run, "b").finishedMs);
        QVERIFY(d.startedMs >= taskOf(*run, "c").finishedMs);
        const QStringList order = readText(trace).split('\n', Qt::SkipEmptyParts);
        QCOMPARE(order.size(), 4);
        QCOMPARE(order.first(), QString("a"));
        QCOMPARE(order.last(), QString("d"));
        QCOMPARE(d.dependsOn.size(), std::size_t(2));
    }

    void retries()
    {
        EngineFixture fx;
        auto run = fx.run(engineData("retries.pipewright.yaml"), {{"counter", fx.path("counter").toStdString()}});
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), stateText(RunState::Failed));
        const TaskRecord &flaky = taskOf(*run, "flaky");
        QCOMPARE(stateText(flaky.state), stateText(TaskState::Succeeded));
        QCOMPARE(flaky.attempts, 3);
        const TaskRecord &broken = taskOf(*run, "broken");
        QCOMPARE(stateText(broken.state), stateText(TaskState::Failed));
        QCOMPARE(broken.attempts, 2);
        QVERIFY(broken.message.find("exited with code 1") != std::string::npos);
        const QString log = readText(QString::fromStdString(local::logPath(flaky)));
        QVERIFY2(log.contains(" err attempt 3"), qPrintable(log));
        QVERIFY(log.contains("retrying"));
    }

    void condition()
    {
        EngineFixture fx;
        auto run = fx.run(engineData("condition.pipewright.yaml"));
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), stateText(RunState::Succeeded));
        QCOMPARE(stateText(taskOf(*run, "if-tails").state), stateText(TaskState::Skipped));
        QCOMPARE(stateText(taskOf(*run, "if-tails/on-tails").state), stateText(TaskState::Skipped));
        const TaskState heads = taskOf(*run, "if-heads/on-heads").state;
        QVERIFY(heads == TaskState::Succeeded || heads == TaskState::Cached);
        QCOMPARE(taskOf(*run, "if-heads/on-heads").outputs["parameters"]["said"].get<std::string>(),
                 std::string("heads"));
    }

    void loopFanIn()
    {
        EngineFixture fx;
        auto run = fx.run(engineData("loop.pipewright.yaml"));
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), stateText(RunState::Succeeded));
        QCOMPARE(taskOf(*run, "sum").outputs["parameters"]["total"].get<int>(), 30);
        // parallelism: 2 on the loop: never three iterations at once.
        std::vector<std::pair<std::int64_t, int>> events;
        int iterations = 0;
        for (const TaskRecord &t : run->tasks)
            if (t.kind == "iteration") {
                ++iterations;
                events.emplace_back(t.startedMs, 1);
                events.emplace_back(t.finishedMs, -1);
            }
        QCOMPARE(iterations, 4);
        std::sort(events.begin(), events.end(), [](auto a, auto b) {
            return a.first != b.first ? a.first < b.first : a.second < b.second;
        });
        int running = 0, peak = 0;
        for (const auto &[_, delta] : events)
            peak = std::max(peak, running += delta);
        QVERIFY2(peak <= 2, qPrintable(QString::number(peak)));
    }

    void exitHandlerAfterFailure()
    {
        EngineFixture fx;
        auto run = fx.run(engineData("exithandler.pipewright.yaml"));
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), stateText(RunState::Failed));
        QCOMPARE(stateText(taskOf(*run, "guarded/work").state), stateText(TaskState::Failed));
        const TaskRecord &report = taskOf(*run, "report");
        QCOMPARE(stateText(report.state), stateText(TaskState::Succeeded));
        auto status = nlohmann::json::parse(report.outputs["parameters"]["seen"].get<std::string>());
        QCOMPARE(status["state"].get<std::string>(), std::string("FAILED"));
        QCOMPARE(status["pipelineJobUuid"].get<std::string>(), run->id);
        QVERIFY(status["error"]["message"].get<std::string>().find("exited with code 3") != std::string::npos);
        QVERIFY(report.startedMs >= taskOf(*run, "guarded/work").finishedMs);
    }

    void cacheHitOnSecondRun()
    {
        EngineFixture fx;
        const std::map<std::string, std::string> params{{"trace", fx.path("trace").toStdString()}};
        auto first = fx.run(engineData("cached.pipewright.yaml"), params);
        QVERIFY(first.ok());
        QCOMPARE(stateText(taskOf(*first, "append").state), stateText(TaskState::Succeeded));
        auto second = fx.run(engineData("cached.pipewright.yaml"), params);
        QVERIFY(second.ok());
        QCOMPARE(stateText(second->state), stateText(RunState::Succeeded));
        QCOMPARE(stateText(taskOf(*second, "append").state), stateText(TaskState::Cached));
        QCOMPARE(stateText(taskOf(*second, "count").state), stateText(TaskState::Cached));
        QCOMPARE(taskOf(*second, "count").outputs["parameters"]["size"].get<int>(), 6);
        QCOMPARE(readText(fx.path("trace")), QString("ran\n")); // the task really ran once
        EngineOptions noCache;
        noCache.cache = false;
        auto third = fx.run(engineData("cached.pipewright.yaml"), params, noCache);
        QVERIFY(third.ok());
        QCOMPARE(stateText(taskOf(*third, "append").state), stateText(TaskState::Succeeded));
        QCOMPARE(readText(fx.path("trace")), QString("ran\nran\n"));
    }

    void timeout()
    {
        EngineFixture fx;
        QElapsedTimer clock;
        clock.start();
        auto run = fx.run(engineData("timeout.pipewright.yaml"));
        QVERIFY(run.ok());
        // The task sleeps 30 s; ending well before that (with room for a loaded machine) means it was stopped.
        QVERIFY2(clock.elapsed() < 25000, "the timeout did not stop the task");
        QCOMPARE(stateText(run->state), stateText(RunState::Failed));
        QCOMPARE(stateText(taskOf(*run, "slow").state), stateText(TaskState::Failed));
        QVERIFY(taskOf(*run, "slow").message.find("timed out after 1 s") != std::string::npos);
    }

    void shellMetacharactersReachTheComponentByteForByte()
    {
        EngineFixture fx;
        const QString marker = fx.path("pwned");
        const std::string nasty = "$(touch " + marker.toStdString() + "); `touch " + marker.toStdString() +
                                  "` | rm -rf ~ && echo ';' > /dev/null \"dq\" 'sq' \\ * ? [a] {b} ~ # ! %s\n\t"
                                  "second line ünïcödé > < &";
        auto run = fx.run(engineData("metachars.pipewright.yaml"), {{"text", nasty}});
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), stateText(RunState::Succeeded));
        const TaskRecord &t = taskOf(*run, "echo-back");
        QCOMPARE(t.outputs["parameters"]["same"].get<std::string>(), nasty);
        QVERIFY(!QFile::exists(marker));
    }

    void artifactNameEscapingTheRunDirectoryIsRefused()
    {
        EngineFixture fx;
        QFile f(engineData("escape.pipeline.yaml"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto spec = ir::readPipelineSpec(f.readAll().toStdString(), "escape.pipeline.yaml");
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().message.c_str());
        auto run = fx.run(*spec);
        QVERIFY(run.ok());
        QCOMPARE(stateText(run->state), stateText(RunState::Failed));
        const TaskRecord &t = taskOf(*run, "writer");
        QCOMPARE(stateText(t.state), stateText(TaskState::Failed));
        QVERIFY2(t.message.find("leaves the run directory") != std::string::npos, t.message.c_str());
        QCOMPARE(t.attempts, 0); // refused before anything ran
        const QString runs = QString::fromStdString(fx.store().runsDir());
        for (const QString &p : {runs + "/escaped", fx.dataDir() + "/escaped", fx.path("escaped")})
            QVERIFY2(!QFile::exists(p), qPrintable(p));
    }
};

QTEST_GUILESS_MAIN(TestEngineDag)
#include "tst_enginedag.moc"
