// SPDX-License-Identifier: Apache-2.0
#include "compiler/kfpplaceholders.h"
#include "compiler/lower.h"
#include "formats/componentloader.h"
#include "formats/componentv1support.h" // parseComponentV1 with a component registry
#include "formats/pipelineloader.h"
#include "targets/argowriter.h"
#include "testdata.h"
#include "validate/validator.h"

#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace pw;
using K = CommandArg::Kind;

namespace {

bool isMap(const YAML::Node &n)
{
    return n.IsDefined() && n.IsMap();
}
bool isSequence(const YAML::Node &n)
{
    return n.IsDefined() && n.IsSequence();
}

QString v1Path(const QString &name)
{
    return test::referencePath("kfp-v1-components/" + name);
}

Component mustLoad(const QString &path)
{
    auto r = loadComponentFile(path.toStdString());
    if (!r.ok())
        qFatal("%s", r.error().toString().c_str());
    return std::move(r).value();
}

Result<Component> parse(const char *text)
{
    return parseComponentV1(std::string_view(text), "inline.yaml");
}

const PortSpec &in(const Component &c, const char *name)
{
    const PortSpec *p = c.input(name);
    if (!p)
        qFatal("no input %s", name);
    return *p;
}

const PortSpec &out(const Component &c, const char *name)
{
    const PortSpec *p = c.output(name);
    if (!p)
        qFatal("no output %s", name);
    return *p;
}

QStringList rendered(const std::vector<CommandArg> &args, const Component &c)
{
    QStringList out;
    for (const auto &a : args)
        out << QString::fromStdString(toKfpString(a, c));
    return out;
}

QStringList yamlStrings(const YAML::Node &list)
{
    QStringList out;
    for (std::size_t i = 0; isSequence(list) && i < list.size(); ++i)
        out << QString::fromStdString(list[i].Scalar());
    return out;
}

} // namespace

class TestComponentV1 final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void referenceLoads_data();
    void referenceLoads();
    void matchesKfpCompiler_data();
    void matchesKfpCompiler();
    void spotChecks();
    void typeMapping_data();
    void typeMapping();
    void defaults_data();
    void defaults();
    void placeholders();
    void constantIf();
    void graphComponent();
    void malformed_data();
    void malformed();
    void v2FileIsRedirected();
    void whatKfp18Accepted();
    void fileOutputs();
    void fileOutputsMistakes_data();
    void fileOutputsMistakes();
    void optionalInputsWithoutDefault();
    void componentFromCacheByDigest();
    void truncatedFilesNeverCrash();
    void portTypes();

private:
    QTemporaryDir m_cache; // an empty component cache: nothing here may use the network
};

void TestComponentV1::initTestCase()
{
    QVERIFY(m_cache.isValid());
    qputenv("PIPEWRIGHT_COMPONENT_CACHE", m_cache.path().toUtf8());
    qputenv("PIPEWRIGHT_OFFLINE", "1");
}

void TestComponentV1::referenceLoads_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = test::filesIn(test::referencePath("kfp-v1-components"), "*.yaml");
    QCOMPARE(files.size(), 10);
    for (const QString &f : files)
        QTest::newRow(QFileInfo(f).fileName().toUtf8().constData()) << f;
}

void TestComponentV1::referenceLoads()
{
    QFETCH(QString, path);
    const auto r = loadComponentFile(path.toStdString());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const Component &c = r.value();
    QVERIFY(!c.name.empty());
    QCOMPARE(c.kind, Component::Kind::Container);
    QVERIFY(!c.container.image.empty());
    static const QRegularExpression portName("^[a-z0-9_]+$");
    for (const auto *ports : {&c.inputs, &c.outputs}) {
        for (const PortSpec &p : *ports)
            QVERIFY2(portName.match(QString::fromStdString(p.name)).hasMatch(), p.name.c_str());
    }
    // Whatever the loader builds must survive the trip through KFP v2 strings.
    for (const auto *list : {&c.container.command, &c.container.args}) {
        for (const CommandArg &a : *list) {
            const std::string s = toKfpString(a, c);
            const auto back = fromKfpString(s);
            QVERIFY2(back.ok(), s.c_str());
            QVERIFY2(back.value() == a, s.c_str());
        }
    }
}

void TestComponentV1::matchesKfpCompiler_data()
{
    QTest::addColumn<QString>("component");
    QTest::addColumn<QString>("key");
    // xgboost_sample_pipeline.yaml was compiled by the KFP 2 SDK from these
    // very v1 files, so interface and command line must come out the same.
    QTest::newRow("train") << "XGBoost__Train.component.yaml"
                           << "xgboost-train";
    QTest::newRow("predict") << "XGBoost__Predict.component.yaml"
                             << "xgboost-predict";
    QTest::newRow("parquet") << "_converters__ApacheParquet__from_CSV.component.yaml"
                             << "convert-csv-to-apache-parquet";
}

