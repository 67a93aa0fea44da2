// SPDX-License-Identifier: Apache-2.0
// Every KFP v2 golden -> IR -> Argo Workflow: valid against Argo's JSON schema
// (checked by validate_argo.py, all files in one Python run) and structurally
// sound (references resolve, conditions, loops and exit handlers present,
// no KFP placeholder left).
#include "ir/pipelinespecio.h"
#include "targets/argowriter.h"
#include "targets/argoyaml.h"
#include "testdata.h"
#include "util/yamljson.h"

#include <yaml-cpp/yaml.h>

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <set>

namespace {

using Json = nlohmann::json;

QString validatorScript()
{
#ifdef PW_VALIDATE_ARGO_SCRIPT
    return QStringLiteral(PW_VALIDATE_ARGO_SCRIPT);
#else
    // The script sits next to this source file; __FILE__ is the absolute path CMake compiled.
    return QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/validate_argo.py");
#endif
}

struct Converted {
    pw::ir::PipelineSpec spec;
    Json workflow;
    QString yamlPath;
    QString error;
};

// All string values of a JSON document, for text checks.
void collectStrings(const Json &value, std::vector<std::string> &out)
{
    if (value.is_string())
        out.push_back(value.get<std::string>());
    else if (value.is_structured())
        for (const auto &item : value)
            collectStrings(item, out);
}

std::set<std::string> names(const Json &list)
{
    std::set<std::string> out;
    if (list.is_array())
        for (const Json &item : list)
            out.insert(item.value("name", std::string()));
    return out;
}

// `{{inputs.parameters.x}}` and `inputs.parameters['x']` (expressions).
std::set<std::string> referenced(const std::string &text, const QString &kind)
{
    std::set<std::string> out;
    const QString t = QString::fromStdString(text);
    QRegularExpression tag(QStringLiteral("\\{\\{inputs\\.%1\\.([-A-Za-z0-9_]+)").arg(kind));
    QRegularExpression var(QStringLiteral("inputs\\.%1\\['([-A-Za-z0-9_]+)'\\]").arg(kind));
    for (const auto &re : {tag, var}) {
        auto it = re.globalMatch(t);
        while (it.hasNext())
            out.insert(it.next().captured(1).toStdString());
    }
    return out;
}

struct TaskRef {
    std::string task, kind, name;
};

std::vector<TaskRef> taskReferences(const std::string &text)
{
    std::vector<TaskRef> out;
    const QString t = QString::fromStdString(text);
    QRegularExpression tag(QStringLiteral(
        "\\{\\{tasks\\.([-A-Za-z0-9]+)\\.outputs\\.(parameters|artifacts)\\.([-A-Za-z0-9_]+)\\}\\}"));
    QRegularExpression var(QStringLiteral(
        "tasks\\['([-A-Za-z0-9]+)'\\]\\.outputs\\.(parameters|artifacts)\\['([-A-Za-z0-9_]+)'\\]"));
    for (const auto &re : {tag, var}) {
        auto it = re.globalMatch(t);
        while (it.hasNext()) {
            auto m = it.next();
            out.push_back(
                {m.captured(1).toStdString(), m.captured(2).toStdString(), m.captured(3).toStdString()});
        }
    }
    return out;
}

std::string argoTaskName(const std::string &key)
{
    std::string out;
    for (char c : key)
        out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '-';
    return out;
}

// A pipeline exercising what the goldens do not: Pipewright's run-time
// placeholder, job placeholders, retries, caching off, resources with an
// accelerator, platform config and an exit handler inside a sub-DAG.
const char *kSyntheticSpec = R"(
pipelineInfo:
  name: nightly-batch
schemaVersion: 2.1.0
sdkVersion: pipewright-test
defaultPipelineRoot: gs://bucket/root
root:
  inputDefinitions:
    parameters:
      threshold: {parameterType: NUMBER_DOUBLE, defaultValue: 0.5, isOptional: true}
      selector: {parameterType: STRUCT, isOptional: true}
  dag:
    tasks:
      score:
        taskInfo: {name: score}
        componentRef: {name: comp-score}
        cachingOptions: {enableCache: false}
        retryPolicy: {maxRetryCount: 2, backoffDuration: 30s, backoffFactor: 2.0, backoffMaxDuration: 600s}
        inputs:
          parameters:
            run_date: {runtimeValue: {constant: "{{$.pipewright.run_time['%Y-%m-%d','Europe/Berlin']}}"}}
            threshold: {componentInputParameter: threshold}
      group:
        taskInfo: {name: group}
        componentRef: {name: comp-group}
        dependentTasks: [score]
        inputs:
          parameters:
            pipelinechannel--score-Output: {taskOutputParameter: {producerTask: score, outputParameterKey: Output}}
components:
  comp-score:
    executorLabel: exec-score
    inputDefinitions:
      parameters:
        run_date: {parameterType: STRING}
        threshold: {parameterType: NUMBER_DOUBLE}
    outputDefinitions:
      parameters:
        Output: {parameterType: STRING}
  comp-group:
    inputDefinitions:
      parameters:
        pipelinechannel--score-Output: {parameterType: STRING}
    dag:
      tasks:
        inner:
          taskInfo: {name: inner}
          componentRef: {name: comp-notify}
          inputs:
            parameters:
              msg: {componentInputParameter: pipelinechannel--score-Output}
        notify:
          taskInfo: {name: notify}
          componentRef: {name: comp-notify-status}
          dependentTasks: [inner]
          triggerPolicy: {strategy: ALL_UPSTREAM_TASKS_COMPLETED}
          inputs:
            parameters:
              status: {taskFinalStatus: {producerTask: inner}}
              msg: {runtimeValue: {constant: "run {{$.pipeline_job_name}} at {{$.pipeline_job_create_time_utc}}"}}
  comp-notify:
    executorLabel: exec-notify
    inputDefinitions:
      parameters:
        msg: {parameterType: STRING}
  comp-notify-status:
    executorLabel: exec-notify-status
    inputDefinitions:
      parameters:
        status: {parameterType: TASK_FINAL_STATUS}
        msg: {parameterType: STRING}
deploymentSpec:
  executors:
    exec-score:
      container:
        image: python:3.11
        command: [python, score.py]
        args: [--date, "{{$.inputs.parameters['run_date']}}", --job, "{{$.pipeline_job_name}}",
               --task, "{{$.pipeline_task_name}}", --stamp, "{{$.pipewright.run_time['%H:%M','UTC']}}",
               --out, "{{$.outputs.parameters['Output'].output_file}}"]
        resources:
          resourceCpuLimit: '2'
          resourceMemoryLimit: 4G
          accelerator: {resourceType: NVIDIA_TESLA_T4, resourceCount: '1'}
    exec-notify:
      container:
        image: alpine
        command: [echo, "{{$.inputs.parameters['msg']}}"]
    exec-notify-status:
      container:
        image: alpine
        command: [sh, -c, 'echo "$0"', "{{$}}"]
---
platforms:
  kubernetes:
    deploymentSpec:
      executors:
        exec-score:
          nodeSelector:
            nodeSelectorJson: {componentInputParameter: selector}
          tolerations:
          - {key: pool, operator: Equal, value: batch, effect: NoSchedule}
          secretAsEnv:
          - secretName: db-creds
            keyToEnv:
            - {secretKey: password, envVar: DB_PASSWORD}
          imagePullSecret:
          - secretName: regcred
          activeDeadlineSeconds: 3600
)";

} // namespace

