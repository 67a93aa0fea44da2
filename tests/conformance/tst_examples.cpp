// SPDX-License-Identifier: Apache-2.0
// The shipped example pipelines and the built-in component library: every
// file loads, validates and compiles to every target; the daily batch example
// computes its run date when the run starts; and the training components do
// real ML on the example data set when run as plain processes.
#include "compiler/lower.h"
#include "formats/componentloader.h"
#include "formats/pipelineloader.h"
#include "ir/pipelinespecio.h"
#include "targets/argowriter.h"
#include "targets/argoyaml.h"
#include "targets/vertexwriter.h"
#include "testdata.h"
#include "validate/validator.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimeZone>
#include <QtTest>

#include <algorithm>
#include <map>

namespace {

QString problemsText(const std::vector<pw::Problem> &problems)
{
    QString text;
    for (const pw::Problem &p : problems)
        text += QStringLiteral("\n  ") + QString::fromStdString(p.toString());
    return text;
}

// A date written into the compiled output would be frozen at compile time.
// Go's reference time (2006-01-02) is a layout for Argo's sprig functions, not a date.
QString findDateLiteral(QString text)
{
    static const QRegularExpression date(
        QStringLiteral(R"((?<![0-9])20[0-9]{2}-?(0[1-9]|1[0-2])-?(0[1-9]|[12][0-9]|3[01])(?![0-9]))"));
    text.remove(QStringLiteral("20060102")).remove(QStringLiteral("2006-01-02"));
    return date.match(text).captured();
}

struct Compiled {
    QString pipelineSpec;
    QString argo;
    QString vertex;
};

// The same steps as `pipewright compile --target ...`.
Compiled compileAll(const pw::Pipeline &pipeline)
{
    Compiled out;
    auto spec = pw::lowerPipeline(pipeline);
    if (!spec.ok()) {
        QTest::qFail(spec.error().toString().c_str(), __FILE__, __LINE__);
        return out;
    }
    out.pipelineSpec = QString::fromStdString(pw::ir::writePipelineSpecYaml(*spec));

    pw::VertexOptions vertexOptions;
    vertexOptions.serviceAccount = pipeline.serviceAccount;
    vertexOptions.labels = pipeline.labels;
    vertexOptions.gcsOutputDirectory = pipeline.pipelineRoot;
    auto job = pw::vertexPipelineJob(*spec, vertexOptions);
    if (!job.ok()) {
        QTest::qFail(job.error().toString().c_str(), __FILE__, __LINE__);
        return out;
    }
    out.vertex = QString::fromStdString(job->dump(2));

    pw::LowerOptions argoLowering;
    argoLowering.nativeRunTimeFormatting = true;
    auto argoSpec = pw::lowerPipeline(pipeline, argoLowering);
    if (!argoSpec.ok()) {
        QTest::qFail(argoSpec.error().toString().c_str(), __FILE__, __LINE__);
        return out;
    }
    auto workflow = pw::argoWorkflow(*argoSpec);
    if (!workflow.ok()) {
        QTest::qFail(workflow.error().toString().c_str(), __FILE__, __LINE__);
        return out;
    }
    out.argo = QString::fromStdString(pw::argoWorkflowYaml(*workflow));
    return out;
}

// ------------------------------------------------------------ process harness

// Runs a component.yaml's container command as a local process, the way a
// container runtime would: placeholders become values or file paths, outputs
// go to fresh paths under `workDir`. Returns output name -> path.
class ComponentRunner final {
public:
    explicit ComponentRunner(QString workDir) : m_workDir(std::move(workDir)) {}

