# SPDX-License-Identifier: Apache-2.0
"""The checks the Argo Server runs before it creates a workflow
(workflow/validate/validate.go, ValidateWorkflow and ValidateCronWorkflow),
with Argo's messages, and the ones the Kubernetes API server adds on create
(metadata.name, labels). A subset: what a pipeline compiler can get wrong.

- names: templates, steps, tasks and parameters unique and well formed;
- spec.arguments.parameters need a value (or valueFrom) unless linting;
- the entrypoint and onExit templates exist, each template has exactly one
  type, DAG tasks and steps name templates that exist, dependencies exist
  and form no cycle, `depends` and `dependencies` are not mixed;
- a task or step passes every input parameter its template needs without a
  default (`inputs.parameters.x was not supplied`);
- {{...}} references resolve: inputs.parameters.* declared by the template,
  workflow.parameters.* declared in spec.arguments, tasks.X.* / steps.X.*
  naming tasks that exist (and X.outputs.parameters.P outputs that exist),
  item only inside a loop;
- container and script templates have an image, output parameters of a
  container have valueFrom.path, retryStrategy.retryPolicy and
  podGC.strategy are known values;
- CronWorkflows: schedules parse as robfig/cron's ParseStandard, the time
  zone is an IANA name, concurrencyPolicy is Allow, Forbid or Replace,
  startingDeadlineSeconds >= 0, the name is at most 52 characters.

Every error is a 400 (gRPC InvalidArgument) as the server answers them."""
import json
import re

import cronspec
from rpcstatus import ApiError, NOT_FOUND, invalid, kube_invalid