void TestComponentV1::matchesKfpCompiler()
{
    QFETCH(QString, component);
    QFETCH(QString, key);
    const Component c = mustLoad(v1Path(component));
    const YAML::Node golden =
        YAML::LoadFile(test::referencePath("kfp-v2-goldens/xgboost_sample_pipeline.yaml").toStdString());
    const YAML::Node spec = golden["components"][("comp-" + key).toStdString()];
    const YAML::Node exec = golden["deploymentSpec"]["executors"][("exec-" + key).toStdString()]["container"];
    QVERIFY(isMap(spec) && isMap(exec));

    QCOMPARE(QString::fromStdString(c.container.image), QString::fromStdString(exec["image"].Scalar()));
    QCOMPARE(rendered(c.container.command, c), yamlStrings(exec["command"]));
    QCOMPARE(rendered(c.container.args, c), yamlStrings(exec["args"]));

    int checked = 0;
    for (const char *side : {"inputDefinitions", "outputDefinitions"}) {
        const bool inputs = std::string_view(side) == "inputDefinitions";
        const auto &ports = inputs ? c.inputs : c.outputs;
        std::size_t expected = 0;
        for (const char *kind : {"parameters", "artifacts"}) {
            const YAML::Node defs = spec[side][kind];
            if (!isMap(defs))
                continue;
            expected += defs.size();
            for (auto it = defs.begin(); it != defs.end(); ++it) {
                const std::string name = it->first.Scalar();
                const PortSpec *p = inputs ? c.input(name) : c.output(name);
                QVERIFY2(p, name.c_str());
                const YAML::Node d = it->second;
                if (std::string_view(kind) == "parameters") {
                    QVERIFY2(p->type.isParameter(), name.c_str());
                    QCOMPARE(toIrName(p->type.parameter), d["parameterType"].Scalar());
                    if (d["defaultValue"].IsDefined()) {
                        QVERIFY2(p->defaultValue.has_value(), name.c_str());
                        if (p->defaultValue->is_number())
                            QCOMPARE(p->defaultValue->get<double>(), d["defaultValue"].as<double>());
                        else
                            QCOMPARE(p->defaultValue->get<std::string>(), d["defaultValue"].Scalar());
                    } else {
                        QVERIFY2(!p->defaultValue, name.c_str());
                    }
                } else {
                    QVERIFY2(p->type.isArtifact(), name.c_str());
                    QCOMPARE(p->type.schemaTitle, d["artifactType"]["schemaTitle"].Scalar());
                    QCOMPARE(p->type.schemaVersion, d["artifactType"]["schemaVersion"].Scalar());
                }
                if (inputs)
                    QCOMPARE(p->optional, d["isOptional"].IsDefined() && d["isOptional"].as<bool>());
                ++checked;
            }
        }
        QCOMPARE(ports.size(), expected);
    }
    QVERIFY(checked > 0);
}

void TestComponentV1::spotChecks()
{
    {
        const Component c = mustLoad(v1Path("XGBoost__Train.component.yaml"));
        QCOMPARE(c.name, std::string("Xgboost train"));
        QCOMPARE(in(c, "training_data").type.sourceName, std::string("CSV"));
        QCOMPARE(in(c, "booster_params").type, [] {
            PortType t = PortType::param(ParameterType::Struct);
            t.sourceName = "JsonObject";
            return t;
        }());
        QCOMPARE(QString::fromStdString(in(c, "label_column").defaultValue.value_or(nullptr).dump()),
                 QString::fromStdString(nlohmann::json(0).dump()));
        QVERIFY(in(c, "label_column").defaultValue->is_number_integer());
        QCOMPARE(QString::fromStdString(in(c, "learning_rate").defaultValue.value_or(nullptr).dump()),
                 QString::fromStdString(nlohmann::json(0.3).dump()));
        QCOMPARE(out(c, "model").type.sourceName, std::string("XGBoostModel"));
        QVERIFY(c.annotations.count("author"));
        const CommandArg &ifStart = c.container.args.at(2);
        QCOMPARE(ifStart.kind, K::IfPresent);
        QCOMPARE(ifStart.name, std::string("starting_model"));
        QCOMPARE(ifStart.thenArgs.size(), std::size_t(2));
        QCOMPARE(ifStart.thenArgs[1], CommandArg::ref(K::InputPath, "starting_model"));
    }
    {
        // Names are sanitized as KFP 2 does; URI is only read by value, so it stays a string.
        const Component c = mustLoad(v1Path("contrib__git__clone.component.yaml"));
        const PortSpec &uri = in(c, "repo_uri");
        QVERIFY(uri.type.isParameter());
        QCOMPARE(uri.type.parameter, ParameterType::String);
        QCOMPARE(uri.type.sourceName, std::string("URI"));
        QCOMPARE(QString::fromStdString(in(c, "branch").defaultValue.value_or(nullptr).dump()),
                 QString::fromStdString(nlohmann::json("master").dump()));
        QVERIFY(in(c, "branch").optional);
        QCOMPARE(out(c, "repo_dir").type.schemaTitle, std::string("system.Artifact"));
        QCOMPARE(c.container.command.back(), CommandArg::ref(K::OutputPath, "repo_dir"));
        QCOMPARE(toKfpString(c.container.command.back(), c),
                 std::string("{{$.outputs.artifacts['repo_dir'].path}}"));
    }
    {
        const Component c = mustLoad(v1Path("gcp__bigquery__query__to_gcs.component.yaml"));
        QCOMPARE(in(c, "project_id").type.parameter, ParameterType::String);
        QCOMPARE(in(c, "project_id").type.sourceName, std::string("GCPProjectID"));
        QCOMPARE(in(c, "output_gcs_path").type.sourceName, std::string("GCSPath"));
        QCOMPARE(QString::fromStdString(in(c, "output_gcs_path").defaultValue.value_or(nullptr).dump()),
                 QString::fromStdString(nlohmann::json("").dump()));
        QVERIFY(out(c, "output_gcs_path").type.isArtifact()); // written through outputPath
        QVERIFY(out(c, "mlpipeline_ui_metadata").type.isArtifact());
        QCOMPARE(c.labels.at("add-pod-env"), std::string("true"));
        QCOMPARE(c.container.env.size(), std::size_t(1));
        QCOMPARE(c.container.env[0], (EnvVar{"KFP_POD_NAME", "{{pod.name}}"}));
        QVERIFY(!in(c, "query").description.empty());
    }
    {
        const Component c = mustLoad(v1Path("contrib__sample__Python_script.component.yaml"));
        QCOMPARE(in(c, "pattern").type, PortType::param(ParameterType::String)); // untyped, by value
        QCOMPARE(QString::fromStdString(in(c, "pattern").defaultValue.value_or(nullptr).dump()),
                 QString::fromStdString(nlohmann::json(".*").dump()));
        QCOMPARE(in(c, "text").type, PortType::artifact("system.Artifact")); // untyped, by path
    }
    {
        const Component c = mustLoad(
            v1Path("contrib__ml_metrics__Calculate_classification_metrics__from_CSV.component.yaml"));
        QCOMPARE(out(c, "f1").type.parameter, ParameterType::Double);
        QVERIFY(in(c, "sample_weights").optional);
        QCOMPARE(QString::fromStdString(in(c, "average").defaultValue.value_or(nullptr).dump()),
                 QString::fromStdString(nlohmann::json("binary").dump()));
        QCOMPARE(toKfpString(CommandArg::ref(K::OutputPath, "f1"), c),
                 std::string("{{$.outputs.parameters['f1'].output_file}}"));
    }
    {
        const Component c = mustLoad(v1Path("deprecated__tfx__ExampleGen__CsvExampleGen.component.yaml"));
        QCOMPARE(in(c, "input_config").type.parameter, ParameterType::Struct);
        QCOMPARE(in(c, "input_config").type.sourceName, std::string("JsonObject"));
        QCOMPARE(out(c, "examples").type.schemaTitle, std::string("system.Artifact"));
    }
    {
        const Component c = mustLoad(v1Path("deprecated__tfx__Trainer.component.yaml"));
        QCOMPARE(in(c, "base_model").type.schemaTitle, std::string("system.Model"));
        QCOMPARE(out(c, "model").type.schemaTitle, std::string("system.Model"));
        QCOMPARE(in(c, "examples").type.schemaTitle, std::string("system.Artifact"));
    }
}

