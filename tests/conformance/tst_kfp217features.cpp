// SPDX-License-Identifier: Apache-2.0
// What pipelines compiled by the current KFP SDK (2.17) use, one small
// PipelineSpec per feature under tests/data/kfp217: each imports into a
// pipeline model and compiles back equal under the golden test's rules, both
// in process and through the CLI's import (to a Pipewright document) and
// compile. Files under tests/data/kfp217/malformed hold a field KFP's parser
// refuses; importing one is an error that names file, line and field.
#include "cliprocess.h"
#include "enginefixture.h"
#include "kfpcompare.h"
#include "kfproundtrip.h"
#include "testdata.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

namespace {

using Run = pw::test::CliOutcome;

Run pipewright(const QStringList &args)
{
    return pw::test::runPipewright(args);
}

std::string joined(const std::vector<std::string> &diffs)
{
    std::string report;
    for (const auto &d : diffs)
        report += "\n  " + d;
    return report;
}

void addFeatureRows()
{
    QTest::addColumn<QString>("path");
    const QStringList files = pw::test::filesIn(pw::test::testDataPath("kfp217"), "*.yaml");
    QVERIFY(files.size() >= 1);
    for (const QString &f : files)
        QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

} // namespace

class TestKfp217Features final : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() { addFeatureRows(); }
    void roundTrip();
    void importThenCompile_data() { addFeatureRows(); }
    void importThenCompile();
    void unknownFieldIsLocated_data();
    void unknownFieldIsLocated();
    void afterTheGroupThatHoldsItIsRefused();
    void argoSaysWhatItDoesNotCarry();
    void runsOnTheLocalEngine_data();
    void runsOnTheLocalEngine();
};

void TestKfp217Features::roundTrip()
{
    QFETCH(QString, path);
    const auto diffs = pw::test::importAndLowerDiffs(path);
    QVERIFY2(diffs.empty(), joined(diffs).c_str());
}

// As a user does it: import to a document, validate it, compile the document.
void TestKfp217Features::importThenCompile()
{
    QFETCH(QString, path);
    QTemporaryDir dir;
    const QString doc = dir.filePath("imported.pipewright.yaml");
    Run r = pipewright({"import", path, "-o", doc});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    r = pipewright({"validate", doc});
    QVERIFY2(r.code == 0, qPrintable(r.all()));
    const QString spec = dir.filePath("spec.yaml");
    r = pipewright({"compile", doc, "--target", "pipelinespec", "-o", spec});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto diffs = pw::kfpDiff(pw::loadYamlDocsAsJson(path), pw::loadYamlDocsAsJson(spec));
    QVERIFY2(diffs.empty(), joined(diffs).c_str());
}

void TestKfp217Features::unknownFieldIsLocated_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("hint");
    QTest::newRow("platform secretAsEnvv") << "secret_as_envv.yaml" << 92 << "secretAsEnvv"
                                           << "secretAsEnv";
    QTest::newRow("inside a kept volume") << "ephemeral_volume_typo.yaml" << 70 << "storageClassNam"
                                          << "storageClassName";
    QTest::newRow("task option") << "caching_typo.yaml" << 35 << "enableCahce"
                                 << "enableCache";
    QTest::newRow("component input") << "input_typo.yaml" << 11 << "descripton"
                                     << "description";
    QTest::newRow("workspace config") << "workspace_typo.yaml" << 95 << "sise"
                                      << "size";
}

// Import, validate and compile all refuse the file at the misspelt field.
void TestKfp217Features::unknownFieldIsLocated()
{
    QFETCH(QString, file);
    QFETCH(int, line);
    QFETCH(QString, field);
    QFETCH(QString, hint);
    const QString path = pw::test::testDataPath("kfp217/malformed/" + file);
    for (const char *command : {"import", "validate", "compile"}) {
        const Run r = pipewright({command, path});
        QCOMPARE(r.code, 1);
        const QString where = path + ':' + QString::number(line) + ':';
        QVERIFY2(r.err.contains(where), qPrintable(command + (": " + r.err)));
        QVERIFY2(r.err.contains("unknown field '" + field + "'"), qPrintable(r.err));
        QVERIFY2(r.err.contains("did you mean '" + hint + "'"), qPrintable(r.err));
    }
}

