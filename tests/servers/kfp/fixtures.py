# SPDX-License-Identifier: Apache-2.0
"""Small pipelines for the tests, written the way the KFP SDK compiles them."""
import copy
import json


def component(image="python:3.11", command="echo", outputs=None, artifacts=None, inputs=None):
    """(component, executor) of a container component. `command` is one shell
    line (test markers go there); outputs {name: parameterType}, artifacts
    {name: schemaTitle}, inputs {name: parameterType}."""
    comp = {}
    if inputs:
        comp["inputDefinitions"] = {"parameters": {n: {"parameterType": t} for n, t in inputs.items()}}
    out = {}
    if outputs:
        out["parameters"] = {n: {"parameterType": t} for n, t in outputs.items()}
    if artifacts:
        out["artifacts"] = {n: {"artifactType": {"schemaTitle": t, "schemaVersion": "0.0.1"}} for n, t in artifacts.items()}
    if out:
        comp["outputDefinitions"] = out
    executor = {"container": {"image": image, "command": ["sh", "-c"], "args": [command]}}
    return comp, executor


def task(comp, deps=None, inputs=None, condition=None, trigger_all=False, items=None, item_input=None,
         retries=None):
    t = {"componentRef": {"name": comp}, "taskInfo": {"name": comp.replace("comp-", "")}}
    if deps:
        t["dependentTasks"] = list(deps)
    if inputs:
        t["inputs"] = {"parameters": inputs}
    policy = {}
    if condition:
        policy["condition"] = condition
    if trigger_all:
        policy["strategy"] = "ALL_UPSTREAM_TASKS_COMPLETED"
    if policy:
        t["triggerPolicy"] = policy
    if items is not None:
        t["parameterIterator"] = {"itemInput": item_input, "items": items}
    if retries:
        t["retryPolicy"] = {"maxRetryCount": retries, "backoffDuration": "0s"}
    return t


class Spec:
    """Builds a PipelineSpec: add containers and DAG components, then root tasks."""

    def __init__(self, name, root_inputs=None):
        self.spec = {"pipelineInfo": {"name": name}, "schemaVersion": "2.1.0", "sdkVersion": "kfp-2.13.0",
                     "components": {}, "deploymentSpec": {"executors": {}}, "root": {"dag": {"tasks": {}}}}
        if root_inputs:
            self.spec["root"]["inputDefinitions"] = {"parameters": root_inputs}

    def container(self, name, **kwargs):
        comp, executor = component(**kwargs)
        comp["executorLabel"] = f"exec-{name}"
        self.spec["components"][f"comp-{name}"] = comp
        self.spec["deploymentSpec"]["executors"][f"exec-{name}"] = executor
        return f"comp-{name}"

    def dag(self, name, tasks, inputs=None):
        comp = {"dag": {"tasks": tasks}}
        if inputs:
            comp["inputDefinitions"] = {"parameters": {n: {"parameterType": t} for n, t in inputs.items()}}
        self.spec["components"][f"comp-{name}"] = comp
        return f"comp-{name}"

    def root(self, name, t):
        t = copy.deepcopy(t)
        t["taskInfo"] = {"name": name}
        self.spec["root"]["dag"]["tasks"][name] = t
        return self

    def build(self):
        return copy.deepcopy(self.spec)


def named(t, name):
    t = copy.deepcopy(t)
    t["taskInfo"] = {"name": name}
    return t


def linear():
    s = Spec("linear-pipeline", {"text": {"parameterType": "STRING", "defaultValue": "hi"}})
    s.container("produce", command="echo produce pipewright-test:output:Output=made",
                outputs={"Output": "STRING"}, inputs={"text": "STRING"})
    s.container("consume", command="echo consume", inputs={"msg": "STRING"})
    s.root("produce", task("comp-produce", inputs={"text": {"componentInputParameter": "text"}}))
    s.root("consume", task("comp-consume", deps=["produce"], inputs={
        "msg": {"taskOutputParameter": {"producerTask": "produce", "outputParameterKey": "Output"}}}))
    return s.build()


def typed_inputs():
    s = Spec("typed-inputs", {"count": {"parameterType": "NUMBER_INTEGER"},
                              "name": {"parameterType": "STRING", "defaultValue": "x"},
                              "flag": {"parameterType": "BOOLEAN", "isOptional": True},
                              "items": {"parameterType": "LIST", "defaultValue": [1]}})
    s.container("noop")
    s.root("noop", task("comp-noop"))
    return s.build()


