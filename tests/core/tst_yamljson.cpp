// SPDX-License-Identifier: Apache-2.0
#include "kfpcompare.h"
#include "util/yamljson.h"

#include <yaml-cpp/yaml.h>

#include <QProcess>
#include <QtTest>

#include <cmath>

using nlohmann::json;

namespace {

json parseBack(const std::string &yaml) { return pw::yamlToJson(YAML::Load(yaml)); }

// QByteArray so that a failed QCOMPARE prints both texts.
template <typename Json>
QByteArray toYaml(const Json &value)
{
    return QByteArray::fromStdString(pw::jsonToYaml(value));
}

std::string joined(const std::vector<std::string> &lines)
{
    std::string out;
    for (const std::string &line : lines)
        out += line + '\n';
    return out;
}

// Strings that break naive emitters: YAML 1.1/1.2 look-alikes, indicators,
// whitespace at the edges, line breaks, control and non-ASCII characters.
const std::vector<std::string> &trickyStrings()
{
    static const std::vector<std::string> strings = {
        "true", "True", "false", "null", "Null", "~", "yes", "No", "on", "OFF", "y", "n", "=", "<<",
        "1", "-7", "+3", "1.0", "1e3", "1E-3", ".5", "1.", ".inf", "-.Inf", ".nan", "0x1F", "0o17", "0b101",
        "0777", "1_000", "12:30", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2.1.0", "1.2.3.4",
        "", " lead", "trail ", " ", "a: b", "a:b", "x:", "a #b", "a#b", "#x", "- x", "-x", "-", "--flag", "---",
        "...", "? x", "?x", ":x", "{x}", "[x]", "x]", "a, b", "'quoted'", "\"dq\"", "it's", "@at", "`tick",
        "%pct", "!bang", "&anchor", "*alias", "|pipe", ">gt", "back\\slash", "{{$}}",
        "{{$.inputs.parameters['x']}}", "multi\nline", "multi\nline\n", "two\n\n", "\nleading newline",
        "  indented\nsecond", "first\n  indented\n\n  more", "trailing space \nnext", "ends with spaces\n  ",
        "\n", "\n\n", "a: b\n# not a comment", "tab\there", "\t", "tab\n\tline", "unicode ✓ é 日本 😀",
        std::string("nul\0byte", 8), "\x01\x02\x1b", "del\x7f", "cr\r\nlf", "line\u2028sep", "nel\u0085x",
        "\ufeffbom", "quote ' and \" both",
    };
    return strings;
}

} // namespace

class TestYamlJson final : public QObject {
    Q_OBJECT

private slots:
    void typing_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QByteArray>("expected"); // JSON

