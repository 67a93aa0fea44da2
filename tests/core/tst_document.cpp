// SPDX-License-Identifier: Apache-2.0
#include "formats/componentloader.h"
#include "formats/document.h"
#include "modelbuilders.h"
#include "testdata.h"
#include "util/yamljson.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace pw;

namespace {

const QString kDocs = QStringLiteral(PW_TEST_DATA_DIR "/documents");

std::string docPath(const QString &name)
{
    return (kDocs + '/' + name).toStdString();
}

std::string readBytes(const std::string &path)
{
    QFile f(QString::fromStdString(path));
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

// ------------------------------------------------------------ comparison

std::string sameComponents(const Component &a, const Component &b)
{
    if (a.name != b.name || a.description != b.description)
        return "name/description";
    if (a.inputs != b.inputs)
        return "inputs";
    if (a.outputs != b.outputs)
        return "outputs";
    if (a.annotations != b.annotations || a.labels != b.labels)
        return "metadata";
    if (a.kind != b.kind)
        return "kind";
    if (a.container != b.container)
        return "container";
    if (a.importer != b.importer)
        return "importer";
    if (bool(a.graph) != bool(b.graph) || (a.graph && !(*a.graph == *b.graph)))
        return "graph";
    if (a.source != b.source)
        return "source";
    return {};
}

// Everything that carries meaning; fileName and sourceMap only say where a
// pipeline was read from.
QString difference(const Pipeline &a, const Pipeline &b)
{
    if (a.name != b.name || a.displayName != b.displayName || a.description != b.description ||
        a.pipelineRoot != b.pipelineRoot || a.serviceAccount != b.serviceAccount || a.labels != b.labels)
        return "pipeline attributes";
    if (a.inputs != b.inputs)
        return "inputs";
    if (a.outputs != b.outputs)
        return "outputs";
    if (a.nodePools != b.nodePools || a.defaultNodePool != b.defaultNodePool)
        return "node pools";
    if (a.layout != b.layout)
        return "layout";
    if (a.root.tasks.size() != b.root.tasks.size())
        return "task count";
    for (std::size_t i = 0; i < a.root.tasks.size(); ++i) {
        if (!(a.root.tasks[i] == b.root.tasks[i]))
            return QString::fromStdString("task " + a.root.tasks[i].id);
    }
    if (!(a.root == b.root))
        return "groups or graph outputs";
    if (a.components.size() != b.components.size())
        return "component count";
    for (const auto &[id, c] : a.components) {
        auto it = b.components.find(id);
        if (it == b.components.end())
            return QString::fromStdString("component " + id + " missing");
        if (const std::string d = sameComponents(c, it->second); !d.empty())
            return QString::fromStdString("component " + id + ": " + d);
    }
    return {};
}

// ------------------------------------------------------------ builders

using pw::test::port;

CommandArg arg(CommandArg::Kind kind, std::string name)
{
    return CommandArg::ref(kind, std::move(name));
}

Component echoFromFile()
{
    const std::string path = docPath("components/echo.component.yaml");
    auto loaded = loadComponentFile(path);
    if (!loaded)
        qFatal("%s", loaded.error().toString().c_str());
    Component c = loaded.value();
    const QByteArray bytes = QByteArray::fromStdString(readBytes(path));
    c.source =
        ComponentSource{ComponentSource::Kind::Path, "components/echo.component.yaml",
                        QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex().toStdString()};
    return c;
}

// Touches every construct the format has, so that a field the writer forgets
// or the reader misreads shows up as a difference.
Pipeline everything()
{
    using K = CommandArg::Kind;
    Pipeline p;
    p.name = "everything";
    p.displayName = "Every construct";
    p.description = "Line one\nline two: with a colon\n";
    p.pipelineRoot = "minio://bucket/root";
    p.serviceAccount = "runner";
    p.labels = {{"team", "ml"}, {"cost", "a-1"}};
    p.nodePools = {
        NodePool{"gpu", {{"pool", "gpu"}}, {Toleration{"nvidia.com/gpu", "Exists", "", "NoExecute", 300}}},
        NodePool{"cpu", {}, {}}};
    p.defaultNodePool = "cpu";

    PortType versioned = PortType::artifact("system.Model", "1.2.0");
    PortType list = PortType::artifact("google.VertexModel");
    list.isArtifactList = true;
    PortType odd = PortType::artifact("Dataset"); // no namespace: needs the mapping form
    PortType fromV1 = PortType::param(ParameterType::String);
    fromV1.sourceName = "GCSPath";
    p.inputs = {port("s", PortType::param(ParameterType::String), ""),
                port("i", PortType::param(ParameterType::Integer), 9007199254740993LL),
                port("f", PortType::param(ParameterType::Double), 0.1),
                port("b", PortType::param(ParameterType::Boolean), false, true),
                port("l", PortType::param(ParameterType::List), nlohmann::json::array({"a", 1, nullptr})),
                port("d", PortType::param(ParameterType::Struct), nlohmann::json{{"param", "x"}}),
                port("n", PortType::param(ParameterType::String), nullptr),
                port("gcs", fromV1),
                port("model", versioned),
                port("models", list),
                port("odd", odd)};
    p.inputs[0].description = "an empty default";
    p.outputs = {port("result", PortType::param(ParameterType::String)),
                 port("bundle", PortType::artifact("system.Artifact"))};

    p.components["echo"] = echoFromFile();

    Component tool;
    tool.name = "Tool";
    tool.description = "All placeholders";
    tool.annotations = {{"author", "me"}};
    tool.labels = {{"tier", "gold"}};
    tool.inputs = {port("text", PortType::param(ParameterType::String)),
                   port("data", PortType::artifact("system.Dataset"), std::nullopt, true),
                   port("flag", PortType::param(ParameterType::Boolean), true)};
    tool.outputs = {port("out", PortType::param(ParameterType::String)),
                    port("blob", PortType::artifact("system.Artifact"))};
    tool.container.image = "ghcr.io/x/tool:1";
    CommandArg concat;
    concat.kind = K::Concat;
    concat.items = {CommandArg::literal("--text="), arg(K::InputValue, "text")};
    CommandArg ifPresent;
    ifPresent.kind = K::IfPresent;
    ifPresent.name = "data";
    ifPresent.thenArgs = {CommandArg::literal("--data"), arg(K::InputPath, "data")};
    ifPresent.elseArgs = {CommandArg::literal("--no-data")};
    CommandArg run;
    run.kind = K::RunValue;
    run.text = "run.created:%Y@UTC";
    tool.container.command = {CommandArg::literal("python3"), CommandArg::literal("-u"),
                              CommandArg::literal("1"), CommandArg::literal("true")};
    tool.container.args = {concat,
                           ifPresent,
                           run,
                           arg(K::InputUri, "data"),
                           arg(K::InputMetadata, "data"),
                           arg(K::OutputPath, "out"),
                           arg(K::OutputUri, "blob"),
                           arg(K::OutputMetadata, "blob"),
                           arg(K::ExecutorInput, {})};
    tool.container.env = {EnvVar{"A", "1"}, EnvVar{"B", ""}};
    p.components["tool"] = tool;

    Component importer;
    importer.kind = Component::Kind::Importer;
    importer.outputs = {port("artifact", PortType::artifact("system.Dataset"))};
    importer.importer.artifactUri = Binding::parameter("s");
    importer.importer.type = PortType::artifact("system.Dataset");
    importer.importer.metadata = {{"k", {1, 2}}};
    p.components["load"] = importer;

    Component sub;
    sub.kind = Component::Kind::Graph;
    sub.name = "Sub";
    sub.inputs = {port("x", PortType::param(ParameterType::String))};
    sub.outputs = {port("y", PortType::param(ParameterType::String))};
    sub.graph = std::make_shared<Graph>();
    Task inner;
    inner.id = "inner";
    inner.component = "tool";
    inner.arguments = {{"text", Binding::parameter("x")}};
    sub.graph->tasks = {inner};
    sub.graph->outputs = {{"y", Binding::taskOutput("inner", "out")}};
    p.components["sub"] = sub;

    Task a;
    a.id = "a";
    a.component = "tool";
    a.displayName = "First: a";
    RunValue tokyo{RunValue::Kind::CreateTime, "%Y%m%d", "Asia/Tokyo"};
    Binding templ;
    templ.kind = Binding::Kind::Template;
    templ.options = {Binding::constant("day-"), Binding::runValue(tokyo), Binding::constant(7)};
    a.arguments = {{"text", templ}, {"flag", Binding{}}, {"data", Binding::taskOutput("load", "artifact")}};
    ExecutionSettings &s = a.settings;
    s.resources = Resources{"500m", "1", "1Gi", "2Gi", "nvidia.com/gpu", "2"};
    s.nodePool = "gpu";
    s.nodeSelector = {{"zone", "a"}};
    s.nodeSelectorJson = Binding::parameter("d");
    s.tolerations = {Toleration{"k", "", "v", "", {}}, Toleration{}};
    s.tolerationJson = {Binding::parameter("l")};
    s.nodeAffinityJson = {Binding::constant(nlohmann::json{{"required", true}})};
    s.env = {EnvVar{"DUP", "1"}, EnvVar{"DUP", "2"}};
    s.fieldPathEnv = {FieldPathEnv{"POD", "metadata.name"}};
    ObjectRef secret;
    secret.name = Binding::parameter("s");
    secret.nameIsLiteral = true;
    secret.keyToEnv = {KeyToEnv{"user", "U"}, KeyToEnv{"user", "U2"}};
    secret.optional = false;
    ObjectRef config;
    config.source = ObjectRef::Source::ConfigMap;
    config.name = Binding::constant("settings");
    config.mountPath = "/etc/settings";
    s.secrets = {secret};
    s.configMaps = {config};
    s.imagePullSecrets = {Binding::constant("regcred")};
    s.volumes = {PvcMount{Binding::constant("cache"), "/cache"}};
    s.podLabels = {{"l", "1"}};
    s.podAnnotations = {{"example.com/a", "x y"}};
    s.retry = RetryPolicy{2, "10s", 1.5, "5m"};
    s.caching = false;
    s.timeoutSeconds = 45;

    Task b;
    b.id = "b";
    b.component = "echo";
    b.group = "loop";
    b.after = {"a"};
    b.runAfterFailure = true;
    b.arguments = {{"message", Binding::loopItem("loop", "name")}, {"times", Binding::constant(3)}};

    Task c;
    c.id = "c";
    c.component = "sub";
    c.group = "if-yes";
    c.arguments = {{"x", Binding::constant(nlohmann::json{{"task", "looks like a binding"}})}};

    Task d;
    d.id = "d";
    d.component = "echo";
    d.group = "otherwise";
    d.arguments = {{"message", Binding::constant(nullptr)},
                   {"times", Binding::constant(nlohmann::json::array({nlohmann::json{{"param", 1}}}))}};

    Task e;
    e.id = "e";
    e.component = "echo";
    e.arguments = {{"message", Binding::taskStatus("guard")}};
    p.root.tasks = {a, b, c, d, e};

    Group exit;
    exit.id = "guard";
    exit.kind = Group::Kind::ExitHandler;
    exit.exitTask = "e";
    exit.displayName = "Guard";
    Group loop;
    loop.id = "loop";
    loop.kind = Group::Kind::Loop;
    loop.parent = "guard";
    loop.loop = LoopSpec{Binding::constant(nlohmann::json::array({nlohmann::json{{"name", "x"}}})), 3,
                         "loop-item-param-1", ParameterType::Struct};
    Group branches;
    branches.id = "choice";
    branches.kind = Group::Kind::Branches;
    Group yes;
    yes.id = "if-yes";
    yes.parent = "choice";
    yes.condition = Condition{Binding::taskOutput("a", "out"), "!=", Binding::constant("no")};
    Group otherwise;
    otherwise.id = "otherwise";
    otherwise.parent = "choice";
    otherwise.order = 1;
    p.root.groups = {exit, loop, branches, yes, otherwise};

    Binding oneOf;
    oneOf.kind = Binding::Kind::OneOf;
    oneOf.options = {Binding::taskOutput("c", "y"), Binding::taskOutput("d", "echoed")};
    p.root.outputs = {{"result", oneOf}, {"bundle", Binding::taskOutput("a", "blob")}};

    p.layout.tasks = {{"a", {0, 0}}, {"b", {120.25, -40}}, {"e", {1e6, 3}}};
    p.layout.groups = {{"loop", {10, 20}}};
    return p;
}

Result<Pipeline> readBack(const std::string &text)
{
    // The name only sets the directory that relative component paths start from.
    return readDocument(text, docPath("in-memory.pipewright.yaml"));
}

} // namespace

class TestDocument final : public QObject {
    Q_OBJECT

private slots:
    void writeThenReadGivesEqualPipeline()
    {
        const Pipeline original = everything();
        const std::string text = writeDocument(original);
        const auto read = readBack(text);
        QVERIFY2(read.ok(), read.ok() ? "" : (read.error().toString() + "\n" + text).c_str());
        QVERIFY2(difference(original, read.value()).isEmpty(),
                 qPrintable(difference(original, read.value()) + "\n" + QString::fromStdString(text)));
        QCOMPARE(writeDocument(read.value()), text);
    }