void TestComponentV1::typeMapping_data()
{
    QTest::addColumn<QString>("type");     // YAML for the input's type ("" = untyped)
    QTest::addColumn<QString>("use");      // how the container reads it
    QTest::addColumn<QString>("expected"); // displayName of the mapped type

    QTest::newRow("String value") << "String"
                                  << "inputValue"
                                  << "String";
    QTest::newRow("str") << "str"
                         << "inputValue"
                         << "str (String)";
    QTest::newRow("Integer") << "Integer"
                             << "inputValue"
                             << "Integer";
    QTest::newRow("int") << "int"
                         << "inputValue"
                         << "int (Integer)";
    QTest::newRow("Float") << "Float"
                           << "inputValue"
                           << "Float";
    QTest::newRow("Double") << "Double"
                            << "inputValue"
                            << "Double (Float)";
    QTest::newRow("Bool") << "Bool"
                          << "inputValue"
                          << "Bool (Boolean)";
    QTest::newRow("Boolean") << "Boolean"
                             << "inputValue"
                             << "Boolean";
    QTest::newRow("List") << "List"
                          << "inputValue"
                          << "List";
    QTest::newRow("typing.List[int]") << "typing.List[int]"
                                      << "inputValue"
                                      << "typing.List[int] (List)";
    QTest::newRow("JsonArray") << "JsonArray"
                               << "inputValue"
                               << "JsonArray (List)";
    QTest::newRow("Dict") << "Dict"
                          << "inputValue"
                          << "Dict";
    QTest::newRow("JsonObject") << "JsonObject"
                                << "inputValue"
                                << "JsonObject (Dict)";
    QTest::newRow("JsonObject map") << "{JsonObject: {data_type: x}}"
                                    << "inputValue"
                                    << "JsonObject (Dict)";
    QTest::newRow("Text") << "Text"
                          << "inputValue"
                          << "Text (String)";
    QTest::newRow("String by path") << "String"
                                    << "inputPath"
                                    << "String (system.Artifact)";
    QTest::newRow("Integer by uri") << "Integer"
                                    << "inputUri"
                                    << "Integer (system.Artifact)";
    QTest::newRow("Model") << "Model"
                           << "inputPath"
                           << "Model (system.Model)";
    QTest::newRow("Dataset") << "Dataset"
                             << "inputPath"
                             << "Dataset (system.Dataset)";
    QTest::newRow("HTML") << "HTML"
                          << "inputPath"
                          << "HTML (system.HTML)";
    QTest::newRow("google") << "google.VertexModel"
                            << "inputPath"
                            << "google.VertexModel";
    QTest::newRow("GCSPath by path") << "GCSPath"
                                     << "inputPath"
                                     << "GCSPath (system.Artifact)";
    QTest::newRow("GCSPath by value") << "GCSPath"
                                      << "inputValue"
                                      << "GCSPath (String)";
    QTest::newRow("GCSPath unused") << "GCSPath"
                                    << ""
                                    << "GCSPath (system.Artifact)";
    QTest::newRow("untyped by value") << ""
                                      << "inputValue"
                                      << "String";
    QTest::newRow("untyped by path") << ""
                                     << "inputPath"
                                     << "system.Artifact";
    QTest::newRow("untyped unused") << ""
                                    << ""
                                    << "system.Artifact";
    QTest::newRow("CSV map by path") << "{CSV: {}}"
                                     << "inputPath"
                                     << "CSV (system.Artifact)";
    QTest::newRow("task final status") << "PipelineTaskFinalStatus"
                                       << ""
                                       << "PipelineTaskFinalStatus";
}

