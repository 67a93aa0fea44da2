// SPDX-License-Identifier: Apache-2.0
#include "formats/document.h"
#include "modelbuilders.h"
#include "validate/validator.h"

#include <QtTest>

#include <functional>

using namespace pw;

namespace {

using pw::test::port;

Component container(std::string name, std::vector<PortSpec> inputs, std::vector<PortSpec> outputs)
{
    Component c;
    c.name = std::move(name);
    c.container.image = "python:3.11";
    c.inputs = std::move(inputs);
    c.outputs = std::move(outputs);
    return c;
}

Task task(std::string id, std::string component, std::map<std::string, Binding> args = {})
{
    Task t;
    t.id = std::move(id);
    t.component = std::move(component);
    t.arguments = std::move(args);
    return t;
}

const PortType kString = PortType::param(ParameterType::String);
const PortType kInt = PortType::param(ParameterType::Integer);
const PortType kList = PortType::param(ParameterType::List);
const PortType kDataset = PortType::artifact("system.Dataset");

// produce -> consume: every output used, every required input bound.
Pipeline basePipeline()
{
    Pipeline p;
    p.name = "demo";
    p.fileName = "demo.pipewright.yaml";
    p.inputs = {port("message", kString, "hi")};
    p.components["producer"] =
        container("Producer", {port("msg", kString)}, {port("out", kString), port("data", kDataset)});
    p.components["consumer"] = container(
        "Consumer", {port("text", kString), port("data", kDataset, std::nullopt, true), port("n", kInt, 1)},
        {});
    p.root.tasks.push_back(task("produce", "producer", {{"msg", Binding::parameter("message")}}));
    p.root.tasks.push_back(task(
        "consume", "consumer",
        {{"text", Binding::taskOutput("produce", "out")}, {"data", Binding::taskOutput("produce", "data")}}));
    return p;
}

Task &taskOf(Pipeline &p, const std::string &id)
{
    return *p.root.task(id);
}

Group group(std::string id, Group::Kind kind)
{
    Group g;
    g.id = std::move(id);
    g.kind = kind;
    return g;
}

Location at(int line, int column)
{
    Location l;
    l.file = "demo.pipewright.yaml";
    l.line = line;
    l.column = column;
    return l;
}

struct Case {
    const char *name;
    std::function<void(Pipeline &)> edit;
    Problem::Severity severity;
    std::string message; // substring of the expected problem's message
    std::string task;    // expected Location::task
    int line = 0;        // expected Location::line (0: not checked)
};

std::vector<Case> cases()
{
    using S = Problem::Severity;
    std::vector<Case> c;
    c.push_back({"cycle through after", [](Pipeline &p) { taskOf(p, "produce").after = {"consume"}; },
                 S::Error, "cycle: produce -> consume -> produce", "produce"});
    c.push_back(
        {"cycle through a group condition",
         [](Pipeline &p) {
             Group g = group("check", Group::Kind::Condition);
             g.condition = Condition{Binding::taskOutput("produce", "out"), "==", Binding::constant("x")};
             p.root.groups.push_back(g);
             taskOf(p, "produce").group = "check";
         },
         S::Error, "cycle: produce -> produce", "produce"});
    c.push_back({"unknown input",
                 [](Pipeline &p) {
                     taskOf(p, "consume").arguments["bogus"] = Binding::constant(1);
                     p.sourceMap["tasks.consume.arguments.bogus"] = at(14, 9);
                 },
                 S::Error, "sets input 'bogus', but component 'consumer' has no such input", "consume", 14});
    c.push_back({"missing required input",
                 [](Pipeline &p) {
                     taskOf(p, "consume").arguments.erase("text");
                     p.sourceMap["tasks.consume"] = at(11, 3);
                 },
                 S::Error, "does not set required input 'text'", "consume", 11});
    c.push_back(
        {"type mismatch between ports",
         [](Pipeline &p) { taskOf(p, "consume").arguments["n"] = Binding::taskOutput("produce", "out"); },
         S::Error, "expects Integer, but output 'out' of task 'produce' is String", "consume"});
    c.push_back(
        {"artifact bound to a parameter",
         [](Pipeline &p) { taskOf(p, "consume").arguments["text"] = Binding::taskOutput("produce", "data"); },
         S::Error, "expects String, but output 'data' of task 'produce' is system.Dataset", "consume"});
    c.push_back({"constant of the wrong type",
                 [](Pipeline &p) { taskOf(p, "consume").arguments["n"] = Binding::constant("many"); },
                 S::Error, "input 'n' cannot take \"many\"", "consume"});
    c.push_back({"number passed to a string",
                 [](Pipeline &p) { taskOf(p, "consume").arguments["text"] = Binding::constant(5); },
                 S::Warning, "will receive the text '5'", "consume"});
    c.push_back(
        {"reference to a missing task",
         [](Pipeline &p) { taskOf(p, "consume").arguments["text"] = Binding::taskOutput("ghost", "out"); },
         S::Error, "takes an output of task 'ghost', which is not a task", "consume"});
    c.push_back(
        {"reference to a missing output",
         [](Pipeline &p) { taskOf(p, "consume").arguments["text"] = Binding::taskOutput("produce", "nope"); },
         S::Error, "takes output 'nope' of task 'produce', which has no such output", "consume"});
    c.push_back({"reference to a missing parameter",
                 [](Pipeline &p) { taskOf(p, "produce").arguments["msg"] = Binding::parameter("nope"); },
                 S::Error, "refers to parameter 'nope'", "produce"});
    c.push_back({"task in a missing group", [](Pipeline &p) { taskOf(p, "consume").group = "ghost"; },
                 S::Error, "is in group 'ghost', which does not exist", "consume"});
    c.push_back({"after a missing task", [](Pipeline &p) { taskOf(p, "consume").after = {"ghost"}; },
                 S::Error, "runs after 'ghost'", "consume"});
    c.push_back({"missing component", [](Pipeline &p) { taskOf(p, "consume").component = "ghost"; }, S::Error,
                 "uses component 'ghost', which is not defined", "consume"});
    c.push_back({"duplicate ids",
                 [](Pipeline &p) {
                     p.root.tasks.push_back(task("produce", "producer", {{"msg", Binding::constant("a")}}));
                 },
                 S::Error, "Two tasks have the id 'produce'", "produce"});
    c.push_back({"sanitised names collide",
                 [](Pipeline &p) {
                     p.root.tasks.push_back(task("Produce", "producer", {{"msg", Binding::constant("a")}}));
                 },
                 S::Error, "task 'produce' and task 'Produce' both become 'produce'", "Produce"});
    c.push_back({"task and group collide",
                 [](Pipeline &p) {
                     Group g = group("produce", Group::Kind::Loop);
                     g.loop.items = Binding::constant(nlohmann::json::array({1}));
                     p.root.groups.push_back(g);
                 },
                 S::Error, "task 'produce' and group 'produce' both become 'produce'", ""});
    c.push_back({"invalid Kubernetes name",
                 [](Pipeline &p) {
                     taskOf(p, "consume").id = "Consume_Step";
                     p.sourceMap["tasks.Consume_Step"] = at(20, 3);
                 },
                 S::Error,
                 "Task id 'Consume_Step' is not a valid Kubernetes name; rename it to 'consume-step'",
                 "Consume_Step", 20});
    c.push_back({"invalid pipeline name", [](Pipeline &p) { p.name = "Daily Batch"; }, S::Error,
                 "Pipeline name 'Daily Batch' is not a valid Kubernetes name; use 'daily-batch'", ""});
    c.push_back({"duplicate display names",
                 [](Pipeline &p) {
                     taskOf(p, "produce").displayName = "Step";
                     taskOf(p, "consume").displayName = "Step";
                 },
                 S::Warning, "share the display name 'Step'", "consume"});
    c.push_back({"toleration Exists with a value",
                 [](Pipeline &p) {
                     taskOf(p, "consume").settings.tolerations = {
                         Toleration{"gpu", "Exists", "true", "NoSchedule", {}}};
                 },
                 S::Error, "uses operator Exists with value 'true'", "consume"});
    c.push_back(
        {"toleration with an unknown effect",
         [](Pipeline &p) {
             taskOf(p, "consume").settings.tolerations = {Toleration{"gpu", "Equal", "a", "NoRun", {}}};
         },
         S::Error, "has effect 'NoRun'", "consume"});
    c.push_back({"node pool toleration with a bad operator",
                 [](Pipeline &p) {
                     p.nodePools = {NodePool{"gpu", {}, {Toleration{"gpu", "In", "", "", {}}}}};
                 },
                 S::Error, "Node pool 'gpu' toleration 1 ('gpu') has operator 'In'", ""});
    c.push_back({"bad quantity",
                 [](Pipeline &p) { taskOf(p, "consume").settings.resources.memoryLimit = "4GB"; }, S::Error,
                 "memory limit '4GB' is not a Kubernetes quantity", "consume"});
    c.push_back({"limit below request",
                 [](Pipeline &p) {
                     auto &r = taskOf(p, "consume").settings.resources;
                     r.cpuRequest = "2";
                     r.cpuLimit = "500m";
                     p.sourceMap["tasks.consume.resources.cpu.limit"] = at(30, 14);
                 },
                 S::Error, "CPU limit '500m' is below its request '2'", "consume", 30});
    c.push_back({"milli-bytes of memory",
                 [](Pipeline &p) { taskOf(p, "consume").settings.resources.memoryRequest = "512m"; },
                 S::Warning, "did you mean '512Mi'?", "consume"});
    c.push_back({"accelerator count",
                 [](Pipeline &p) {
                     auto &r = taskOf(p, "consume").settings.resources;
                     r.acceleratorType = "nvidia.com/gpu";
                     r.acceleratorCount = "0";
                 },
                 S::Error, "asks for '0' accelerators", "consume"});
    c.push_back({"unknown time zone",
                 [](Pipeline &p) {
                     RunValue r;
                     r.kind = RunValue::Kind::CreateTime;
                     r.format = "%Y%m%d";
                     r.timeZone = "Asia/Tokio";
                     taskOf(p, "produce").arguments["msg"] = Binding::runValue(r);
                 },
                 S::Error, "unknown time zone 'Asia/Tokio'", "produce"});
    c.push_back({"loop over a constant that is not a list",
                 [](Pipeline &p) {
                     Group g = group("each", Group::Kind::Loop);
                     g.loop.items = Binding::constant(5);
                     p.root.groups.push_back(g);
                     p.sourceMap["groups.each"] = at(40, 3);
                 },
                 S::Error, "Loop 'each' iterates over 5, which is not a list", "", 40});
    c.push_back({"loop over an integer parameter",
                 [](Pipeline &p) {
                     p.inputs.push_back(port("count", kInt, 3));
                     Group g = group("each", Group::Kind::Loop);
                     g.loop.items = Binding::parameter("count");
                     p.root.groups.push_back(g);
                 },
                 S::Error, "iterates over parameter 'count' of type Integer, which is not a list", ""});
    c.push_back({"loop item used outside its loop",
                 [](Pipeline &p) {
                     Group g = group("each", Group::Kind::Loop);
                     g.loop.items = Binding::constant(nlohmann::json::array({"a", "b"}));
                     p.root.groups.push_back(g);
                     taskOf(p, "produce").arguments["msg"] = Binding::loopItem("each");
                 },
                 S::Error, "but the task is not inside that loop", "produce"});
    c.push_back({"unused output",
                 [](Pipeline &p) {
                     p.components["producer"].outputs.pop_back();
                     taskOf(p, "consume").arguments.erase("data");
                     taskOf(p, "consume").arguments["text"] = Binding::constant("x");
                     p.sourceMap["tasks.produce"] = at(8, 3);
                 },
                 S::Warning, "Output 'out' of task 'produce' is never used", "produce", 8});
    c.push_back({"several unused outputs",
                 [](Pipeline &p) {
                     taskOf(p, "consume").arguments.erase("data");
                     taskOf(p, "consume").arguments["text"] = Binding::constant("x");
                 },
                 S::Warning, "Outputs 'out', 'data' of task 'produce' are never used", "produce"});
    c.push_back({"exit handler without exit task",
                 [](Pipeline &p) { p.root.groups.push_back(group("on-exit", Group::Kind::ExitHandler)); },
                 S::Error, "exit handler without an exit task", ""});
    c.push_back({"exit handler with a missing exit task",
                 [](Pipeline &p) {
                     Group g = group("on-exit", Group::Kind::ExitHandler);
                     g.exitTask = "notify";
                     p.root.groups.push_back(g);
                 },
                 S::Error, "runs exit task 'notify', which is not a task", ""});
    c.push_back({"exit task inside its own handler",
                 [](Pipeline &p) {
                     Group g = group("on-exit", Group::Kind::ExitHandler);
                     g.exitTask = "consume";
                     p.root.groups.push_back(g);
                     taskOf(p, "consume").group = "on-exit";
                 },
                 S::Error, "is inside exit handler 'on-exit' that it guards", "consume"});
    c.push_back({"condition without a condition",
                 [](Pipeline &p) {
                     p.root.groups.push_back(group("maybe", Group::Kind::Condition));
                     taskOf(p, "consume").group = "maybe";
                 },
                 S::Error, "has no condition; only the else branch", ""});
    c.push_back({"group with a missing parent",
                 [](Pipeline &p) {
                     Group g = group("each", Group::Kind::Loop);
                     g.loop.items = Binding::constant(nlohmann::json::array({1}));
                     g.parent = "ghost";
                     p.root.groups.push_back(g);
                 },
                 S::Error, "is inside group 'ghost', which does not exist", ""});
    c.push_back({"final status of a task instead of an exit handler",
                 [](Pipeline &p) { taskOf(p, "consume").arguments["text"] = Binding::taskStatus("produce"); },
                 S::Error, "takes the final status of 'produce', which is not an exit handler group",
                 "consume"});
    c.push_back({"final status read by another task than the exit task",
                 [](Pipeline &p) {
                     Group g = group("on-exit", Group::Kind::ExitHandler);
                     g.exitTask = "produce";
                     p.root.groups.push_back(g);
                     taskOf(p, "consume").arguments["text"] = Binding::taskStatus("on-exit");
                 },
                 S::Error, "which only its exit task ('produce') can read", "consume"});
    c.push_back({"undefined node pool", [](Pipeline &p) { taskOf(p, "consume").settings.nodePool = "gpu"; },
                 S::Error, "uses node pool 'gpu', which is not defined", "consume"});
    c.push_back({"pipeline output without a value",
                 [](Pipeline &p) { p.outputs.push_back(port("result", kString)); }, S::Error,
                 "Output 'result' of the pipeline is declared but nothing produces it", ""});
    c.push_back({"pipeline output value of the wrong type",
                 [](Pipeline &p) {
                     p.outputs.push_back(port("result", kInt));
                     p.root.outputs["result"] = Binding::taskOutput("produce", "out");
                 },
                 S::Error, "Output 'result' expects Integer, but output 'out' of task 'produce' is String",
                 ""});
    c.push_back({"secret neither mounted nor mapped",
                 [](Pipeline &p) {
                     ObjectRef ref;
                     ref.name = Binding::constant("db-credentials");
                     taskOf(p, "consume").settings.secrets.push_back(ref);
                 },
                 S::Error, "references secret 'db-credentials' but neither maps keys", "consume"});
    c.push_back({"invalid node selector label",
                 [](Pipeline &p) { taskOf(p, "consume").settings.nodeSelector["pool name"] = "x"; }, S::Error,
                 "node selector key 'pool name' is not a valid Kubernetes label key", "consume"});
    c.push_back(
        {"inner task of a sub-pipeline",
         [](Pipeline &p) {
             Component sub;
             sub.kind = Component::Kind::Graph;
             sub.name = "Sub";
             sub.graph = std::make_shared<Graph>();
             sub.graph->tasks.push_back(task("inner", "producer", {{"msg", Binding::parameter("missing")}}));
             p.components["sub"] = sub;
             p.root.tasks.push_back(task("nested", "sub"));
             p.sourceMap["components.sub.graph.tasks.inner.arguments.msg"] = at(50, 13);
         },
         S::Error, "refers to parameter 'missing', which sub-pipeline 'sub' does not declare", "inner", 50});
    c.push_back({"sub-pipeline containing itself",
                 [](Pipeline &p) {
                     Component sub;
                     sub.kind = Component::Kind::Graph;
                     sub.graph = std::make_shared<Graph>();
                     sub.graph->tasks.push_back(task("again", "sub"));
                     p.components["sub"] = sub;
                 },
                 S::Error, "Component 'sub' contains itself", ""});
    c.push_back({"container without image",
                 [](Pipeline &p) { p.components["consumer"].container.image.clear(); }, S::Warning,
                 "Component 'consumer' has an empty container image", ""}); // KFP 1.8 compiled such components
    return c;
}

QString dump(const std::vector<Problem> &problems)
{
    QStringList lines;
    for (const Problem &p : problems)
        lines << QString::fromStdString(p.toString() + " [task=" + p.where.task + "]");
    return lines.join('\n');
}

} // namespace