    bool run(const QString &componentFile, const std::map<std::string, QString> &inputs,
             std::map<std::string, QString> &outputs)
    {
        auto component = pw::loadComponentFile(componentFile.toStdString());
        if (!component.ok()) {
            qWarning("%s", component.error().toString().c_str());
            return false;
        }
        m_component = &*component;
        m_inputs = inputs;
        for (const pw::PortSpec &port : component->inputs) {
            if (!m_inputs.count(port.name) && port.defaultValue)
                m_inputs[port.name] = port.defaultValue->is_string()
                                          ? QString::fromStdString(port.defaultValue->get<std::string>())
                                          : QString::fromStdString(port.defaultValue->dump());
        }
        m_outputs.clear();
        QStringList argv;
        for (const auto *list : {&component->container.command, &component->container.args}) {
            for (const pw::CommandArg &arg : *list) {
                if (!expand(arg, argv))
                    return false;
            }
        }
        if (argv.size() < 2 || argv.front() != QLatin1String("python3")) {
            qWarning("%s: expected a python3 command", qPrintable(componentFile));
            return false;
        }
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(pythonExecutable(), argv.mid(1));
        const bool finished = process.waitForFinished(10 * 60 * 1000);
        const QByteArray log = process.readAll();
        if (!finished || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
            qWarning("%s failed (exit code %d):\n%s", component->name.c_str(), process.exitCode(),
                     log.constData());
            return false;
        }
        outputs = m_outputs;
        return true;
    }

    static QString pythonExecutable()
    {
        const QString configured = QStringLiteral(PW_PYTHON);
        return configured.isEmpty() ? QStringLiteral("python3") : configured;
    }

private:
    bool expand(const pw::CommandArg &arg, QStringList &argv)
    {
        using Kind = pw::CommandArg::Kind;
        switch (arg.kind) {
        case Kind::Literal:
            argv << QString::fromStdString(arg.text);
            return true;
        case Kind::InputValue:
        case Kind::InputPath:
            if (!m_inputs.count(arg.name)) {
                qWarning("no value for input '%s'", arg.name.c_str());
                return false;
            }
            argv << m_inputs.at(arg.name);
            return true;
        case Kind::OutputPath: {
            // Components must create the parent folders themselves.
            const QString folder = QString::fromStdString(m_component->name + "/" + arg.name)
                                       .replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9/]+")), "_");
            m_outputs[arg.name] = QDir(m_workDir).filePath(folder + "/data");
            argv << m_outputs[arg.name];
            return true;
        }
        case Kind::IfPresent: {
            for (const pw::CommandArg &item : m_inputs.count(arg.name) ? arg.thenArgs : arg.elseArgs) {
                if (!expand(item, argv))
                    return false;
            }
            return true;
        }
        case Kind::Concat: {
            QStringList parts;
            for (const pw::CommandArg &item : arg.items) {
                if (!expand(item, parts))
                    return false;
            }
            argv << parts.join(QString());
            return true;
        }
        default:
            qWarning("the harness does not support placeholder kind %d", int(arg.kind));
            return false;
        }
    }

    QString m_workDir;
    const pw::Component *m_component = nullptr;
    std::map<std::string, QString> m_inputs;
    std::map<std::string, QString> m_outputs;
};

QJsonObject readJsonObject(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList readLines(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    return QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

QString component(const QString &relative)
{
    return pw::test::resourcesPath(QStringLiteral("components/") + relative);
}

} // namespace

class TestExamples final : public QObject {
    Q_OBJECT
private slots:
    void examples_data();
    void examples();
    void dailyBatchRunDateIsRunTime();
    void argoMetricsUseKfpV1Names();
    void retryDurationsAreProtobufSeconds();
    void components_data();
    void components();
    void trainEvaluatePushAndScore();
};

void TestExamples::examples_data()
{
    QTest::addColumn<QString>("path");
    const QStringList files = pw::test::filesIn(pw::test::resourcesPath("examples"), "*.pipewright.yaml");
    QVERIFY(files.size() >= 3);
    for (const QString &f : files)
        QTest::newRow(qPrintable(QFileInfo(f).fileName())) << f;
}

void TestExamples::examples()
{
    QFETCH(QString, path);
    auto pipeline = pw::loadPipelineFile(path.toStdString());
    QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().toString().c_str());
    const auto problems = pw::validatePipeline(*pipeline);
    QVERIFY2(!pw::hasErrors(problems), qPrintable(problemsText(problems)));
    if (!problems.empty())
        qInfo("%s", qPrintable(problemsText(problems)));

    const Compiled out = compileAll(*pipeline);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(!out.pipelineSpec.isEmpty());
    QVERIFY(out.pipelineSpec.contains(QStringLiteral("schemaVersion: 2.1.0")));
    QVERIFY(out.argo.contains(QStringLiteral("kind: Workflow")));
    QVERIFY(out.vertex.contains(QStringLiteral("\"pipelineSpec\"")));
}

