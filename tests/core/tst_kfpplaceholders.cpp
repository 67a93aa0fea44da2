// SPDX-License-Identifier: Apache-2.0
#include "compiler/kfpplaceholders.h"
#include "model/runvalue.h"
#include "testdata.h"

#include <QFileInfo>
#include <QTest>

#include <yaml-cpp/yaml.h>

#include <map>

using namespace pw;
using K = CommandArg::Kind;

Q_DECLARE_METATYPE(pw::CommandArg)

namespace {

std::string describe(const CommandArg &a)
{
    static const char *names[] = {"Literal",        "InputValue",     "InputPath",  "InputUri",
                                  "InputMetadata",  "InputArtifacts", "OutputPath", "OutputUri",
                                  "OutputMetadata", "ExecutorInput",  "Concat",     "IfPresent",
                                  "RunValue"};
    std::string out = names[static_cast<int>(a.kind)];
    out += "(text=" + a.text + ", name=" + a.name;
    auto list = [&](const char *label, const std::vector<CommandArg> &v) {
        if (v.empty())
            return;
        out += std::string(", ") + label + "=[";
        for (const auto &i : v)
            out += describe(i) + " ";
        out += "]";
    };
    list("items", a.items);
    list("then", a.thenArgs);
    list("else", a.elseArgs);
    return out + ")";
}

CommandArg concat(std::vector<CommandArg> items, std::string marker = {})
{
    CommandArg a;
    a.kind = K::Concat;
    a.text = std::move(marker);
    a.items = std::move(items);
    return a;
}

CommandArg ifPresent(std::string input, std::vector<CommandArg> then, std::vector<CommandArg> otherwise = {})
{
    CommandArg a;
    a.kind = K::IfPresent;
    a.name = std::move(input);
    a.thenArgs = std::move(then);
    a.elseArgs = std::move(otherwise);
    return a;
}

CommandArg run(std::string spec)
{
    CommandArg a;
    a.kind = K::RunValue;
    a.text = std::move(spec);
    return a;
}

// yaml-cpp throws when a missing key's node is asked its type.
bool isMap(const YAML::Node &n)
{
    return n.IsDefined() && n.IsMap();
}
bool isSequence(const YAML::Node &n)
{
    return n.IsDefined() && n.IsSequence();
}
bool isScalar(const YAML::Node &n)
{
    return n.IsDefined() && n.IsScalar();
}

CommandArg lit(std::string s)
{
    return CommandArg::literal(std::move(s));
}
CommandArg ref(K k, std::string n)
{
    return CommandArg::ref(k, std::move(n));
}

// x, flag: parameters; data: artifact input; out_param: parameter output;
// model: artifact output.
Component sampleComponent()
{
    Component c;
    c.inputs = {{"x", PortType::param(ParameterType::String), {}, {}, false},
                {"flag", PortType::param(ParameterType::Boolean), {}, {}, true},
                {"data", PortType::artifact("system.Dataset"), {}, {}, false}};
    c.outputs = {{"out_param", PortType::param(ParameterType::Integer), {}, {}, false},
                 {"model", PortType::artifact("system.Model"), {}, {}, false}};
    return c;
}

// The interface of one golden component, enough for toKfpString to tell
// parameter outputs from artifact outputs.
Component componentFromGolden(const YAML::Node &spec)
{
    Component c;
    for (const char *side : {"inputDefinitions", "outputDefinitions"}) {
        auto &ports = std::string_view(side) == "inputDefinitions" ? c.inputs : c.outputs;
        const YAML::Node defs = spec[side];
        if (!isMap(defs))
            continue;
        for (const char *kind : {"parameters", "artifacts"}) {
            const YAML::Node m = defs[kind];
            if (!isMap(m))
                continue;
            for (auto it = m.begin(); it != m.end(); ++it) {
                PortSpec p;
                p.name = it->first.Scalar();
                if (std::string_view(kind) == "parameters")
                    p.type = PortType::param(parameterTypeFromIr(it->second["parameterType"].Scalar())
                                                 .value_or(ParameterType::String));
                else
                    p.type = PortType::artifact(it->second["artifactType"]["schemaTitle"].Scalar());
                ports.push_back(p);
            }
        }
    }
    return c;
}

} // namespace

class TestKfpPlaceholders final : public QObject {
    Q_OBJECT

private slots:
    void kinds_data();
    void kinds();
    void goldens_data();
    void goldens();
    void errors_data();
    void errors();
    void runValueSpecs_data();
    void runValueSpecs();
    void invalidRunValueSpecs_data();
    void invalidRunValueSpecs();
    void plainTextStaysLiteral();
};

