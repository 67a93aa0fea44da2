// SPDX-License-Identifier: Apache-2.0
// Every PipelineSpec compiled by the KFP SDK imports into a pipeline model,
// and compiling that model back gives the same spec under KFP's comparison
// rules (ignoring sdkVersion, container image and command).
#include "compiler/lower.h"
#include "compiler/raise.h"
#include "ir/pipelinespecio.h"
#include "kfpcompare.h"
#include "testdata.h"
#include "util/yamljson.h"

#include <QFileInfo>
#include <QtTest>

class TestKfpGoldens final : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data();
    void roundTrip();
};

void TestKfpGoldens::roundTrip_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = pw::test::filesIn(pw::test::referencePath("kfp-v2-goldens"), "*.yaml");
    QVERIFY(files.size() >= 27);
    for (const QString &f : files)
        QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

void TestKfpGoldens::roundTrip()
{
    QFETCH(QString, path);
    auto text = pw::readTextFile(path.toStdString());
    QVERIFY(text.ok());
    auto spec = pw::ir::readPipelineSpec(*text, path.toStdString());
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().toString().c_str());

    auto model = pw::raisePipelineSpec(*spec, path.toStdString());
    QVERIFY2(model.ok(), model.ok() ? "" : model.error().toString().c_str());

    pw::LowerOptions options;
    options.sdkVersion = spec->sdkVersion;
    auto lowered = pw::lowerPipeline(*model, options);
    QVERIFY2(lowered.ok(), lowered.ok() ? "" : lowered.error().toString().c_str());

    nlohmann::json actual = nlohmann::json::array({pw::ir::pipelineSpecToJson(*lowered)});
    if (auto platform = pw::ir::platformSpecToJson(*lowered); !platform.is_null())
        actual.push_back(platform);
    const nlohmann::json golden = pw::loadYamlDocsAsJson(path);
    const auto diffs = pw::kfpDiff(golden, actual);
    std::string report;
    for (const auto &d : diffs)
        report += "\n  " + d;
    QVERIFY2(diffs.empty(), report.c_str());
}

QTEST_GUILESS_MAIN(TestKfpGoldens)
#include "tst_kfpgoldens.moc"