class TstArgoSchema : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QStringList files = pw::test::filesIn(pw::test::referencePath("kfp-v2-goldens"), "*.yaml");
        QVERIFY2(files.size() >= 27, "the KFP v2 goldens are missing");
        QStringList yamlPaths;
        for (const QString &file : files) {
            Converted c;
            const std::string path = file.toStdString();
            auto text = pw::readTextFile(path);
            auto spec =
                text ? pw::ir::readPipelineSpec(*text, path) : pw::Result<pw::ir::PipelineSpec>(text.error());
            if (!spec) {
                c.error = QString::fromStdString("reading: " + spec.error().toString());
            } else {
                c.spec = *spec;
                auto wf = pw::argoWorkflow(c.spec);
                if (!wf) {
                    c.error = QString::fromStdString("converting: " + wf.error().toString());
                } else {
                    c.workflow = *wf;
                    c.yamlPath = m_dir.filePath(QFileInfo(file).fileName());
                    QFile out(c.yamlPath);
                    QVERIFY(out.open(QIODevice::WriteOnly));
                    out.write(QByteArray::fromStdString(pw::argoWorkflowYaml(c.workflow)));
                    yamlPaths << c.yamlPath;
                }
            }
            m_converted.emplace(QFileInfo(file).fileName(), std::move(c));
        }
        for (const auto &[row, options] : syntheticCases()) {
            Converted c;
            auto spec = pw::ir::readPipelineSpec(kSyntheticSpec, "synthetic.yaml");
            if (!spec) {
                c.error = QString::fromStdString("reading: " + spec.error().toString());
            } else {
                c.spec = *spec;
                auto wf = pw::argoWorkflow(c.spec, options);
                if (!wf) {
                    c.error = QString::fromStdString("converting: " + wf.error().toString());
                } else {
                    c.workflow = *wf;
                    c.yamlPath = m_dir.filePath(row + ".yaml");
                    QFile out(c.yamlPath);
                    QVERIFY(out.open(QIODevice::WriteOnly));
                    out.write(QByteArray::fromStdString(pw::argoWorkflowYaml(c.workflow)));
                    yamlPaths << c.yamlPath;
                }
            }
            m_converted.emplace(row, std::move(c));
        }
        // A workflow the schema must reject (a bare-number quantity), proving the
        // validator really checks.
        m_negativePath = m_dir.filePath("negative-control.yaml");
        QFile negative(m_negativePath);
        QVERIFY(negative.open(QIODevice::WriteOnly));
        negative.write(
            "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {generateName: x-}\n"
            "spec:\n  entrypoint: a\n  templates:\n  - name: a\n    container:\n      image: busybox\n"
            "      resources: {limits: {cpu: 1}}\n");
        negative.close();
        yamlPaths << m_negativePath;
        runValidator(yamlPaths);
    }

    void schema_data()
    {
        QTest::addColumn<QString>("golden");
        for (const auto &[name, c] : m_converted)
            QTest::newRow(name.toUtf8().constData()) << name;
    }

    void schema()
    {
        QFETCH(QString, golden);
        const Converted &c = m_converted.at(golden);
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        if (!m_validatorRan)
            QSKIP(qPrintable(m_skipReason));
        QVERIFY2(m_results.contains(c.yamlPath),
                 qPrintable("no validator result for " + c.yamlPath + "\n" + m_output));
        const QString result = m_results.value(c.yamlPath);
        QVERIFY2(result.isEmpty(), qPrintable(golden + " is not a valid Argo Workflow:\n" + result));
    }

    void validatorRejectsInvalid()
    {
        if (!m_validatorRan)
            QSKIP(qPrintable(m_skipReason));
        QVERIFY2(m_results.contains(m_negativePath), qPrintable(m_output));
        QVERIFY2(m_results.value(m_negativePath).contains("is not of type 'string'"),
                 qPrintable(m_results.value(m_negativePath)));
    }

    void structure_data() { schema_data(); }

    void structure()
    {
        QFETCH(QString, golden);
        const Converted &c = m_converted.at(golden);
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        const Json &wf = c.workflow;
        const Json &spec = wf["spec"];
        QCOMPARE(wf.value("apiVersion", std::string()), std::string("argoproj.io/v1alpha1"));
        QCOMPARE(wf.value("kind", std::string()), std::string("Workflow"));
        QVERIFY(wf["metadata"].contains("generateName"));
        QVERIFY(wf["metadata"]["annotations"].contains("pipelines.kubeflow.org/pipeline_spec"));

        // No KFP placeholder survives.
        std::vector<std::string> strings;
        collectStrings(wf, strings);
        for (const std::string &s : strings)
            QVERIFY2(s.find("{{$") == std::string::npos, s.c_str());

        std::map<std::string, const Json *> templates;
        static const QRegularExpression nameRe(QStringLiteral("^[a-zA-Z0-9][-a-zA-Z0-9]*$"));
        static const QRegularExpression paramRe(QStringLiteral("^[-a-zA-Z0-9_]+$"));
        for (const Json &t : spec["templates"]) {
            const std::string name = t["name"].get<std::string>();
            QVERIFY2(!templates.count(name), ("duplicate template " + name).c_str());
            QVERIFY2(nameRe.match(QString::fromStdString(name)).hasMatch(), name.c_str());
            templates[name] = &t;
        }
        QVERIFY(templates.count(spec["entrypoint"].get<std::string>()));
        if (spec.contains("onExit"))
            QVERIFY(templates.count(spec["onExit"].get<std::string>()));

        std::set<std::string> whenTasks, loopTasks, hookedTasks;
        for (const auto &[tname, tp] : templates) {
            const Json &t = *tp;
            const std::set<std::string> inParams =
                names(t.contains("inputs") ? t["inputs"].value("parameters", Json()) : Json());
            const std::set<std::string> inArtifacts =
                names(t.contains("inputs") ? t["inputs"].value("artifacts", Json()) : Json());
            for (const std::string &p : inParams)
                QVERIFY2(paramRe.match(QString::fromStdString(p)).hasMatch(), p.c_str());
            // Every input a template uses is declared by it (task arguments of a
            // DAG are checked against their callee below).
            Json own = t;
            if (own.contains("dag"))
                for (Json &task : own["dag"]["tasks"])
                    task.erase("withParam");
            const std::string text = own.dump();
            for (const std::string &used : referenced(text, "parameters"))
                QVERIFY2(inParams.count(used), (tname + " uses undeclared input parameter " + used).c_str());
            for (const std::string &used : referenced(text, "artifacts"))
                QVERIFY2(inArtifacts.count(used),
                         (tname + " uses undeclared input artifact " + used).c_str());
            if (!t.contains("dag"))
                continue;

            std::map<std::string, const Json *> tasks;
            for (const Json &task : t["dag"]["tasks"]) {
                const std::string name = task["name"].get<std::string>();
                QVERIFY2(nameRe.match(QString::fromStdString(name)).hasMatch(), name.c_str());
                QVERIFY2(!tasks.count(name), ("duplicate task " + name).c_str());
                tasks[name] = &task;
            }
            for (const auto &[name, taskp] : tasks) {
                const Json &task = *taskp;
                const std::string callee = task["template"].get<std::string>();
                QVERIFY2(templates.count(callee),
                         (tname + "/" + name + " calls missing template " + callee).c_str());
                checkCall(*templates.at(callee), task, tname + "/" + name);
                for (const Json &dep : task.value("dependencies", Json::array()))
                    QVERIFY2(tasks.count(dep.get<std::string>()),
                             (name + " depends on missing " + dep.dump()).c_str());
                if (task.contains("when"))
                    whenTasks.insert(name);
                if (task.contains("withItems") || task.contains("withParam"))
                    loopTasks.insert(name);
                if (task.contains("hooks")) {
                    const std::string hook = task["hooks"]["exit"]["template"].get<std::string>();
                    QVERIFY2(templates.count(hook), ("missing hook template " + hook).c_str());
                    checkCall(*templates.at(hook), task["hooks"]["exit"], name + " exit hook");
                    hookedTasks.insert(name);
                }
            }
            // Task output references point at tasks of this DAG and outputs their templates have.
            for (const TaskRef &ref : taskReferences(t["dag"].dump() + t.value("outputs", Json()).dump())) {
                QVERIFY2(tasks.count(ref.task), (tname + " refers to missing task " + ref.task).c_str());
                const Json &callee = *templates.at((*tasks.at(ref.task))["template"].get<std::string>());
                const Json outs =
                    callee.contains("outputs") ? callee["outputs"].value(ref.kind, Json()) : Json();
                QVERIFY2(names(outs).count(ref.name),
                         (tname + " reads " + ref.kind + " " + ref.name + " that task " + ref.task + " lacks")
                             .c_str());
            }
        }

        // The IR's conditions, loops and exit handlers all show up.
        bool rootExit = false, nestedExit = false;
        auto visit = [&](const pw::ir::Dag &dag, bool root) {
            for (const auto &[key, task] : dag.tasks) {
                const std::string name = argoTaskName(key);
                if (!task.triggerCondition.empty())
                    QVERIFY2(whenTasks.count(name), ("no `when` on task " + name).c_str());
                if (task.parameterIterator)
                    QVERIFY2(loopTasks.count(name), ("no withItems/withParam on task " + name).c_str());
                if (task.triggerStrategy == "ALL_UPSTREAM_TASKS_COMPLETED") {
                    (root ? rootExit : nestedExit) = true;
                    if (!root)
                        QVERIFY2(hookedTasks.count(argoTaskName(task.dependentTasks.front())),
                                 ("no exit hook for " + name).c_str());
                }
            }
        };
        visit(*c.spec.root.dag, true);
        for (const auto &[name, comp] : c.spec.components)
            if (comp.dag)
                visit(*comp.dag, false);
        if (rootExit)
            QVERIFY2(spec.contains("onExit"), "exit handler without spec.onExit");
    }

    void syntheticDetails()
    {
        const Converted &c = m_converted.at("synthetic-defaults");
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        const Json &spec = c.workflow["spec"];
        QCOMPARE(spec["arguments"]["parameters"],
                 Json::parse(
                     R"([{"name": "threshold", "value": "0.5"}])")); // optional, unset `selector` is absent
        QCOMPARE(spec["imagePullSecrets"], Json::parse(R"([{"name": "regcred"}])"));
        auto find = [&](const std::string &name) {
            for (const Json &t : spec["templates"])
                if (t["name"] == name)
                    return t;
            return Json();
        };
        const Json score = find("score");
        QVERIFY(!score.is_null());
        const std::string time =
            "sprig.toDate('2006-01-02T15:04:05Z07:00', workflow.creationTimestamp.RFC3339)";
        const Json args = score["container"]["args"];
        QCOMPARE(args[1].get<std::string>(), std::string("{{inputs.parameters.run_date}}"));
        QCOMPARE(args[3].get<std::string>(), std::string("{{workflow.name}}"));
        QCOMPARE(args[5].get<std::string>(), std::string("score"));
        QCOMPARE(args[7].get<std::string>(), "{{=sprig.dateInZone('15:04', " + time + ", 'UTC')}}");
        QCOMPARE(args[9].get<std::string>(), std::string("/tmp/outputs/Output/data"));
        QCOMPARE(score["container"]["resources"],
                 Json::parse(R"({"limits": {"cpu": "2", "memory": "4G", "nvidia.com/gpu": "1"}})"));
        QCOMPARE(score["nodeSelector"],
                 Json::parse(R"({"cloud.google.com/gke-accelerator": "nvidia-tesla-t4"})"));
        QCOMPARE(score["tolerations"],
                 Json::parse(
                     R"([{"key": "pool", "operator": "Equal", "value": "batch", "effect": "NoSchedule"}])"));
        QCOMPARE(score["container"]["env"],
                 Json::parse(R"([{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef":
                     {"name": "db-creds", "key": "password"}}}])"));
        QCOMPARE(score["activeDeadlineSeconds"], Json("3600"));
        QCOMPARE(score["retryStrategy"], Json::parse(R"({"limit": "2", "backoff": {"duration": "30s",
                     "factor": "2", "maxDuration": "600s"}})"));
        QCOMPARE(score["metadata"]["annotations"]["pipelines.kubeflow.org/max_cache_staleness"], Json("P0D"));
        QVERIFY(!score.contains("podSpecPatch")); // the node selector input is unset

        // The run-time constant is evaluated by Argo when the task runs.
        const Json root = find("nightly-batch");
        std::string runDate;
        for (const Json &task : root["dag"]["tasks"])
            if (task["name"] == "score")
                for (const Json &p : task["arguments"]["parameters"])
                    if (p["name"] == "run_date")
                        runDate = p["value"].get<std::string>();
        QCOMPARE(runDate, "{{=sprig.dateInZone('2006-01-02', " + time + ", 'Europe/Berlin')}}");

        // An exit handler inside a sub-DAG becomes the upstream task's exit hook.
        const Json group = find("group");
        const Json inner = group["dag"]["tasks"][0];
        QCOMPARE(inner["name"], Json("inner"));
        QCOMPARE(group["dag"]["tasks"].size(), size_t(1));
        const Json hook = inner["hooks"]["exit"];
        QCOMPARE(hook["template"], Json("notify-status"));
        std::map<std::string, std::string> hookArgs;
        for (const Json &p : hook["arguments"]["parameters"])
            hookArgs[p["name"].get<std::string>()] = p["value"].get<std::string>();
        QCOMPARE(hookArgs["msg"],
                 std::string("run {{workflow.name}} at {{workflow.creationTimestamp.RFC3339}}"));
        QVERIFY2(hookArgs["status"].find("{{=sprig.upper(tasks['inner'].status)}}") != std::string::npos,
                 hookArgs["status"].c_str());
        QVERIFY(hookArgs["status"].find("\"pipelineTaskName\": \"inner\"") != std::string::npos);
    }

    void syntheticOverrides()
    {
        const Converted &c = m_converted.at("synthetic-overrides");
        QVERIFY2(c.error.isEmpty(), qPrintable(c.error));
        const Json &spec = c.workflow["spec"];
        const Json expected = Json::array({{{"name", "selector"}, {"value", "{\"pool\": \"gpu\"}"}},
                                           {{"name", "threshold"}, {"value", "0.9"}}});
        QCOMPARE(spec["arguments"]["parameters"], expected);
        for (const Json &t : spec["templates"]) {
            if (t["name"] != "score")
                continue;
            // A node selector read from a parameter reaches the pod through podSpecPatch.
            QCOMPARE(t["podSpecPatch"].get<std::string>(),
                     std::string("{\"nodeSelector\": {{inputs.parameters.pipewright-k8s-node-selector}}}"));
            return;
        }
        QFAIL("no score template");
    }

    void writerErrors_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("fractional backoff factor") << "factor"
                                                   << "backoff factor";
        QTest::newRow("TPU accelerator") << "tpu"
                                         << "accelerator type";
        QTest::newRow("artifact loop") << "artifactLoop"
                                       << "artifact list";

        QTest::newRow("unknown override") << "override"
                                          << "unknown pipeline parameter";
        QTest::newRow("bad time zone") << "zone"
                                       << "time zone";
        QTest::newRow("root exit handler reads a task output") << "rootExitOutput"
                                                               << "onExit";
        QTest::newRow("unknown placeholder") << "placeholder"
                                             << "{{$.nope}}";
        QTest::newRow("task after exit handler") << "afterExit"
                                                 << "exit handler";
        QTest::newRow("artifact from loop iterations") << "loopArtifact"
                                                       << "iterations of loop";
    }

    void writerErrors()
    {
        QFETCH(QString, change);
        QFETCH(QString, messagePart);
        auto parsed = pw::ir::readPipelineSpec(kSyntheticSpec, "synthetic.yaml");
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : parsed.error().toString().c_str());
        pw::ir::PipelineSpec spec = *parsed;
        pw::ArgoOptions options;
        auto &rootTasks = spec.root.dag->tasks;
        auto &score = spec.executors["exec-score"].container.value();
        if (change == "factor") {
            rootTasks["score"].retryPolicy->backoffFactor = 1.5;
        } else if (change == "tpu") {
            score.resources.acceleratorType = "TPU_V3";
        } else if (change == "artifactLoop") {
            rootTasks["score"].artifactIterator = pw::ir::ArtifactIterator{"item", "models"};
        } else if (change == "override") {
            options.parameterValues["nope"] = "1";
        } else if (change == "zone") {
            score.args.push_back("{{$.pipewright.run_time['%Y','Mars/Olympus Mons']}}");
        } else if (change == "rootExitOutput") {
            pw::ir::PipelineTask exitTask = spec.components["comp-group"].dag->tasks["notify"];
            exitTask.dependentTasks = {"group"};
            exitTask.inputs.parameters["msg"] = {};
            exitTask.inputs.parameters["msg"].taskOutputParameter = {"score", "Output"};
            rootTasks["notify"] = exitTask;
        } else if (change == "placeholder") {
            score.args.push_back("{{$.nope}}");
        } else if (change == "loopArtifact") {
            spec.components["comp-score"].outputDefinitions.artifacts["model"].artifactType.schemaTitle =
                "system.Model";
            rootTasks["score"].parameterIterator =
                pw::ir::ParameterIterator{"item", std::string("[1, 2]"), {}};
            rootTasks["group"].inputs.artifacts["model"].taskOutputArtifact = {"score", "model"};
        } else if (change == "afterExit") {
            auto &tasks = spec.components["comp-group"].dag->tasks;
            pw::ir::PipelineTask after = tasks["inner"];
            after.dependentTasks = {"notify"};
            tasks["after"] = after;
        }
        auto wf = pw::argoWorkflow(spec, options);
        QVERIFY2(!wf.ok(), "conversion should fail");
        QVERIFY2(QString::fromStdString(wf.error().message).contains(messagePart),
                 wf.error().message.c_str());
    }

    // Argo has no workflow artifacts without a source: like KFP v1, a pipeline
    // input artifact is a parameter holding the content, passed on as `raw`.
    void pipelineInputArtifact()
    {
        auto parsed = pw::ir::readPipelineSpec(kSyntheticSpec, "synthetic.yaml");
        QVERIFY(parsed.ok());
        pw::ir::PipelineSpec spec = *parsed;
        spec.root.inputDefinitions.artifacts["data"].artifactType.schemaTitle = "system.Dataset";
        spec.components["comp-score"].inputDefinitions.artifacts["data"].artifactType.schemaTitle =
            "system.Dataset";
        spec.root.dag->tasks["score"].inputs.artifacts["data"].componentInputArtifact = "data";
        auto has = [](const Json &list, const Json &item) {
            return list.is_array() && std::find(list.begin(), list.end(), item) != list.end();
        };
        auto wf = pw::argoWorkflow(spec);
        QVERIFY2(wf.ok(), wf.ok() ? "" : wf.error().message.c_str());
        QVERIFY(has((*wf)["spec"]["arguments"]["parameters"], Json{{"name", "data"}}));
        for (const Json &t : (*wf)["spec"]["templates"]) {
            if (t["name"] == "score") {
                QCOMPARE(t["inputs"]["artifacts"],
                         Json::parse(R"([{"name": "data", "path": "/tmp/inputs/data/data"}])"));
            } else if (t["name"] == "nightly-batch") {
                QVERIFY(has(t["inputs"]["parameters"], Json{{"name", "data"}}));
                for (const Json &task : t["dag"]["tasks"])
                    if (task["name"] == "score")
                        QCOMPARE(task["arguments"]["artifacts"],
                                 Json::parse(
                                     R"([{"name": "data", "raw": {"data": "{{inputs.parameters.data}}"}}])"));
            }
        }
        pw::ArgoOptions options;
        options.parameterValues["data"] = "a,b\n1,2";
        auto withValue = pw::argoWorkflow(spec, options);
        QVERIFY(withValue.ok());
        QVERIFY(has((*withValue)["spec"]["arguments"]["parameters"],
                    Json{{"name", "data"}, {"value", "a,b\n1,2"}}));
    }

    void yamlKeyOrder()
    {
        const Converted &c = m_converted.at("synthetic-defaults");
        const std::string yaml = pw::argoWorkflowYaml(c.workflow);
        QVERIFY(yaml.rfind("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n", 0) == 0);
        QVERIFY(yaml.find("\nspec:\n  entrypoint: nightly-batch\n") != std::string::npos);
        QVERIFY(yaml.find("- name: score\n        template: score\n") != std::string::npos);
        // Round trip: the YAML holds exactly the workflow.
        auto docs = pw::parseYamlDocuments(yaml, "roundtrip.yaml");
        QVERIFY(docs.ok());
        QCOMPARE(pw::yamlToJson(docs->front()), c.workflow);
    }

