// SPDX-License-Identifier: Apache-2.0
#include "ir/pipelinespecio.h"
#include "kfpcompare.h"
#include "util/yamljson.h"

#include <QDir>
#include <QtTest>

using nlohmann::json;

namespace {

const QString kGoldenDir = QStringLiteral(PW_REFERENCE_DIR "/kfp-v2-goldens");

// The IR must keep everything the goldens hold, so nothing is ignored but sdkVersion.
const pw::KfpDiffOptions kLossless{false, false};

std::string joined(const std::vector<std::string> &lines)
{
    std::string out;
    for (const std::string &line : lines)
        out += "  " + line + '\n';
    return out;
}

std::string readGolden(const QString &path)
{
    auto text = pw::readTextFile(path.toStdString());
    return text ? *text : std::string();
}

json specDocuments(const pw::ir::PipelineSpec &spec)
{
    json docs = json::array({pw::ir::pipelineSpecToJson(spec)});
    json platform = pw::ir::platformSpecToJson(spec);
    if (!platform.is_null())
        docs.push_back(std::move(platform));
    return docs;
}

std::vector<std::string> commentLines(const std::string &text)
{
    std::vector<std::string> lines;
    size_t start = 0;
    while (start < text.size() && text[start] == '#') {
        size_t end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        start = end == std::string::npos ? text.size() : end + 1;
    }
    return lines;
}

void addGoldenRows()
{
    QTest::addColumn<QString>("path");
    const QStringList files = QDir(kGoldenDir).entryList({"*.yaml"}, QDir::Files, QDir::Name);
    QVERIFY2(files.size() >= 27, qPrintable("goldens not found in " + kGoldenDir));
    for (const QString &file : files)
        QTest::newRow(qPrintable(file)) << kGoldenDir + '/' + file;
}

} // namespace

class TestPipelineSpecIo final : public QObject {
    Q_OBJECT

private slots:
    void goldenIsLossless_data() { addGoldenRows(); }