void TestComponentV1::typeMapping()
{
    QFETCH(QString, type);
    QFETCH(QString, use);
    QFETCH(QString, expected);
    QString yaml = "name: t\ninputs:\n- name: a\n";
    if (!type.isEmpty())
        yaml += "  type: " + type + "\n";
    yaml += "implementation:\n  container:\n    image: alpine\n    args: [";
    if (!use.isEmpty())
        yaml += "{" + use + ": a}";
    yaml += "]\n";
    const auto r = parse(yaml.toUtf8().constData());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    QCOMPARE(QString::fromStdString(r->inputs.at(0).type.displayName()), expected);
}

void TestComponentV1::defaults_data()
{
    QTest::addColumn<QString>("type");
    QTest::addColumn<QString>("value"); // YAML text of the default
    QTest::addColumn<QString>("json");  // expected JSON

    QTest::newRow("string") << "String"
                            << "'hello'"
                            << R"("hello")";
    QTest::newRow("string from number") << "String"
                                        << "10"
                                        << R"("10")";
    QTest::newRow("integer") << "Integer"
                             << "'42'"
                             << "42";
    QTest::newRow("integer negative") << "Integer"
                                      << "'-7'"
                                      << "-7";
    QTest::newRow("integer plain float") << "Integer"
                                         << "3.0"
                                         << "3";
    QTest::newRow("float") << "Float"
                           << "'0.25'"
                           << "0.25";
    QTest::newRow("float from int") << "Float"
                                    << "'2'"
                                    << "2.0";
    QTest::newRow("bool true") << "Bool"
                               << "'True'"
                               << "true";
    QTest::newRow("bool yes") << "Boolean"
                              << "'yes'"
                              << "true";
    QTest::newRow("bool zero") << "Boolean"
                               << "'0'"
                               << "false";
    QTest::newRow("json object") << "JsonObject"
                                 << R"('{"a": [1, 2]}')"
                                 << R"({"a":[1,2]})";
    QTest::newRow("json array") << "JsonArray"
                                << "'[1, \"x\"]'"
                                << R"([1,"x"])";
    QTest::newRow("list not json") << "List"
                                   << "'a,b'"
                                   << R"("a,b")";
    QTest::newRow("dict as yaml") << "Dict"
                                  << "{a: 1, b: [true, x]}"
                                  << R"({"a":1,"b":[true,"x"]})";
    // The KFP 1.8 library writes {} for "no items" of a list input.
    QTest::newRow("empty map for a list") << "JsonArray"
                                          << "'{}'"
                                          << "[]";
    QTest::newRow("empty yaml map for a list") << "List"
                                               << "{}"
                                               << "[]";
    QTest::newRow("empty map for a dict") << "JsonObject"
                                          << "'{}'"
                                          << "{}";
    QTest::newRow("untyped string") << ""
                                    << "'x'"
                                    << R"("x")";
}

void TestComponentV1::defaults()
{
    QFETCH(QString, type);
    QFETCH(QString, value);
    QFETCH(QString, json);
    QString yaml = "name: t\ninputs:\n- name: a\n  default: " + value + "\n";
    if (!type.isEmpty())
        yaml += "  type: " + type + "\n";
    yaml += "implementation:\n  container:\n    image: alpine\n    args: [{inputValue: a}]\n";
    const auto r = parse(yaml.toUtf8().constData());
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const PortSpec &p = r->inputs.at(0);
    QVERIFY(p.optional);
    QVERIFY(p.defaultValue.has_value());
    QCOMPARE(QString::fromStdString(p.defaultValue->dump()), json);
}

void TestComponentV1::placeholders()
{
    const auto r = parse(R"(
name: Every placeholder
inputs:
- {name: In Value, type: String, optional: true}
- {name: file, type: Dataset}
- {name: location, type: Model}
outputs:
- {name: out file, type: Model}
- {name: out uri, type: Dataset}
- {name: count, type: Integer}
implementation:
  container:
    image: alpine
    command:
    - {inputValue: In Value}
    - {inputPath: file}
    - {inputUri: location}
    - {outputPath: out file}
    - {outputUri: out uri}
    - {outputPath: count}
    - {executorInput: null}
    - concat: [--in=, {inputValue: in_value}, ",", {outputUri: out uri}]
    - if:
        cond: {isPresent: In Value}
        then: [--v, {inputValue: In Value}]
        else: --none
    - ifPresent: {inputName: In Value, then: [--x]}
    env: {A: '1', B: two}
)");
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const Component &c = r.value();
    // In Value is optional without a default: KFP 1.8 left its argument out
    // when it had no value, so its plain references are guarded.
    const QStringList expected = {
        R"({"IfPresent": {"InputName": "in_value", "Then": ["{{$.inputs.parameters['in_value']}}"]}})",
        "{{$.inputs.artifacts['file'].path}}",
        "{{$.inputs.artifacts['location'].uri}}",
        "{{$.outputs.artifacts['out_file'].path}}",
        "{{$.outputs.artifacts['out_uri'].uri}}",
        "{{$.outputs.parameters['count'].output_file}}",
        "{{$}}",
        R"({"Concat": ["--in=", {"IfPresent": {"InputName": "in_value", "Then": "{{$.inputs.parameters['in_value']}}"}}, ",", "{{$.outputs.artifacts['out_uri'].uri}}"]})",
        R"({"IfPresent": {"InputName": "in_value", "Then": ["--v", "{{$.inputs.parameters['in_value']}}"], "Else": ["--none"]}})",
        R"({"IfPresent": {"InputName": "in_value", "Then": ["--x"]}})",
    };
    QCOMPARE(rendered(c.container.command, c), expected);
    QCOMPARE(c.container.env.size(), std::size_t(2));
    QCOMPARE(c.container.env[1], (EnvVar{"B", "two"}));
}