def branches():
    """flip says heads; condition-1 (heads) runs, condition-2 (tails) and the
    false root-parameter condition-3 are SKIPPED."""
    s = Spec("branches", {"run_extra": {"parameterType": "BOOLEAN", "defaultValue": False}})
    s.container("flip", command="echo flip pipewright-test:output:Output=heads", outputs={"Output": "STRING"})
    s.container("print", command="echo print", inputs={"msg": "STRING"})
    s.dag("condition-1", {"print-heads": named(task("comp-print", inputs={
        "msg": {"componentInputParameter": "pipelinechannel--flip-Output"}}), "print-heads")},
        inputs={"pipelinechannel--flip-Output": "STRING"})
    s.dag("condition-2", {"print-tails": named(task("comp-print", inputs={
        "msg": {"runtimeValue": {"constant": "tails"}}}), "print-tails")},
        inputs={"pipelinechannel--flip-Output": "STRING"})
    s.dag("condition-3", {"print-extra": named(task("comp-print", inputs={
        "msg": {"runtimeValue": {"constant": "extra"}}}), "print-extra")},
        inputs={"pipelinechannel--run_extra": "BOOLEAN"})
    channel = {"pipelinechannel--flip-Output": {"taskOutputParameter": {"producerTask": "flip",
                                                                        "outputParameterKey": "Output"}}}
    s.root("flip", task("comp-flip"))
    s.root("condition-1", task("comp-condition-1", deps=["flip"], inputs=channel,
                               condition="inputs.parameter_values['pipelinechannel--flip-Output'] == 'heads'"))
    s.root("condition-2", task("comp-condition-2", deps=["flip"], inputs=channel,
                               condition="inputs.parameter_values['pipelinechannel--flip-Output'] == 'tails'"))
    s.root("condition-3", task("comp-condition-3", inputs={
        "pipelinechannel--run_extra": {"componentInputParameter": "run_extra"}},
        condition="inputs.parameter_values['pipelinechannel--run_extra'] == true"))
    return s.build()


def loops():
    """for-loop-1 over a literal list of 3, for-loop-2 over the `names` parameter."""
    s = Spec("loops", {"names": {"parameterType": "LIST", "defaultValue": ["ann", "bob"]}})
    s.container("show", command="echo show", inputs={"value": "STRING"})
    s.dag("for-loop-1", {"show-number": named(task("comp-show", inputs={
        "value": {"componentInputParameter": "pipelinechannel--loop-item-param-1"}}), "show-number")},
        inputs={"pipelinechannel--loop-item-param-1": "NUMBER_INTEGER"})
    s.dag("for-loop-2", {"show-name": named(task("comp-show", inputs={
        "value": {"componentInputParameter": "pipelinechannel--names-loop-item"}}), "show-name")},
        inputs={"pipelinechannel--names-loop-item": "STRING"})
    s.root("for-loop-1", task("comp-for-loop-1", items={"raw": "[1, 2, 3]"},
                              item_input="pipelinechannel--loop-item-param-1"))
    s.root("for-loop-2", task("comp-for-loop-2", inputs={
        "pipelinechannel--names": {"componentInputParameter": "names"}},
        items={"inputParameter": "pipelinechannel--names"}, item_input="pipelinechannel--names-loop-item"))
    return s.build()


def exit_handler(fail=True):
    """exit-handler-1 holds a task that fails; the exit task runs anyway."""
    s = Spec("exit-handler")
    s.container("work", command="exit 1 # pipewright-test:fail" if fail else "echo fine")
    s.container("cleanup", command="echo cleanup")
    s.dag("exit-handler-1", {"work": named(task("comp-work"), "work")})
    s.root("exit-handler-1", task("comp-exit-handler-1"))
    s.root("cleanup", task("comp-cleanup", deps=["exit-handler-1"], trigger_all=True))
    return s.build()


def metrics():
    s = Spec("metrics")
    s.container("evaluate", command="evaluate pipewright-test:metric:accuracy=0.93 pipewright-test:metric:loss=0.2",
                artifacts={"metrics": "system.Metrics", "classification": "system.ClassificationMetrics",
                           "model": "system.Model"})
    s.root("evaluate", task("comp-evaluate"))
    return s.build()


