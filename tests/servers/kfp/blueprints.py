# SPDX-License-Identifier: Apache-2.0
"""What each node of a run executes, built from a v2 PipelineSpec (IR) or a
v1 Argo Workflow. runs.py steps through them without knowing which.

A Blueprint is a DAG (tasks with dependencies), a Steps template (groups run
one after the other) or a container. A TaskDef is one task of a DAG: which
blueprint it runs, what it waits for, its condition, loop items and inputs.

Test markers in a container's command, args or script source:
  pipewright-test:fail              the task fails, every attempt
  pipewright-test:fail-once         the first attempt in the run fails (a retry succeeds)
  pipewright-test:steps=N           it stays RUNNING for N steps (default 1)
  pipewright-test:output:NAME=VALUE output parameter NAME is VALUE (JSON for typed outputs)
  pipewright-test:metric:NAME=NUMBER a metric it reports (v1 mlpipeline-metrics, v2 system.Metrics)
"""
import json
import re

import expr

_MARKER = re.compile(r"pipewright-test:(fail-once|fail|steps=(\d+)|output:([\w.-]+)=([^\s'\"\\,\]]+)|metric:([\w.-]+)=([-+0-9.eE]+))")
DEFAULT_IMAGE = "python:3.11"


class Markers:
    def __init__(self, text):
        self.fail = False
        self.fail_once = False
        self.steps = 1
        self.outputs = {}
        self.metrics = {}
        for m in _MARKER.finditer(text or ""):
            if m.group(1) == "fail":
                self.fail = True
            elif m.group(1) == "fail-once":
                self.fail_once = True
            elif m.group(2):
                self.steps = max(1, int(m.group(2)))
            elif m.group(3):
                self.outputs[m.group(3)] = m.group(4)
            elif m.group(5):
                self.metrics[m.group(5)] = float(m.group(6))


class Blueprint:
    def __init__(self, kind, name):
        self.kind = kind            # "dag" | "steps" | "container"
        self.name = name            # component / template name
        self.tasks = []             # dag: [TaskDef]
        self.groups = []            # steps: [[TaskDef]]
        self.image = DEFAULT_IMAGE
        self.markers = Markers("")
        self.output_params = {}     # container: {name: default value}
        self.output_artifacts = []  # container: [(name, type)]
        self.retry_limit = 0
        self.pod_template = name    # the Argo template a pod of it runs
        self.dag_output = None      # dag: callable(node, key) -> value


class TaskDef:
    def __init__(self, name, display=None):
        self.name = name
        self.display = display or name
        self.blueprint = None       # callable() -> Blueprint (resolved lazily)
        self.deps = []
        self.trigger_all = False
        self.condition = None       # callable(parent, inputs) -> bool (raises ExprError)
        self.condition_text = ""
        self.items = None           # callable(parent, inputs) -> list
        self.parallelism = 0
        self.inputs = None          # callable(parent, item) -> scope of the node it creates


def _typed_default(kind):
    return {"STRING": "", "NUMBER_INTEGER": 0, "NUMBER_DOUBLE": 0.0, "BOOLEAN": False,
            "LIST": [], "STRUCT": {}}.get(kind, "")


def typed_value(text, kind):
    if kind == "STRING" or kind is None:
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


# -- v2 PipelineSpec -------------------------------------------------------