class TestValidator final : public QObject {
    Q_OBJECT

private slots:
    void baseIsClean()
    {
        const auto problems = validatePipeline(basePipeline());
        QVERIFY2(problems.empty(), qPrintable(dump(problems)));
    }

    void problem_data()
    {
        QTest::addColumn<int>("index");
        const auto all = cases();
        for (std::size_t i = 0; i < all.size(); ++i)
            QTest::newRow(all[i].name) << int(i);
    }
    void problem()
    {
        QFETCH(int, index);
        const Case c = cases()[std::size_t(index)];
        Pipeline p = basePipeline();
        c.edit(p);
        const auto problems = validatePipeline(p);
        const Problem *found = nullptr;
        for (const Problem &pr : problems) {
            if (pr.message.find(c.message) != std::string::npos)
                found = &pr;
        }
        QVERIFY2(found, qPrintable("expected \"" + QString::fromStdString(c.message) + "\" among:\n" +
                                   dump(problems)));
        QCOMPARE(int(found->severity), int(c.severity));
        QCOMPARE(QString::fromStdString(found->where.task), QString::fromStdString(c.task));
        QCOMPARE(QString::fromStdString(found->where.file), QStringLiteral("demo.pipewright.yaml"));
        if (c.line > 0)
            QCOMPARE(found->where.line, c.line);
        QVERIFY(!found->where.field.empty() || c.task.empty());
    }