def flaky(marker="fail-once", retries=None):
    s = Spec("flaky")
    s.container("first", command="echo first")
    s.container("flaky", command=f"exit 1 # pipewright-test:{marker}")
    s.container("after", command="echo after")
    s.root("first", task("comp-first"))
    s.root("flaky", task("comp-flaky", deps=["first"], retries=retries))
    s.root("after", task("comp-after", deps=["flaky"]))
    return s.build()


def slow(steps=3):
    s = Spec("slow")
    s.container("slow", command=f"sleep pipewright-test:steps={steps}")
    s.root("slow", task("comp-slow"))
    return s.build()


def everything():
    """Conditions, loops, an exit handler with a failing body, metrics: for
    the response self-check over a run's whole life."""
    s = Spec("everything", {"names": {"parameterType": "LIST", "defaultValue": ["ann", "bob"]}})
    base = branches()["components"]
    base.update(loops()["components"])
    base.update(metrics()["components"])
    base.update(exit_handler()["components"])
    s.spec["components"] = base
    for src in (branches(), loops(), metrics(), exit_handler()):
        s.spec["deploymentSpec"]["executors"].update(src["deploymentSpec"]["executors"])
    tasks = {}
    for src in (branches(), loops(), metrics(), exit_handler()):
        tasks.update(src["root"]["dag"]["tasks"])
    s.spec["root"]["dag"]["tasks"] = tasks
    s.spec["root"]["inputDefinitions"] = {"parameters": {
        "names": {"parameterType": "LIST", "defaultValue": ["ann", "bob"]},
        "run_extra": {"parameterType": "BOOLEAN", "defaultValue": False}}}
    return s.build()


def platform_spec():
    return {"platforms": {"kubernetes": {"deploymentSpec": {"executors": {
        "exec-produce": {"nodeSelector": {"labels": {"pool": "cpu"}}}}}}}}


V1_WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: v1-test-
  annotations: {pipelines.kubeflow.org/pipeline_spec: '{"name": "v1 test"}'}
spec:
  entrypoint: main
  onExit: exit-handler
  serviceAccountName: pipeline-runner
  arguments:
    parameters:
    - {name: message, value: hello}
  templates:
  - name: main
    dag:
      tasks:
      - name: train
        template: train
        arguments:
          parameters:
          - {name: message, value: '{{workflow.parameters.message}}'}
      - {name: flaky, template: flaky, dependencies: [train]}
      - name: fan-out
        template: echo
        dependencies: [train]
        withItems: [a, b]
        arguments:
          parameters:
          - {name: text, value: '{{item}}'}
      - name: only-if-tails
        template: echo
        dependencies: [train]
        when: '"{{tasks.train.outputs.parameters.coin}}" == "tails"'
        arguments:
          parameters:
          - {name: text, value: x}
  - name: train
    inputs:
      parameters:
      - {name: message}
    container:
      image: python:3.11
      command: [sh, -c, 'echo {{inputs.parameters.message}} pipewright-test:output:coin=heads pipewright-test:metric:accuracy=0.93']
    outputs:
      parameters:
      - name: coin
        valueFrom: {path: /tmp/coin}
      artifacts:
      - {name: mlpipeline-metrics, path: /tmp/outputs/mlpipeline-metrics.json}
      - {name: mlpipeline-ui-metadata, path: /tmp/outputs/mlpipeline-ui-metadata.json}
  - name: flaky
    retryStrategy: {limit: 2}
    container:
      image: alpine
      command: [sh, -c, 'exit 1 # pipewright-test:fail-once']
  - name: echo
    inputs:
      parameters:
      - {name: text}
    container:
      image: alpine
      command: [echo, '{{inputs.parameters.text}}']
  - name: exit-handler
    container:
      image: alpine
      command: [echo, 'status {{workflow.status}}']
"""


STEPS_WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: coinflip-}
spec:
  entrypoint: coinflip
  templates:
  - name: coinflip
    steps:
    - - {name: flip-coin, template: flip-coin}
    - - {name: heads, template: heads, when: '{{steps.flip-coin.outputs.result}} == heads'}
      - {name: tails, template: heads, when: '{{steps.flip-coin.outputs.result}} == tails'}
  - name: flip-coin
    script: {image: python:alpine3.6, command: [python], source: 'print("heads") # pipewright-test:output:result=heads'}
  - name: heads
    container: {image: alpine:3.6, command: [sh, -c], args: ['echo "it was heads"']}
"""


def v1_failing_workflow():
    return V1_WORKFLOW.replace("    retryStrategy: {limit: 2}\n", "").replace("fail-once", "fail")


def as_json(spec):
    return json.dumps(spec)
