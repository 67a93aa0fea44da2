// SPDX-License-Identifier: Apache-2.0
// The one KFP expression module (core/ir): placeholders and their command-line
// strings round trip byte for byte, and one CEL tree is what the local engine
// evaluates and what the Argo writer prints. The `disagreements` tables hold
// the inputs on which the parsers this module replaced answered differently.
#include "engine/conditionexpr.h"
#include "ir/celexpression.h"
#include "ir/kfpargument.h"
#include "targets/argoexpressions.h"
#include "testdata.h"

#include <QFileInfo>
#include <QTest>

#include <yaml-cpp/yaml.h>

#include <map>

using namespace pw;
using ir::CelExpression;
using ir::KfpArgument;
using ir::KfpPlaceholder;
using PKind = KfpPlaceholder::Kind;
using Field = KfpPlaceholder::Field;

namespace {

// A one-line picture of an argument's tree, for the tables.
std::string shape(const KfpArgument &a)
{
    auto list = [](const std::vector<KfpArgument> &items) {
        std::string out;
        for (const KfpArgument &i : items) {
            if (!out.empty())
                out += ' ';
            out += shape(i);
        }
        return out;
    };
    switch (a.kind) {
    case KfpArgument::Kind::Text: {
        std::string out = "text(";
        for (const ir::KfpSegment &s : a.segments)
            out += s.isPlaceholder ? "P" : "L";
        return out + ")";
    }
    case KfpArgument::Kind::Concat:
        return "concat[" + list(a.items) + "]";
    case KfpArgument::Kind::IfPresent: {
        std::string out = "if(" + a.inputName + (a.thenBranch.bare ? " then " : " then[") +
                          list(a.thenBranch.items) + (a.thenBranch.bare ? "" : "]");
        if (a.elseBranch)
            out += (a.elseBranch->bare ? " else " : " else[") + list(a.elseBranch->items) +
                   (a.elseBranch->bare ? "" : "]");
        return out + ")";
    }
    }
    return {};
}

// Values a task receives, for evaluation, and the same inputs as Argo sees them.
const nlohmann::json &parameters()
{
    static const nlohmann::json params = {
        {"s", "heads"},
        {"n", 7},
        {"t", "7"},
        {"f", 0.5},
        {"flag", true},
        {"sflag", "true"},
        {"q", "it's"},
        {"nl", "a\nb"},
        {"nul", nullptr},
        {"quoted", "say \"hi\""},
        {"obj", {{"a", "x"}, {"b", {1, 2}}}},
    };
    return params;
}

std::optional<std::string> argoLookup(const std::string &name)
{
    if (!parameters().contains(name))
        return std::nullopt;
    return "{{inputs.parameters." + name + "}}";
}

bool isMap(const YAML::Node &n)
{
    return n.IsDefined() && n.IsMap();
}
bool isSequence(const YAML::Node &n)
{
    return n.IsDefined() && n.IsSequence();
}

// Every string of every executor's command and args, and every trigger
// condition, in the KFP SDK's goldens.
struct GoldenStrings {
    std::vector<std::pair<std::string, std::string>> arguments; // (where, text)
    std::vector<std::pair<std::string, std::string>> conditions;
};

void collectConditions(const YAML::Node &node, const std::string &where, GoldenStrings &out)
{
    if (isMap(node)) {
        for (auto it = node.begin(); it != node.end(); ++it) {
            const std::string key = it->first.Scalar();
            if (key == "triggerPolicy" && isMap(it->second) && it->second["condition"].IsDefined())
                out.conditions.emplace_back(where, it->second["condition"].Scalar());
            else
                collectConditions(it->second, where + "/" + key, out);
        }
    } else if (isSequence(node)) {
        for (const YAML::Node &n : node)
            collectConditions(n, where, out);
    }
}

const GoldenStrings &goldenStrings()
{
    static const GoldenStrings strings = [] {
        GoldenStrings g;
        for (const QString &path : test::filesIn(test::referencePath("kfp-v2-goldens"), "*.yaml")) {
            const std::string file = QFileInfo(path).baseName().toStdString();
            const YAML::Node doc = YAML::LoadFile(path.toStdString());
            const YAML::Node executors = doc["deploymentSpec"]["executors"];
            for (auto it = executors.begin(); it != executors.end(); ++it) {
                const YAML::Node container = it->second["container"];
                if (!isMap(container))
                    continue;
                for (const char *key : {"command", "args"}) {
                    const YAML::Node list = container[key];
                    for (std::size_t i = 0; isSequence(list) && i < list.size(); ++i)
                        g.arguments.emplace_back(file + " " + it->first.Scalar() + " " + key + "[" +
                                                     std::to_string(i) + "]",
                                                 list[i].Scalar());
                }
            }
            collectConditions(doc["root"], file + " root", g);
            collectConditions(doc["components"], file + " components", g);
        }
        return g;
    }();
    return strings;
}

} // namespace

class TestKfpExpressions final : public QObject {
    Q_OBJECT

private slots:
    // ---- placeholders
    void placeholders_data();
    void placeholders();
    void builders();
    void texts_data();
    void texts();
    void structs_data();
    void structs();
    void otherJsonLayouts();
    void errors_data();
    void errors();
    void goldenArguments();
    // ---- CEL
    void cel_data();
    void cel();
    void celErrors_data();
    void celErrors();
    void builtConditions();
    void goldenConditions();
    // ---- where the replaced parsers disagreed
    void placeholderDisagreements_data();
    void placeholderDisagreements();
    void celDisagreements_data();
    void celDisagreements();
};