private:
    static std::vector<std::pair<QString, pw::ArgoOptions>> syntheticCases()
    {
        pw::ArgoOptions overrides;
        overrides.parameterValues = {{"threshold", "0.9"}, {"selector", "{\"pool\": \"gpu\"}"}};
        return {{"synthetic-defaults", pw::ArgoOptions{}}, {"synthetic-overrides", overrides}};
    }

    // A call passes only inputs the callee declares, and every input without a
    // default gets a value.
    void checkCall(const Json &callee, const Json &call, const std::string &where)
    {
        const Json inputs = callee.value("inputs", Json::object());
        std::set<std::string> required;
        for (const Json &p : inputs.value("parameters", Json::array()))
            if (!p.contains("default") && !p.contains("value"))
                required.insert(p["name"].get<std::string>());
        const std::set<std::string> declared = names(inputs.value("parameters", Json::array()));
        const Json args = call.value("arguments", Json::object());
        const std::set<std::string> given = names(args.value("parameters", Json::array()));
        for (const std::string &g : given)
            QVERIFY2(declared.count(g), (where + " passes undeclared parameter " + g).c_str());
        for (const std::string &r : required)
            QVERIFY2(given.count(r), (where + " does not pass required parameter " + r).c_str());
        const std::set<std::string> givenArtifacts = names(args.value("artifacts", Json::array()));
        for (const Json &a : inputs.value("artifacts", Json::array())) {
            // An artifact with its own source (gcs, s3, http, ...) needs no argument.
            const bool hasSource = a.contains("gcs") || a.contains("s3") || a.contains("http") ||
                                   a.contains("raw") || a.contains("git") || a.value("optional", false);
            const std::string name = a["name"].get<std::string>();
            QVERIFY2(hasSource || givenArtifacts.count(name),
                     (where + " does not pass artifact " + name).c_str());
        }
    }

    void runValidator(const QStringList &paths)
    {
        const QString python = QStringLiteral(PW_PYTHON);
        if (python.isEmpty() || !QFileInfo(python).isExecutable()) {
            m_skipReason = "no Python interpreter (PW_PYTHON) to run validate_argo.py";
            return;
        }
        QProcess process;
        QStringList args{validatorScript(), pw::test::referencePath("argo/workflow.schema.json")};
        args << paths;
        process.start(python, args);
        QVERIFY2(process.waitForFinished(300000), "validate_argo.py did not finish");
        m_output = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
        if (process.exitCode() == 77) {
            m_skipReason = "validate_argo.py: " + m_output.trimmed() + " (pip install jsonschema pyyaml)";
            return;
        }
        QVERIFY2(process.exitCode() == 0 || process.exitCode() == 1, qPrintable(m_output));
        m_validatorRan = true;
        QString current;
        for (const QString &line : m_output.split('\n')) {
            if (line.startsWith("OK ")) {
                m_results.insert(line.mid(3), QString());
            } else if (line.startsWith("INVALID ")) {
                current = line.mid(8);
                m_results.insert(current, QString());
            } else if (line.startsWith("  ") && !current.isEmpty()) {
                m_results[current] += line + '\n';
            }
        }
    }

    QTemporaryDir m_dir;
    std::map<QString, Converted> m_converted;
    QMap<QString, QString> m_results; // yaml path -> errors ("" when valid)
    QString m_output, m_skipReason, m_negativePath;
    bool m_validatorRan = false;
};

QTEST_GUILESS_MAIN(TstArgoSchema)
#include "tst_argoschema.moc"
