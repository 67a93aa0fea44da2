// SPDX-License-Identifier: Apache-2.0
// The `pipewright` binary as CI uses it: real processes, real files.
#include "cliprocess.h"
#include "kfpcompare.h"
#include "testdata.h"

#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = pw::test::CliOutcome;

Run pipewright(const QStringList &args) { return pw::test::runPipewright(args, {}, QProcessEnvironment::systemEnvironment(), 60000); }

QString validatorScript()
{
    return QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/validate_argo.py");
}

} // namespace

class TestCli final : public QObject {
    Q_OBJECT
private slots:
    void version();
    void malformed_data();
    void malformed();
    void v1ComponentsCompileToEveryTarget();
    void importThenCompileGivesTheGolden();
    void paramOverrides();
    void outputFileIsWrittenWhole();
};

void TestCli::version()
{
    const Run r = pipewright({"--version"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith("pipewright "));
}

void TestCli::malformed_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("command");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("mentions");
    // line 0: the message must be located, but the exact line is not pinned.
    QTest::newRow("truncated document") << "truncated.pipewright.yaml" << "validate" << 8 << "";
    QTest::newRow("truncated PipelineSpec") << "truncated-spec.yaml" << "compile" << 11 << "";
    QTest::newRow("wrong type") << "wrong-type.component.yaml" << "validate" << 3 << "inputs";
    QTest::newRow("unknown placeholder") << "unknown-placeholder.component.yaml" << "compile" << 9 << "inputFoo";
    QTest::newRow("cycle") << "cycle.pipewright.yaml" << "compile" << 0 << "cycle";
    QTest::newRow("missing required input") << "missing-input.pipewright.yaml" << "validate" << 0 << "text";
}

void TestCli::malformed()
{
    QFETCH(QString, file);
    QFETCH(QString, command);
    QFETCH(int, line);
    QFETCH(QString, mentions);
    const QString path = pw::test::testDataPath("cli/" + file);
    QStringList args{command, path};
    if (command == "compile")
        args << "--target" << "argo";
    const Run r = pipewright(args);
    QCOMPARE(r.code, 1);
    QVERIFY2(r.out.isEmpty(), qPrintable(r.out));
    // FILE:LINE:COL: error: message
    const QRegularExpression located("^" + QRegularExpression::escape(path) + ":(\\d+):(\\d+): error: (.+)$",
                                     QRegularExpression::MultilineOption);
    const auto m = located.match(r.err);
    QVERIFY2(m.hasMatch(), qPrintable("not located: " + r.err));
    if (line > 0)
        QCOMPARE(m.captured(1).toInt(), line);
    if (!mentions.isEmpty())
        QVERIFY2(m.captured(3).contains(mentions, Qt::CaseInsensitive), qPrintable(r.err));
}

void TestCli::v1ComponentsCompileToEveryTarget()
{
    QTemporaryDir dir;
    QStringList argoFiles;
    const QStringList components = pw::test::filesIn(pw::test::referencePath("kfp-v1-components"), "*.yaml");
    QVERIFY(components.size() >= 10);
    for (const QString &c : components) {
        const QString base = dir.filePath(QFileInfo(c).completeBaseName());
        for (const char *target : {"pipelinespec", "argo", "vertex"}) {
            const QString out = base + "." + target;
            QStringList args{"compile", c, "--target", target, "-o", out};
            if (QString(target) == "vertex")
                args << "--output-dir" << "gs://bucket/root";
            const Run r = pipewright(args);
            QVERIFY2(r.code == 0, qPrintable(c + " -> " + target + ": " + r.err));
            QVERIFY(QFileInfo(out).size() > 0);
            if (QString(target) == "argo")
                argoFiles << out;
        }
    }
    QProcess py;
    py.start(QStringLiteral(PW_PYTHON),
             QStringList{validatorScript(), pw::test::referencePath("argo/workflow.schema.json")} + argoFiles);
    QVERIFY(py.waitForFinished(120000));
    if (py.exitCode() == 77)
        QSKIP("python3 lacks jsonschema/PyYAML (scripts/pipewright.sh installs them)");
    QVERIFY2(py.exitCode() == 0, py.readAllStandardOutput().constData());
}

void TestCli::importThenCompileGivesTheGolden()
{
    QTemporaryDir dir;
    const QString golden = pw::test::referencePath("kfp-v2-goldens/essential_pipeline_with_condition.yaml");
    const QString doc = dir.filePath("imported.pipewright.yaml");
    Run r = pipewright({"import", golden, "-o", doc});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const QString spec = dir.filePath("spec.yaml");
    r = pipewright({"compile", doc, "--target", "pipelinespec", "-o", spec});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto diffs = pw::kfpDiff(pw::loadYamlDocsAsJson(golden), pw::loadYamlDocsAsJson(spec));
    std::string report;
    for (const auto &d : diffs)
        report += "\n  " + d;
    QVERIFY2(diffs.empty(), report.c_str());
}

void TestCli::paramOverrides()
{
    const QString golden = pw::test::referencePath("kfp-v2-goldens/two_step_pipeline.yaml");
    Run r = pipewright({"compile", golden, "--target", "vertex", "--param", "text=Bonjour", "--output-dir",
                        "gs://bucket/root"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains("\"text\": \"Bonjour\""), qPrintable(r.out));
    r = pipewright({"compile", golden, "--target", "argo", "--param", "nosuch=1"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("nosuch"), qPrintable(r.err));
    r = pipewright({"compile", golden, "--target", "argo", "--param", "novalue"});
    QCOMPARE(r.code, 2);
}

void TestCli::outputFileIsWrittenWhole()
{
    // A failed compile must not clobber an existing output file.
    QTemporaryDir dir;
    const QString out = dir.filePath("out.yaml");
    QFile f(out);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("previous contents\n");
    f.close();
    const Run r = pipewright({"compile", pw::test::testDataPath("cli/cycle.pipewright.yaml"), "-o", out});
    QCOMPARE(r.code, 1);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("previous contents\n"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
