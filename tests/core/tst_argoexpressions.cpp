// SPDX-License-Identifier: Apache-2.0
// Table-driven tests of the Argo target's text translations: CEL trigger
// conditions -> `when`, strftime -> Go layouts, placeholders, names. The
// placeholder and CEL parsers themselves are tested in tst_kfpexpressions.
#include "targets/argoexpressions.h"

#include <QtTest>

#include <map>

using namespace pw::argo;

namespace {

// How a task's inputs look in a DAG: one task output, one DAG input, one constant.
std::optional<std::string> lookup(const std::string &name)
{
    static const std::map<std::string, std::string> refs = {
        {"pipelinechannel--flip-coin-Output", "{{tasks.flip-coin.outputs.parameters.Output}}"},
        {"pipelinechannel--random-num-Output", "{{tasks.random-num.outputs.parameters.Output}}"},
        {"x", "{{inputs.parameters.x}}"},
        {"y", "{{inputs.parameters.y}}"},
        {"flag", "{{inputs.parameters.flag}}"},
        {"constant", "heads"},
    };
    auto it = refs.find(name);
    if (it == refs.end())
        return std::nullopt;
    return it->second;
}

} // namespace

class TstArgoExpressions : public QObject {
    Q_OBJECT

private slots:
    void when_data()
    {
        QTest::addColumn<QString>("cel");
        QTest::addColumn<QString>("expected");
        QTest::newRow("string equality")
            << "inputs.parameter_values['pipelinechannel--flip-coin-Output'] == 'heads'"
            << R"("{{tasks.flip-coin.outputs.parameters.Output}}" == "heads")";
        QTest::newRow("string inequality") << "inputs.parameter_values['x'] != 'no-such-result'"
                                           << R"("{{inputs.parameters.x}}" != "no-such-result")";
        QTest::newRow("int greater")
            << "int(inputs.parameter_values['pipelinechannel--random-num-Output']) > 5"
            << "{{tasks.random-num.outputs.parameters.Output}} > 5";
        QTest::newRow("int less or equal") << "int(inputs.parameter_values['x']) <= 15"
                                           << "{{inputs.parameters.x}} <= 15";
        QTest::newRow("int equality is numeric") << "int(inputs.parameter_values['x']) == 3"
                                                 << "{{inputs.parameters.x}} == 3";
        QTest::newRow("float") << "float(inputs.parameter_values['x']) >= 0.5"
                               << "{{inputs.parameters.x}} >= 0.5";
        QTest::newRow("negative number") << "int(inputs.parameter_values['x']) > -2"
                                         << "{{inputs.parameters.x}} > -2";
        QTest::newRow("else branch")
            << "!(inputs.parameter_values['x'] == 'heads') && inputs.parameter_values['x'] == 'tails'"
            << R"(!("{{inputs.parameters.x}}" == "heads") && "{{inputs.parameters.x}}" == "tails")";
        QTest::newRow("nested not")
            << "!(inputs.parameter_values['x'] == 'heads') && !(inputs.parameter_values['x'] == 'tails')"
            << R"(!("{{inputs.parameters.x}}" == "heads") && !("{{inputs.parameters.x}}" == "tails"))";
        QTest::newRow("or in group")
            << "(inputs.parameter_values['x'] == 'a' || inputs.parameter_values['y'] == 'b')"
            << R"(("{{inputs.parameters.x}}" == "a" || "{{inputs.parameters.y}}" == "b"))";
        QTest::newRow("two inputs") << "inputs.parameter_values['x'] == inputs.parameter_values['y']"
                                    << R"("{{inputs.parameters.x}}" == "{{inputs.parameters.y}}")";
        QTest::newRow("boolean literal") << "inputs.parameter_values['flag'] == true"
                                         << R"("{{inputs.parameters.flag}}" == "true")";
        QTest::newRow("bare boolean input") << "inputs.parameter_values['flag']"
                                            << R"("{{inputs.parameters.flag}}" == "true")";
        QTest::newRow("double-quoted literal") << R"(inputs.parameter_values["x"] == "heads")"
                                               << R"("{{inputs.parameters.x}}" == "heads")";
        QTest::newRow("string equality with number") << "inputs.parameter_values['x'] == 123"
                                                     << R"("{{inputs.parameters.x}}" == "123")";
        QTest::newRow("constant input") << "inputs.parameter_values['constant'] == 'heads'"
                                        << R"("heads" == "heads")";
        QTest::newRow("legacy parameters key") << "inputs.parameters['x'] == 'a'"
                                               << R"("{{inputs.parameters.x}}" == "a")";
    }

    void when()
    {
        QFETCH(QString, cel);
        QFETCH(QString, expected);
        auto result = whenFromCel(cel.toStdString(), lookup);
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QCOMPARE(QString::fromStdString(*result), expected);
    }