// .after() may name a loop or condition group, but not one the task is in.
void TestKfp217Features::afterTheGroupThatHoldsItIsRefused()
{
    const QString path = pw::test::testDataPath("kfp217/documents/after_own_group.pipewright.yaml");
    const Run r = pipewright({"validate", path});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains(path + ":17:"), qPrintable(r.err));
    QVERIFY2(r.err.contains("runs after group 'for-loop-1', which holds it"), qPrintable(r.err));
}

// Kept fields have no Argo form; compiling to Argo works and says they are left out.
void TestKfp217Features::argoSaysWhatItDoesNotCarry()
{
    const QString path = pw::test::testDataPath("kfp217/kubernetes_unmodelled_fields.yaml");
    const Run r = pipewright({"compile", path, "--target", "argo"});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.err.contains("warning: 7 KFP field(s) kept from the imported PipelineSpec"),
             qPrintable(r.err));
    QVERIFY2(r.err.contains("emptyDirMounts"), qPrintable(r.err));
}

// The specs whose commands exist on any machine (sh, echo, cat) run as local
// processes; the others name programs of their made-up images.
void TestKfp217Features::runsOnTheLocalEngine_data()
{
    QTest::addColumn<QString>("file");
    for (const char *file :
         {"after_groups.yaml", "collected_from_condition_in_loop.yaml", "fstring_task_argument.yaml",
          "artifact_list_fan_in.yaml", "artifact_list_loop.yaml", "nested_loops_subvars.yaml",
          "oneof_artifacts.yaml", "pipeline_as_exit_task.yaml", "resources_from_task_outputs.yaml"})
        QTest::newRow(file) << QString::fromLatin1(file);
}

void TestKfp217Features::runsOnTheLocalEngine()
{
    QFETCH(QString, file);
    pw::test::EngineFixture fixture;
    QVERIFY(fixture.ok());
    auto run = fixture.run(pw::test::testDataPath("kfp217/" + file));
    QVERIFY2(run.ok(), run.ok() ? "" : run.error().toString().c_str());
    std::string failed;
    for (const auto &task : run->tasks)
        if (task.state != pw::TaskState::Succeeded && task.state != pw::TaskState::Skipped)
            failed += "\n  " + task.id + ": " + std::string(pw::toString(task.state));
    QVERIFY2(failed.empty(), failed.c_str());
    QCOMPARE(pw::test::stateText(run->state), QString("succeeded"));
    if (file == "collected_from_condition_in_loop.yaml") // items 2 and 3 pass the condition
        QCOMPARE(nlohmann::json::parse(run->task("total")->outputs["parameters"]["Output"].dump()).dump(),
                 std::string("[4,9]"));
    if (file == "fstring_task_argument.yaml") // one string, several placeholders, filled in
        QCOMPARE(run->task("announce")->inputs["parameters"]["message"].get<std::string>(),
                 std::string("release 1.4.2 to prod-prod"));
    if (file == "artifact_list_fan_in.yaml") {
        // {{$.inputs.artifacts['shards']}} gave the merge step every shard of the loop, as a JSON list.
        const auto merged =
            run->task("merge-shards")->outputs["artifacts"]["merged"][0]["path"].get<std::string>();
        const auto shards =
            nlohmann::json::parse(pw::test::readText(QString::fromStdString(merged)).toStdString());
        QCOMPARE(shards.size(), std::size_t(3));
        for (const auto &shard : shards)
            QCOMPARE(
                pw::test::readText(QString::fromStdString(shard["path"].get<std::string>())).trimmed().size(),
                1);
    }
}

QTEST_GUILESS_MAIN(TestKfp217Features)
#include "tst_kfp217features.moc"