class IRBuilder:
    """Blueprints of a PipelineSpec as protojson decoded it (snake_case)."""

    def __init__(self, ir):
        self.ir = ir
        self.components = ir.get("components") or {}
        self.executors = ((ir.get("deployment_spec") or {}).get("executors")) or {}
        self._cache = {}

    def root(self):
        return self._component_blueprint("root", self.ir["root"], {})

    def _component(self, name):
        if name not in self._cache:
            self._cache[name] = self._component_blueprint(name, self.components[name], {})
        return self._cache[name]

    def _component_blueprint(self, name, comp, task_spec):
        if "dag" in comp:
            bp = Blueprint("dag", name)
            dag = comp["dag"]
            for task_name, task in (dag.get("tasks") or {}).items():
                bp.tasks.append(self._task(task_name, task))
            outputs = ((dag.get("outputs") or {}).get("parameters")) or {}
            bp.dag_output = lambda node, key, outputs=outputs: self._dag_output(node, outputs.get(key))
            return bp
        bp = Blueprint("container", name)
        bp.pod_template = "system-container-impl"
        executor = self.executors.get(comp.get("executor_label"), {})
        container = executor.get("container") or {}
        bp.image = container.get("image", DEFAULT_IMAGE) if container else \
            ("importer" if "importer" in executor else "resolver")
        text = " ".join(str(x) for x in (container.get("command") or []) + (container.get("args") or []))
        bp.markers = Markers(text)
        outdefs = comp.get("output_definitions") or {}
        for pname, p in (outdefs.get("parameters") or {}).items():
            kind = p.get("parameter_type")
            bp.output_params[pname] = (typed_value(bp.markers.outputs[pname], kind)
                                       if pname in bp.markers.outputs else _typed_default(kind))
        for aname, a in (outdefs.get("artifacts") or {}).items():
            bp.output_artifacts.append((aname, ((a.get("artifact_type") or {}).get("schema_title")) or "system.Artifact"))
        if "importer" in executor:
            bp.output_artifacts.append(("artifact", ((executor["importer"].get("type_schema") or {})
                                                     .get("schemaTitle")) or "system.Artifact"))
        return bp

    def _task(self, task_name, task):
        td = TaskDef(task_name, ((task.get("task_info") or {}).get("name")) or task_name)
        comp_name = task["component_ref"]["name"]
        retry = int(((task.get("retry_policy") or {}).get("max_retry_count")) or 0)

        def blueprint(comp_name=comp_name, retry=retry):
            bp = self._component(comp_name)
            if retry and bp.kind == "container" and bp.retry_limit != retry:
                copy = Blueprint(bp.kind, bp.name)
                copy.__dict__.update(bp.__dict__)
                copy.retry_limit = retry
                return copy
            return bp

        td.blueprint = blueprint
        td.deps = list(task.get("dependent_tasks") or [])
        policy = task.get("trigger_policy") or {}
        td.trigger_all = policy.get("strategy") == "ALL_UPSTREAM_TASKS_COMPLETED"
        params = ((task.get("inputs") or {}).get("parameters")) or {}
        comp = self.components.get(comp_name, {})
        defaults = {n: p["default_value"] for n, p in
                    (((comp.get("input_definitions") or {}).get("parameters")) or {}).items() if "default_value" in p}
        if policy.get("condition"):
            td.condition_text = policy["condition"]
            td.condition = lambda parent, inputs, text=policy["condition"]: expr.eval_cel(text, inputs)
        iterator = task.get("parameter_iterator")
        artifact_iterator = task.get("artifact_iterator")
        item_input = None
        if iterator:
            item_input = iterator.get("item_input")
            items = iterator.get("items") or {}
            td.items = lambda parent, inputs, items=items: self._items(parent, inputs, items)
        elif artifact_iterator:
            item_input = artifact_iterator.get("item_input")
            td.items = lambda parent, inputs: []
        td.parallelism = int(((task.get("iterator_policy") or {}).get("parallelism_limit")) or 0)

        def inputs(parent, item, params=params, defaults=defaults, item_input=item_input, has_item=td.items):
            values = dict(defaults)
            for pname, pspec in params.items():
                values[pname] = self.resolve(pspec, parent)
            if has_item is not None and item_input:
                values[item_input] = item
            # parameter_expression_selector on an input that reads the loop item
            for pname, pspec in params.items():
                if pspec.get("parameter_expression_selector") and has_item is not None \
                        and pspec.get("component_input_parameter") == item_input:
                    values[pname] = _select(item, pspec["parameter_expression_selector"])
            return values

        td.inputs = inputs
        return td

    def _items(self, parent, inputs, items):
        if "raw" in items:
            value = items["raw"]
            try:
                value = json.loads(value) if isinstance(value, str) else value
            except ValueError:
                raise expr.ExprError(f"loop items are not a JSON list: {value!r}")
        else:
            value = inputs.get(items.get("input_parameter"))
            if isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise expr.ExprError(f"loop items are not a JSON list: {value!r}")
        if value is None:
            return []
        if not isinstance(value, list):
            raise expr.ExprError(f"loop items are not a list: {value!r}")
        return value

    def resolve(self, pspec, parent):
        """The value of one task input (a ParameterSpec of PipelineTaskSpec.inputs)."""
        if "component_input_parameter" in pspec:
            value = parent.scope.get(pspec["component_input_parameter"])
        elif "task_output_parameter" in pspec:
            ref = pspec["task_output_parameter"]
            value = output_of(parent.by_task.get(ref.get("producer_task")), ref.get("output_parameter_key"))
        elif "runtime_value" in pspec:
            rv = pspec["runtime_value"]
            if "constant" in rv:
                value = rv["constant"]
            else:
                cv = rv.get("constant_value") or {}
                value = next(iter(cv.values()), None)
        elif "task_final_status" in pspec:
            producer = parent.by_task.get(pspec["task_final_status"].get("producer_task"))
            state = producer.state if producer else "SKIPPED"
            value = {"state": state, "pipelineTaskName": pspec["task_final_status"].get("producer_task"),
                     "pipelineJobResourceName": parent.execution.run_id,
                     "error": {"code": 2, "message": "a task failed"} if state == "FAILED" else {}}
        else:
            value = None
        selector = pspec.get("parameter_expression_selector")
        if selector and "component_input_parameter" not in pspec:
            value = _select(value, selector)
        return value

    def _dag_output(self, node, spec):
        if not spec:
            return None
        if "value_from_parameter" in spec:
            ref = spec["value_from_parameter"]
            return output_of(node.by_task.get(ref.get("producer_subtask")), ref.get("output_parameter_key"))
        if "value_from_oneof" in spec:
            for sel in ((spec["value_from_oneof"].get("parameter_selectors")) or []):
                child = node.by_task.get(sel.get("producer_subtask"))
                if child is not None and child.state == "SUCCEEDED":
                    return output_of(child, sel.get("output_parameter_key"))
        return None