    void whenErrors_data()
    {
        QTest::addColumn<QString>("cel");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("unknown input") << "inputs.parameter_values['nope'] == 'a'"
                                       << "nope";
        QTest::newRow("unknown function") << "size(inputs.parameter_values['x']) > 1"
                                          << "size";
        QTest::newRow("dangling operator") << "inputs.parameter_values['x'] =="
                                           << "unexpected end";
        QTest::newRow("missing parenthesis") << "(inputs.parameter_values['x'] == 'a'"
                                             << "missing ')'";
        QTest::newRow("double quote in value") << R"(inputs.parameter_values['x'] == 'say "hi"')"
                                               << "double quote";
        QTest::newRow("trailing text") << "inputs.parameter_values['x'] == 'a' junk"
                                       << "unexpected";
    }

    void whenErrors()
    {
        QFETCH(QString, cel);
        QFETCH(QString, messagePart);
        auto result = whenFromCel(cel.toStdString(), lookup);
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.error().message).contains(messagePart),
                 result.error().message.c_str());
    }

    void layout_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("layout");
        QTest::newRow("date") << "%Y-%m-%d"
                              << "2006-01-02";
        QTest::newRow("compact date") << "%Y%m%d"
                                      << "20060102";
        QTest::newRow("time") << "%H:%M:%S"
                              << "15:04:05";
        QTest::newRow("european") << "%d/%m/%y"
                                  << "02/01/06";
        QTest::newRow("month names") << "%b %e %Y"
                                     << "Jan _2 2006";
        QTest::newRow("long names") << "%A %B"
                                    << "Monday January";
        QTest::newRow("iso with offset") << "%Y-%m-%dT%H:%M:%S%z"
                                         << "2006-01-02T15:04:05-0700";
        QTest::newRow("offset with colon") << "%H:%M%:z"
                                           << "15:04-07:00";
        QTest::newRow("zone name") << "%H:%M %Z"
                                   << "15:04 MST";
        QTest::newRow("fractional seconds") << "%H:%M:%S.%f"
                                            << "15:04:05.000000";
        QTest::newRow("twelve hour") << "%I:%M %p"
                                     << "03:04 PM";
        QTest::newRow("day of year") << "%Y-%j"
                                     << "2006-002";
        QTest::newRow("plain words") << "week of %Y"
                                     << "week of 2006";
        QTest::newRow("shortcuts") << "%F %T"
                                   << "2006-01-02 15:04:05";
        QTest::newRow("unpadded") << "%-d/%-m %-I:%-M"
                                  << "2/1 3:4";
        QTest::newRow("percent") << "%H%%"
                                 << "15%";
        QTest::newRow("date and hour") << "%D %R"
                                       << "01/02/06 15:04";
    }

    void layout()
    {
        QFETCH(QString, format);
        QFETCH(QString, layout);
        auto result = goLayoutFromStrftime(format.toStdString());
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QCOMPARE(QString::fromStdString(*result), layout);
    }

    void layoutErrors_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("epoch seconds") << "%s"
                                       << "%s";
        QTest::newRow("week number") << "%U"
                                     << "%U";
        QTest::newRow("weekday number") << "%u"
                                        << "%u";
        QTest::newRow("lone fraction") << "%S%f"
                                       << "%f";
        QTest::newRow("literal month-like text") << "Mon %d"
                                                 << "M";
        QTest::newRow("literal digits") << "%Y-1"
                                        << "1";
        QTest::newRow("question mark") << "%Y?"
                                       << "?";
        QTest::newRow("brace") << "{%Y}"
                               << "{";
        QTest::newRow("double quote") << "\"%Y\""
                                      << "\"";
        QTest::newRow("trailing percent") << "%Y%"
                                          << "ends with";
        QTest::newRow("unpadded hour") << "%-H"
                                       << "%-H";
    }

    void layoutErrors()
    {
        QFETCH(QString, format);
        QFETCH(QString, messagePart);
        auto result = goLayoutFromStrftime(format.toStdString());
        QVERIFY(!result.ok());
        QVERIFY2(QString::fromStdString(result.error().message).contains(messagePart),
                 result.error().message.c_str());
    }

    void runTime_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("expression");
        const QString time = "sprig.toDate('2006-01-02T15:04:05Z07:00', workflow.creationTimestamp.RFC3339)";
        QTest::newRow("date in Berlin")
            << "%Y-%m-%d"
            << "Europe/Berlin"
            << "{{=sprig.dateInZone('2006-01-02', " + time + ", 'Europe/Berlin')}}";
        QTest::newRow("default zone is UTC") << "%H:%M"
                                             << ""
                                             << "{{=sprig.dateInZone('15:04', " + time + ", 'UTC')}}";
        QTest::newRow("plain letters stay in the layout")
            << "run-%Y"
            << "America/New_York"
            << "{{=sprig.dateInZone('run-2006', " + time + ", 'America/New_York')}}";
        QTest::newRow("digits stay out of the layout")
            << "v2-%Y"
            << "UTC"
            << "{{='v2-' + sprig.dateInZone('2006', " + time + ", 'UTC')}}";
        QTest::newRow("Go words stay out of the layout")
            << "%d Monday"
            << "UTC"
            << "{{=sprig.dateInZone('02 ', " + time + ", 'UTC') + 'Monday'}}";
        QTest::newRow("text between fields")
            << "%Y_week"
            << "UTC"
            << "{{=sprig.dateInZone('2006', " + time + ", 'UTC') + '_week'}}";
        QTest::newRow("offset zone") << "%d"
                                     << "Etc/GMT+5"
                                     << "{{=sprig.dateInZone('02', " + time + ", 'Etc/GMT+5')}}";
    }

    void runTime()
    {
        QFETCH(QString, format);
        QFETCH(QString, zone);
        QFETCH(QString, expression);
        auto result = runTimeExpression(format.toStdString(), zone.toStdString());
        QVERIFY2(result.ok(), result.ok() ? "" : result.error().message.c_str());
        QCOMPARE(QString::fromStdString(*result), expression);
        // Argo splits expressions holding '?' and ':' as ternaries; never emit '?'.
        QVERIFY(result->find('?') == std::string::npos);
    }

    void runTimeErrors_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("zone");
        QTest::newRow("local zone") << "%Y"
                                    << "Local";
        QTest::newRow("zone with space") << "%Y"
                                         << "Europe/Not A Zone";
        QTest::newRow("zone with quote") << "%Y"
                                         << "UTC'";
        QTest::newRow("empty format") << ""
                                      << "UTC";
        QTest::newRow("unsupported directive") << "%s"
                                               << "UTC";
    }

    void runTimeErrors()
    {
        QFETCH(QString, format);
        QFETCH(QString, zone);
        QVERIFY(!runTimeExpression(format.toStdString(), zone.toStdString()).ok());
    }

    void render()
    {
        using pw::ir::KfpPlaceholder;
        auto rendered = renderPlaceholders("a {{$.inputs.parameters['x']}} b {{workflow.name}} {{$}}",
                                           [](const KfpPlaceholder &p) -> pw::Result<std::string> {
                                               return p.kind == KfpPlaceholder::Kind::ExecutorInput
                                                          ? std::string("EXEC")
                                                          : "<" + p.name.value + ">";
                                           });
        QVERIFY(rendered.ok());
        QCOMPARE(*rendered, std::string("a <x> b {{workflow.name}} EXEC"));
        QVERIFY(!renderPlaceholders("{{$.inputs.parameters['x']", [](const KfpPlaceholder &) {
                     return pw::Result<std::string>(std::string());
                 }).ok());
    }

    void selectors()
    {
        auto one = selectorKeys("parseJson(string_value)[\"A_a\"]");
        QVERIFY(one.ok());
        QCOMPARE(*one, std::vector<std::string>{"A_a"});
        auto two = selectorKeys("parseJson(string_value)['a']['b']");
        QVERIFY(two.ok());
        QCOMPARE(*two, (std::vector<std::string>{"a", "b"}));
        QVERIFY(!selectorKeys("string_value.size()").ok());
        QVERIFY(!selectorKeys("parseJson(string_value)").ok());
    }

    void names()
    {
        QCOMPARE(templateName("print-op"), std::string("print-op"));
        QCOMPARE(templateName("my_task.v2"), std::string("my-task-v2"));
        QCOMPARE(templateName("-x"), std::string("t-x"));
        QCOMPARE(templateName(std::string(200, 'a')).size(), size_t(128));
        QCOMPARE(parameterName("pipelinechannel--flip-coin-Output"),
                 std::string("pipelinechannel--flip-coin-Output"));
        QCOMPARE(parameterName("a.b c"), std::string("a_b_c"));
        // The names a KFP v1 backend reads metrics and visualizations from.
        QCOMPARE(parameterName("mlpipeline_metrics"), std::string("mlpipeline-metrics"));
        QCOMPARE(parameterName("mlpipeline_ui_metadata"), std::string("mlpipeline-ui-metadata"));
        QCOMPARE(generateNamePrefix("Save Most Frequent"), std::string("save-most-frequent-"));
        QCOMPARE(generateNamePrefix("pipeline-with-exit-handler"),
                 std::string("pipeline-with-exit-handler-"));
        QCOMPARE(generateNamePrefix("!!"), std::string("pipeline-"));
        QVERIFY(generateNamePrefix(std::string(100, 'x')).size() <= 57);
        QCOMPARE(exprString("it's"), std::string("'it\\'s'"));
    }
};

QTEST_GUILESS_MAIN(TstArgoExpressions)
#include "tst_argoexpressions.moc"