// A KFP v1 backend only shows metrics and visualizations from artifacts named
// exactly mlpipeline-metrics and mlpipeline-ui-metadata.
void TestExamples::argoMetricsUseKfpV1Names()
{
    const QString path = pw::test::resourcesPath("examples/tfx-training.pipewright.yaml");
    auto pipeline = pw::loadPipelineFile(path.toStdString());
    QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().toString().c_str());
    const Compiled out = compileAll(*pipeline);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(out.argo.contains(QStringLiteral("- name: mlpipeline-metrics\n")));
    QVERIFY(out.argo.contains(QStringLiteral("- name: mlpipeline-ui-metadata\n")));
    QVERIFY(!out.argo.contains(QStringLiteral("mlpipeline_metrics")));
}

// KFP's parser takes a retry policy's durations as protobuf Durations
// (seconds): the document's "5m" is written "300s", as the KFP SDK does.
void TestExamples::retryDurationsAreProtobufSeconds()
{
    const QString path = pw::test::resourcesPath("examples/vertex-etl-training.pipewright.yaml");
    auto pipeline = pw::loadPipelineFile(path.toStdString());
    QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().toString().c_str());
    const Compiled out = compileAll(*pipeline);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(out.vertex.contains(QStringLiteral("\"backoffMaxDuration\": \"300s\"")), qPrintable(out.vertex));
    QVERIFY(out.vertex.contains(QStringLiteral("\"backoffDuration\": \"30s\"")));
    QVERIFY(!out.vertex.contains(QStringLiteral("\"5m\"")));
    QVERIFY(out.pipelineSpec.contains(QStringLiteral("backoffMaxDuration: 300s")));
}

void TestExamples::dailyBatchRunDateIsRunTime()
{
    const QString path = pw::test::resourcesPath("examples/daily-batch-prediction.pipewright.yaml");
    auto pipeline = pw::loadPipelineFile(path.toStdString());
    QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().toString().c_str());
    const Compiled out = compileAll(*pipeline);
    if (QTest::currentTestFailed())
        return;

    // PipelineSpec has no placeholder for a formatted, zoned time: a helper
    // step formats the run's creation time when the run starts.
    const QString &spec = out.pipelineSpec;
    QVERIFY(spec.contains(QStringLiteral("format-run-time")));
    QVERIFY(spec.contains(QStringLiteral("{{$.pipeline_job_create_time_utc}}")));
    QVERIFY(spec.contains(QStringLiteral("Asia/Tokyo")));
    QVERIFY(spec.contains(QStringLiteral("%Y%m%d")));
    QVERIFY2(findDateLiteral(spec).isEmpty(), qPrintable(findDateLiteral(spec)));

    // Argo formats it natively from the workflow's creation timestamp.
    const QString &argo = out.argo;
    QVERIFY2(argo.contains(QStringLiteral("{{=")) ||
                 argo.contains(QStringLiteral("{{workflow.creationTimestamp")),
             "the Argo workflow computes the run date with neither an expression nor creationTimestamp");
    QVERIFY(!argo.contains(QStringLiteral("format-run-time")));
    QVERIFY2(findDateLiteral(argo).isEmpty(), qPrintable(findDateLiteral(argo)));

    // Compiling today must not bake today in.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QDateTime &t : {now, now.toTimeZone(QTimeZone("Asia/Tokyo"))}) {
        const QString day = t.toString(QStringLiteral("yyyyMMdd"));
        QVERIFY(!spec.contains(day));
        QVERIFY(!argo.contains(day));
        QVERIFY(!out.vertex.contains(day));
    }
}