    // Side outputs of a task whose main result is used, and metrics that the
    // run view shows, are not worth a warning.
    void sideOutputsAndMetricsAreQuiet()
    {
        Pipeline p = basePipeline();
        taskOf(p, "consume").arguments.erase("data");
        QVERIFY2(validatePipeline(p).empty(), qPrintable(dump(validatePipeline(p))));
        p.components["producer"].outputs = {port("metrics", PortType::artifact("system.Metrics"))};
        taskOf(p, "consume").arguments["text"] = Binding::constant("x");
        QVERIFY2(validatePipeline(p).empty(), qPrintable(dump(validatePipeline(p))));
    }

    void usedOutputsOfExportingTasksAreQuiet()
    {
        Pipeline p = basePipeline();
        taskOf(p, "consume").arguments.erase("data");
        p.outputs.push_back(port("text", kString));
        p.root.outputs["text"] = Binding::taskOutput("produce", "out");
        const auto problems = validatePipeline(p);
        QVERIFY2(problems.empty(), qPrintable(dump(problems)));
    }

    // Outside a loop, an output produced inside it arrives as the list of
    // every iteration's value (KFP's dsl.Collected).
    void loopOutputsAreCollectedOutside()
    {
        Pipeline p = basePipeline();
        p.components["summer"] = container("Sum", {port("values", kList)}, {});
        Group loop = group("each", Group::Kind::Loop);
        loop.loop.items = Binding::constant(nlohmann::json::array({1, 2}));
        p.root.groups.push_back(loop);
        taskOf(p, "produce").group = "each";
        taskOf(p, "consume").group = "each";
        p.root.tasks.push_back(task("sum", "summer", {{"values", Binding::taskOutput("produce", "out")}}));
        auto problems = validatePipeline(p);
        QVERIFY2(!hasErrors(problems), qPrintable(dump(problems)));

        taskOf(p, "consume").group.clear(); // now reads the collected list as a String
        problems = validatePipeline(p);
        QVERIFY2(hasErrors(problems), qPrintable(dump(problems)));
        QVERIFY(dump(problems).contains("expects String, but output 'out' of task 'produce' is List"));
    }