void TestKfpPlaceholders::kinds_data()
{
    QTest::addColumn<CommandArg>("arg");
    QTest::addColumn<QString>("text");

    auto row = [](const char *name, CommandArg a, const char *s) {
        QTest::newRow(name) << a << QString::fromUtf8(s);
    };
    row("literal", lit("hello world"), "hello world");
    row("empty literal", lit(""), "");
    row("input value", ref(K::InputValue, "x"), "{{$.inputs.parameters['x']}}");
    row("input path", ref(K::InputPath, "data"), "{{$.inputs.artifacts['data'].path}}");
    row("input uri", ref(K::InputUri, "data"), "{{$.inputs.artifacts['data'].uri}}");
    row("input metadata", ref(K::InputMetadata, "data"), "{{$.inputs.artifacts['data'].metadata}}");
    row("input artifacts (a list)", ref(K::InputArtifacts, "shards"), "{{$.inputs.artifacts['shards']}}");
    row("output path (parameter)", ref(K::OutputPath, "out_param"),
        "{{$.outputs.parameters['out_param'].output_file}}");
    row("output path (artifact)", ref(K::OutputPath, "model"), "{{$.outputs.artifacts['model'].path}}");
    row("output uri", ref(K::OutputUri, "model"), "{{$.outputs.artifacts['model'].uri}}");
    row("output metadata", ref(K::OutputMetadata, "model"), "{{$.outputs.artifacts['model'].metadata}}");
    row("executor input", ref(K::ExecutorInput, ""), "{{$}}");
    row("run name", run("run.name"), "{{$.pipeline_job_name}}");
    row("run id", run("run.id"), "{{$.pipeline_job_uuid}}");
    row("run created", run("run.created"), "{{$.pipeline_job_create_time_utc}}");
    row("run scheduled", run("run.scheduled"), "{{$.pipeline_job_schedule_time_utc}}");
    row("run task", run("run.task"), "{{$.pipeline_task_name}}");
    row("run root", run("run.root"), "{{$.pipeline_root}}");
    row("run created formatted", run("run.created:%Y%m%d@Asia/Tokyo"),
        "{{$.pipewright.run_time['%Y%m%d','Asia/Tokyo']}}");
    row("run created format only", run("run.created:%Y-%m-%d %H:%M"),
        "{{$.pipewright.run_time['%Y-%m-%d %H:%M','']}}");
    row("run created zone only", run("run.created@Europe/Berlin"),
        "{{$.pipewright.run_time['','Europe/Berlin']}}");
    row("run scheduled formatted", run("run.scheduled:%H@UTC"), "{{$.pipewright.schedule_time['%H','UTC']}}");
    row("concat struct", concat({lit("prefix-"), ref(K::InputValue, "x"), ref(K::OutputUri, "model")}),
        R"({"Concat": ["prefix-", "{{$.inputs.parameters['x']}}", "{{$.outputs.artifacts['model'].uri}}"]})");
    row("concat escapes", concat({lit("say \"hi\"\\\n\t"), lit("caf\xc3\xa9 \xf0\x9f\x98\x80")}),
        R"({"Concat": ["say \"hi\"\\\n\t", "caf\u00e9 \ud83d\ude00"]})");
    row("interpolated", concat({lit("--x="), ref(K::InputValue, "x")}, "interpolated"),
        "--x={{$.inputs.parameters['x']}}");
    row("interpolated many",
        concat(
            {ref(K::InputPath, "data"), lit("/"), ref(K::InputValue, "x"), lit(" at "), run("run.created")},
            "interpolated"),
        "{{$.inputs.artifacts['data'].path}}/{{$.inputs.parameters['x']}} at "
        "{{$.pipeline_job_create_time_utc}}");
    row("if present", ifPresent("x", {ref(K::InputValue, "x")}, {lit("bye")}),
        R"({"IfPresent": {"InputName": "x", "Then": ["{{$.inputs.parameters['x']}}"], "Else": ["bye"]}})");
    row("if present no else", ifPresent("flag", {lit("--flag"), ref(K::InputValue, "flag")}),
        R"({"IfPresent": {"InputName": "flag", "Then": ["--flag", "{{$.inputs.parameters['flag']}}"]}})");
    row("if present empty then", ifPresent("flag", {}),
        R"({"IfPresent": {"InputName": "flag", "Then": []}})");
    row("if present in concat",
        concat({lit("--x="), ifPresent("x", {ref(K::InputValue, "x")}, {lit("none")})}),
        R"({"Concat": ["--x=", {"IfPresent": {"InputName": "x", "Then": "{{$.inputs.parameters['x']}}", "Else": "none"}}]})");
    row("concat in if present", ifPresent("x", {concat({lit("--x="), ref(K::InputValue, "x")})}),
        R"({"IfPresent": {"InputName": "x", "Then": [{"Concat": ["--x=", "{{$.inputs.parameters['x']}}"]}]}})");
    row("interpolated inside struct",
        ifPresent("x", {concat({lit("--x="), ref(K::InputValue, "x")}, "interpolated")}),
        R"({"IfPresent": {"InputName": "x", "Then": ["--x={{$.inputs.parameters['x']}}"]}})");
}