def _select(value, selector):
    """parseJson(string_value)["key"] and friends on a loop item."""
    m = re.match(r'^parseJson\(string_value\)\["([^"]*)"\]$', selector.strip())
    if m:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None
        return value.get(m.group(1)) if isinstance(value, dict) else None
    return value


def output_of(node, key):
    """An output parameter of a created node (None when it has none)."""
    if node is None:
        return None
    if node.kind in ("pod", "retry"):
        return node.outputs.get(key)
    if node.kind == "loop":
        return [output_of(child, key) for child in node.children]
    if node.kind in ("dag", "steps") and node.blueprint.dag_output:
        return node.blueprint.dag_output(node, key)
    return None


# -- v1 Argo Workflow ------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
_METRIC_NAMES = ("mlpipeline-metrics", "mlpipeline-ui-metadata")


class ArgoBuilder:
    def __init__(self, workflow):
        self.spec = workflow.get("spec") or {}
        self.templates = {t["name"]: t for t in self.spec.get("templates") or []}
        self._cache = {}

    def root(self):
        return self.blueprint(self.spec.get("entrypoint") or next(iter(self.templates)))

    def exit_handler(self):
        name = self.spec.get("onExit")
        return self.blueprint(name) if name else None

    def blueprint(self, name):
        if name in self._cache:
            return self._cache[name]
        t = self.templates[name]
        if "dag" in t:
            bp = Blueprint("dag", name)
            bp.tasks = [self._task(task) for task in (t["dag"] or {}).get("tasks") or []]
        elif "steps" in t:
            bp = Blueprint("steps", name)
            bp.groups = [[self._task(step) for step in group or []] for group in t["steps"] or []]
        else:
            bp = Blueprint("container", name)
            box = t.get("container") or t.get("script") or {}
            bp.image = box.get("image", DEFAULT_IMAGE)
            text = " ".join(str(x) for x in (box.get("command") or []) + (box.get("args") or []))
            text += " " + str(box.get("source", ""))
            bp.markers = Markers(text)
            outputs = t.get("outputs") or {}
            for p in outputs.get("parameters") or []:
                default = ((p.get("valueFrom") or {}).get("default"))
                bp.output_params[p["name"]] = bp.markers.outputs.get(p["name"], default if default is not None else "")
            if "script" in t:
                bp.output_params["result"] = bp.markers.outputs.get("result", "")
            for a in outputs.get("artifacts") or []:
                bp.output_artifacts.append((a["name"], "argo"))
            bp.retry_limit = int(str((t.get("retryStrategy") or {}).get("limit", 0) or 0)) if t.get("retryStrategy") else 0
        outputs = [p for p in ((t.get("outputs") or {}).get("parameters") or [])
                   if (p.get("valueFrom") or {}).get("parameter")]
        if bp.kind != "container" and outputs:
            specs = {p["name"]: p["valueFrom"]["parameter"] for p in outputs}
            bp.dag_output = lambda node, key, specs=specs: (substitute(specs[key], node, None)
                                                           if key in specs else None)
        bp.template = t
        self._cache[name] = bp
        return bp

    def _task(self, task):
        td = TaskDef(task["name"])
        template = task["template"]
        td.blueprint = lambda template=template: self.blueprint(template)
        td.deps = list(task.get("dependencies") or [])
        depends = task.get("depends")
        if depends:
            td.deps = sorted(set(re.findall(r"([A-Za-z0-9][\w-]*)(?:\.\w+)?", depends)) - {"Succeeded", "Failed", "Errored", "Skipped", "Completed", "Daemoned", "AnySucceeded", "AllFailed"})
            td.trigger_all = bool(re.search(r"\.(Failed|Errored|Completed|AllFailed)", depends))
        if task.get("when"):
            td.condition_text = task["when"]
            td.condition = lambda parent, inputs, when=task["when"]: expr.eval_when(substitute(when, parent, inputs.get("__item__")))
        if "withItems" in task:
            td.items = lambda parent, inputs, items=task["withItems"]: list(items)
        elif "withParam" in task:
            def items(parent, inputs, source=task["withParam"]):
                text = substitute(source, parent, None)
                try:
                    value = json.loads(text)
                except ValueError:
                    raise expr.ExprError(f"withParam value could not be parsed as a JSON list: {text}")
                if not isinstance(value, list):
                    raise expr.ExprError(f"withParam value is not a list: {text}")
                return value
            td.items = items
        elif "withSequence" in task:
            seq = task["withSequence"]
            td.items = lambda parent, inputs, seq=seq: [str(i) for i in _sequence(seq, parent)]
        arguments = ((task.get("arguments") or {}).get("parameters")) or []

        def inputs(parent, item, arguments=arguments):
            values = {"__item__": item}
            for a in arguments:
                value = a.get("value")
                values[a["name"]] = substitute(value if isinstance(value, str) else json.dumps(value), parent, item) \
                    if value is not None else None
            return values

        td.inputs = inputs
        return td