    void kfpNumbersAreDoubles()
    {
        Pipeline p = basePipeline();
        taskOf(p, "consume").arguments["n"] = Binding::constant(3.0);
        QVERIFY2(validatePipeline(p).empty(), qPrintable(dump(validatePipeline(p))));
        taskOf(p, "consume").arguments["n"] = Binding::constant(3.5);
        QVERIFY(hasErrors(validatePipeline(p)));
    }

    void richValidPipeline()
    {
        Pipeline p = basePipeline();
        p.nodePools = {NodePool{"high-mem",
                                {{"cloud.google.com/gke-nodepool", "high-mem"}},
                                {Toleration{"dedicated", "Equal", "high-mem", "NoSchedule", {}}}}};
        p.defaultNodePool = "high-mem";
        p.serviceAccount = "pipeline-runner";
        p.labels = {{"team", "ml"}};
        p.pipelineRoot = "gs://bucket/root";
        p.inputs.push_back(port("shards", kList, nlohmann::json::array({1, 2})));
        p.components["notifier"] = container(
            "Notify", {port("status", PortType::param(ParameterType::TaskFinalStatus), std::nullopt, true)},
            {});

        Group exit = group("on-exit", Group::Kind::ExitHandler);
        exit.exitTask = "notify";
        Group loop = group("per-shard", Group::Kind::Loop);
        loop.parent = "on-exit";
        loop.loop.items = Binding::parameter("shards");
        loop.loop.parallelism = 2;
        Group branches = group("branch", Group::Kind::Branches);
        branches.parent = "on-exit";
        Group ifHigh = group("if-high", Group::Kind::Condition);
        ifHigh.parent = "branch";
        ifHigh.condition = Condition{Binding::taskOutput("produce", "out"), "==", Binding::constant("high")};
        Group otherwise = group("otherwise", Group::Kind::Condition);
        otherwise.parent = "branch";
        otherwise.order = 1;
        p.root.groups = {exit, loop, branches, ifHigh, otherwise};

        taskOf(p, "produce").group = "on-exit";
        Task &consume = taskOf(p, "consume");
        consume.group = "if-high";
        Task each = task("each", "producer", {{"msg", Binding::loopItem("per-shard")}});
        each.group = "per-shard";
        each.settings.resources = {"500m", "2", "1Gi", "2Gi", "nvidia.com/gpu", "1"};
        each.settings.nodePool = "high-mem";
        ObjectRef secret;
        secret.name = Binding::constant("warehouse");
        secret.keyToEnv = {KeyToEnv{"password", "DB_PASSWORD"}};
        each.settings.secrets = {secret};
        each.settings.retry = RetryPolicy{3, "60s", 2.0, "1h"};
        each.settings.timeoutSeconds = 1800;
        p.root.tasks.push_back(each);
        Task notify = task("notify", "notifier", {{"status", Binding::taskStatus("on-exit")}});
        p.root.tasks.push_back(notify);
        PortType datasets = kDataset;
        datasets.isArtifactList = true; // `each` runs once per shard
        p.outputs.push_back(port("data", datasets));
        p.root.outputs["data"] = Binding::taskOutput("each", "data");

        const auto problems = validatePipeline(p);
        QVERIFY2(!hasErrors(problems), qPrintable(dump(problems)));
    }

