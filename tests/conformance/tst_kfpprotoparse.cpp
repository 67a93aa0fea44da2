// SPDX-License-Identifier: Apache-2.0
// Everything Pipewright writes as a PipelineSpec must parse with KFP's own
// message definitions (pipeline_spec.proto, kubernetes_executor_config.proto,
// compiled by protoc), strictly: protobuf's JSON parser refuses unknown
// fields and malformed values (a Duration that is not seconds, an enum name
// that does not exist), as KFP's backend and the Vertex service do. Checked
// for every example (as PipelineSpec and as the pipelineSpec of a Vertex job),
// every KFP golden after a round trip through Pipewright, the pipelines
// under tests/data, and the KFP 2.17 feature specs under tests/data/kfp217
// after an import into the model and a compile back.
#include "compiler/lower.h"
#include "formats/pipelineloader.h"
#include "ir/pipelinespecio.h"
#include "targets/vertexwriter.h"
#include "testdata.h"
#include "validate/validator.h"

#include <kubernetes_executor_config.pb.h>
#include <pipeline_spec.pb.h>

#include <google/protobuf/util/json_util.h>

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTest>

namespace {

const QString kGoldenDir = QStringLiteral(PW_REFERENCE_DIR "/kfp-v2-goldens");

// Parses `json` into `message` the way KFP does; the parser's complaint, or "".
std::string strictParse(const nlohmann::json &json, google::protobuf::Message &message)
{
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const auto status = google::protobuf::util::JsonStringToMessage(json.dump(), &message, options);
    return status.ok() ? std::string() : std::string(status.message());
}

// The PipelineSpec and, when there is one, the platform spec with each
// Kubernetes executor config; the first complaint, or "".
std::string checkSpec(const nlohmann::json &pipelineSpec, const nlohmann::json &platformSpec)
{
    ml_pipelines::PipelineSpec spec;
    if (std::string why = strictParse(pipelineSpec, spec); !why.empty())
        return "PipelineSpec: " + why;
    if (spec.pipeline_info().name().empty() || !spec.has_root())
        return "PipelineSpec: parsed, but without pipelineInfo.name or root";
    if (platformSpec.is_null())
        return {};
    ml_pipelines::PlatformSpec platform;
    if (std::string why = strictParse(platformSpec, platform); !why.empty())
        return "PlatformSpec: " + why;
    // A platform spec may hold no executor configs at all (only a pipelineConfig).
    const nlohmann::json executors =
        platformSpec.value(nlohmann::json::json_pointer("/platforms/kubernetes/deploymentSpec/executors"),
                           nlohmann::json::object());
    for (const auto &[name, config] : executors.items()) {
        kfp_kubernetes::KubernetesExecutorConfig k8s;
        if (std::string why = strictParse(config, k8s); !why.empty())
            return "KubernetesExecutorConfig of " + name + ": " + why;
    }
    return {};
}

void addRows(const QStringList &files)
{
    QTest::addColumn<QString>("path");
    for (const QString &f : files)
        QTest::newRow(qPrintable(QDir(PW_SOURCE_DIR).relativeFilePath(f))) << f;
}

QStringList documentsUnder(const QString &dir)
{
    QStringList files;
    QDirIterator it(dir, {"*.pipewright.yaml"}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

} // namespace

class TestKfpProtoParse final : public QObject {
    Q_OBJECT

private slots:
    // A message KFP would refuse is refused here too (the check can fail).
    void theParserIsStrict()
    {
        ml_pipelines::PipelineSpec spec;
        QVERIFY(strictParse(
                    {{"pipelineInfo", {{"name", "p"}}}, {"root", {{"dag", nlohmann::json::object()}}}}, spec)
                    .empty());
        QVERIFY(!strictParse({{"pipelineInfo", {{"name", "p"}}}, {"rooot", nlohmann::json::object()}}, spec)
                     .empty());
        ml_pipelines::PipelineTaskSpec task;
        QVERIFY(strictParse({{"retryPolicy", {{"backoffMaxDuration", "300s"}}}}, task).empty());
        QVERIFY(!strictParse({{"retryPolicy", {{"backoffMaxDuration", "5m"}}}}, task).empty());
        kfp_kubernetes::KubernetesExecutorConfig k8s;
        QVERIFY(!strictParse({{"secretAsEnvv", nlohmann::json::array()}}, k8s).empty());
    }

    void examples_data()
    {
        const QStringList files = pw::test::filesIn(pw::test::resourcesPath("examples"), "*.pipewright.yaml");
        QVERIFY(files.size() >= 3);
        addRows(files);
    }
    void examples() { checkDocument(); }

    // The ones that are pipelines (others test errors).
    void testDocuments_data()
    {
        QStringList valid;
        for (const QString &f : documentsUnder(QStringLiteral(PW_TEST_DATA_DIR)))
            if (auto p = pw::loadPipelineFile(f.toStdString());
                p.ok() && !pw::hasErrors(pw::validatePipeline(*p)))
                valid << f;
        QVERIFY(valid.size() >= 10);
        addRows(valid);
    }
    void testDocuments() { checkDocument(); }

    void goldensAfterARoundTrip_data()
    {
        QStringList files;
        for (const QString &f : QDir(kGoldenDir).entryList({"*.yaml"}, QDir::Files, QDir::Name))
            files << kGoldenDir + '/' + f;
        QVERIFY2(files.size() >= 27, qPrintable("goldens not found in " + kGoldenDir));
        addRows(files);
    }
    void goldensAfterARoundTrip()
    {
        QFETCH(QString, path);
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        auto spec = pw::ir::readPipelineSpec(f.readAll().toStdString(), path.toStdString());
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().toString().c_str());
        const std::string why =
            checkSpec(pw::ir::pipelineSpecToJson(*spec), pw::ir::platformSpecToJson(*spec));
        QVERIFY2(why.empty(), why.c_str());
    }

    void kfp217FeaturesAfterImportAndCompile_data()
    {
        const QStringList files = pw::test::filesIn(QStringLiteral(PW_TEST_DATA_DIR "/kfp217"), "*.yaml");
        QVERIFY(files.size() >= 1);
        addRows(files);
    }
    // Imported into the model and compiled back, as PipelineSpec and as a Vertex job.
    void kfp217FeaturesAfterImportAndCompile() { checkDocument(); }

private:
    // A document (or a KFP file) that validates compiles to a PipelineSpec and a Vertex job KFP parses.
    void checkDocument()
    {
        QFETCH(QString, path);
        auto pipeline = pw::loadPipelineFile(path.toStdString());
        QVERIFY2(pipeline.ok(), pipeline.ok() ? "" : pipeline.error().toString().c_str());
        auto spec = pw::lowerPipeline(*pipeline);
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().toString().c_str());
        std::string why = checkSpec(pw::ir::pipelineSpecToJson(*spec), pw::ir::platformSpecToJson(*spec));
        QVERIFY2(why.empty(), why.c_str());
        pw::VertexOptions options;
        options.gcsOutputDirectory = "gs://bucket/root";
        auto job = pw::vertexPipelineJob(*spec, options);
        QVERIFY2(job.ok(), job.ok() ? "" : job.error().toString().c_str());
        why = checkSpec((*job)["pipelineSpec"], nullptr);
        QVERIFY2(why.empty(), ("Vertex job: " + why).c_str());
    }
};

QTEST_GUILESS_MAIN(TestKfpProtoParse)
#include "tst_kfpprotoparse.moc"