void TestExamples::components_data()
{
    QTest::addColumn<QString>("path");
    const QString root = pw::test::resourcesPath("components");
    QStringList files;
    QDirIterator it(root, {QStringLiteral("*.component.yaml")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    QVERIFY(files.size() >= 10);
    for (const QString &f : files)
        QTest::newRow(qPrintable(QDir(root).relativeFilePath(f))) << f;
}

void TestExamples::components()
{
    QFETCH(QString, path);
    auto component = pw::loadComponentFile(path.toStdString());
    QVERIFY2(component.ok(), component.ok() ? "" : component.error().toString().c_str());
    // The library panel groups components by this annotation; the folder says the same.
    const auto category = component->annotations.find("pipewright.dev/category");
    QVERIFY(category != component->annotations.end());
    QCOMPARE(QString::fromStdString(category->second).toLower(), QFileInfo(path).dir().dirName());
    QCOMPARE(component->container.image, std::string("python:3.11-slim"));
    QVERIFY(!component->description.empty());

    auto pipeline = pw::loadPipelineFile(path.toStdString());
    QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().toString().c_str());
    const auto problems = pw::validatePipeline(*pipeline);
    QVERIFY2(!pw::hasErrors(problems), qPrintable(problemsText(problems)));

    auto spec = pw::lowerPipeline(*pipeline);
    QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().toString().c_str());
    QVERIFY(!pw::ir::writePipelineSpecYaml(*spec).empty());

    // A final-status input only has a value in an exit task; alone, the
    // component cannot run on Argo. The daily batch example compiles it there.
    const bool needsExitHandler =
        std::any_of(component->inputs.begin(), component->inputs.end(), [](const pw::PortSpec &p) {
            return p.type.isParameter() && p.type.parameter == pw::ParameterType::TaskFinalStatus;
        });
    auto workflow = pw::argoWorkflow(*spec);
    if (needsExitHandler)
        QEXPECT_FAIL("", "a final-status input is only bound inside an exit handler", Abort);
    QVERIFY2(workflow.ok(), workflow.ok() ? "" : workflow.error().toString().c_str());
    QVERIFY(!pw::argoWorkflowYaml(*workflow).empty());
}