void TestComponentV1::constantIf()
{
    const auto r = parse(R"(
name: Constant conditions
implementation:
  container:
    image: alpine
    args:
    - a
    - if: {cond: true, then: [b, c], else: [x]}
    - if: {cond: 'False', then: [x], else: d}
    - if: {cond: false, then: [x]}
    - concat: [e, {if: {cond: 'yes', then: f}}]
)");
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    QCOMPARE(rendered(r->container.args, r.value()),
             (QStringList{"a", "b", "c", "d", R"({"Concat": ["e", "f"]})"}));
}

void TestComponentV1::graphComponent()
{
    const char *text = R"(
name: Train and report
inputs:
- {name: Data, type: CSV}
- {name: rounds, type: Integer, default: '5'}
- {name: Label}
outputs:
- {name: report}
- {name: model, type: Model}
implementation:
  graph:
    tasks:
      Train model:
        componentRef:
          spec:
            name: Train
            inputs:
            - {name: data, type: CSV}
            - {name: rounds, type: Integer}
            - {name: label, type: String}
            outputs:
            - {name: model, type: Model}
            implementation:
              container:
                image: trainer
                args: [{inputPath: data}, {inputValue: rounds}, {inputValue: label}, {outputPath: model}]
        arguments:
          data: {graphInput: {inputName: Data}}
          rounds: {graphInput: rounds}
          label: {graphInput: {inputName: Label}}
        executionOptions:
          retryStrategy: {maxRetries: 3}
          cachingStrategy: {maxCacheStaleness: P0D}
      report:
        componentRef:
          spec:
            name: Train
            inputs:
            - {name: model, type: Model}
            - {name: title, type: String}
            outputs:
            - {name: html, type: HTML}
            implementation:
              container:
                image: reporter
                args: [{inputPath: model}, {inputValue: title}, {outputPath: html}]
        arguments:
          model: {taskOutput: {taskId: Train model, outputName: model}}
          title: 'Weekly'
    outputValues:
      report: {taskOutput: {taskId: report, outputName: html}}
      model: {taskOutput: {taskId: Train model, outputName: model}}
)";
    const YAML::Node root = YAML::Load(text);
    Pipeline registry;
    const auto r = parseComponentV1(root, "graph.yaml", registry);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const Component &c = r.value();
    QCOMPARE(c.kind, Component::Kind::Graph);
    QVERIFY(c.graph);
    QCOMPARE(registry.components.size(), std::size_t(2));
    QVERIFY(registry.component("train"));
    QVERIFY(registry.component("train-2")); // same name, second definition

    const Graph &g = *c.graph;
    QCOMPARE(g.tasks.size(), std::size_t(2));
    const Task *train = g.task("train-model");
    QVERIFY(train);
    QCOMPARE(train->displayName, std::string("Train model"));
    QCOMPARE(train->component, std::string("train"));
    QCOMPARE(train->arguments.at("data"), Binding::parameter("data"));
    QCOMPARE(train->arguments.at("rounds"), Binding::parameter("rounds"));
    QCOMPARE(train->settings.retry.maxRetries, 3);
    QVERIFY(!train->settings.caching);
    const Task *report = g.task("report");
    QVERIFY(report);
    QCOMPARE(report->arguments.at("model"), Binding::taskOutput("train-model", "model"));
    QCOMPARE(report->arguments.at("title"), Binding::constant("Weekly"));
    QCOMPARE(g.outputs.at("report"), Binding::taskOutput("report", "html"));

    QCOMPARE(in(c, "data").type.schemaTitle, std::string("system.Artifact"));
    QCOMPARE(QString::fromStdString(in(c, "rounds").defaultValue.value_or(nullptr).dump()),
             QString::fromStdString(nlohmann::json(5).dump()));
    QCOMPARE(in(c, "label").type, PortType::param(ParameterType::String));   // untyped, feeds a String input
    QCOMPARE(out(c, "report").type.schemaTitle, std::string("system.HTML")); // untyped: the producer's type
    QCOMPARE(out(c, "model").type.schemaTitle, std::string("system.Model"));

    // Without a registry the graph still loads (its inner components are dropped).
    QVERIFY(parseComponentV1(root, "graph.yaml").ok());
}