void TestKfpExpressions::placeholders_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("field");
    QTest::addColumn<QString>("extra"); // metadata key, or format|zone

    auto row = [](const char *tag, const char *text, PKind kind, const char *name = "",
                  Field field = Field::None, const char *extra = "") {
        QTest::newRow(tag) << QString::fromUtf8(text) << int(kind) << QString::fromUtf8(name) << int(field)
                           << QString::fromUtf8(extra);
    };
    row("executor input", "{{$}}", PKind::ExecutorInput);
    row("input parameter", "{{$.inputs.parameters['text']}}", PKind::InputParameter, "text");
    row("channel parameter", "{{$.inputs.parameters['pipelinechannel--flip-coin-Output']}}",
        PKind::InputParameter, "pipelinechannel--flip-coin-Output");
    row("double quotes", R"({{$.inputs.parameters["text"]}})", PKind::InputParameter, "text");
    row("escaped quote", R"({{$.inputs.parameters['it\'s']}})", PKind::InputParameter, "it's");
    row("escaped backslash", R"({{$.inputs.parameters['a\\b']}})", PKind::InputParameter, "a\\b");
    row("other quote inside", R"({{$.inputs.parameters["it's"]}})", PKind::InputParameter, "it's");
    row("input artifact list", "{{$.inputs.artifacts['models']}}", PKind::InputArtifact, "models");
    row("input artifact path", "{{$.inputs.artifacts['data'].path}}", PKind::InputArtifact, "data",
        Field::Path);
    row("input artifact uri", "{{$.inputs.artifacts['data'].uri}}", PKind::InputArtifact, "data", Field::Uri);
    row("input artifact metadata", "{{$.inputs.artifacts['data'].metadata}}", PKind::InputArtifact, "data",
        Field::Metadata);
    row("input artifact metadata key", "{{$.inputs.artifacts['data'].metadata['rows']}}",
        PKind::InputArtifact, "data", Field::MetadataKey, "rows");
    row("metadata key in double quotes", R"({{$.inputs.artifacts['data'].metadata["a b"]}})",
        PKind::InputArtifact, "data", Field::MetadataKey, "a b");
    row("output parameter", "{{$.outputs.parameters['y'].output_file}}", PKind::OutputParameter, "y",
        Field::OutputFile);
    row("output artifact path", "{{$.outputs.artifacts['model'].path}}", PKind::OutputArtifact, "model",
        Field::Path);
    row("output artifact uri", "{{$.outputs.artifacts['model'].uri}}", PKind::OutputArtifact, "model",
        Field::Uri);
    row("output artifact metadata", "{{$.outputs.artifacts['model'].metadata}}", PKind::OutputArtifact,
        "model", Field::Metadata);
    row("job name", "{{$.pipeline_job_name}}", PKind::JobName);
    row("job resource name", "{{$.pipeline_job_resource_name}}", PKind::JobResourceName);
    row("job uuid", "{{$.pipeline_job_uuid}}", PKind::JobUuid);
    row("create time", "{{$.pipeline_job_create_time_utc}}", PKind::JobCreateTime);
    row("schedule time", "{{$.pipeline_job_schedule_time_utc}}", PKind::JobScheduleTime);
    row("task name", "{{$.pipeline_task_name}}", PKind::TaskName);
    row("task uuid", "{{$.pipeline_task_uuid}}", PKind::TaskUuid);
    row("pipeline root", "{{$.pipeline_root}}", PKind::PipelineRoot);
    row("run time", "{{$.pipewright.run_time['%Y%m%d','Asia/Tokyo']}}", PKind::RunTime, "", Field::None,
        "%Y%m%d|Asia/Tokyo");
    row("run time, spaced", "{{$.pipewright.run_time[ '%Y-%m-%d' , 'Europe/Paris' ]}}", PKind::RunTime, "",
        Field::None, "%Y-%m-%d|Europe/Paris");
    row("run time, space after comma", "{{$.pipewright.run_time['%Y-%m-%d', 'Europe/Paris']}}",
        PKind::RunTime, "", Field::None, "%Y-%m-%d|Europe/Paris");
    row("run time without zone", "{{$.pipewright.run_time['%H']}}", PKind::RunTime, "", Field::None, "%H|");
    row("run time, empty parts", "{{$.pipewright.run_time['','']}}", PKind::RunTime, "", Field::None, "|");
    row("run time, escaped quote", R"({{$.pipewright.run_time['%H o\'clock','UTC']}})", PKind::RunTime, "",
        Field::None, "%H o'clock|UTC");
    row("run time, double quotes", R"({{$.pipewright.run_time["%H","UTC"]}})", PKind::RunTime, "",
        Field::None, "%H|UTC");
    row("schedule time", "{{$.pipewright.schedule_time['%H','UTC']}}", PKind::ScheduleTime, "", Field::None,
        "%H|UTC");
}