void TestExamples::trainEvaluatePushAndScore()
{
    QProcess probe;
    probe.start(ComponentRunner::pythonExecutable(), {QStringLiteral("--version")});
    if (!probe.waitForFinished(60000) || probe.exitCode() != 0)
        QSKIP("python3 is not available");

    QTemporaryDir work;
    QVERIFY(work.isValid());
    ComponentRunner runner(work.path());
    const QString data = pw::test::resourcesPath("examples/data/credit_default.csv");
    std::map<std::string, QString> split, stats, schema, transform, trainer, evaluator, pusher, extract,
        scores;

    QVERIFY(runner.run(component("data/csv-example-gen.component.yaml"), {{"input_path", data}}, split));
    QVERIFY(
        runner.run(component("data/statistics-gen.component.yaml"), {{"examples", split["train"]}}, stats));
    QVERIFY(runner.run(component("data/schema-gen.component.yaml"), {{"statistics", stats["statistics"]}},
                       schema));
    QVERIFY(runner.run(component("data/transform.component.yaml"),
                       {{"train", split["train"]},
                        {"eval", split["eval"]},
                        {"schema", schema["schema"]},
                        {"label_column", QStringLiteral("default")}},
                       transform));
    QVERIFY(runner.run(component("training/trainer.component.yaml"),
                       {{"transformed_train", transform["transformed_train"]},
                        {"transformed_eval", transform["transformed_eval"]},
                        {"transform_graph", transform["transform_graph"]}},
                       trainer));
    QVERIFY(runner.run(component("evaluation/evaluator.component.yaml"),
                       {{"model", trainer["model"]}, {"examples", split["eval"]}}, evaluator));

    // KFP v1 metrics file. The component names its outputs "MLPipeline
    // Metrics" and "MLPipeline UI Metadata", the names KFP v1 looks for; the
    // loader sanitises them as the KFP v2 SDK does.
    const QJsonObject metricsFile = readJsonObject(evaluator["mlpipeline_metrics"]);
    std::map<QString, double> metrics;
    for (const QJsonValue &m : metricsFile.value("metrics").toArray()) {
        const QJsonObject o = m.toObject();
        QVERIFY(QRegularExpression(QStringLiteral("^[a-zA-Z]([-_a-zA-Z0-9]{0,62}[a-zA-Z0-9])?$"))
                    .match(o.value("name").toString())
                    .hasMatch());
        QVERIFY(o.value("format") == QLatin1String("RAW") ||
                o.value("format") == QLatin1String("PERCENTAGE"));
        metrics[o.value("name").toString()] = o.value("numberValue").toDouble(-1);
    }
    QVERIFY(metrics.count("auc") && metrics.count("accuracy"));
    qInfo("eval AUC %.4f, accuracy %.4f, F1 %.4f", metrics["auc"], metrics["accuracy"], metrics["f1"]);
    QVERIFY2(metrics["auc"] > 0.7 && metrics["auc"] < 0.99, qPrintable(QString::number(metrics["auc"])));
    QVERIFY(metrics["accuracy"] > 0.6 && metrics["accuracy"] < 1.0);

    // UI metadata: confusion matrix and ROC read from the CSVs the step wrote.
    const int evalRows = int(readLines(split["eval"]).size()) - 1;
    const QJsonArray viewers = readJsonObject(evaluator["mlpipeline_ui_metadata"]).value("outputs").toArray();
    QStringList types;
    for (const QJsonValue &v : viewers) {
        const QJsonObject o = v.toObject();
        types << o.value("type").toString();
        if (o.value("type") == QLatin1String("confusion_matrix")) {
            QCOMPARE(QFileInfo(o.value("source").toString()).canonicalFilePath(),
                     QFileInfo(evaluator["confusion_matrix"]).canonicalFilePath());
            int total = 0;
            for (const QString &line : readLines(o.value("source").toString())) {
                const QStringList cells = line.split(QLatin1Char(','));
                QCOMPARE(cells.size(), 3); // target,predicted,count
                total += cells[2].toInt();
            }
            QCOMPARE(total, evalRows);
        } else if (o.value("type") == QLatin1String("roc")) {
            const QStringList lines = readLines(o.value("source").toString());
            QVERIFY(lines.size() > 10);
            const QStringList last = lines.last().split(QLatin1Char(',')); // fpr,tpr,thresholds
            QCOMPARE(last.size(), 3);
            QCOMPARE(last[0].toDouble(), 1.0);
            QCOMPARE(last[1].toDouble(), 1.0);
        }
    }
    QVERIFY(types.contains("confusion_matrix") && types.contains("roc"));
    QCOMPARE(readLines(evaluator["blessed"]).value(0), QStringLiteral("true"));

    // A blessed model is pushed, and the batch predictor scores a warehouse
    // partition with whatever is newest in the serving directory.
    const QString serving = QDir(work.path()).filePath("serving");
    QVERIFY(runner.run(
        component("deployment/pusher.component.yaml"),
        {{"model", trainer["model"]}, {"blessing", evaluator["blessing"]}, {"serving_dir", serving}},
        pusher));
    QCOMPARE(readLines(pusher["pushed"]).value(0), QStringLiteral("true"));
    QVERIFY(QFileInfo::exists(readLines(pusher["pushed_path"]).value(0)));
    QVERIFY(runner.run(component("warehouse/warehouse-extract.component.yaml"),
                       {{"warehouse_dir", pw::test::resourcesPath("examples/data/warehouse")},
                        {"table", QStringLiteral("credit_features")},
                        {"partition_date", QStringLiteral("20240604")}},
                       extract));
    QVERIFY(runner.run(component("prediction/batch-predict.component.yaml"),
                       {{"features", extract["features"]}, {"model_path", serving}}, scores));
    const QStringList predictions = readLines(scores["predictions"]);
    QCOMPARE(predictions.value(0), QStringLiteral("customer_id,score,prediction"));
    QCOMPARE(predictions.size() - 1, readLines(extract["features"]).size() - 1);
    QCOMPARE(readLines(scores["row_count"]).value(0).toInt(), int(predictions.size()) - 1);
}

QTEST_GUILESS_MAIN(TestExamples)
#include "tst_examples.moc"