void TestKfpPlaceholders::kinds()
{
    QFETCH(CommandArg, arg);
    QFETCH(QString, text);
    const Component c = sampleComponent();
    QCOMPARE(QString::fromStdString(toKfpString(arg, c)), text);
    const auto back = fromKfpString(text.toStdString());
    QVERIFY2(back.ok(), back.ok() ? "" : back.error().message.c_str());
    QVERIFY2(back.value() == arg, describe(back.value()).c_str());
}

void TestKfpPlaceholders::goldens_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("executor");

    const QStringList files = test::filesIn(test::referencePath("kfp-v2-goldens"), "*.yaml");
    QCOMPARE(files.size(), 27);
    int rows = 0;
    for (const QString &path : files) {
        const YAML::Node doc = YAML::LoadFile(path.toStdString());
        const YAML::Node executors = doc["deploymentSpec"]["executors"];
        for (auto it = executors.begin(); it != executors.end(); ++it) {
            const YAML::Node container = it->second["container"];
            if (!isMap(container))
                continue;
            for (const char *key : {"command", "args"}) {
                const YAML::Node list = container[key];
                for (std::size_t i = 0; isSequence(list) && i < list.size(); ++i) {
                    const QString name =
                        QStringLiteral("%1 %2 %3[%4]")
                            .arg(QFileInfo(path).baseName(), QString::fromStdString(it->first.Scalar()), key)
                            .arg(i);
                    QTest::newRow(name.toUtf8().constData())
                        << QString::fromStdString(list[i].Scalar()) << path
                        << QString::fromStdString(it->first.Scalar());
                    ++rows;
                }
            }
        }
    }
    QVERIFY(rows > 100);
}

void TestKfpPlaceholders::goldens()
{
    QFETCH(QString, text);
    QFETCH(QString, file);
    QFETCH(QString, executor);

    // The component whose executor this is gives the port kinds.
    static std::map<QString, YAML::Node> cache;
    auto cached = cache.find(file);
    if (cached == cache.end())
        cached = cache.emplace(file, YAML::LoadFile(file.toStdString())).first;
    const YAML::Node &doc = cached->second;
    Component c;
    for (auto it = doc["components"].begin(); it != doc["components"].end(); ++it) {
        if (isScalar(it->second["executorLabel"]) &&
            it->second["executorLabel"].Scalar() == executor.toStdString())
            c = componentFromGolden(it->second);
    }
    const std::string original = text.toStdString();
    const auto parsed = fromKfpString(original);
    QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().message.c_str());
    QCOMPARE(QString::fromStdString(toKfpString(parsed.value(), c)), text);
}

void TestKfpPlaceholders::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown") << "{{$.foo}}"
                             << "unknown placeholder '{{$.foo}}'";
    QTest::newRow("unknown in text") << "a {{$.inputs.parameters['x']}} b {{$.bar}}"
                                     << "'{{$.bar}}' at offset 34";
    QTest::newRow("unterminated") << "--x={{$.inputs.parameters['x']"
                                  << "unterminated placeholder at offset 5";
    QTest::newRow("unquoted name") << "{{$.inputs.parameters[x]}}"
                                   << "unknown placeholder";
    QTest::newRow("empty name") << "{{$.inputs.parameters['']}}"
                                << "unknown placeholder";
    QTest::newRow("metadata key") << "{{$.inputs.artifacts['x'].metadata['k']}}"
                                  << "unknown placeholder";
    QTest::newRow("wrong suffix") << "{{$.outputs.parameters['y'].path}}"
                                  << "unknown placeholder";
    QTest::newRow("resource name") << "{{$.pipeline_job_resource_name}}"
                                   << "unknown placeholder";
    QTest::newRow("bad zone") << "{{$.pipewright.run_time['%Y','Not a zone']}}"
                              << "unknown placeholder";
    QTest::newRow("bad run_time") << "{{$.pipewright.run_time[%Y]}}"
                                  << "unknown placeholder";
    QTest::newRow("concat json broken") << R"({"Concat": ["a", )"
                                        << "malformed placeholder JSON";
    QTest::newRow("concat not list") << R"({"Concat": "a"})"
                                     << "Concat expects a list";
    QTest::newRow("concat number") << R"({"Concat": ["a", 1]})"
                                   << "expected a string or a placeholder object";
    QTest::newRow("concat bad inner") << R"({"Concat": ["{{$.nope}}"]})"
                                      << "unknown placeholder '{{$.nope}}'";
    QTest::newRow("if without then") << R"({"IfPresent": {"InputName": "x"}})"
                                     << "IfPresent needs Then";
    QTest::newRow("if without name") << R"({"IfPresent": {"Then": []}})"
                                     << "IfPresent needs a string InputName";
    QTest::newRow("if unknown key") << R"({"IfPresent": {"InputName": "x", "Then": [], "Otherwise": []}})"
                                    << "IfPresent has unknown key 'Otherwise'";
    QTest::newRow("nested unknown struct") << R"({"Concat": [{"Join": []}]})"
                                           << "unknown placeholder struct 'Join'";
}