void TestKfpExpressions::placeholders()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, name);
    QFETCH(int, field);
    QFETCH(QString, extra);
    const std::string source = text.toStdString();
    auto p = KfpPlaceholder::parse(source);
    QVERIFY2(p.ok(), p.ok() ? "" : p.error().message.c_str());
    QCOMPARE(int(p->kind), kind);
    QCOMPARE(QString::fromStdString(p->name.value), name);
    QCOMPARE(int(p->field), field);
    if (p->field == Field::MetadataKey)
        QCOMPARE(QString::fromStdString(p->key.value), extra);
    else if (!p->arguments.empty())
        QCOMPARE(QString::fromStdString(p->format() + "|" + p->zone()), extra);
    QCOMPARE(p->toString(), source);

    // The same placeholder as a whole command-line string.
    auto arg = KfpArgument::parse(source);
    QVERIFY(arg.ok());
    QVERIFY(arg->singlePlaceholder());
    QVERIFY(*arg->singlePlaceholder() == *p);
    QCOMPARE(arg->toString(), source);
}

void TestKfpExpressions::builders()
{
    // What the writers build prints in the KFP SDK's spelling.
    QCOMPARE(KfpPlaceholder::of(PKind::ExecutorInput).toString(), std::string("{{$}}"));
    QCOMPARE(KfpPlaceholder::inputParameter("x").toString(), std::string("{{$.inputs.parameters['x']}}"));
    QCOMPARE(KfpPlaceholder::inputArtifact("d", Field::Uri).toString(),
             std::string("{{$.inputs.artifacts['d'].uri}}"));
    QCOMPARE(KfpPlaceholder::outputParameter("o").toString(),
             std::string("{{$.outputs.parameters['o'].output_file}}"));
    QCOMPARE(KfpPlaceholder::outputArtifact("m", Field::Metadata).toString(),
             std::string("{{$.outputs.artifacts['m'].metadata}}"));
    QCOMPARE(KfpPlaceholder::runTime(PKind::RunTime, "%H'%M", "UTC").toString(),
             std::string(R"({{$.pipewright.run_time['%H\'%M','UTC']}})"));
    QCOMPARE(KfpPlaceholder::of(PKind::JobResourceName).toString(),
             std::string("{{$.pipeline_job_resource_name}}"));
}

void TestKfpExpressions::texts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shape");
    QTest::newRow("empty") << ""
                           << "text()";
    QTest::newRow("plain") << "hello world"
                           << "text(L)";
    QTest::newRow("two parameters, as the current SDK writes an f-string")
        << "{{$.inputs.parameters['a']}}-{{$.inputs.parameters['b']}}"
        << "text(PLP)";
    QTest::newRow("adjacent placeholders") << "{{$.inputs.parameters['a']}}{{$.pipeline_job_name}}"
                                           << "text(PP)";
    QTest::newRow("option with value") << "--x={{$.inputs.parameters['x']}}"
                                       << "text(LP)";
    QTest::newRow("many kinds") << "{{$.inputs.artifacts['data'].path}}/{{$.inputs.parameters['x']}} at "
                                   "{{$.pipewright.run_time['%Y','UTC']}} by {{$.pipeline_task_name}}!"
                                << "text(PLPLPLPL)";
    QTest::newRow("runtime constant") << "gs://b/{{$.inputs.parameters['pipelinechannel--day']}}/x.csv"
                                      << "text(LPL)";
    QTest::newRow("Argo tags stay text") << "{{workflow.name}} {{$}} {{inputs.parameters.x}}"
                                         << "text(LPL)";
    QTest::newRow("spaced braces are text") << "{{ $.x }}"
                                            << "text(L)";
    QTest::newRow("dollar without braces") << "$.inputs.parameters['x']"
                                           << "text(L)";
    QTest::newRow("JSON that is no struct") << R"({"a": 1})"
                                            << "text(L)";
    QTest::newRow("compact Concat is text") << R"({"Concat":["no space"]})"
                                            << "text(L)";
    QTest::newRow("newlines") << "line 1\n{{$.inputs.parameters['x']}}\nline 3"
                              << "text(LPL)";
}

void TestKfpExpressions::texts()
{
    QFETCH(QString, text);
    QFETCH(QString, shape);
    const std::string source = text.toStdString();
    auto arg = KfpArgument::parse(source);
    QVERIFY2(arg.ok(), arg.ok() ? "" : arg.error().message.c_str());
    QCOMPARE(QString::fromStdString(::shape(*arg)), shape);
    QCOMPARE(arg->toString(), source);
    auto asText = KfpArgument::parseText(source);
    QVERIFY(asText.ok());
    QVERIFY(*asText == *arg);
}

