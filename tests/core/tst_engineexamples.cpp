// SPDX-License-Identifier: Apache-2.0
// The bundled examples run end to end with only python3: TFX-style training
// produces metrics, a confusion matrix and a ROC curve; the daily batch
// prediction writes the partition of the run's date in Asia/Tokyo and posts
// the final status from its exit handler to a real webhook on loopback.
#include "enginefixture.h"
#include "report/runreport.h"
#include "testdata.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTest>
#include <QTimeZone>

#include <set>

using namespace pw;
using namespace pw::test;

class TestEngineExamples final : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(m_fx.ok()); }

    void tfxTraining()
    {
        auto run = m_fx.run(resourcesPath("examples/tfx-training.pipewright.yaml"),
                            {{"data_path", resourcesPath("examples/data/credit_default.csv").toStdString()},
                             {"serving_dir", m_fx.path("serving/credit-default").toStdString()}});
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
        QCOMPARE(stateText(run->state), QString("succeeded"));
        std::map<std::string, double> metrics;
        for (const MetricRecord &m : run->metrics)
            if (m.task == "evaluator")
                metrics[m.name] = m.value;
        QVERIFY(metrics.count("auc") && metrics.count("accuracy") && metrics.count("log_loss"));
        QVERIFY2(metrics["auc"] > 0.7 && metrics["auc"] <= 1.0, qPrintable(QString::number(metrics["auc"])));
        std::set<std::string> kinds;
        for (const ArtifactRecord &a : run->artifacts)
            if (a.task == "evaluator" && !a.visualization.empty())
                kinds.insert(a.visualization);
        QVERIFY(kinds.count("confusion_matrix") && kinds.count("roc") && kinds.count("metrics") &&
                kinds.count("markdown"));
        QCOMPARE(stateText(run->task("if-blessed/pusher")->state), QString("succeeded"));
        QVERIFY(!QDir(m_fx.path("serving/credit-default")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());

        const std::string html = renderRunReport(*run);
        for (const char *needle : {"<svg", "Confusion matrix", "ROC curve", "AUC ", "<table"})
            QVERIFY2(html.find(needle) != std::string::npos, needle);
        QVERIFY(html.find("<script") == std::string::npos);
        const std::string fragment = renderTaskVisualizations(*run, "evaluator");
        QVERIFY(fragment.find("<svg") != std::string::npos);
    }

    void dailyBatchPrediction()
    {
        const QString model = m_fx.path("serving/credit-default");
        if (!QFile::exists(model))
            QSKIP("needs the model tfxTraining pushes");
        QProcess webhook;
        webhook.start(PW_PYTHON, {testDataPath("engine/webhook_recorder.py"), m_fx.path("posts")});
        QVERIFY(webhook.waitForReadyRead(10000));
        const QString port = QString::fromUtf8(webhook.readLine()).trimmed();
        auto run = m_fx.run(resourcesPath("examples/daily-batch-prediction.pipewright.yaml"),
                            {{"warehouse_dir", resourcesPath("examples/data/warehouse").toStdString()},
                             {"on_missing_partition", "latest"},
                             {"require_warehouse_credentials", "false"},
                             {"model_path", model.toStdString()},
                             {"output_root", m_fx.path("output/credit_scores").toStdString()},
                             {"webhook_url", "http://127.0.0.1:" + port.toStdString() + "/hook"}});
        webhook.kill();
        webhook.waitForFinished();
        QVERIFY2(run.ok(), run.ok() ? "" : run.error().message.c_str());
        QCOMPARE(stateText(run->state), QString("succeeded"));

        // The partition is the run's creation date in Asia/Tokyo, computed when it ran.
        const QString day = QDateTime::fromMSecsSinceEpoch(run->createdMs)
                                .toTimeZone(QTimeZone("Asia/Tokyo"))
                                .toString("yyyyMMdd");
        const QString written = m_fx.path("output/credit_scores/dt=" + day + "/part-00000.csv");
        QVERIFY2(QFile::exists(written), qPrintable(written));
        QCOMPARE(QString::fromStdString(run->task("daily-scoring/write")->outputs["parameters"]["written_path"]),
                 written);

        const TaskRecord *notify = run->task("notify");
        QVERIFY(notify);
        QCOMPARE(stateText(notify->state), QString("succeeded"));
        const auto post = nlohmann::json::parse(readText(m_fx.path("posts")).toStdString(), nullptr, false);
        QVERIFY2(post.is_object(), qPrintable(readText(m_fx.path("posts"))));
        QCOMPARE(post["status"].get<std::string>(), std::string("SUCCEEDED"));
        QCOMPARE(post["run"].get<std::string>(), run->id);
    }

private:
    EngineFixture m_fx;
};

QTEST_GUILESS_MAIN(TestEngineExamples)
#include "tst_engineexamples.moc"