    void writerOmitsDefaults()
    {
        Pipeline p;
        p.name = "tiny";
        Component c;
        c.container.image = "alpine";
        c.inputs = {port("msg", PortType::param(ParameterType::String))};
        p.components["hello"] = c;
        Task t;
        t.id = "hi";
        t.component = "hello";
        t.arguments["msg"] = Binding::constant("hi");
        p.root.tasks = {t};
        QCOMPARE(QString::fromStdString(writeDocument(p)),
                 QStringLiteral("pipewright: 1\nname: tiny\ncomponents:\n  hello:\n    inputs:\n      msg:\n"
                                "        type: String\n    container:\n      image: alpine\ntasks:\n  hi:\n"
                                "    component: hello\n    arguments:\n      msg: hi\n"));
    }

    void readThenWriteKeepsBytes_data()
    {
        QTest::addColumn<QString>("file");
        QTest::newRow("daily-batch") << "daily-batch.pipewright.yaml";
        QTest::newRow("sub-pipeline") << "subpipeline.pipewright.yaml";
    }
    void readThenWriteKeepsBytes()
    {
        QFETCH(QString, file);
        const std::string path = docPath(file);
        const auto read = readDocumentFile(path);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().toString().c_str());
        QCOMPARE(QString::fromStdString(writeDocument(read.value())),
                 QString::fromStdString(readBytes(path)));
    }