void TestKfpExpressions::structs_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("shape");
    QTest::newRow("concat") << R"({"Concat": ["prefix-", "{{$.inputs.parameters['x']}}", "-suffix"]})"
                            << "concat[text(L) text(P) text(L)]";
    QTest::newRow("concat of mixed text")
        << R"({"Concat": ["--x={{$.inputs.parameters['x']}}", "{{$.outputs.artifacts['m'].uri}}"]})"
        << "concat[text(LP) text(P)]";
    QTest::newRow("empty concat") << R"({"Concat": []})"
                                  << "concat[]";
    QTest::newRow("escapes as json.dumps writes them")
        << R"({"Concat": ["say \"hi\"\\\n\t", "caf\u00e9 \ud83d\ude00"]})"
        << "concat[text(L) text(L)]";
    QTest::newRow("if present")
        << R"({"IfPresent": {"InputName": "x", "Then": ["--x", "{{$.inputs.parameters['x']}}"], "Else": ["--no-x"]}})"
        << "if(x then[text(L) text(P)] else[text(L)])";
    QTest::newRow("if present without else")
        << R"({"IfPresent": {"InputName": "x", "Then": ["{{$.inputs.parameters['x']}}"]}})"
        << "if(x then[text(P)])";
    QTest::newRow("empty then") << R"({"IfPresent": {"InputName": "x", "Then": []}})"
                                << "if(x then[])";
    QTest::newRow("empty else kept") << R"({"IfPresent": {"InputName": "x", "Then": ["a"], "Else": []}})"
                                     << "if(x then[text(L)] else[])";
    QTest::newRow("bare branches inside concat")
        << R"({"Concat": ["--x=", {"IfPresent": {"InputName": "x", "Then": "{{$.inputs.parameters['x']}}", "Else": "none"}}]})"
        << "concat[text(L) if(x then text(P) else text(L))]";
    QTest::newRow("one-item list inside concat kept a list")
        << R"({"Concat": [{"IfPresent": {"InputName": "x", "Then": ["a"]}}]})"
        << "concat[if(x then[text(L)])]";
    QTest::newRow("concat in if present")
        << R"({"IfPresent": {"InputName": "x", "Then": [{"Concat": ["--x=", "{{$.inputs.parameters['x']}}"]}]}})"
        << "if(x then[concat[text(L) text(P)]])";
    QTest::newRow("struct text inside a struct stays text") << R"({"Concat": ["{\"Concat\": [\"a\"]}"]})"
                                                            << "concat[text(L)]";
}

void TestKfpExpressions::structs()
{
    QFETCH(QString, text);
    QFETCH(QString, shape);
    const std::string source = text.toStdString();
    auto arg = KfpArgument::parse(source);
    QVERIFY2(arg.ok(), arg.ok() ? "" : arg.error().message.c_str());
    QCOMPARE(QString::fromStdString(::shape(*arg)), shape);
    QCOMPARE(arg->toString(), source);
    // parseText never looks for structs.
    auto asText = KfpArgument::parseText(source);
    QVERIFY(asText.ok());
    QCOMPARE(asText->kind, KfpArgument::Kind::Text);
}

void TestKfpExpressions::otherJsonLayouts()
{
    // Struct JSON in another layout means the same; it prints as json.dumps would.
    auto arg = KfpArgument::parse(R"({"Concat": ["a","b"]})");
    QVERIFY(arg.ok());
    QCOMPARE(arg->toString(), std::string(R"({"Concat": ["a", "b"]})"));
    auto reordered = KfpArgument::parse(R"({"IfPresent": {"Then": ["a"], "InputName": "x", "Else": null}})");
    QVERIFY(reordered.ok());
    QCOMPARE(reordered->toString(), std::string(R"({"IfPresent": {"InputName": "x", "Then": ["a"]}})"));
}

void TestKfpExpressions::errors_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("column"); // 0: the message has no position

    auto row = [](const char *tag, const char *text, const char *message, int column) {
        QTest::newRow(tag) << QString::fromUtf8(text) << QString::fromUtf8(message) << column;
    };
    row("unknown", "{{$.foo}}", "unknown placeholder '{{$.foo}}' at offset 1", 1);
    row("unknown after text", "a {{$.inputs.parameters['x']}} b {{$.bar}}",
        "unknown placeholder '{{$.bar}}' at offset 34", 34);
    row("unterminated", "--x={{$.inputs.parameters['x']",
        "unterminated placeholder at offset 5: missing '}}' after '{{$.inputs.parameters['x']'", 5);
    row("unquoted name", "{{$.inputs.parameters[x]}}",
        "unknown placeholder '{{$.inputs.parameters[x]}}' at offset 1: expected a quoted string at 'x]'", 1);
    row("empty name", "{{$.inputs.parameters['']}}", "the name is empty", 1);
    row("unknown escape", R"({{$.inputs.parameters['a\b']}})", R"(unknown escape '\b')", 1);
    row("unterminated name", "{{$.inputs.parameters['x]}}", "unterminated string", 1);
    row("parameter with a field", "{{$.inputs.parameters['x'].path}}", "this port has no such field", 1);
    row("output parameter path", "{{$.outputs.parameters['y'].path}}", "this port has no such field", 1);
    row("output parameter without field", "{{$.outputs.parameters['y']}}", "a field", 1);
    row("unknown field", "{{$.inputs.artifacts['x'].size}}", "unknown field '.size'", 1);
    row("metadata key of an output", "{{$.outputs.artifacts['m'].metadata['k']}}",
        "only input artifacts have metadata keys", 1);
    row("trailing text inside", "{{$.inputs.artifacts['x'].metadata['k'].v}}", "unexpected '.v'", 1);
    row("run time unquoted", "{{$.pipewright.run_time[%Y]}}", "expected a quoted string", 1);
    row("run time three parts", "{{$.pipewright.run_time['a','b','c']}}", "expected ',' or ']'", 1);
    row("run time unclosed", "{{$.pipewright.run_time['%H'}}", "expected ',' or ']'", 1);
    row("nonsense", "{{$.nonsense}}", "unknown placeholder '{{$.nonsense}}'", 1);
    row("run_value is no placeholder", "{{$.pipewright.run_value['run.colour']}}", "unknown placeholder", 1);
    row("concat json broken", R"({"Concat": ["a", )", "malformed placeholder JSON", 0);
    row("concat not list", R"({"Concat": "a"})", "Concat expects a list", 0);
    row("concat number", R"({"Concat": ["a", 1]})", "expected a string or a placeholder object", 0);
    row("concat bad inner", R"({"Concat": ["{{$.nope}}"]})", "unknown placeholder '{{$.nope}}' at offset 1",
        1);
    row("if without then", R"({"IfPresent": {"InputName": "x"}})", "IfPresent needs Then", 0);
    row("if without name", R"({"IfPresent": {"Then": []}})", "IfPresent needs a string InputName", 0);
    row("if unknown key", R"({"IfPresent": {"InputName": "x", "Then": [], "Otherwise": []}})",
        "IfPresent has unknown key 'Otherwise'", 0);
    row("nested unknown struct", R"({"Concat": [{"Join": []}]})", "unknown placeholder struct 'Join'", 0);
}