    void documentFixturesAreValid_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("daily-batch") << "daily-batch.pipewright.yaml";
        QTest::newRow("sub-pipeline") << "subpipeline.pipewright.yaml";
    }
    void documentFixturesAreValid()
    {
        QFETCH(QString, file);
        const auto pipeline =
            readDocumentFile(QStringLiteral(PW_TEST_DATA_DIR "/documents/%1").arg(file).toStdString());
        QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().toString().c_str());
        const auto problems = validatePipeline(pipeline.value());
        QVERIFY2(!hasErrors(problems), qPrintable(dump(problems)));
    }

    void problemsFromDocumentsCarryPositions()
    {
        const auto pipeline = readDocumentFile(
            QStringLiteral(PW_TEST_DATA_DIR "/documents/daily-batch.pipewright.yaml").toStdString());
        QVERIFY(pipeline.ok());
        Pipeline p = pipeline.value();
        p.root.task("score")->settings.resources.cpuLimit = "100m";
        const auto problems = validatePipeline(p);
        const auto it = std::find_if(problems.begin(), problems.end(), [](const Problem &pr) {
            return pr.message.find("below") != std::string::npos;
        });
        QVERIFY2(it != problems.end(), qPrintable(dump(problems)));
        QCOMPARE(it->where.task, std::string("score"));
        QVERIFY(it->where.line > 0);
        QVERIFY(it->where.column > 0);
        QVERIFY(it->toString().starts_with(p.fileName + ":" + std::to_string(it->where.line) + ":"));
    }

    void problemToString()
    {
        Problem p;
        p.severity = Problem::Severity::Warning;
        p.message = "something";
        p.where = at(3, 7);
        QCOMPARE(QString::fromStdString(p.toString()),
                 QStringLiteral("demo.pipewright.yaml:3:7: warning: something"));
        Problem q;
        q.message = "broken";
        q.where.task = "train";
        QCOMPARE(QString::fromStdString(q.toString()), QStringLiteral("error: broken (task: train)"));
        QVERIFY(hasErrors({q}));
        QVERIFY(!hasErrors({p}));
    }
};

QTEST_GUILESS_MAIN(TestValidator)
#include "tst_validator.moc"