        QTest::newRow("true") << QByteArray("true") << QByteArray("true");
        QTest::newRow("True") << QByteArray("True") << QByteArray("true");
        QTest::newRow("FALSE") << QByteArray("FALSE") << QByteArray("false");
        QTest::newRow("quoted true") << QByteArray("'true'") << QByteArray("\"true\"");
        QTest::newRow("null") << QByteArray("null") << QByteArray("null");
        QTest::newRow("tilde") << QByteArray("~") << QByteArray("null");
        QTest::newRow("empty") << QByteArray("") << QByteArray("null");
        QTest::newRow("quoted null") << QByteArray("\"null\"") << QByteArray("\"null\"");
        QTest::newRow("int") << QByteArray("1") << QByteArray("1");
        QTest::newRow("negative") << QByteArray("-7") << QByteArray("-7");
        QTest::newRow("plus") << QByteArray("+3") << QByteArray("3");
        QTest::newRow("float") << QByteArray("1.0") << QByteArray("1.0");
        QTest::newRow("exponent") << QByteArray("1e3") << QByteArray("1000.0");
        QTest::newRow("leading dot") << QByteArray(".5") << QByteArray("0.5");
        QTest::newRow("hex") << QByteArray("0x1F") << QByteArray("31");
        QTest::newRow("octal") << QByteArray("0o17") << QByteArray("15");
        QTest::newRow("big int") << QByteArray("12345678901234567") << QByteArray("12345678901234567");
        QTest::newRow("uint64") << QByteArray("18446744073709551615") << QByteArray("18446744073709551615");
        QTest::newRow("beyond 64 bits") << QByteArray("99999999999999999999") << QByteArray("1e20");
        QTest::newRow("quoted float") << QByteArray("'1.0'") << QByteArray("\"1.0\"");
        QTest::newRow("version") << QByteArray("2.1.0") << QByteArray("\"2.1.0\"");
        QTest::newRow("yaml 1.1 bool") << QByteArray("yes") << QByteArray("\"yes\"");
        QTest::newRow("yaml 1.1 octal") << QByteArray("0b101") << QByteArray("\"0b101\"");
        QTest::newRow("explicit str") << QByteArray("!!str 12") << QByteArray("\"12\"");
        QTest::newRow("literal") << QByteArray("|\n  a\n  b\n") << QByteArray("\"a\\nb\\n\"");
        QTest::newRow("list") << QByteArray("[1, '1', 1.5, x, ~]") << QByteArray("[1, \"1\", 1.5, \"x\", null]");
        QTest::newRow("map") << QByteArray("{a: 1, 'b': off}") << QByteArray("{\"a\": 1, \"b\": \"off\"}");
        QTest::newRow("json") << QByteArray("{\"a\": [true, 2.50, \"3\"]}")
                              << QByteArray("{\"a\": [true, 2.5, \"3\"]}");
    }

    void typing()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QByteArray, expected);
        const json actual = parseBack("v: " + yaml.toStdString())["v"];
        const auto diffs = pw::kfpDiff(json::parse(expected.toStdString()), actual);
        QVERIFY2(diffs.empty(), (actual.dump() + ": " + joined(diffs)).c_str());
    }

    void specialFloats()
    {
        const json doc = parseBack("a: .inf\nb: -.INF\nc: .NaN\nd: '.inf'");
        QVERIFY(doc["a"].is_number_float() && std::isinf(doc["a"].get<double>()) && doc["a"].get<double>() > 0);
        QVERIFY(std::isinf(doc["b"].get<double>()) && doc["b"].get<double>() < 0);
        QVERIFY(std::isnan(doc["c"].get<double>()));
        QCOMPARE(doc["d"], json(".inf"));
        QCOMPARE(toYaml(json{{"up", INFINITY}, {"down", -INFINITY}}), QByteArray("down: -.inf\nup: .inf\n"));
    }

    void stringsRoundTrip_data()
    {
        QTest::addColumn<QByteArray>("text");
        for (const std::string &s : trickyStrings())
            QTest::newRow(json(s).dump().c_str()) << QByteArray(s.data(), static_cast<qsizetype>(s.size()));
    }

    // Emit, parse back with yaml-cpp: same document, as value, list item and key.
    void stringsRoundTrip()
    {
        QFETCH(QByteArray, text);
        const std::string s = text.toStdString();
        const json doc = {{"value", s}, {"list", {s, {{"k", s}, {"other", s}}}}, {"map", {{s, s}}}};
        const std::string yaml = pw::jsonToYaml(doc);
        json back;
        try {
            back = parseBack(yaml);
        } catch (const YAML::Exception &e) {
            QFAIL((std::string("yaml-cpp rejected:\n") + yaml + "\n" + e.what()).c_str());
        }
        const auto diffs = pw::kfpDiff(doc, back);
        QVERIFY2(diffs.empty(), (yaml + "\n" + joined(diffs)).c_str());
    }

    void quotingStyle_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("plain") << QByteArray("hello world") << QByteArray("v: hello world\n");
        QTest::newRow("flag") << QByteArray("--executor_input") << QByteArray("v: --executor_input\n");
        QTest::newRow("version") << QByteArray("2.1.0") << QByteArray("v: 2.1.0\n");
        QTest::newRow("bool look-alike") << QByteArray("true") << QByteArray("v: 'true'\n");
        QTest::newRow("yaml 1.1 bool") << QByteArray("yes") << QByteArray("v: 'yes'\n");
        QTest::newRow("number") << QByteArray("1.0") << QByteArray("v: '1.0'\n");
        QTest::newRow("empty") << QByteArray("") << QByteArray("v: ''\n");
        QTest::newRow("placeholder") << QByteArray("{{$}}") << QByteArray("v: '{{$}}'\n");
        QTest::newRow("inner quote") << QByteArray("{{$.inputs.parameters['x']}}")
                                     << QByteArray("v: '{{$.inputs.parameters[''x'']}}'\n");
        QTest::newRow("condition") << QByteArray("inputs.parameter_values['a'] == 'b'")
                                   << QByteArray("v: inputs.parameter_values['a'] == 'b'\n");
        QTest::newRow("multi-line") << QByteArray("a\nb") << QByteArray("v: |-\n  a\n  b\n");
        QTest::newRow("multi-line newline") << QByteArray("\na\n") << QByteArray("v: |\n\n  a\n");
        QTest::newRow("control") << QByteArray("a\x01") << QByteArray("v: \"a\\x01\"\n");
        QTest::newRow("indented first line") << QByteArray(" a\nb") << QByteArray("v: \" a\\nb\"\n");
    }

    void quotingStyle()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, expected);
        QCOMPARE(toYaml(json{{"v", text.toStdString()}}), expected);
    }

    void numbersRoundTrip()
    {
        const json doc = {{"floats", {1.0, 0.1, -0.5, 100.0, 0.0, 1e20, 1e-7, 1.5e300, 2.5e-5, 123456.789}},
                          {"ints", {0, -1, 42, 123456789012345678LL, std::numeric_limits<std::uint64_t>::max()}},
                          {"other", {true, false, nullptr}}};
        const std::string yaml = pw::jsonToYaml(doc);
        QVERIFY2(yaml.find("- 1.0\n") != std::string::npos, yaml.c_str());
        QVERIFY2(yaml.find("- 1.0e+20\n") != std::string::npos, yaml.c_str());
        const auto diffs = pw::kfpDiff(doc, parseBack(yaml));
        QVERIFY2(diffs.empty(), (yaml + joined(diffs)).c_str());
    }

    void blockLayout()
    {
        const json doc = {{"empty map", json::object()},
                          {"empty list", json::array()},
                          {"list", {{{"a", 1}, {"b", {"x"}}}, {1, 2}}},
                          {"map", {{"inner", {{"deep", "v"}}}}}};
        const std::string expected = "empty list: []\n"
                                     "empty map: {}\n"
                                     "list:\n"
                                     "- a: 1\n"
                                     "  b:\n"
                                     "  - x\n"
                                     "- - 1\n"
                                     "  - 2\n"
                                     "map:\n"
                                     "  inner:\n"
                                     "    deep: v\n";
        QCOMPARE(toYaml(doc), QByteArray::fromStdString(expected));
        QCOMPARE(toYaml(json("top\nlevel")), QByteArray("|-\n  top\n  level\n"));
        QCOMPARE(toYaml(json::array()), QByteArray("[]\n"));
    }

    void orderedKeysKeepTheirOrder()
    {
        nlohmann::ordered_json doc;
        doc["zeta"] = 1;
        doc["alpha"] = {{"b", 1}, {"a", 2}};
        QCOMPARE(toYaml(doc), QByteArray("zeta: 1\nalpha:\n  b: 1\n  a: 2\n"));
    }

    // PyYAML is what KFP's SDK and most of our users' tooling load YAML with
    // (YAML 1.1: yes/no/on/off, sexagesimal ints, timestamps).
    void pyyamlReadsTheSameDocument()
    {
        json doc = json::object();
        int i = 0;
        for (const std::string &s : trickyStrings()) {
            if (s.find('\0') == std::string::npos) { // not representable once Python prints it as JSON
                std::string key = "s"; // appended, not operator+: GCC 12 -Wrestrict false positive
                key += std::to_string(i++);
                doc[key] = s;
            }
        }
        doc["numbers"] = {1, 1.0, 0.1, 1e20, 1e-7, -3};
        QProcess python;
        python.start(QStringLiteral(PW_PYTHON),
                     {"-c", "import sys, json, yaml\n"
                            "print(json.dumps(yaml.safe_load(sys.stdin.buffer.read().decode('utf-8'))))"});
        if (!python.waitForStarted())
            QSKIP("no Python interpreter");
        python.write(QByteArray::fromStdString(pw::jsonToYaml(doc)));
        python.closeWriteChannel();
        QVERIFY(python.waitForFinished(30000));
        if (python.exitCode() != 0 && python.readAllStandardError().contains("No module named 'yaml'"))
            QSKIP("PyYAML is not installed");
        QCOMPARE(python.exitCode(), 0);
        const auto diffs = pw::kfpDiff(doc, json::parse(python.readAllStandardOutput().toStdString()));
        QVERIFY2(diffs.empty(), joined(diffs).c_str());
    }

    void malformedYamlIsLocated_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::newRow("unclosed flow list") << QByteArray("a: 1\nb: [1, 2\nc: d\n") << 3;
        QTest::newRow("bad indentation") << QByteArray("a:\n  b: 1\n c: 2\n") << 3;
        QTest::newRow("tab indentation") << QByteArray("a:\n\tb: 1\n") << 2;
        QTest::newRow("unclosed flow map") << QByteArray("x: {a: 1\n") << 2;
    }

    void malformedYamlIsLocated()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        const auto result = pw::parseYamlDocuments(yaml.toStdString(), "broken.yaml");
        QVERIFY(!result.ok());
        QCOMPARE(result.error().where.file, std::string("broken.yaml"));
        QCOMPARE(result.error().where.line, line);
        QVERIFY(result.error().where.column > 0);
        QVERIFY(!result.error().message.empty());
        QVERIFY(result.error().toString().starts_with("broken.yaml:" + std::to_string(line) + ":"));
    }

    void multipleDocuments()
    {
        const auto docs = pw::parseYamlDocuments("a: 1\n---\nb: 2\n", "two.yaml");
        QVERIFY(docs.ok());
        QCOMPARE(docs->size(), size_t(2));
        QCOMPARE(pw::yamlToJson((*docs)[1]), json({{"b", 2}}));
    }

    void errorText()
    {
        pw::Error located{"bad value", {"p.yaml", 3, 7, "root.dag", ""}};
        QCOMPARE(located.toString(), std::string("p.yaml:3:7: error: bad value (field: root.dag)"));
        QCOMPARE((pw::Error{"boom", {}}.toString()), std::string("error: boom"));
        QCOMPARE((pw::Location{"p.yaml", 3, 0, "", ""}.toString()), std::string("p.yaml:3"));
        QCOMPARE((pw::Location{"p.yaml", 0, 5, "", ""}.toString()), std::string("p.yaml"));
        pw::Error inTask{"no image", {"", 0, 0, "image", "train"}};
        QCOMPARE(inTask.toString(), std::string("error: no image (task: train, field: image)"));
    }

    void readTextFileReportsMissingFile()
    {
        const auto result = pw::readTextFile("/nonexistent/dir/file.yaml");
        QVERIFY(!result.ok());
        QCOMPARE(result.error().where.file, std::string("/nonexistent/dir/file.yaml"));
    }
};

QTEST_GUILESS_MAIN(TestYamlJson)
#include "tst_yamljson.moc"