void TestKfpExpressions::errors()
{
    QFETCH(QString, text);
    QFETCH(QString, message);
    QFETCH(int, column);
    auto r = KfpArgument::parse(text.toStdString());
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.error().message).contains(message), r.error().message.c_str());
    QCOMPARE(r.error().where.column, column);
}

void TestKfpExpressions::goldenArguments()
{
    const auto &strings = goldenStrings().arguments;
    QVERIFY(strings.size() > 100);
    for (const auto &[where, text] : strings) {
        auto arg = KfpArgument::parse(text);
        QVERIFY2(arg.ok(), (where + ": " + (arg.ok() ? "" : arg.error().message)).c_str());
        QVERIFY2(arg->toString() == text, where.c_str());
    }
}

void TestKfpExpressions::cel_data()
{
    QTest::addColumn<QString>("cel");
    QTest::addColumn<int>("value"); // 1 true, 0 false, -1 an error (message in `evalError`)
    QTest::addColumn<QString>("evalError");
    QTest::addColumn<QString>("when"); // Argo `when`; empty: an error (message in `whenError`)
    QTest::addColumn<QString>("whenError");
    QTest::addColumn<QString>("printed"); // toString(); empty: the input itself

    auto row = [](const char *tag, const char *cel, int value, const char *when, const char *printed = "") {
        QTest::newRow(tag) << QString::fromUtf8(cel) << value << QString() << QString::fromUtf8(when)
                           << QString() << QString::fromUtf8(printed);
    };
    auto failing = [](const char *tag, const char *cel, int value, const char *evalError, const char *when,
                      const char *whenError) {
        QTest::newRow(tag) << QString::fromUtf8(cel) << value << QString::fromUtf8(evalError)
                           << QString::fromUtf8(when) << QString::fromUtf8(whenError) << QString();
    };
    row("string ==", "inputs.parameter_values['s'] == 'heads'", 1, R"("{{inputs.parameters.s}}" == "heads")");
    row("string !=", "inputs.parameter_values['s'] != 'heads'", 0, R"("{{inputs.parameters.s}}" != "heads")");
    row("double quotes everywhere", R"(inputs.parameter_values["s"] == "heads")", 1,
        R"("{{inputs.parameters.s}}" == "heads")");
    row("int cast of text", "int(inputs.parameter_values['t']) > 5", 1, "{{inputs.parameters.t}} > 5");
    row("int cast, equality is numeric", "int(inputs.parameter_values['t']) == 7", 1,
        "{{inputs.parameters.t}} == 7");
    row("double cast", "double(inputs.parameter_values['f']) <= 0.5", 1, "{{inputs.parameters.f}} <= 0.5");
    row("float is double", "float(inputs.parameter_values['f']) < 1", 1, "{{inputs.parameters.f}} < 1");
    row("ordering is numeric without a cast", "inputs.parameter_values['n'] >= 7", 1,
        "{{inputs.parameters.n}} >= 7");
    row("negative number", "inputs.parameter_values['n'] > -2", 1, "{{inputs.parameters.n}} > -2");
    row("plus sign", "inputs.parameter_values['n'] > +5", 1, "{{inputs.parameters.n}} > +5");
    row("leading dot", "double(inputs.parameter_values['f']) == .5", 1, "{{inputs.parameters.f}} == .5");
    row("exponent", "double(inputs.parameter_values['f']) < 1e-1", 0, "{{inputs.parameters.f}} < 1e-1");
    row("elif chain, as KFP writes it",
        "!(inputs.parameter_values['s'] == 'tails') && inputs.parameter_values['s'] == 'heads'", 1,
        R"(!("{{inputs.parameters.s}}" == "tails") && "{{inputs.parameters.s}}" == "heads")");
    row("&& binds tighter than ||",
        "inputs.parameter_values['s'] == 'heads' || inputs.parameter_values['n'] == 1 && "
        "inputs.parameter_values['flag'] == false",
        1,
        R"("{{inputs.parameters.s}}" == "heads" || "{{inputs.parameters.n}}" == "1" && )"
        R"("{{inputs.parameters.flag}}" == "false")");
    row("parentheses regroup",
        "(inputs.parameter_values['s'] == 'heads' || inputs.parameter_values['n'] == 1) && "
        "inputs.parameter_values['flag'] == false",
        0,
        R"(("{{inputs.parameters.s}}" == "heads" || "{{inputs.parameters.n}}" == "1") && )"
        R"("{{inputs.parameters.flag}}" == "false")");
    row("! takes the whole comparison", "!inputs.parameter_values['s'] == 'tails'", 1,
        R"(!("{{inputs.parameters.s}}" == "tails"))");
    row("double negation", "!!(inputs.parameter_values['flag'])", 1,
        R"(!(!("{{inputs.parameters.flag}}" == "true")))");
    row("bare boolean input", "inputs.parameter_values['flag']", 1,
        R"("{{inputs.parameters.flag}}" == "true")");
    row("boolean literal", "inputs.parameter_values['flag'] == true", 1,
        R"("{{inputs.parameters.flag}}" == "true")");
    row("bool() of text", "bool(inputs.parameter_values['sflag'])", 1,
        R"("{{inputs.parameters.sflag}}" == "true")");
    row("string()", "string(inputs.parameter_values['n']) == '7'", 1, R"("{{inputs.parameters.n}}" == "7")");
    row("number against a string input", "inputs.parameter_values['s'] != 123", 1,
        R"("{{inputs.parameters.s}}" != "123")");
    row("escaped quote", R"(inputs.parameter_values['q'] == 'it\'s')", 1,
        R"("{{inputs.parameters.q}}" == "it's")");
    row("other quote inside", R"(inputs.parameter_values['q'] == "it's")", 1,
        R"("{{inputs.parameters.q}}" == "it's")");
    row("newline escape", R"(inputs.parameter_values['nl'] == 'a\nb')", 1,
        "\"{{inputs.parameters.nl}}\" == \"a\nb\"");
    row("null", "inputs.parameter_values['nul'] == null", 1, R"("{{inputs.parameters.nul}}" == "")");
    row("two inputs", "inputs.parameter_values['n'] == inputs.parameter_values['t']", 0,
        R"("{{inputs.parameters.n}}" == "{{inputs.parameters.t}}")");
    row("older parameters root", "inputs.parameters['s'] == 'heads'", 1,
        R"("{{inputs.parameters.s}}" == "heads")");
    row("spaces inside the index", "inputs.parameter_values [ 's' ] == 'heads'", 1,
        R"("{{inputs.parameters.s}}" == "heads")", "inputs.parameter_values['s'] == 'heads'");
    row("space before a call's parenthesis", "int (inputs.parameter_values['t']) == 7", 1,
        "{{inputs.parameters.t}} == 7", "int(inputs.parameter_values['t']) == 7");
    row("no spaces", "inputs.parameter_values['n']>5&&inputs.parameter_values['s']!='x'", 1,
        R"({{inputs.parameters.n}} > 5 && "{{inputs.parameters.s}}" != "x")",
        "inputs.parameter_values['n'] > 5 && inputs.parameter_values['s'] != 'x'");
    row("nested casts: the outer one counts", "string(int(inputs.parameter_values['t'])) == '7'", 1,
        R"("{{inputs.parameters.t}}" == "7")");
    failing("field of a loop item", "inputs.parameter_values['obj'].a == 'x'", 1, "", "",
            "a comparison operand must be an input or a literal");
    failing("index of a loop item", "inputs.parameter_values['obj']['b'][1] == 2", 1, "", "",
            "a comparison operand must be an input or a literal");
    failing("unknown input", "inputs.parameter_values['nope'] == 'a'", -1, "reads 'nope'", "", "'nope'");
    failing("int() of text that is no number", "int(inputs.parameter_values['s']) > 1", -1,
            "int() cannot convert \"heads\"", "{{inputs.parameters.s}} > 1", "");
    failing("ordering strings and numbers", "inputs.parameter_values['s'] < 1", -1, "cannot order",
            "{{inputs.parameters.s}} < 1", "");
    failing("a number is no condition", "inputs.parameter_values['n']", -1, "not a boolean expression",
            R"("{{inputs.parameters.n}}" == "true")", "");
    failing("a cast of a literal", "int('5') == 5", 1, "", "",
            "int() is only supported around an input reference");
    failing("a double quote in a value", R"(inputs.parameter_values['quoted'] == 'say "hi"')", 1, "", "",
            "a double quote in a compared value");
    failing("a literal alone", "'yes'", -1, "not a boolean expression", "", "not a boolean");
    failing("unknown input on the right of a decided ||",
            "inputs.parameter_values['flag'] || inputs.parameter_values['nope']", -1, "reads 'nope'", "",
            "'nope'");
}

void TestKfpExpressions::cel()
{
    QFETCH(QString, cel);
    QFETCH(int, value);
    QFETCH(QString, evalError);
    QFETCH(QString, when);
    QFETCH(QString, whenError);
    QFETCH(QString, printed);
    const std::string text = cel.toStdString();
    auto tree = CelExpression::parse(text);
    QVERIFY2(tree.ok(), tree.ok() ? "" : tree.error().message.c_str());

    // The engine and the Argo writer read the same tree.
    auto evaluated = evaluateCondition(*tree, parameters());
    QCOMPARE(evaluated.ok(), value >= 0);
    if (value >= 0)
        QCOMPARE(*evaluated, value == 1);
    else
        QVERIFY2(QString::fromStdString(evaluated.error().message).contains(evalError),
                 evaluated.error().message.c_str());
    auto fromText = evaluateCondition(text, parameters());
    QCOMPARE(fromText.ok(), evaluated.ok());

    auto argo = argo::whenFromCel(*tree, argoLookup);
    QCOMPARE(argo.ok(), !when.isEmpty());
    if (argo.ok())
        QCOMPARE(QString::fromStdString(*argo), when);
    else
        QVERIFY2(QString::fromStdString(argo.error().message).contains(whenError),
                 argo.error().message.c_str());
    auto argoFromText = argo::whenFromCel(text, argoLookup);
    QCOMPARE(argoFromText.ok(), argo.ok());
    if (argo.ok())
        QCOMPARE(*argoFromText, *argo);

    // Printing gives KFP's spelling, and reads back as the same tree.
    const std::string expected = printed.isEmpty() ? text : printed.toStdString();
    QCOMPARE(tree->toString(), expected);
    auto again = CelExpression::parse(tree->toString());
    QVERIFY(again.ok());
    QVERIFY(*again == *tree);
}

void TestKfpExpressions::celErrors_data()
{
    QTest::addColumn<QString>("cel");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("column");
    QTest::newRow("dangling operator") << "inputs.parameter_values['s'] =="
                                       << "unexpected end of condition" << 32;
    QTest::newRow("missing parenthesis") << "(inputs.parameter_values['s'] == 'a'"
                                         << "missing ')'" << 37;
    QTest::newRow("unknown function") << "size(inputs.parameter_values['s']) > 1"
                                      << "unsupported function 'size'" << 1;
    QTest::newRow("unknown name") << "foo == 1"
                                  << "unsupported term 'foo'" << 1;
    QTest::newRow("trailing text") << "inputs.parameter_values['s'] == 'a' junk"
                                   << "unexpected 'junk'" << 37;
    QTest::newRow("triple equals") << "inputs.parameter_values['s'] === 1"
                                   << "unexpected '= 1'" << 32;
    QTest::newRow("chained comparison") << "inputs.parameter_values['n'] > 1 > 0"
                                        << "unexpected '> 0'" << 34;
    QTest::newRow("unterminated string") << "inputs.parameter_values['s'] == 'a"
                                         << "unterminated string" << 35;
    QTest::newRow("unquoted name") << "inputs.parameter_values[s] == 'a'"
                                   << "expected a quoted parameter name" << 25;
    QTest::newRow("empty name") << "inputs.parameter_values[''] == 'a'"
                                << "the parameter name is empty" << 27;
    QTest::newRow("no index") << "inputs.parameter_values == 'a'"
                              << "expected ['name'] after inputs.parameter_values" << 25;
    QTest::newRow("number with letters") << "inputs.parameter_values['n'] == 12abc"
                                         << "bad number '12abc'" << 33;
    QTest::newRow("unclosed cast") << "int(inputs.parameter_values['n'] > 1"
                                   << "missing ')' after int(...)" << 37;
    QTest::newRow("empty") << ""
                           << "unexpected end of condition" << 1;
    QTest::newRow("nested too deeply")
        << QString(300, '(') + "true" + QString(300, ')') << "nested too deeply" << 202;
}

void TestKfpExpressions::celErrors()
{
    QFETCH(QString, cel);
    QFETCH(QString, message);
    QFETCH(int, column);
    auto tree = CelExpression::parse(cel.toStdString());
    QVERIFY(!tree.ok());
    QVERIFY2(QString::fromStdString(tree.error().message).contains(message), tree.error().message.c_str());
    QCOMPARE(tree.error().where.column, column);
    // Both readers report the parser's message inside their own.
    auto evaluated = evaluateCondition(cel.toStdString(), parameters());
    QVERIFY(!evaluated.ok());
    QVERIFY(QString::fromStdString(evaluated.error().message).contains(message));
    auto argo = argo::whenFromCel(cel.toStdString(), argoLookup);
    QVERIFY(!argo.ok());
    QVERIFY(QString::fromStdString(argo.error().message).contains(message));
}

void TestKfpExpressions::builtConditions()
{
    // How the compiler writes an elif branch.
    auto lhs = CelExpression::call("int", CelExpression::parameter("pipelinechannel--n"));
    auto earlier = CelExpression::compare(CelExpression::parameter("pipelinechannel--s"),
                                          "==", CelExpression::literal("it's"));
    auto cond =
        CelExpression::conjunction(CelExpression::negation(std::move(earlier)),
                                   CelExpression::compare(std::move(lhs), ">", CelExpression::literal(5)));
    QCOMPARE(cond.toString(), std::string(R"(!(inputs.parameter_values['pipelinechannel--s'] == 'it\'s') && )"
                                          "int(inputs.parameter_values['pipelinechannel--n']) > 5"));
    auto again = CelExpression::parse(cond.toString());
    QVERIFY(again.ok());
    QCOMPARE(again->toString(), cond.toString());
    // An || under an && needs the parentheses the tree does not spell.
    auto a = CelExpression::compare(CelExpression::parameter("a"), "==", CelExpression::literal(1));
    auto either = a;
    either.kind = CelExpression::Kind::Or;
    either.text.clear();
    either.operands = {a, a};
    QCOMPARE(CelExpression::conjunction(either, a).toString(),
             std::string("(inputs.parameter_values['a'] == 1 || inputs.parameter_values['a'] == 1) && "
                         "inputs.parameter_values['a'] == 1"));
}

void TestKfpExpressions::goldenConditions()
{
    const auto &conditions = goldenStrings().conditions;
    QVERIFY(conditions.size() >= 10);
    for (const auto &[where, text] : conditions) {
        auto tree = CelExpression::parse(text);
        QVERIFY2(tree.ok(), (where + ": " + (tree.ok() ? "" : tree.error().message)).c_str());
        // The compiler's spelling is the one toString() writes.
        QVERIFY2(tree->toString() == text, (where + ": " + tree->toString()).c_str());
    }
}

void TestKfpExpressions::placeholderDisagreements_data()
{
    // Old readers: A = targets/argoexpressions parsePlaceholder (Argo writer),
    // K = formats/kfpplaceholders fromKfpString (model import and local engine).
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("accepted");
    QTest::addColumn<QString>("message");
    QTest::newRow("double-quoted name: A yes, K no -> yes")
        << R"({{$.inputs.parameters["x"]}})" << true << "";
    QTest::newRow("empty name: A yes, K no -> no") << "{{$.inputs.parameters['']}}" << false << "empty";
    QTest::newRow("escaped quote: A no, K yes -> yes") << R"({{$.inputs.parameters['a\'b']}})" << true << "";
    QTest::newRow("other escapes: A kept the backslash, K dropped it -> no")
        << R"({{$.inputs.parameters['a\b']}})" << false << "unknown escape";
    QTest::newRow("resource name: A yes, K no -> yes") << "{{$.pipeline_job_resource_name}}" << true << "";
    QTest::newRow("task uuid: A yes, K no -> yes") << "{{$.pipeline_task_uuid}}" << true << "";
    QTest::newRow("schedule_time extension: A no, K yes -> yes")
        << "{{$.pipewright.schedule_time['%H','UTC']}}" << true << "";
    QTest::newRow("spaces around run_time parts: A yes, K only after the comma -> yes")
        << "{{$.pipewright.run_time[ '%H' ,'UTC' ]}}" << true << "";
    QTest::newRow("artifact list and metadata key: A no, K no -> yes")
        << "{{$.inputs.artifacts['xs']}} {{$.inputs.artifacts['x'].metadata['k']}}" << true << "";
    QTest::newRow("struct with leading space: A a struct, K text -> text")
        << R"( {"Concat": ["a"]})" << true << "";
    QTest::newRow("IfPresent without InputName: A no branch, K error -> error")
        << R"({"IfPresent": {"Then": ["a"]}})" << false << "InputName";
    QTest::newRow("IfPresent with an unknown key: A ignored it, K error -> error")
        << R"({"IfPresent": {"InputName": "x", "Then": [], "Otherwise": []}})" << false << "Otherwise";
}

void TestKfpExpressions::placeholderDisagreements()
{
    QFETCH(QString, text);
    QFETCH(bool, accepted);
    QFETCH(QString, message);
    auto arg = KfpArgument::parse(text.toStdString());
    QCOMPARE(arg.ok(), accepted);
    if (accepted)
        QCOMPARE(arg->toString(), text.toStdString());
    else
        QVERIFY2(QString::fromStdString(arg.error().message).contains(message), arg.error().message.c_str());
}

void TestKfpExpressions::celDisagreements_data()
{
    // Old readers: A = targets/argoexpressions whenFromCel (Argo writer),
    // E = engine/conditionexpr evaluateCondition (local engine). Every row
    // is now read the same way by both; `value` is the engine's answer.
    QTest::addColumn<QString>("cel");
    QTest::addColumn<int>("value");
    QTest::newRow("older inputs.parameters root: A yes, E no") << "inputs.parameters['s'] == 'heads'" << 1;
    QTest::newRow("float(): A yes, E no") << "float(inputs.parameter_values['f']) == 0.5" << 1;
    QTest::newRow("space before a cast's parenthesis: A yes, E no")
        << "int (inputs.parameter_values['t']) == 7" << 1;
    QTest::newRow("spaces in the index: A no, E yes") << "inputs.parameter_values[ 's' ] == 'heads'" << 1;
    QTest::newRow("space before the index: A no, E yes") << "inputs.parameter_values ['s'] == 'heads'" << 1;
    QTest::newRow("\\n in a string: A the letter n, E a newline")
        << R"(inputs.parameter_values['nl'] == 'a\nb')" << 1;
    QTest::newRow("leading '+': A no, E yes") << "inputs.parameter_values['n'] == +7" << 1;
    QTest::newRow("leading '.': A yes, E no") << "double(inputs.parameter_values['f']) == .5" << 1;
    QTest::newRow("negative exponent: A yes, E no") << "double(inputs.parameter_values['f']) > 1e-3" << 1;
    QTest::newRow("a cast around an expression: A no, E yes")
        << "string(inputs.parameter_values['n'] == 7) == 'true'" << 1;
    QTest::newRow("'true' glued to a name: A no, E read 'true'") << "trueish" << -1;
    QTest::newRow("letters in a number: A kept them, E no") << "inputs.parameter_values['n'] == 7abc" << -1;
}

void TestKfpExpressions::celDisagreements()
{
    QFETCH(QString, cel);
    QFETCH(int, value);
    auto tree = CelExpression::parse(cel.toStdString());
    QCOMPARE(tree.ok(), value >= 0);
    if (!tree.ok())
        return;
    auto evaluated = evaluateCondition(*tree, parameters());
    QVERIFY2(evaluated.ok(), evaluated.ok() ? "" : evaluated.error().message.c_str());
    QCOMPARE(*evaluated, value == 1);
}

QTEST_GUILESS_MAIN(TestKfpExpressions)
#include "tst_kfpexpressions.moc"