void TestComponentV1::malformed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");

    auto row = [](const char *name, int line, int column, const char *field, const char *message) {
        QTest::newRow(name) << QString::fromUtf8(name) << line << column << QString::fromUtf8(field)
                            << QString::fromUtf8(message);
    };
    row("inputs_as_map", 3, 3, "inputs", "'inputs' must be a list");
    row("name_as_list", 3, 9, "inputs[0].name", "'name' must be a non-empty string");
    row("unknown_placeholder", 9, 7, "implementation.container.command[1].inputFoo",
        "unknown placeholder 'inputFoo'");
    row("undeclared_input", 11, 20, "implementation.container.args[3].inputValue", "undeclared input 'nope'");
    row("undeclared_output", 8, 37, "implementation.container.args[0].concat[1].outputPath",
        "undeclared output 'reslt'");
    row("truncated", 8, 1, "", "YAML syntax error");
    row("missing_image", 4, 5, "implementation.container.image", "missing 'image'");
    row("bad_default", 3, 41, "inputs[0].default", "'ten' is not an Integer");
    row("if_input_value_cond", 9, 15, "implementation.container.args[0].if.cond",
        "unsupported 'if' condition 'inputValue'");
    row("placeholder_two_keys", 8, 7, "implementation.container.args[0]", "exactly one key, found 2");
    row("artifact_by_value", 9, 7, "implementation.container.args[1].inputValue",
        "KFP v2 cannot pass an artifact by value");
    row("graph_url_only", 9, 16, "implementation.graph.tasks.print.componentRef.url",
        "https://example.com/print/component.yaml is not in the component cache");
    row("graph_unknown_task", 19, 30, "implementation.graph.outputValues.out.taskOutput.taskId",
        "no task 'prodcue'");
    row("graph_inner_error", 12, 37,
        "implementation.graph.tasks.inner.componentRef.spec.implementation.container.args[0].inputValue",
        "undeclared input 'missing'");
    row("env_not_map", 6, 5, "implementation.container.env", "'env' must be a map");
    row("not_a_map", 1, 1, "", "not a YAML map");
    row("no_implementation", 1, 1, "implementation", "missing 'implementation'");
    row("concat_not_list", 6, 15, "implementation.container.args[0].concat", "'concat' expects a list");
    row("if_unknown_key", 11, 9, "implementation.container.args[0].if", "unknown key 'otherwise'");
    row("optional_not_bool", 3, 37, "inputs[0].optional", "'optional' must be true or false");
    row("type_as_list", 3, 19, "inputs[0].type", "'type' must be a type name");
    row("empty", 1, 1, "", "empty");
    row("duplicate_input", 4, 10, "inputs[1].name", "duplicate input 'repo_uri'");
}

void TestComponentV1::malformed()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const QString path = test::testDataPath("malformed/" + file + ".yaml");
    QVERIFY(QFile::exists(path));
    const auto r = loadComponentFile(path.toStdString());
    QVERIFY(!r.ok());
    const Error &e = r.error();
    QVERIFY2(QString::fromStdString(e.message).contains(message), e.toString().c_str());
    QCOMPARE(QString::fromStdString(e.where.file), path);
    QCOMPARE(e.where.line, line);
    QCOMPARE(e.where.column, column);
    QCOMPARE(QString::fromStdString(e.where.field), field);
}