def _sequence(seq, parent):
    start = int(substitute(str(seq.get("start", 0)), parent, None))
    if "count" in seq:
        return list(range(start, start + int(substitute(str(seq["count"]), parent, None))))
    return list(range(start, int(substitute(str(seq.get("end", start)), parent, None)) + 1))


def _text(value):
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, separators=(",", ":"))


def substitute(text, parent, item):
    """Argo's {{...}} in a DAG or Steps node's context; unknown ones stay."""
    execution = parent.execution

    def lookup(m):
        key = m.group(1)
        if key == "item":
            return _text(item) if item is not None else m.group(0)
        if key.startswith("item.") and isinstance(item, dict):
            return _text(item.get(key[5:], m.group(0)))
        if key.startswith("inputs.parameters."):
            value = parent.scope.get(key[len("inputs.parameters."):])
            return _text(value) if value is not None else m.group(0)
        if key.startswith("workflow.parameters."):
            value = execution.parameters.get(key[len("workflow.parameters."):])
            return _text(value) if value is not None else m.group(0)
        fixed = {"workflow.name": execution.workflow_name, "workflow.uid": execution.run_id,
                 "workflow.namespace": execution.namespace, "workflow.status": execution.argo_phase(),
                 "workflow.creationTimestamp": execution.rfc3339(execution.created)}
        if key in fixed:
            return fixed[key]
        m2 = re.match(r"^(tasks|steps)\.([^.]+)\.(outputs\.parameters\.(.+)|outputs\.result|status)$", key)
        if m2:
            node = parent.by_task.get(m2.group(2))
            if node is None:
                return m.group(0)
            if m2.group(3) == "status":
                return node.argo_phase()
            name = m2.group(4) if m2.group(4) else "result"
            value = output_of(node, name)
            return _text(value) if value is not None else m.group(0)
        return m.group(0)

    return _PLACEHOLDER.sub(lookup, text)