    void goldenIsLossless()
    {
        QFETCH(QString, path);
        const auto spec = pw::ir::readPipelineSpec(readGolden(path), path.toStdString());
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().toString().c_str());
        const auto diffs = pw::kfpDiff(pw::loadYamlDocsAsJson(path), specDocuments(*spec), kLossless);
        QVERIFY2(diffs.empty(), ("differences from the golden:\n" + joined(diffs)).c_str());
    }

    void yamlRoundTrip_data() { addGoldenRows(); }

    // IR -> our YAML -> IR gives the same IR, the same JSON (types included),
    // and the same header comment the SDK wrote.
    void yamlRoundTrip()
    {
        QFETCH(QString, path);
        const std::string golden = readGolden(path);
        const auto spec = pw::ir::readPipelineSpec(golden, "golden.yaml");
        QVERIFY(spec.ok());
        const std::string written = pw::ir::writePipelineSpecYaml(*spec);
        const auto again = pw::ir::readPipelineSpec(written, "written.yaml");
        QVERIFY2(again.ok(), again.ok() ? "" : (again.error().toString() + "\n" + written).c_str());
        QVERIFY(*again == *spec);
        const auto diffs = pw::kfpDiff(specDocuments(*spec), specDocuments(*again), kLossless);
        QVERIFY2(diffs.empty(), joined(diffs).c_str());
        QCOMPARE(commentLines(written), commentLines(golden));
    }

    void jsonInputIsAccepted()
    {
        const QString path = kGoldenDir + "/critical_pipeline_with_secret_as_env.yaml";
        const json docs = pw::loadYamlDocsAsJson(path);
        QCOMPARE(docs.size(), size_t(2));
        const auto fromYaml = pw::ir::readPipelineSpec(readGolden(path), "spec.yaml");
        const auto fromJson = pw::ir::readPipelineSpec(docs[0].dump(2) + "\n---\n" + docs[1].dump(), "spec.json");
        QVERIFY2(fromJson.ok(), fromJson.ok() ? "" : fromJson.error().toString().c_str());
        QVERIFY(*fromJson == *fromYaml);
    }

    void numbersKeepTheirType()
    {
        const auto spec = pw::ir::readPipelineSpec(readGolden(kGoldenDir + "/critical_pipeline_with_retry.yaml"), "");
        QVERIFY(spec.ok());
        const json &a = *spec->root.inputDefinitions.parameters.at("a").defaultValue;
        QVERIFY(a.is_number_float());
        const std::string yaml = pw::ir::writePipelineSpecYaml(*spec);
        QVERIFY(yaml.find("defaultValue: 1.0\n") != std::string::npos);
        QVERIFY(yaml.find("maxRetryCount: 3\n") != std::string::npos);
        QVERIFY(yaml.find("#    a: float [Default: 1.0]\n") != std::string::npos);
    }

    void acceleratorKeepsBothSpellings()
    {
        const auto spec =
            pw::ir::readPipelineSpec(readGolden(kGoldenDir + "/gpu-scheduling_nvidia_gpu_scheduling_check.yaml"), "");
        QVERIFY(spec.ok());
        const auto &r = spec->executors.at("exec-verify-gpu-scheduled").container->resources;
        QCOMPARE(r.acceleratorType, std::string("nvidia.com/gpu"));
        QCOMPARE(r.acceleratorCount, std::string("1"));
        QCOMPARE(r.legacy.acceleratorCount, std::string("1"));

        // A spec with only the older numeric keys still yields usable quantities.
        const std::string legacyOnly = "pipelineInfo: {name: p}\n"
                                       "deploymentSpec:\n"
                                       "  executors:\n"
                                       "    exec-a:\n"
                                       "      container:\n"
                                       "        image: alpine\n"
                                       "        resources: {cpuLimit: 0.5, memoryLimit: 16.0, "
                                       "accelerator: {type: T4, count: 2}}\n"
                                       "root: {dag: {tasks: {}}}\n";
        const auto old = pw::ir::readPipelineSpec(legacyOnly, "old.yaml");
        QVERIFY2(old.ok(), old.ok() ? "" : old.error().toString().c_str());
        const auto &o = old->executors.at("exec-a").container->resources;
        QCOMPARE(o.cpuLimit, std::string("0.5"));
        QCOMPARE(o.memoryLimit, std::string("16G"));
        QCOMPARE(o.acceleratorType, std::string("T4"));
        QCOMPARE(o.acceleratorCount, std::string("2"));
        const json written = pw::ir::pipelineSpecToJson(*old)["deploymentSpec"]["executors"]["exec-a"]["container"];
        QCOMPARE(written["resources"]["cpuLimit"], json(0.5));
        QCOMPARE(written["resources"]["accelerator"]["count"], json("2"));
    }

    void platformInt64IsWrittenAsString()
    {
        pw::ir::PipelineSpec spec;
        spec.pipelineName = "p";
        spec.root.dag = pw::ir::Dag{};
        pw::ir::K8sExecutorConfig &k = spec.k8s["exec-a"];
        k.activeDeadlineSeconds = 20;
        k.tolerations.push_back({"key1", "Equal", "value1", "NoExecute", 10, std::nullopt});
        k.imagePullSecret.push_back({"my-secret", std::nullopt});
        const json platform = pw::ir::platformSpecToJson(spec);
        const json &executor = platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"]["exec-a"];
        QCOMPARE(executor["activeDeadlineSeconds"], json("20"));
        QCOMPARE(executor["tolerations"][0]["tolerationSeconds"], json("10"));
        QCOMPARE(executor["imagePullSecret"], json::parse(R"([{"secretName": "my-secret"}])"));
        const auto back = pw::ir::readPipelineSpec(pw::ir::writePipelineSpecYaml(spec), "p.yaml");
        QVERIFY2(back.ok(), back.ok() ? "" : back.error().toString().c_str());
        QVERIFY(back->k8s == spec.k8s);
        QVERIFY(pw::ir::platformSpecToJson(pw::ir::PipelineSpec{}).is_null());
    }

    void malformedInput_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message"); // a fragment of it

        const QByteArray head = "pipelineInfo:\n  name: p\n"; // lines 1-2
        QTest::newRow("truncated in a flow map")
            << head + "root:\n  dag:\n    tasks: {a: {componentRef: {name: comp-a}\n" << 6 << "" << "end of map";
        QTest::newRow("components is a list") << head + "components: [1, 2]\nroot: {dag: {}}\n" << 3
                                              << "components" << "must be a mapping";
        QTest::newRow("task without componentRef")
            << head + "root:\n  dag:\n    tasks:\n      train:\n        taskInfo: {name: train}\n" << 7
            << "root.dag.tasks.train.componentRef" << "missing required field 'componentRef'";
        QTest::newRow("parameterType is a list")
            << head + "root:\n  dag: {}\n  inputDefinitions:\n    parameters:\n      x:\n        parameterType: [STRING]\n"
            << 8 << "root.inputDefinitions.parameters.x.parameterType" << "must be a string";
        QTest::newRow("parameterType is unknown")
            << head + "root:\n  dag: {}\n  inputDefinitions:\n    parameters:\n      x: {parameterType: 7}\n"
            << 7 << "root.inputDefinitions.parameters.x.parameterType" << "unknown parameter type";
        QTest::newRow("root is a list") << head + "root:\n- dag\n" << 4 << "root" << "must be a mapping";
        QTest::newRow("no root") << head << 1 << "root" << "missing required field 'root'";
        QTest::newRow("no pipelineInfo name") << QByteArray("pipelineInfo: {}\nroot: {dag: {}}\n") << 1
                                              << "pipelineInfo.name" << "missing required field 'name'";
        QTest::newRow("document is a list") << QByteArray("- a\n- b\n") << 1 << "" << "must be a mapping";
        QTest::newRow("isOptional is not a bool")
            << head + "root:\n  dag: {}\n  inputDefinitions:\n    parameters:\n      x:\n        parameterType: STRING\n"
                      "        isOptional: maybe\n"
            << 9 << "root.inputDefinitions.parameters.x.isOptional" << "true or false";
        QTest::newRow("container without image")
            << head + "deploymentSpec:\n  executors:\n    exec-a:\n      container: {command: [sh]}\nroot: {dag: {}}\n"
            << 6 << "deploymentSpec.executors.exec-a.container.image" << "missing required field 'image'";
        QTest::newRow("args is a map")
            << head + "deploymentSpec:\n  executors:\n    exec-a:\n      container:\n        image: alpine\n"
                      "        args: {a: b}\nroot: {dag: {}}\n"
            << 8 << "deploymentSpec.executors.exec-a.container.args" << "must be a list";
        QTest::newRow("maxRetryCount is text")
            << head + "root:\n  dag:\n    tasks:\n      t:\n        componentRef: {name: c}\n"
                      "        retryPolicy: {maxRetryCount: many}\n"
            << 8 << "root.dag.tasks.t.retryPolicy.maxRetryCount" << "must be an integer";
        QTest::newRow("tolerations is a map")
            << head + "root: {dag: {}}\n---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n"
                      "        exec-a:\n          tolerations: {key: x}\n"
            << 10 << "platforms.kubernetes.deploymentSpec.executors.exec-a.tolerations" << "must be a list";
        // A misspelt platform field was dropped without a word, losing the setting; KFP refuses it.
        QTest::newRow("misspelt platform field")
            << head + "root: {dag: {}}\n---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n"
                      "        exec-a:\n          secretAsEnvv:\n          - {secretName: s}\n"
            << 10 << "platforms.kubernetes.deploymentSpec.executors.exec-a.secretAsEnvv"
            << "unknown field 'secretAsEnvv' in 'platforms.kubernetes.deploymentSpec.executors.exec-a'; did you mean "
               "'secretAsEnv'?";
        QTest::newRow("unknown field in a secret")
            << head + "root: {dag: {}}\n---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n"
                      "        exec-a:\n          secretAsEnv:\n          - {secretName: s, mount: /x}\n"
            << 11 << "platforms.kubernetes.deploymentSpec.executors.exec-a.secretAsEnv[0].mount"
            << "unknown field 'mount'";
        QTest::newRow("a proto name for a field")
            << head + "root: {dag: {}}\n---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n"
                      "        exec-a:\n          node_selector: {labels: {pool: gpu}}\n"
            << 10 << "platforms.kubernetes.deploymentSpec.executors.exec-a.node_selector"
            << "write it as 'nodeSelector'";
        QTest::newRow("empty") << QByteArray("") << 0 << "" << "empty";
    }

    void malformedInput()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, line);
        QFETCH(QString, field);
        QFETCH(QString, message);
        const auto result = pw::ir::readPipelineSpec(yaml.toStdString(), "bad.yaml");
        QVERIFY(!result.ok());
        const pw::Error &error = result.error();
        QCOMPARE(error.where.file, std::string("bad.yaml"));
        QVERIFY2(error.message.find(message.toStdString()) != std::string::npos, error.toString().c_str());
        QCOMPARE(QString::fromStdString(error.where.field), field);
        QCOMPARE(error.where.line, line);
    }

    // Cutting a real spec anywhere must give either a spec or a located error, never a crash.
    void truncatedSpecsNeverCrash_data() { addGoldenRows(); }

    void truncatedSpecsNeverCrash()
    {
        QFETCH(QString, path);
        const std::string text = readGolden(path);
        constexpr size_t kCuts = 40;
        for (size_t i = 1; i < kCuts; ++i) {
            const std::string cut = text.substr(0, text.size() * i / kCuts);
            const auto result = pw::ir::readPipelineSpec(cut, "cut.yaml");
            if (!result.ok())
                QVERIFY2(!result.error().message.empty(), cut.c_str());
        }
    }

    // Same for structure swapped out from under the reader: each mapping value
    // replaced by a list, a scalar and null in turn.
    void wrongShapesNeverCrash()
    {
        const std::string text = readGolden(kGoldenDir + "/critical_missing_kubernetes_optional_inputs.yaml");
        size_t replaced = 0;
        for (size_t at = text.find(":\n"); at != std::string::npos; at = text.find(":\n", at + 1)) {
            for (const char *with : {": [1]\n", ": 7\n", ": ~\n", ": {}\n"}) {
                std::string changed = text;
                changed.replace(at, 2, with);
                const auto result = pw::ir::readPipelineSpec(changed, "shape.yaml");
                if (!result.ok())
                    QVERIFY(!result.error().toString().empty());
                ++replaced;
            }
        }
        QVERIFY(replaced > 100);
    }
};

QTEST_GUILESS_MAIN(TestPipelineSpecIo)
#include "tst_pipelinespecio.moc"
