// SPDX-License-Identifier: Apache-2.0
// IR -> Vertex AI PipelineJob: typed parameterValues, errors that name the
// parameter, and the fields the REST resource needs.
#include "ir/pipelinespecio.h"
#include "targets/vertexwriter.h"
#include "testdata.h"
#include "util/yamljson.h"

#include <QtTest>

using Json = nlohmann::json;

namespace {

pw::ir::ParameterSpec param(const std::string &type, std::optional<Json> defaultValue = std::nullopt)
{
    pw::ir::ParameterSpec p;
    p.parameterType = type;
    p.defaultValue = std::move(defaultValue);
    p.isOptional = p.defaultValue.has_value();
    return p;
}

// A one-task pipeline with a root input of every settable type.
pw::ir::PipelineSpec makeSpec()
{
    pw::ir::PipelineSpec spec;
    spec.pipelineName = "typed-pipeline";
    spec.displayName = "Typed pipeline";
    spec.defaultPipelineRoot = "gs://bucket/root";
    spec.sdkVersion = "pipewright-test";
    auto &inputs = spec.root.inputDefinitions.parameters;
    inputs["text"] = param("STRING", Json("hello"));
    inputs["count"] = param("NUMBER_INTEGER", Json(1));
    inputs["rate"] = param("NUMBER_DOUBLE", Json(0.5));
    inputs["flag"] = param("BOOLEAN", Json(false));
    inputs["items"] = param("LIST", Json::array({1, 2}));
    inputs["config"] = param("STRUCT", Json::object());
    inputs["required"] = param("STRING");

    pw::ir::ComponentSpec comp;
    comp.executorLabel = "exec-echo";
    comp.inputDefinitions.parameters["text"] = param("STRING");
    spec.components["comp-echo"] = comp;
    pw::ir::ContainerExecutor container;
    container.image = "alpine";
    container.command = {"echo", "{{$.inputs.parameters['text']}}"};
    spec.executors["exec-echo"].container = container;

    pw::ir::Dag dag;
    pw::ir::PipelineTask task;
    task.taskInfoName = "echo";
    task.componentRef = "comp-echo";
    task.inputs.parameters["text"].componentInputParameter = "text";
    dag.tasks["echo"] = task;
    spec.root.dag = dag;
    return spec;
}

pw::VertexOptions baseOptions()
{
    pw::VertexOptions options;
    options.parameterValues["required"] = "set";
    return options;
}

} // namespace

class TstVertexWriter : public QObject {
    Q_OBJECT

private slots:
    void requiredFields()
    {
        const auto spec = makeSpec();
        auto job = pw::vertexPipelineJob(spec, baseOptions());
        QVERIFY2(job.ok(), job.ok() ? "" : job.error().toString().c_str());
        QCOMPARE(job->value("displayName", std::string()), std::string("typed-pipeline"));
        QVERIFY((*job)["pipelineSpec"].is_object());
        QCOMPARE((*job)["pipelineSpec"]["pipelineInfo"]["name"].get<std::string>(),
                 std::string("typed-pipeline"));
        QVERIFY((*job)["pipelineSpec"].contains("root"));
        QVERIFY((*job)["pipelineSpec"].contains("deploymentSpec"));
        QCOMPARE((*job)["runtimeConfig"]["gcsOutputDirectory"].get<std::string>(),
                 std::string("gs://bucket/root"));
        QCOMPARE((*job)["runtimeConfig"]["parameterValues"], Json({{"required", "set"}}));
        QVERIFY(!job->contains("serviceAccount"));
        QVERIFY(!job->contains("labels"));
        // The platform (Kubernetes) spec is not part of a Vertex job.
        QVERIFY(!(*job)["pipelineSpec"].contains("platforms"));
    }