    void handWrittenEqualsCanonical_data()
    {
        QTest::addColumn<QString>("handwritten");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("daily-batch") << "daily-batch.handwritten.pipewright.yaml"
                                     << "daily-batch.pipewright.yaml";
        QTest::newRow("sub-pipeline") << "subpipeline.handwritten.pipewright.yaml"
                                      << "subpipeline.pipewright.yaml";
    }
    void handWrittenEqualsCanonical()
    {
        QFETCH(QString, handwritten);
        QFETCH(QString, canonical);
        const auto a = readDocumentFile(docPath(handwritten));
        const auto b = readDocumentFile(docPath(canonical));
        QVERIFY2(a.ok(), a.ok() ? "" : a.error().toString().c_str());
        QVERIFY2(b.ok(), b.ok() ? "" : b.error().toString().c_str());
        QVERIFY2(difference(a.value(), b.value()).isEmpty(), qPrintable(difference(a.value(), b.value())));
    }

    void bindingForms_data()
    {
        QTest::addColumn<int>("index");
        QTest::addColumn<QString>("yaml"); // how the binding is written under `arguments.x`
        QTest::newRow("string") << 0 << "x: hello";
        QTest::newRow("string that looks like a number") << 1 << "x: '1.0'";
        QTest::newRow("integer") << 2 << "x: 42";
        QTest::newRow("list") << 3 << "x:\n      - 1\n      - two";
        QTest::newRow("plain map") << 4 << "x:\n        a: 1";
        QTest::newRow("map that looks like a binding") << 5 << "x:\n        constant:\n          param: p";
        QTest::newRow("null constant") << 6 << "x:\n        constant: null";
        QTest::newRow("parameter") << 7 << "x:\n        param: p";
        QTest::newRow("task output") << 8 << "x:\n        task: t\n        output: o";
        QTest::newRow("loop item") << 9 << "x:\n        loopItem: g";
        QTest::newRow("loop item field") << 10 << "x:\n        loopItem: g\n        field: f";
        QTest::newRow("run value") << 11 << "x:\n        run: run.created:%Y%m%d@Asia/Tokyo";
        QTest::newRow("task status") << 12 << "x:\n        taskStatus: t";
        QTest::newRow("one of")
            << 13 << "x:\n        oneOf:\n        - task: t\n          output: o\n        - param: p";
        QTest::newRow("template") << 14 << "x:\n        template:\n        - gs://b/\n        - param: p";
        QTest::newRow("unset") << 15 << "x: null";
    }
    void bindingForms()
    {
        QFETCH(int, index);
        QFETCH(QString, yaml);
        Binding oneOf;
        oneOf.kind = Binding::Kind::OneOf;
        oneOf.options = {Binding::taskOutput("t", "o"), Binding::parameter("p")};
        Binding templ;
        templ.kind = Binding::Kind::Template;
        templ.options = {Binding::constant("gs://b/"), Binding::parameter("p")};
        const std::vector<Binding> bindings = {
            Binding::constant("hello"),
            Binding::constant("1.0"),
            Binding::constant(42),
            Binding::constant(nlohmann::json::array({1, "two"})),
            Binding::constant(nlohmann::json{{"a", 1}}),
            Binding::constant(nlohmann::json{{"param", "p"}}),
            Binding::constant(nullptr),
            Binding::parameter("p"),
            Binding::taskOutput("t", "o"),
            Binding::loopItem("g"),
            Binding::loopItem("g", "f"),
            Binding::runValue(RunValue{RunValue::Kind::CreateTime, "%Y%m%d", "Asia/Tokyo"}),
            Binding::taskStatus("t"),
            oneOf,
            templ,
            Binding{},
        };
        Pipeline p;
        p.name = "bindings";
        Task t;
        t.id = "t";
        t.component = "c";
        t.arguments["x"] = bindings[std::size_t(index)];
        p.root.tasks = {t};
        const std::string text = writeDocument(p);
        QVERIFY2(text.find("    arguments:\n      " + yaml.toStdString() + "\n") != std::string::npos,
                 text.c_str());
        const auto read = readBack(text);
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().toString().c_str());
        QVERIFY(read->root.tasks.at(0).arguments.at("x") == bindings[std::size_t(index)]);
    }

    void sourceMapLocatesEntries_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::newRow("task") << "tasks.score" << 112 << 3;
        QTest::newRow("argument") << "tasks.score.arguments.shard" << 118 << 7;
        QTest::newRow("task setting") << "tasks.score.resources.cpu.limit" << 125 << 9;
        QTest::newRow("input") << "inputs.shards" << 24 << 3;
        QTest::newRow("group") << "groups.per-shard" << 161 << 3;
        QTest::newRow("component") << "components.echo" << 34 << 3;
        QTest::newRow("graph output") << "outputValues.summary" << 169 << 3;
    }
    void sourceMapLocatesEntries()
    {
        QFETCH(QString, key);
        QFETCH(int, line);
        QFETCH(int, column);
        const std::string path = docPath("daily-batch.pipewright.yaml");
        const auto read = readDocumentFile(path);
        QVERIFY(read.ok());
        QCOMPARE(read->fileName, path);
        const auto it = read->sourceMap.find(key.toStdString());
        QVERIFY2(it != read->sourceMap.end(), qPrintable(key));
        QCOMPARE(it->second.file, path);
        QCOMPARE(it->second.line, line);
        QCOMPARE(it->second.column, column);
    }

    void subPipelineEntriesAreMapped()
    {
        const auto read = readDocumentFile(docPath("subpipeline.pipewright.yaml"));
        QVERIFY(read.ok());
        QVERIFY(read->sourceMap.count("components.regional.graph.tasks.train"));
        QVERIFY(read->sourceMap.count("components.regional.graph.groups.good-enough"));
        QVERIFY(read->sourceMap.count("tasks.per-region.arguments.region"));
    }

    void componentForms()
    {
        const auto read = readDocumentFile(docPath("subpipeline.pipewright.yaml"));
        QVERIFY(read.ok());
        const Pipeline &p = read.value();
        QCOMPARE(int(p.component("flip")->source.kind), int(ComponentSource::Kind::Embedded));
        QCOMPARE(int(p.component("import-raw")->kind), int(Component::Kind::Importer));
        QCOMPARE(int(p.component("regional")->kind), int(Component::Kind::Graph));
        QCOMPARE(p.component("regional")->graph->tasks.size(), std::size_t(4));
        // A component that KFP v1 syntax describes exactly stays in that syntax.
        const std::string text = writeDocument(p);
        QVERIFY(text.find("  flip:\n    embedded:\n      name: Flip coin\n") != std::string::npos);
        QVERIFY(text.find("  train:\n    name: Train\n") != std::string::npos);
    }

    // KFP v2 files by path: a one-executor spec is that component, a whole
    // pipeline becomes a sub-pipeline whose inner components join the document's.
    void kfpV2ComponentFiles()
    {
        const QString goldens = pw::test::referencePath("kfp-v2-goldens");
        const std::string text = "pipewright: 1\n"
                                 "name: uses-v2\n"
                                 "components:\n"
                                 "  io:\n"
                                 "    path: " + (goldens + "/container_io.yaml").toStdString() + "\n"
                                 "  two-step:\n"
                                 "    path: " + (goldens + "/two_step_pipeline.yaml").toStdString() + "\n"
                                 "tasks:\n"
                                 "  io:\n"
                                 "    component: io\n"
                                 "    arguments:\n"
                                 "      text: hello\n"
                                 "  nested:\n"
                                 "    component: two-step\n"
                                 "    arguments:\n"
                                 "      text: {task: io, output: output_path}\n";
        const auto read = readDocument(text, docPath("in-memory.pipewright.yaml"));
        QVERIFY2(read.ok(), read.ok() ? "" : read.error().toString().c_str());
        const Pipeline &p = *read;
        const Component *io = p.component("io");
        QVERIFY(io);
        QCOMPARE(int(io->kind), int(Component::Kind::Container));
        QCOMPARE(io->container.image, std::string("registry.access.redhat.com/ubi9/python-311:latest"));
        QCOMPARE(io->inputs.size(), std::size_t(1));
        QCOMPARE(io->outputs.front().name, std::string("output_path"));
        const Component *nested = p.component("two-step");
        QVERIFY(nested);
        QCOMPARE(int(nested->kind), int(Component::Kind::Graph));
        QCOMPARE(nested->graph->tasks.size(), std::size_t(2));
        for (const Task &t : nested->graph->tasks)
            QVERIFY2(p.component(t.component), t.component.c_str());
        // Written back, both stay references to their files.
        const std::string written = writeDocument(p);
        QVERIFY2(written.find("path: " + (goldens + "/two_step_pipeline.yaml").toStdString()) != std::string::npos,
                 written.c_str());
    }

    void pinMismatchIsLocated()
    {
        const std::string path = docPath("bad-pin.pipewright.yaml");
        const auto read = readDocumentFile(path);
        QVERIFY(!read.ok());
        const Error &e = read.error();
        QVERIFY2(e.message.find("does not match its sha256 pin") != std::string::npos, e.message.c_str());
        QVERIFY2(e.message.find("cf87fe502db2ffd19935e80536843840156198b26b3e867595ccce3a41e2b0d1") !=
                     std::string::npos,
                 e.message.c_str());
        QCOMPARE(e.where.file, path);
        QCOMPARE(e.where.line, 6);
        QCOMPARE(e.where.column, 13);
        QCOMPARE(e.where.field, std::string("components.echo.sha256"));
    }

    void urlComponents()
    {
        const QByteArray echo =
            QByteArray::fromStdString(readBytes(docPath("components/echo.component.yaml")));
        const std::string sha =
            QCryptographicHash::hash(echo, QCryptographicHash::Sha256).toHex().toStdString();
        QTemporaryDir cache;
        QVERIFY(cache.isValid());
        qputenv("PIPEWRIGHT_COMPONENT_CACHE", cache.path().toLocal8Bit());
        auto doc = [&](const std::string &url, const std::string &pin) {
            return "pipewright: 1\nname: u\ncomponents:\n  echo:\n    url: " + url +
                   (pin.empty() ? std::string() : "\n    sha256: " + pin) + "\n";
        };
        const std::string remote = "https://example.com/components/echo.yaml";

        auto missing = readBack(doc(remote, sha));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.find("not in the component cache") != std::string::npos,
                 missing.error().message.c_str());
        QCOMPARE(missing.error().where.line, 5);

        QFile cached(cache.path() + '/' + QString::fromStdString(sha) + ".yaml");
        QVERIFY(cached.open(QIODevice::WriteOnly));
        cached.write(echo);
        cached.close();
        auto hit = readBack(doc(remote, sha));
        QVERIFY2(hit.ok(), hit.ok() ? "" : hit.error().toString().c_str());
        QCOMPARE(hit->component("echo")->name, std::string("Echo"));
        QCOMPARE(hit->component("echo")->source.location, remote);
        QCOMPARE(writeDocument(hit.value()), doc(remote, sha));

        auto unpinned = readBack(doc(remote, {}));
        QVERIFY(!unpinned.ok());
        QVERIFY(unpinned.error().message.find("needs a sha256 pin") != std::string::npos);

        const std::string local =
            QUrl::fromLocalFile(QString::fromStdString(docPath("components/echo.component.yaml")))
                .toString()
                .toStdString();
        auto file = readBack(doc(local, {}));
        QVERIFY2(file.ok(), file.ok() ? "" : file.error().toString().c_str());
        qunsetenv("PIPEWRIGHT_COMPONENT_CACHE");
    }

    void malformedDocumentsGiveLocatedErrors_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated YAML") << "truncated" << 7 << 46 << "YAML syntax error";
        QTest::newRow("wrong type (bool)")
            << "wrong-type-bool" << 9 << 14 << "expected true or false for 'caching'";
        QTest::newRow("wrong type (section)")
            << "wrong-type-section" << 3 << 8 << "expected a mapping for 'tasks'";
        QTest::newRow("unknown top-level key")
            << "unknown-key" << 3 << 1 << "unknown key 'taks' at the top level; did you mean 'tasks'?";
        QTest::newRow("unknown task key") << "unknown-task-key" << 9 << 5 << "did you mean 'arguments'?";
        QTest::newRow("bad version") << "bad-version" << 1 << 13 << "unsupported version 2";
        QTest::newRow("missing version") << "missing-version" << 1 << 1 << "not a Pipewright document";
        QTest::newRow("binding with unknown key") << "bad-binding-key" << 13 << 22 << "unknown key 'outptu'";
        QTest::newRow("binding mixing forms")
            << "bad-binding-mixed" << 11 << 12 << "mixes 'param' and 'task'";
        QTest::newRow("unknown run value")
            << "bad-run-value" << 11 << 18 << "unknown run value 'run.yesterday'";
        QTest::newRow("binding inside a constant")
            << "binding-inside-constant" << 11 << 13 << "{constant: ...}";
        QTest::newRow("duplicate task") << "duplicate-task" << 8 << 3 << "duplicate key 'a'";
        QTest::newRow("bad group kind") << "bad-group-kind" << 5 << 11 << "unknown group kind 'while'";
        QTest::newRow("bad port type") << "bad-port-type" << 4 << 16 << "unknown type 'Strnig'";
        QTest::newRow("bad timeout") << "bad-timeout" << 9 << 14 << "expected a duration";
        QTest::newRow("missing component file")
            << "missing-component-file" << 5 << 11 << "cannot read component 'gone'";
        QTest::newRow("two component forms") << "two-component-forms" << 5 << 5 << "needs exactly one of";
        QTest::newRow("not a mapping") << "not-a-mapping" << 1 << 1 << "expected a mapping";
        QTest::newRow("two documents") << "two-documents" << 4 << 1 << "expected one YAML document, found 2";
        QTest::newRow("empty") << "empty" << 0 << 0 << "empty document";
        QTest::newRow("alias bomb") << "alias-bomb" << 1 << 1 << "more than 5 million YAML nodes";
        QTest::newRow("alias loop") << "alias-loop" << 6 << 14 << "an alias refers to itself";
    }
    void malformedDocumentsGiveLocatedErrors()
    {
        QFETCH(QString, file);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        const std::string path = docPath("malformed/" + file + ".pipewright.yaml");
        const auto read = readDocumentFile(path);
        QVERIFY(!read.ok());
        const Error &e = read.error();
        QVERIFY2(QString::fromStdString(e.message).contains(message), e.toString().c_str());
        QCOMPARE(e.where.file, path);
        QCOMPARE(e.where.line, line);
        QCOMPARE(e.where.column, column);
    }

    // Truncations and byte flips of a real document: every one must come
    // back as a value or an error, never as a crash or a hang.
    void neverCrashesOnDamagedInput()
    {
        const std::string text = readBytes(docPath("subpipeline.pipewright.yaml"));
        QVERIFY(!text.empty());
        int failures = 0;
        for (std::size_t cut = 0; cut < text.size(); cut += 7)
            failures += readBack(text.substr(0, cut)).ok() ? 0 : 1;
        QRandomGenerator rng(20240611);
        const char noise[] = "{}[]:,-#&*!|>'\"%@` \n\tx0";
        for (int round = 0; round < 400; ++round) {
            std::string damaged = text;
            for (int flips = 0; flips < 3; ++flips)
                damaged[rng.bounded(int(damaged.size()))] = noise[rng.bounded(int(sizeof noise - 1))];
            failures += readBack(damaged).ok() ? 0 : 1;
        }
        QVERIFY(failures > 0);
    }
};

QTEST_GUILESS_MAIN(TestDocument)
#include "tst_document.moc"