_FIELD_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")
_PARAM_NAME = re.compile(r"^[-a-zA-Z0-9_]+[-a-zA-Z0-9_]*$")
_DNS1123 = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")
_LABEL_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_TAG = re.compile(r"\{\{([^{}]*)\}\}")
TEMPLATE_TYPES = ("container", "containerSet", "steps", "script", "resource", "dag", "suspend", "data", "http", "plugin")
RETRY_POLICIES = ("Always", "OnError", "OnFailure", "OnTransientError", "")
POD_GC = ("", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")
CONCURRENCY = ("Allow", "Forbid", "Replace", "")
_DEPENDS_WORDS = {"Succeeded", "Failed", "Errored", "Skipped", "Omitted", "Completed", "Daemoned",
                  "AnySucceeded", "AllFailed", "true", "false"}


def bad(message):
    return invalid(message)


# -- names ----------------------------------------------------------------------

def _field_names(items, params=False):
    """validateWorkflowFieldNames: the error suffix, or None."""
    seen = set()
    for i, item in enumerate(items or []):
        name = (item or {}).get("name") or ""
        if not name:
            return f"[{i}].name is required"
        if params:
            errs = [] if _PARAM_NAME.match(name) else [
                "Parameter/Artifact name must consist of alpha-numeric characters, '_' or '-' e.g. my_param_1, MY-PARAM-1"]
        else:
            errs = []
            if len(name) > 128:
                errs.append("must be no more than 128 characters")
            if not _FIELD_NAME.match(name):
                errs.append("name must consist of alpha-numeric characters or '-', and must start with an "
                            "alpha-numeric character (e.g. My-name1-2, 123-NAME)")
        if errs:
            return f"[{i}].name: '{name}' is invalid: {';'.join(errs)}"
        if name in seen:
            return f"[{i}].name '{name}' is not unique"
        seen.add(name)
    return None


def _arguments(prefix, arguments, allow_empty):
    arguments = arguments or {}
    for field, params in (("parameters", True), ("artifacts", True)):
        err = _field_names(arguments.get(field), params)
        if err:
            raise bad(f"{prefix}{field}{err}")
    for p in arguments.get("parameters") or []:
        name = p.get("name")
        if p.get("valueFrom") is None and p.get("value") is None and not allow_empty:
            raise bad(f"{prefix}{name}.value or {prefix}{name}.valueFrom is required")
        vf = p.get("valueFrom")
        if vf is not None:
            if not (vf.get("configMapKeyRef") or vf.get("event") or vf.get("supplied") is not None) or \
                    any(vf.get(k) for k in ("path", "jsonPath", "parameter", "expression")):
                raise bad(f"{prefix}{name}.valueFrom only allows: default, configMapKeyRef and supplied")
        if p.get("enum") is not None:
            if not p["enum"]:
                raise bad(f"{prefix}{name}.enum should contain at least one value")
            if p.get("value") is None:
                if allow_empty:
                    return
                raise bad(f"{prefix}{name}.value is required")
            if str(p["value"]) not in [str(e) for e in p["enum"]]:
                raise bad(f"{prefix}{name}.value should be present in {prefix}{name}.enum list")
    for a in arguments.get("artifacts") or []:
        located = a.get("from") or a.get("key") or any(
            k in a for k in ("s3", "gcs", "http", "git", "hdfs", "raw", "oss", "azure", "artifactory", "plugin"))
        if not located and not a.get("fromExpression"):
            raise bad(f"{prefix}{a.get('name')}.from, artifact location, or key is required")


# -- workflows ---------------------------------------------------------------

class _Context:
    def __init__(self, wf, lint):
        spec = wf.get("spec") or {}
        self.spec = spec
        self.lint = lint
        self.templates = {t.get("name"): t for t in spec.get("templates") or [] if isinstance(t, dict)}
        self.validated = set()
        params = ((spec.get("arguments") or {}).get("parameters")) or []
        meta = wf.get("metadata") or {}
        self.globals = {"workflow.name", "workflow.namespace", "workflow.mainEntrypoint",
                        "workflow.serviceAccountName", "workflow.uid", "workflow.status", "workflow.annotations",
                        "workflow.annotations.json", "workflow.labels", "workflow.labels.json", "workflow.failures",
                        "workflow.priority", "workflow.creationTimestamp", "workflow.duration",
                        "workflow.scheduledTime"}
        if params:
            self.globals |= {"workflow.parameters", "workflow.parameters.json"}
        self.globals |= {f"workflow.parameters.{p.get('name')}" for p in params}
        wm = spec.get("workflowMetadata") or {}
        self.globals |= {f"workflow.annotations.{k}" for k in {**(meta.get("annotations") or {}),
                                                                **(wm.get("annotations") or {})}}
        self.globals |= {f"workflow.labels.{k}" for k in {**(meta.get("labels") or {}), **(wm.get("labels") or {})}}
        for t in self.templates.values():  # globalName outputs become workflow.outputs.*
            for p in ((t.get("outputs") or {}).get("parameters")) or []:
                if p.get("globalName"):
                    self.globals.add(f"workflow.outputs.parameters.{p['globalName']}")
            for a in ((t.get("outputs") or {}).get("artifacts")) or []:
                if a.get("globalName"):
                    self.globals.add(f"workflow.outputs.artifacts.{a['globalName']}")

    # -- templates ------------------------------------------------------
    def holder(self, name, args):
        """validateTemplateHolder for a template referenced by name."""
        if name not in self.templates:
            raise bad(f"template name '{name}' undefined")
        tmpl = self.templates[name]
        policy = (tmpl.get("retryStrategy") or {}).get("retryPolicy", "")
        if policy not in RETRY_POLICIES:
            raise bad(f"{policy} is not a valid RetryPolicy")
        self.template(tmpl, args)
        return tmpl

    def template(self, tmpl, args):
        name = tmpl.get("name")
        types = [t for t in TEMPLATE_TYPES if tmpl.get(t) is not None]
        if not types:
            raise bad(f"templates.{name} template type unspecified. choose one of: container, containerSet, steps, "
                      f"script, resource, dag, suspend, template, template ref")
        if len(types) > 1:
            raise bad(f"templates.{name} multiple template types specified. choose one of: container, containerSet, "
                      f"steps, script, resource, dag, suspend, template, template ref")
        inputs = tmpl.get("inputs") or {}
        err = _field_names(inputs.get("parameters"), True)
        if err:
            raise bad(f"templates.{name}.inputs.parameters{err}")
        if args is not None:  # common.ProcessArgs: every input needs a value from somewhere
            supplied = {a.get("name") for a in (args.get("parameters") or [])}
            for p in inputs.get("parameters") or []:
                if p.get("value") is None and p.get("default") is None and p.get("valueFrom") is None \
                        and p.get("name") not in supplied:
                    raise bad(f"templates.{name} inputs.parameters.{p.get('name')} was not supplied")
        if name in self.validated:
            return
        self.validated.add(name)
        scope = {f"inputs.parameters.{p.get('name')}" for p in inputs.get("parameters") or []}
        if inputs.get("parameters"):
            scope.add("inputs.parameters")
        scope |= {f"inputs.artifacts.{a.get('name')}" for a in inputs.get("artifacts") or []}
        scope |= {f"inputs.artifacts.{a.get('name')}.path" for a in inputs.get("artifacts") or []}
        kind = types[0]
        if kind == "dag":
            self.dag(tmpl, scope)
        elif kind == "steps":
            self.steps(tmpl, scope)
        else:
            self.leaf(tmpl, kind, scope)
        self.outputs(tmpl, kind)

    def leaf(self, tmpl, kind, scope):
        name = tmpl.get("name")
        scope = set(scope) | {"pod.name", "retries", "lastRetry.exitCode", "lastRetry.status",
                              "lastRetry.duration", "lastRetry.message", "node.name"}
        for a in ((tmpl.get("outputs") or {}).get("artifacts")) or []:
            scope.add(f"outputs.artifacts.{a.get('name')}.path")
        for p in ((tmpl.get("outputs") or {}).get("parameters")) or []:
            scope.add(f"outputs.parameters.{p.get('name')}.path")
        self.resolve(scope, tmpl, f"templates.{name}:", leaf=True)
        defaults = self.spec.get("templateDefaults") or {}
        for box in ("container", "script"):
            if kind == box and not (tmpl.get(box) or {}).get("image") and not (defaults.get(box) or {}).get("image"):
                raise bad(f"templates.{name}.{box}.image may not be empty")
        if tmpl.get("parallelism") is not None:
            raise bad(f"templates.{name}.parallelism is only valid for steps and dag templates")

    def outputs(self, tmpl, kind):
        name = tmpl.get("name")
        outputs = tmpl.get("outputs") or {}
        for field in ("parameters", "artifacts"):
            err = _field_names(outputs.get(field), True)
            if err:
                raise bad(f"templates.{name}.outputs.{field} {err}")
        type_name = {"container": "Container", "containerSet": "ContainerSet", "script": "Script",
                     "resource": "Resource", "dag": "DAG", "steps": "Steps"}.get(kind, kind)
        for p in outputs.get("parameters") or []:
            ref = f"templates.{name}.outputs.parameters.{p.get('name')}"
            vf = p.get("valueFrom")
            if vf is not None and p.get("value") is not None:
                raise bad(f"{ref} has both valueFrom and value specified. Choose one.")
            if p.get("value") is not None:
                continue
            if vf is None:
                raise bad(f"{ref} does not have valueFrom or value specified")
            kinds = [k for k in ("path", "jqFilter", "jsonPath", "parameter", "expression") if vf.get(k)]
            if vf.get("supplied") is not None:
                kinds.append("supplied")
            if not kinds:
                raise bad("valueFrom type unspecified. choose one of: path, jqFilter, jsonPath, parameter, raw, expression")
            if len(kinds) > 1:
                raise bad("multiple valueFrom types specified. choose one of: path, jqFilter, jsonPath, parameter, raw")
            if kind in ("container", "containerSet", "script") and not vf.get("path"):
                raise bad(f"{ref}.path must be specified for {type_name} templates")
            if kind in ("dag", "steps") and not vf.get("parameter") and not vf.get("expression"):
                raise bad(f"{ref}.parameter or expression must be specified for {type_name} templates")

    def task_outputs(self, prefix, tmpl, aggregate, ancestor):
        out = {f"{prefix}.id", f"{prefix}.startedAt", f"{prefix}.finishedAt", f"{prefix}.hostNodeName",
               f"{prefix}.ip"}
        if tmpl is None:
            return out
        if any(tmpl.get(k) is not None for k in ("container", "script", "containerSet", "data", "http", "plugin")):
            out |= {f"{prefix}.outputs.result", f"{prefix}.exitCode"}
        outputs = tmpl.get("outputs") or {}
        out |= {f"{prefix}.outputs.parameters.{p.get('name')}" for p in outputs.get("parameters") or []}
        out |= {f"{prefix}.outputs.artifacts.{a.get('name')}" for a in outputs.get("artifacts") or []}
        if aggregate:
            out |= {f"{prefix}.outputs.parameters", f"{prefix}.outputs.result", f"{prefix}.exitCode"}
        if ancestor:
            out.add(f"{prefix}.status")
        return out

    def dag(self, tmpl, scope):
        name = tmpl.get("name")
        if tmpl.get("activeDeadlineSeconds") is not None:
            raise bad(f"templates.{name}.activeDeadlineSeconds is only valid for leaf templates")
        tasks = [t for t in ((tmpl.get("dag") or {}).get("tasks") or []) if isinstance(t, dict)]
        if not tasks:
            raise bad(f"templates.{name} must have at least one task")
        using_depends = any(t.get("depends") for t in tasks)
        names = [t.get("name") or "" for t in tasks]
        deps = {t.get("name") or "": task_dependencies(t) for t in tasks}
        seen = set()
        for n in names:
            if n in seen:
                raise bad(f"templates.{name} sorting failed: duplicated nodeName {n}")
            seen.add(n)
        for n in names:
            for d in deps[n]:
                if d not in seen:
                    raise bad(f"templates.{name} sorting failed: invalid dependency {d}")
        order = _topological(names, deps)
        if order is None:
            raise bad(f"templates.{name} sorting failed: graph with cycle")
        err = _field_names(tasks)
        if err:
            raise bad(f"templates.{name}.tasks{err}")
        by_name = {t["name"]: t for t in tasks}
        resolved = {}
        for n in order:
            task = by_name[n]
            if (using_depends or task.get("dependencies")) and n[:1].isdigit():
                raise bad(f"templates.{name}.tasks.{n} name cannot begin with a digit when using either 'depends' "
                          f"or 'dependencies'")
            if using_depends and task.get("dependencies"):
                raise bad(f"templates.{name} cannot use both 'depends' and 'dependencies' in the same DAG template")
            if using_depends and task.get("continueOn") is not None:
                raise bad(f"templates.{name} cannot use 'continueOn' when using 'depends'. Instead use "
                          f"'dep-task.Failed'/'dep-task.Errored'")
            resolved[n] = self.task_holder(task, f"templates.{name}.tasks.{n}")
        everything = set()
        for n in order:
            t = by_name[n]
            everything |= self.task_outputs(f"tasks.{n}", resolved[n], bool(t.get("withItems") or t.get("withParam")),
                                            False)
        for n in order:
            task = by_name[n]
            where = f"templates.{name}.tasks.{n}"
            task_scope = set(scope) | everything
            ancestry = _ancestry(n, deps)
            for a in ancestry:
                t = by_name[a]
                task_scope |= self.task_outputs(f"tasks.{a}", resolved[a],
                                                bool(t.get("withItems") or t.get("withParam")), True)
            task_scope |= self.loop_scope(task, where)
            self.resolve(task_scope, task, where)
            _arguments(f"{where}.arguments.", task.get("arguments"), False)
            for p in ((task.get("arguments") or {}).get("parameters")) or []:
                value = p.get("value")
                if isinstance(value, str) and value.startswith("{{tasks."):
                    ref = value.split(".")[1]
                    if ref not in ancestry:
                        raise bad(f"{where} missing dependency '{ref}' for parameter '{p.get('name')}'")
            self.with_args(task, where)

    def steps(self, tmpl, scope):
        name = tmpl.get("name")
        if tmpl.get("activeDeadlineSeconds") is not None:
            raise bad(f"templates.{name}.activeDeadlineSeconds is only valid for leaf templates")
        seen = set()
        scope = set(scope)
        for i, group in enumerate(tmpl.get("steps") or []):
            for step in group or []:
                step = step or {}
                sname = step.get("name")
                if not sname:
                    raise bad(f"templates.{name}.steps[{i}].name is required")
                if sname in seen:
                    raise bad(f"templates.{name}.steps[{i}].name '{sname}' is not unique")
                if not _FIELD_NAME.match(sname):
                    raise bad(f"templates.{name}.steps[{i}].name '{sname}' is invalid: name must consist of "
                              f"alpha-numeric characters or '-', and must start with an alpha-numeric character "
                              f"(e.g. My-name1-2, 123-NAME)")
                seen.add(sname)
                where = f"templates.{name}.steps[{i}].{sname}"
                scope.add(f"steps.{sname}.status")
                loop = self.loop_scope(step, where)
                _arguments(f"{where}.arguments.", step.get("arguments"), False)
                resolved = self.task_holder(step, where)
                self.resolve(scope | loop, step, f"templates.{name}.steps")
                scope |= self.task_outputs(f"steps.{sname}", resolved,
                                           bool(step.get("withItems") or step.get("withParam")), False)
                self.with_args(step, where)

    def task_holder(self, task, where):
        if task.get("templateRef"):
            return None  # WorkflowTemplates are not stored here: taken on trust
        if task.get("inline"):
            return None
        template = task.get("template") or ""
        try:
            return self.holder(template, None)
        except ApiError as e:
            raise bad(f"{where} {e.message}")

    def with_args(self, task, where):
        """The template validated again with the task's actual arguments."""
        template = task.get("template")
        if task.get("templateRef") or task.get("inline") or template not in self.templates:
            return
        try:
            self.template(self.templates[template], task.get("arguments") or {})
        except ApiError as e:
            raise bad(f"{where} {e.message}")

    def loop_scope(self, task, where):
        given = [k for k in ("withItems", "withParam", "withSequence") if task.get(k)]
        if len(given) > 1:
            raise bad(f"{where} only one of withItems, withParam, withSequence can be specified")
        scope = set()
        if task.get("withItems"):
            for item in task["withItems"]:
                if isinstance(item, dict):
                    scope |= {f"item.{k}" for k in item}
                elif isinstance(item, list):
                    scope |= {f"item.[{i}]" for i in range(len(item))}
                else:
                    scope.add("item")
        elif task.get("withParam"):
            scope |= {"item", "item.*"}
        elif task.get("withSequence"):
            seq = task["withSequence"]
            if seq.get("count") is not None and seq.get("end") is not None:
                raise bad(f"{where} only one of count or end can be defined in withSequence")
            scope.add("item")
        return scope

    def resolve(self, scope, obj, where, leaf=False):
        """resolveAllVariables on the JSON of `obj`."""
        text = json.dumps(obj)
        for m in _TAG.finditer(text):
            tag = m.group(1).strip()
            if tag.startswith("=") or not tag.startswith(("item", "steps.", "inputs.", "outputs.", "pod.",
                                                           "workflow.", "tasks.")):
                continue
            if tag in scope or tag in self.globals:
                continue
            if tag.startswith("item") and "item.*" in scope:
                continue
            if tag.startswith("outputs.") or tag.startswith(("workflow.creationTimestamp", "workflow.scheduledTime",
                                                               "workflow.duration", "tasks.name", "steps.name")):
                continue
            raise bad(f"{where} failed to resolve {{{{{m.group(1)}}}}}")


def task_dependencies(task):
    """The task names a DAG task waits for: `dependencies`, or the task names in `depends`."""
    if task.get("depends"):
        words = re.findall(r"[A-Za-z0-9][-A-Za-z0-9_]*(?:\.[A-Za-z]+)?", task["depends"])
        out = []
        for w in words:
            base = w.split(".")[0]
            if base not in _DEPENDS_WORDS and base not in out:
                out.append(base)
        return out
    return list(task.get("dependencies") or [])


def _topological(names, deps):
    pending = {n: set(deps[n]) for n in names}
    order = []
    while pending:
        ready = [n for n in names if n in pending and not pending[n]]
        if not ready:
            return None
        for n in ready:
            order.append(n)
            del pending[n]
            for rest in pending.values():
                rest.discard(n)
    return order


def _ancestry(name, deps):
    out, todo = [], list(deps.get(name, []))
    while todo:
        d = todo.pop()
        if d not in out:
            out.append(d)
            todo.extend(deps.get(d, []))
    return out


def validate_workflow(wf, lint=False):
    """ValidateWorkflow(wf, ValidateOpts{Lint: lint}); raises the 400 the server answers."""
    meta = wf.get("metadata") or {}
    name = meta.get("name") or ""
    if len(name) > 63:
        raise bad(f'workflow name "{name}" must not be more than 63 characters long (currently {len(name)})')
    spec = wf.get("spec") or {}
    ref = spec.get("workflowTemplateRef")
    if ref:
        kind = "clusterworkflowtemplates" if ref.get("clusterScope") else "workflowtemplates"
        raise ApiError(NOT_FOUND, f'{kind}.argoproj.io "{ref.get("name", "")}" not found')
    ctx = _Context(wf, lint)
    err = _field_names(spec.get("templates"))
    _arguments("spec.arguments.", spec.get("arguments"), lint)
    if err:
        raise bad(f"spec.templates{err}")
    entrypoint = spec.get("entrypoint") or ""
    if not entrypoint:
        raise bad("spec.entrypoint is required")
    ctx.holder(entrypoint, spec.get("arguments") or {})
    if spec.get("onExit"):
        ctx.globals.add("workflow.failures")
        ctx.holder(spec["onExit"], spec.get("arguments") or {})
    for hook, body in (spec.get("hooks") or {}).items():
        if hook != "exit" and not (body or {}).get("expression"):
            raise bad(f"hooks.{hook} Expression required")
    strategy = (spec.get("podGC") or {}).get("strategy", "")
    if strategy not in POD_GC:
        raise bad(f"podGC.strategy unknown strategy '{strategy}'")
    for tmpl in spec.get("templates") or []:
        try:
            ctx.holder(tmpl.get("name"), None)
        except ApiError as e:
            raise bad(f"templates.{tmpl.get('name')} {e.message}")


def validate_cron_workflow(cron, version):
    spec = cron.get("spec") or {}
    name = (cron.get("metadata") or {}).get("name") or ""
    if spec.get("schedules") and spec.get("schedule"):
        raise bad("cron workflow cant be configured with both Spec.Schedule and Spec.Schedules")
    if len(name) > 52:
        raise bad(f'cron workflow name "{name}" must not be more than 52 characters long (currently {len(name)})')
    schedules = list(spec.get("schedules") or []) if (version or (99,))[:2] >= (3, 6) else [spec.get("schedule") or ""]
    zone = spec.get("timezone") or ""
    for schedule in schedules:
        try:
            cronspec.parse_standard(schedule)
            if zone and not cronspec.valid_time_zone(zone):
                raise cronspec.CronError(f"provided bad location {zone}: unknown time zone {zone}")
        except cronspec.CronError as e:
            raise bad(f"cron schedule {schedule} is malformed: {e}")
    policy = spec.get("concurrencyPolicy") or ""
    if policy not in CONCURRENCY:
        raise bad(f"'{policy}' is not a valid concurrencyPolicy")
    if spec.get("startingDeadlineSeconds") is not None and spec["startingDeadlineSeconds"] < 0:
        raise bad("startingDeadlineSeconds must be positive")
    try:
        validate_workflow(workflow_of_cron(cron))
    except ApiError as e:
        raise bad(f"cannot validate Workflow: {e.message}")


def workflow_of_cron(cron, scheduled_name=None):
    """common.ConvertCronWorkflowToWorkflow: the workflow a CronWorkflow starts."""
    spec = cron.get("spec") or {}
    meta = cron.get("metadata") or {}
    wm = spec.get("workflowMetadata") or {}
    labels = dict(wm.get("labels") or {})
    labels["workflows.argoproj.io/cron-workflow"] = meta.get("name", "")
    annotations = dict(wm.get("annotations") or {})
    wf = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
          "metadata": {"name": scheduled_name or meta.get("name", ""), "labels": labels},
          "spec": json.loads(json.dumps(spec.get("workflowSpec") or {}))}
    if annotations:
        wf["metadata"]["annotations"] = annotations
    return wf


