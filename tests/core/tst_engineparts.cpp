// SPDX-License-Identifier: Apache-2.0
// The engine's pure parts: trigger conditions, durations, the run directory
// boundary, argv for docker/podman, placeholders, Markdown safety.
#include "engine/commandresolver.h"
#include "engine/conditionexpr.h"
#include "engine/containerruntime.h"
#include "util/duration.h"
#include "engine/outputcollector.h"
#include "report/markdown.h"

#include <QTest>

using namespace pw;

class TestEngineParts final : public QObject {
    Q_OBJECT

private slots:
    void conditions_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<int>("expected"); // 1 true, 0 false, -1 error
        // Forms from the KFP v2 goldens (tests/reference/kfp-v2-goldens).
        QTest::newRow("string ==") << "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'" << 1;
        QTest::newRow("string !=") << "inputs.parameter_values['pipelinechannel--flip-coin-Output'] != 'heads'" << 0;
        QTest::newRow("int >") << "int(inputs.parameter_values['pipelinechannel--random-num-Output']) > 5" << 1;
        QTest::newRow("int <=") << "int(inputs.parameter_values['pipelinechannel--random-num-Output']) <= 5" << 0;
        QTest::newRow("elif chain")
            << "!(inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'tails') && "
               "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'"
            << 1;
        QTest::newRow("or") << "inputs.parameter_values['n'] == 1 || inputs.parameter_values['n'] == 7" << 1;
        QTest::newRow("two params") << "inputs.parameter_values['a'] == inputs.parameter_values['b']" << 1;
        QTest::newRow("double quotes") << "inputs.parameter_values[\"n\"] >= 7.0" << 1;
        QTest::newRow("bool") << "inputs.parameter_values['flag'] == true" << 1;
        QTest::newRow("unknown param") << "inputs.parameter_values['nope'] == 1" << -1;
        QTest::newRow("garbage") << "inputs.parameter_values['n'] === 1" << -1;
        QTest::newRow("bad int") << "int(inputs.parameter_values['pipelinechannel--flip-coin-Output']) > 1" << -1;
    }
    void conditions()
    {
        QFETCH(QString, expression);
        QFETCH(int, expected);
        const nlohmann::json params = {{"pipelinechannel--flip-coin-Output", "heads"},
                                       {"pipelinechannel--random-num-Output", "7"},
                                       {"n", 7},
                                       {"a", "x"},
                                       {"b", "x"},
                                       {"flag", true}};
        auto r = evaluateCondition(expression.toStdString(), params);
        if (expected < 0) {
            QVERIFY(!r.ok());
            QVERIFY(r.error().message.find("condition") != std::string::npos);
        } else {
            QVERIFY2(r.ok(), r.ok() ? "" : r.error().message.c_str());
            QCOMPARE(*r, expected == 1);
        }
    }

    void durations()
    {
        QCOMPARE(parseDurationMs("60s").value_or(-1), 60000);
        QCOMPARE(parseDurationMs("0.5s").value_or(-1), 500);
        QCOMPARE(parseDurationMs("1h30m").value_or(-1), 5400000);
        QCOMPARE(parseDurationMs("250ms").value_or(-1), 250);
        QVERIFY(!parseDurationMs("soon"));
        QCOMPARE(protobufDuration("5m"), std::string("300s"));
        QCOMPARE(protobufDuration("1h30m"), std::string("5400s"));
        QCOMPARE(protobufDuration("250ms"), std::string("0.25s"));
        QCOMPARE(protobufDuration("60s"), std::string("60s"));
        QCOMPARE(protobufDuration("soon"), std::string("soon")); // validation says what is wrong
        QCOMPARE(protobufDuration(""), std::string());
    }

    void runDirectoryBoundary()
    {
        QCOMPARE(QString::fromStdString(*pathInside("/r/t/artifacts", "model")), QString("/r/t/artifacts/model"));
        QCOMPARE(QString::fromStdString(*pathInside("/r/t/artifacts", "a/../b")), QString("/r/t/artifacts/b"));
        for (const char *bad : {"../x", "a/../../x", "/etc/passwd", "..", "", "."})
            QVERIFY2(!pathInside("/r/t/artifacts", bad).ok(), bad);
    }

    void containerArgv()
    {
        ContainerCommand c{"python:3.11-slim", {"python3", "-c", "print(1)"}, {"--x", "a b"}, {{"K", "v w"}}};
        QCOMPARE(launchArgv(ContainerRuntime::Process, c, {}),
                 (std::vector<std::string>{"python3", "-c", "print(1)", "--x", "a b"}));
        const HostPaths paths{"/work",
                              "/usr/bin/podman",
                              "pw-1",
                              {"/data/runs/r0/tasks/a/artifacts/model"},
                              {"/data/runs/r1/tasks/b/outputs"}};
        const auto argv = launchArgv(ContainerRuntime::Podman, c, paths);
        const std::vector<std::string> head{"/usr/bin/podman", "run", "--rm", "--init", "--name", "pw-1", "--user"};
        QVERIFY(std::equal(head.begin(), head.end(), argv.begin()));
        // Only what the task needs: inputs and the working folder read-only, its outputs writable.
        const std::vector<std::string> tail{
            "-v",
            "/work:/work:ro",
            "-v",
            "/data/runs/r1/tasks/b/outputs:/data/runs/r1/tasks/b/outputs",
            "-v",
            "/data/runs/r0/tasks/a/artifacts/model:/data/runs/r0/tasks/a/artifacts/model:ro",
            "-w",
            "/work",
            "-e",
            "K=v w",
            "--entrypoint",
            "python3",
            "python:3.11-slim",
            "-c",
            "print(1)",
            "--x",
            "a b"};
        QVERIFY(std::equal(tail.begin(), tail.end(), argv.end() - static_cast<long>(tail.size())));
        QVERIFY(!containerRuntimeFromString("lxc"));
    }

    void placeholders()
    {
        RunValues run{"my-run", "1234", 1717372800000, "/runs/1234"}; // 2024-06-03T00:00:00Z
        TaskContext ctx;
        ctx.taskName = "score";
        ctx.parameters = {{"n", 3}, {"ratio", 0.5}, {"s", "a b"}, {"list", {1, 2}}};
        ctx.outputParameterFiles["out"] = "/runs/1234/tasks/score/outputs/out";
        ctx.run = &run;
        auto argv = resolveArguments({"{{$.inputs.parameters['n']}}", "--s={{$.inputs.parameters['s']}}",
                                      "{{$.inputs.parameters['list']}}", "{{$.outputs.parameters['out'].output_file}}",
                                      R"({"IfPresent": {"InputName": "missing", "Then": ["--m"], "Else": ["--none"]}})",
                                      R"({"Concat": ["x-", "{{$.inputs.parameters['ratio']}}"]})",
                                      "{{$.pipeline_job_name}}/{{$.pipeline_task_name}}",
                                      "{{$.pipeline_job_create_time_utc}}"},
                                     ctx);
        QVERIFY2(argv.ok(), argv.ok() ? "" : argv.error().message.c_str());
        QCOMPARE(*argv, (std::vector<std::string>{"3", "--s=a b", "[1,2]", "/runs/1234/tasks/score/outputs/out",
                                                  "--none", "x-0.5", "my-run/score", "2024-06-03T00:00:00.000Z"}));
        QVERIFY(!resolveArguments({"{{$.inputs.parameters['nope']}}"}, ctx).ok());
        QCOMPARE(*formatRunTime(1717372800000, "%Y%m%d %H:%M", "Asia/Tokyo"), std::string("20240603 09:00"));
        QCOMPARE(*formatRunTime(1717372800000, "%Y-%m-%d", "America/Los_Angeles"), std::string("2024-06-02"));
        QVERIFY(!formatRunTime(0, "%Y", "Mars/Olympus").ok());
    }

    void markdownIsSafe()
    {
        const std::string html = markdownToHtml("# Title <script>alert(1)</script>\n\n| a | b |\n|---|---|\n"
                                                "| **x** | [l](javascript:alert(1)) |\n\n- [ok](https://e.org)\n");
        QVERIFY(html.find("<script>") == std::string::npos);
        QVERIFY(html.find("&lt;script&gt;") != std::string::npos);
        QVERIFY(html.find("<h1>") != std::string::npos && html.find("<table>") != std::string::npos);
        QVERIFY(html.find("<strong>x</strong>") != std::string::npos);
        QVERIFY(html.find("href=\"javascript") == std::string::npos);
        QVERIFY(html.find("<a href=\"https://e.org\">ok</a>") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestEngineParts)
#include "tst_engineparts.moc"
