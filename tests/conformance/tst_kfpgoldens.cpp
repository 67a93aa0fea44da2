// SPDX-License-Identifier: Apache-2.0
// Every PipelineSpec compiled by the KFP SDK imports into a pipeline model,
// and compiling that model back gives the same spec under KFP's comparison
// rules (ignoring sdkVersion, container image and command).
#include "kfproundtrip.h"
#include "testdata.h"

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
    std::string report;
    for (const auto &d : pw::test::importAndLowerDiffs(path))
        report += "\n  " + d;
    QVERIFY2(report.empty(), report.c_str());
}

QTEST_GUILESS_MAIN(TestKfpGoldens)
#include "tst_kfpgoldens.moc"