void TestKfpPlaceholders::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    const auto r = fromKfpString(text.toStdString());
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
}

void TestKfpPlaceholders::runValueSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("zone");

    QTest::newRow("name") << "run.name" << int(RunValue::Kind::JobName) << ""
                          << "";
    QTest::newRow("id") << "run.id" << int(RunValue::Kind::JobId) << ""
                        << "";
    QTest::newRow("created") << "run.created" << int(RunValue::Kind::CreateTime) << ""
                             << "";
    QTest::newRow("scheduled") << "run.scheduled" << int(RunValue::Kind::ScheduleTime) << ""
                               << "";
    QTest::newRow("task") << "run.task" << int(RunValue::Kind::TaskName) << ""
                          << "";
    QTest::newRow("root") << "run.root" << int(RunValue::Kind::PipelineRoot) << ""
                          << "";
    QTest::newRow("format and zone") << "run.created:%Y%m%d@Asia/Tokyo" << int(RunValue::Kind::CreateTime)
                                     << "%Y%m%d"
                                     << "Asia/Tokyo";
    QTest::newRow("format") << "run.created:%Y-%m-%dT%H:%M" << int(RunValue::Kind::CreateTime)
                            << "%Y-%m-%dT%H:%M"
                            << "";
    QTest::newRow("zone") << "run.scheduled@America/Argentina/Buenos_Aires"
                          << int(RunValue::Kind::ScheduleTime) << ""
                          << "America/Argentina/Buenos_Aires";
    QTest::newRow("at in format") << "run.created:%Y@%m" << int(RunValue::Kind::CreateTime) << "%Y@%m"
                                  << "";
    QTest::newRow("at in format and zone")
        << "run.created:%Y@%m@Etc/GMT+9" << int(RunValue::Kind::CreateTime) << "%Y@%m"
        << "Etc/GMT+9";
}

void TestKfpPlaceholders::runValueSpecs()
{
    QFETCH(QString, spec);
    QFETCH(int, kind);
    QFETCH(QString, format);
    QFETCH(QString, zone);
    const auto rv = RunValue::fromSpec(spec.toStdString());
    QVERIFY(rv.has_value());
    QCOMPARE(int(rv->kind), kind);
    QCOMPARE(QString::fromStdString(rv->format), format);
    QCOMPARE(QString::fromStdString(rv->timeZone), zone);
    QCOMPARE(rv->isPlain(), format.isEmpty() && zone.isEmpty());
    QCOMPARE(QString::fromStdString(rv->toSpec()), spec);
}

void TestKfpPlaceholders::invalidRunValueSpecs_data()
{
    QTest::addColumn<QString>("spec");
    QTest::newRow("empty") << "";
    QTest::newRow("unknown") << "run.colour";
    QTest::newRow("prefix only") << "run";
    QTest::newRow("format on name") << "run.name:%Y";
    QTest::newRow("zone on id") << "run.id@UTC";
    QTest::newRow("empty format") << "run.created:";
    QTest::newRow("empty zone") << "run.created@";
    QTest::newRow("bad zone") << "run.created@Not a zone";
}

void TestKfpPlaceholders::invalidRunValueSpecs()
{
    QFETCH(QString, spec);
    QVERIFY(!RunValue::fromSpec(spec.toStdString()).has_value());
}

void TestKfpPlaceholders::plainTextStaysLiteral()
{
    // Argo variables and JSON that is not a KFP struct are ordinary text.
    for (const char *s :
         {"{{workflow.name}}", R"({"a": 1})", R"({"Concat":["no space"]})", "$.x", "{{ $.x }}"}) {
        const auto r = fromKfpString(s);
        QVERIFY2(r.ok(), s);
        QVERIFY2(r.value() == CommandArg::literal(s), s);
        QCOMPARE(toKfpString(r.value(), Component{}), std::string(s));
    }
}

QTEST_GUILESS_MAIN(TestKfpPlaceholders)
#include "tst_kfpplaceholders.moc"