def validate_object_meta(kind, meta, generated=False):
    """The Kubernetes API server's checks on create (a 422, answered as 400)."""
    name = meta.get("name") or ""
    generate = meta.get("generateName") or ""
    shown = name
    if not name and not generate:
        raise kube_invalid(kind, "", ["metadata.name: Required value: name or generateName is required"])
    checked = name or (generate + "x" if generate else "")
    if len(checked) > 253 or not _DNS1123.match(checked):
        field = "metadata.name" if name else "metadata.generateName"
        value = name or generate
        raise kube_invalid(kind, shown, [
            f'{field}: Invalid value: "{value}": a lowercase RFC 1123 subdomain must consist of lower case '
            f"alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
            f"(e.g. 'example.com', regex used for validation is "
            f"'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"])
    for key, value in (meta.get("labels") or {}).items():
        prefix, _, base = key.rpartition("/")
        if not base or len(base) > 63 or not _LABEL_NAME.match(base) or (prefix and not _DNS1123.match(prefix)):
            raise kube_invalid(kind, shown, [f'metadata.labels: Invalid value: "{key}": name part must consist of '
                                             f"alphanumeric characters, '-', '_' or '.', and must start and end with "
                                             f"an alphanumeric character"])
        if not isinstance(value, str) or len(value) > 63 or not _LABEL_VALUE.match(value):
            detail = "must be no more than 63 characters" if isinstance(value, str) and len(value) > 63 else \
                ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
                 "and must start and end with an alphanumeric character")
            raise kube_invalid(kind, shown, [f'metadata.labels: Invalid value: "{value}": {detail}'])