    void options()
    {
        const auto spec = makeSpec();
        auto options = baseOptions();
        options.displayName = "nightly run";
        options.gcsOutputDirectory = "gs://other/out";
        options.serviceAccount = "runner@project.iam.gserviceaccount.com";
        options.labels = {{"team", "ml-platform"}, {"env", "prod_1"}};
        auto job = pw::vertexPipelineJob(spec, options);
        QVERIFY2(job.ok(), job.ok() ? "" : job.error().toString().c_str());
        QCOMPARE((*job)["displayName"].get<std::string>(), std::string("nightly run"));
        QCOMPARE((*job)["runtimeConfig"]["gcsOutputDirectory"].get<std::string>(),
                 std::string("gs://other/out"));
        QCOMPARE((*job)["serviceAccount"].get<std::string>(), options.serviceAccount);
        QCOMPARE((*job)["labels"], Json({{"team", "ml-platform"}, {"env", "prod_1"}}));
    }

    void typedValues_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("expectedJson");
        QTest::newRow("string stays text") << "text"
                                           << "3"
                                           << "\"3\"";
        QTest::newRow("string keeps spaces") << "text"
                                             << " a b "
                                             << "\" a b \"";
        QTest::newRow("integer") << "count"
                                 << "3"
                                 << "3";
        QTest::newRow("negative integer") << "count"
                                          << "-42"
                                          << "-42";
        QTest::newRow("integer with spaces") << "count"
                                             << " 7 "
                                             << "7";
        QTest::newRow("double") << "rate"
                                << "2.5"
                                << "2.5";
        QTest::newRow("double from integer text") << "rate"
                                                  << "2"
                                                  << "2.0";
        QTest::newRow("double exponent") << "rate"
                                         << "1e-3"
                                         << "0.001";
        QTest::newRow("true") << "flag"
                              << "true"
                              << "true";
        QTest::newRow("False") << "flag"
                               << "False"
                               << "false";
        QTest::newRow("list") << "items"
                              << "[1, \"a\", {\"b\": 2}]"
                              << "[1,\"a\",{\"b\":2}]";
        QTest::newRow("struct") << "config"
                                << "{\"lr\": 0.1, \"layers\": [1, 2]}"
                                << "{\"layers\":[1,2],\"lr\":0.1}";
    }

    void typedValues()
    {
        QFETCH(QString, name);
        QFETCH(QString, raw);
        QFETCH(QString, expectedJson);
        const auto spec = makeSpec();
        auto options = baseOptions();
        options.parameterValues[name.toStdString()] = raw.toStdString();
        auto job = pw::vertexPipelineJob(spec, options);
        QVERIFY2(job.ok(), job.ok() ? "" : job.error().toString().c_str());
        const Json value = (*job)["runtimeConfig"]["parameterValues"][name.toStdString()];
        // dump() tells 2 from 2.0 and "3" from 3, so the JSON type is checked too.
        QCOMPARE(QString::fromStdString(value.dump()),
                 QString::fromStdString(Json::parse(expectedJson.toStdString()).dump()));
    }

    void badValues_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("raw");
        QTest::newRow("word for integer") << "count"
                                          << "three";
        QTest::newRow("fraction for integer") << "count"
                                              << "1.5";
        QTest::newRow("empty integer") << "count"
                                       << "";
        QTest::newRow("word for double") << "rate"
                                         << "fast";
        QTest::newRow("infinite double") << "rate"
                                         << "inf";
        QTest::newRow("yes for boolean") << "flag"
                                         << "yes";
        QTest::newRow("object for list") << "items"
                                         << "{\"a\": 1}";
        QTest::newRow("broken list") << "items"
                                     << "[1, 2";
        QTest::newRow("list for struct") << "config"
                                         << "[1]";
        QTest::newRow("text for struct") << "config"
                                         << "lr=0.1";
    }

    void badValues()
    {
        QFETCH(QString, name);
        QFETCH(QString, raw);
        const auto spec = makeSpec();
        auto options = baseOptions();
        options.parameterValues[name.toStdString()] = raw.toStdString();
        auto job = pw::vertexPipelineJob(spec, options);
        QVERIFY(!job.ok());
        const QString message = QString::fromStdString(job.error().message);
        QVERIFY2(message.contains("'" + name + "'"), qPrintable(message));
        QCOMPARE(QString::fromStdString(job.error().where.field), "runtimeConfig.parameterValues." + name);
    }

    void errors()
    {
        auto spec = makeSpec();
        {
            auto options = baseOptions();
            options.parameterValues["nope"] = "1";
            auto job = pw::vertexPipelineJob(spec, options);
            QVERIFY(!job.ok());
            QVERIFY(QString::fromStdString(job.error().message).contains("'nope'"));
        }
        {
            // A required parameter left unset is for whoever submits the job to fill in.
            auto job = pw::vertexPipelineJob(spec, {});
            QVERIFY2(job.ok(), job.ok() ? "" : job.error().message.c_str());
            QVERIFY(!(*job)["runtimeConfig"]["parameterValues"].contains("required"));
        }
        {
            auto noRoot = spec;
            noRoot.defaultPipelineRoot.clear();
            auto job = pw::vertexPipelineJob(noRoot, baseOptions());
            QVERIFY(!job.ok());
            QCOMPARE(job.error().where.field, std::string("runtimeConfig.gcsOutputDirectory"));
        }
        {
            auto options = baseOptions();
            options.gcsOutputDirectory = "/local/dir";
            QVERIFY(!pw::vertexPipelineJob(spec, options).ok());
        }
        for (const auto &[key, value] :
             std::vector<std::pair<std::string, std::string>>{{"Team", "x"},
                                                              {"team", "Platform"},
                                                              {"1team", "x"},
                                                              {"", "x"},
                                                              {"team", std::string(65, 'a')}}) {
            auto options = baseOptions();
            options.labels[key] = value;
            QVERIFY2(!pw::vertexPipelineJob(spec, options).ok(), (key + "=" + value).c_str());
        }
        {
            auto runTime = spec;
            runTime.executors["exec-echo"].container->args = {"{{$.pipewright.run_time['%Y','UTC']}}"};
            auto job = pw::vertexPipelineJob(runTime, baseOptions());
            QVERIFY(!job.ok());
            QVERIFY(QString::fromStdString(job.error().message).contains("run-time placeholder"));
        }
        {
            auto finalStatus = spec;
            finalStatus.root.inputDefinitions.parameters["status"] = param("TASK_FINAL_STATUS");
            finalStatus.root.inputDefinitions.parameters["status"].isOptional = true;
            auto options = baseOptions();
            options.parameterValues["status"] = "{}";
            QVERIFY(!pw::vertexPipelineJob(finalStatus, options).ok());
        }
    }

    // A real KFP pipeline goes through unchanged, with its defaults left to Vertex.
    void golden()
    {
        const std::string path =
            pw::test::referencePath("kfp-v2-goldens/critical_pipeline_with_retry.yaml").toStdString();
        auto text = pw::readTextFile(path);
        QVERIFY(text.ok());
        auto spec = pw::ir::readPipelineSpec(*text, path);
        QVERIFY2(spec.ok(), spec.ok() ? "" : spec.error().toString().c_str());
        pw::VertexOptions options;
        options.gcsOutputDirectory = "gs://bucket/runs";
        options.parameterValues["a"] = "3";
        auto job = pw::vertexPipelineJob(*spec, options);
        QVERIFY2(job.ok(), job.ok() ? "" : job.error().toString().c_str());
        QCOMPARE((*job)["runtimeConfig"]["parameterValues"], Json({{"a", 3.0}}));
        QCOMPARE((*job)["pipelineSpec"], pw::ir::pipelineSpecToJson(*spec));
    }
};

QTEST_GUILESS_MAIN(TstVertexWriter)
#include "tst_vertexwriter.moc"