// What KFP 1.8's compiler took and Pipewright once refused: a component
// without a name, one whose name is longer than a Kubernetes name, an empty
// image (a warning: it cannot run until one is set).
void TestComponentV1::whatKfp18Accepted()
{
    QTemporaryDir dir;
    const auto write = [&](const char *name, const QByteArray &yaml) {
        QFile f(dir.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(yaml);
        return f.fileName().toStdString();
    };
    const QByteArray echo = "implementation:\n  container:\n    image: alpine\n    command: [echo, hi]\n";
    auto unnamed = loadPipelineFile(write("unnamed.yaml", echo));
    QVERIFY2(unnamed.ok(), unnamed.ok() ? "" : unnamed.error().toString().c_str());
    QCOMPARE(unnamed->root.tasks.at(0).id, std::string("component"));
    QVERIFY(!hasErrors(validatePipeline(*unnamed)));

    auto longName = loadPipelineFile(write(
        "long.yaml", "name: A component with a very long name that goes on and on well past sixty three "
                     "characters in total\n" +
                         echo));
    QVERIFY(longName.ok());
    const std::string id = longName->root.tasks.at(0).id;
    QCOMPARE(id, std::string("a-component-with-a-very-long-name-that-goes-on-and-on-well-past"));
    QVERIFY(id.size() <= 63);
    QVERIFY(!hasErrors(validatePipeline(*longName)));

    auto noImage = loadPipelineFile(
        write("noimage.yaml",
              "name: Built later\nimplementation:\n  container:\n    image: ''\n    command: [echo]\n"));
    QVERIFY2(noImage.ok(), noImage.ok() ? "" : noImage.error().toString().c_str());
    const auto problems = validatePipeline(*noImage);
    QVERIFY(!hasErrors(problems));
    // A v2 metadata placeholder on Argo, whose artifacts carry no metadata: no value, as for a missing key.
    auto deploy = loadPipelineFile(write(
        "deploy.yaml", "name: Deploy\ninputs:\n- {name: model, type: Model}\nimplementation:\n  container:\n"
                       "    image: alpine\n    command: [echo, \"{{$.inputs.artifacts['model'].metadata['"
                       "resourceName']}}\", {inputPath: model}]\n"));
    QVERIFY2(deploy.ok(), deploy.ok() ? "" : deploy.error().toString().c_str());
    auto lowered = lowerPipeline(*deploy);
    QVERIFY(lowered.ok());
    auto workflow = argoWorkflow(*lowered);
    QVERIFY2(workflow.ok(), workflow.ok() ? "" : workflow.error().toString().c_str());
    QVERIFY2(workflow->dump().find(R"("command":["echo","","/tmp/inputs/model/data"])") != std::string::npos,
             workflow->dump().c_str());

    QVERIFY(std::any_of(problems.begin(), problems.end(), [](const Problem &p) {
        return p.severity == Problem::Severity::Warning &&
               p.message.find("empty container image") != std::string::npos;
    }));
}

// implementation.container.fileOutputs: each output the program writes at a
// fixed path is copied from there to the output's own path after it ran.
void TestComponentV1::fileOutputs()
{
    const auto r = parse(R"(name: Fixed
inputs:
- {name: Steps, type: Integer}
outputs:
- {name: Model dir, type: GCSPath}
- {name: Steps done, type: Integer}
implementation:
  container:
    image: alpine
    command: [train, --fast]
    args: [--steps, {inputValue: Steps}]
    fileOutputs:
      Model dir: /output.txt
      Steps done: "/tmp/it's here.txt"
)");
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const ContainerSpec &box = r->container;
    QCOMPARE(box.command.size(), std::size_t(8));
    QCOMPARE(box.command[0], CommandArg::literal("sh"));
    QCOMPARE(box.command[1], CommandArg::literal("-c"));
    const QString script = QString::fromStdString(box.command[2].text);
    QVERIFY2(script.contains("cp -R '/output.txt' \"$o0\""), qPrintable(script));
    QVERIFY2(script.contains("cp -R '/tmp/it'\\''s here.txt' \"$o1\""), qPrintable(script));
    QCOMPARE(box.command[4], CommandArg::ref(K::OutputPath, "model_dir"));
    QCOMPARE(box.command[5], CommandArg::ref(K::OutputPath, "steps_done"));
    QCOMPARE(box.command[6], CommandArg::literal("train"));
    QCOMPARE(box.command[7], CommandArg::literal("--fast"));
    QCOMPARE(box.args.size(), std::size_t(2)); // untouched
    QVERIFY(out(*r, "steps_done").type.isParameter());
    QCOMPARE(out(*r, "steps_done").type.parameter, ParameterType::Integer);
    QVERIFY(out(*r, "model_dir").type.isArtifact());
}

void TestComponentV1::fileOutputsMistakes_data()
{
    QTest::addColumn<QString>("container");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("message");
    QTest::newRow("undeclared") << "command: [run]\n    fileOutputs: {Modle: /m}"
                                << "implementation.container.fileOutputs.Modle"
                                << "undeclared output 'Modle'";
    QTest::newRow("not a map") << "command: [run]\n    fileOutputs: [/m]"
                               << "implementation.container.fileOutputs"
                               << "must be a map";
    QTest::newRow("empty path") << "command: [run]\n    fileOutputs: {Model: ''}"
                                << "implementation.container.fileOutputs.Model"
                                << "non-empty string";
    QTest::newRow("also a placeholder") << "command: [run, {outputPath: Model}]\n    fileOutputs: {Model: /m}"
                                        << "implementation.container.fileOutputs.Model"
                                        << "both a file output and a placeholder";
    QTest::newRow("no command") << "args: [run]\n    fileOutputs: {Model: /m}"
                                << "implementation.container.fileOutputs"
                                << "needs a 'command'";
}

void TestComponentV1::fileOutputsMistakes()
{
    QFETCH(QString, container);
    QFETCH(QString, field);
    QFETCH(QString, message);
    const QByteArray text =
        "outputs:\n- {name: Model}\nimplementation:\n  container:\n    image: alpine\n    " +
        container.toUtf8() + "\n";
    const auto r = parse(text.constData());
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().toString().c_str());
    QCOMPARE(QString::fromStdString(r.error().where.field), field);
    QVERIFY(r.error().where.line > 0);
}

// KFP 1.8 left out the argument of an optional input that has no default
// when the task gives it no value: each such reference is guarded by an
// isPresent test, so that Argo and PipelineSpec need no value either.
void TestComponentV1::optionalInputsWithoutDefault()
{
    const auto r = parse(R"(name: Greet
inputs:
- {name: Name, type: String}
- {name: Greeting, type: String, optional: true}
- {name: Polite, type: String, optional: true, default: please}
- {name: Status, type: PipelineTaskFinalStatus, optional: true}
implementation:
  container:
    image: alpine
    command: [echo, {inputValue: Name}, {inputValue: Greeting}, {concat: [x, {inputValue: Greeting}]},
              {inputValue: Polite}, {if: {cond: {isPresent: Greeting}, then: [{inputValue: Greeting}]}}]
)");
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    const auto &cmd = r->container.command;
    QCOMPARE(cmd.size(), std::size_t(6));
    QCOMPARE(cmd[1], CommandArg::ref(K::InputValue, "name")); // required: as it was
    CommandArg guarded;
    guarded.kind = K::IfPresent;
    guarded.name = "greeting";
    guarded.thenArgs = {CommandArg::ref(K::InputValue, "greeting")};
    QCOMPARE(cmd[2], guarded);
    QCOMPARE(cmd[3].items.at(1), guarded);                      // an empty string inside the concat
    QCOMPARE(cmd[4], CommandArg::ref(K::InputValue, "polite")); // has a default
    QCOMPARE(cmd[5].thenArgs.at(0), CommandArg::ref(K::InputValue, "greeting")); // tested already

    // The task that leaves Greeting out compiles to Argo.
    QTemporaryDir dir;
    QFile f(dir.filePath("greet.yaml"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("name: Greet\ninputs:\n- {name: Greeting, type: String, optional: true}\nimplementation:\n"
            "  container:\n    image: alpine\n    command: [echo, {inputValue: Greeting}]\n");
    f.close();
    auto pipeline = loadPipelineFile(f.fileName().toStdString());
    QVERIFY(pipeline.ok());
    auto lowered = lowerPipeline(*pipeline);
    QVERIFY2(lowered.ok(), lowered.ok() ? "" : lowered.error().toString().c_str());
    auto workflow = argoWorkflow(*lowered);
    QVERIFY2(workflow.ok(), workflow.ok() ? "" : workflow.error().toString().c_str());
}

// componentRef {digest} alone: the component cache has it under its digest,
// which KFP computes with CRLF line ends made LF.
void TestComponentV1::componentFromCacheByDigest()
{
    const QByteArray lf = "name: Echo\ninputs:\n- {name: text}\nimplementation:\n  container:\n"
                          "    image: alpine\n    command: [echo, {inputValue: text}]\n";
    const QByteArray digest = QCryptographicHash::hash(lf, QCryptographicHash::Sha256).toHex();
    QFile cached(m_cache.filePath(QString::fromLatin1(digest) + ".yaml"));
    QVERIFY(cached.open(QIODevice::WriteOnly));
    cached.write(QByteArray(lf).replace("\n", "\r\n")); // the same component to KFP
    cached.close();
    const QByteArray graph =
        "name: G\nimplementation:\n  graph:\n    tasks:\n      echo:\n        componentRef: "
        "{digest: " +
        digest.toUpper() + "}\n        arguments: {text: hi}\n";
    Pipeline registry;
    auto root = componentv1::loadYaml(graph.toStdString(), "graph.yaml");
    QVERIFY(root.ok());
    auto r = parseComponentV1(root.value(), "graph.yaml", registry);
    QVERIFY2(r.ok(), r.ok() ? "" : r.error().toString().c_str());
    QVERIFY(registry.component("echo"));
    QCOMPARE(registry.component("echo")->container.command.size(), std::size_t(2));

    const std::string head =
        "name: G\nimplementation:\n  graph:\n    tasks:\n      echo:\n        componentRef: ";
    const auto notCached = parse((head + "{digest: " + std::string(64, 'a') + "}\n").c_str());
    QVERIFY(!notCached.ok());
    QVERIFY2(notCached.error().message.find("is not in the component cache") != std::string::npos,
             notCached.error().toString().c_str());
    QCOMPARE(notCached.error().where.field,
             std::string("implementation.graph.tasks.echo.componentRef.digest"));
    QCOMPARE(notCached.error().where.line, 6);
    const auto byName = parse((head + "{name: echo}\n").c_str());
    QVERIFY(!byName.ok());
    QVERIFY2(byName.error().message.find("componentRef.name 'echo' cannot be resolved") != std::string::npos,
             byName.error().toString().c_str());
}

void TestComponentV1::v2FileIsRedirected()
{
    const auto r = loadComponentFile(test::referencePath("kfp-v2-goldens/container_io.yaml").toStdString());
    QVERIFY(!r.ok());
    QVERIFY(QString::fromStdString(r.error().message).contains("use loadPipelineFile"));
    const auto missing = loadComponentFile("/nonexistent/component.yaml");
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().where.file, std::string("/nonexistent/component.yaml"));
}

void TestComponentV1::truncatedFilesNeverCrash()
{
    // Every prefix of a real file is some malformed file: each must give a
    // component or a located error, never a crash or an exception.
    int errors = 0;
    for (const QString &path : test::filesIn(test::referencePath("kfp-v1-components"), "*.yaml")) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const std::string text = f.readAll().toStdString();
        const std::size_t step = std::max<std::size_t>(1, text.size() / 150);
        for (std::size_t cut = 0; cut < text.size(); cut += step) {
            const auto r = parseComponentV1(std::string_view(text).substr(0, cut), "cut.yaml");
            if (!r.ok()) {
                ++errors;
                QCOMPARE(r.error().where.file, std::string("cut.yaml"));
                QVERIFY(!r.error().message.empty());
            }
        }
    }
    QVERIFY(errors > 100);
}

void TestComponentV1::portTypes()
{
    QCOMPARE(toIrName(ParameterType::Double), std::string_view("NUMBER_DOUBLE"));
    for (auto t :
         {ParameterType::String, ParameterType::Integer, ParameterType::Double, ParameterType::Boolean,
          ParameterType::List, ParameterType::Struct, ParameterType::TaskFinalStatus})
        QCOMPARE(parameterTypeFromIr(toIrName(t)), std::optional<ParameterType>(t));
    QVERIFY(!parameterTypeFromIr("NUMBER"));

    const PortType str = PortType::param(ParameterType::String);
    const PortType integer = PortType::param(ParameterType::Integer);
    const PortType dbl = PortType::param(ParameterType::Double);
    const PortType artifact = PortType::artifact("system.Artifact");
    const PortType dataset = PortType::artifact("system.Dataset");
    const PortType model = PortType::artifact("system.Model");
    PortType datasets = dataset;
    datasets.isArtifactList = true;
    PortType dataset2 = PortType::artifact("system.Dataset", "2.0.0");

    QVERIFY(isAssignable(str, str));
    QVERIFY(isAssignable(integer, dbl));
    QVERIFY(!isAssignable(dbl, integer));
    QVERIFY(!isAssignable(str, integer));
    QVERIFY(!isAssignable(str, artifact));
    QVERIFY(!isAssignable(artifact, str));
    QVERIFY(isAssignable(dataset, artifact));
    QVERIFY(isAssignable(artifact, model));
    QVERIFY(isAssignable(dataset, dataset));
    QVERIFY(!isAssignable(dataset, model));
    QVERIFY(!isAssignable(dataset, dataset2));
    QVERIFY(!isAssignable(datasets, dataset));
    QCOMPARE(datasets.displayName(), std::string("List[system.Dataset]"));
}

QTEST_GUILESS_MAIN(TestComponentV1)
#include "tst_componentv1.moc"
