# SPDX-License-Identifier: Apache-2.0
"""PipelineJobs as Vertex AI Pipelines keeps them: the checks Vertex makes
of a create request, the job moving one step each time it is observed
(the KFP server's runs.py steps the PipelineSpec's DAG), and the job as
Vertex renders it: state, times, error, and jobDetail.taskDetails[] with
task ids, parents, CustomJobs, executions and output artifacts written to
Cloud Storage under the job's gcsOutputDirectory.
"""
import json
import re

import kfp_shared  # noqa: F401  (makes ../kfp importable)
import runs      # ../kfp
import specs     # ../kfp
from errors import ApiError  # ../kfp

import esf
import gerrors
from world import number_from

AIP = "google.cloud.aiplatform.v1"
SPEC_TYPE = "ml_pipelines.PipelineSpec"
JOB_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")
PIPELINE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,127}$")
LABEL_KEY = re.compile(r"^[\w-]{1,63}$")
SERVICE_ACCOUNT = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
NETWORK = re.compile(r"^projects/[^/]+/global/networks/[^/]+$")
BILLING_LABEL = "vertex-ai-pipelines-run-billing-id"
TERMINAL_STATES = ("PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED", "PIPELINE_STATE_CANCELLED")
JOB_STATE = {"PENDING": "PIPELINE_STATE_PENDING", "RUNNING": "PIPELINE_STATE_RUNNING",
             "SUCCEEDED": "PIPELINE_STATE_SUCCEEDED", "FAILED": "PIPELINE_STATE_FAILED",
             "CANCELING": "PIPELINE_STATE_CANCELLING", "CANCELED": "PIPELINE_STATE_CANCELLED"}
TASK_STATE = {"PENDING": "PENDING", "RUNNING": "RUNNING", "SUCCEEDED": "SUCCEEDED", "FAILED": "FAILED",
              "CANCELING": "CANCELLING", "CANCELED": "CANCELLED", "SKIPPED": "NOT_TRIGGERED"}
EXECUTION_STATE = {"PENDING": "NEW", "RUNNING": "RUNNING", "SUCCEEDED": "COMPLETE", "FAILED": "FAILED",
                   "CANCELING": "RUNNING", "CANCELED": "CANCELLED", "SKIPPED": "CANCELLED"}
CONTENT_TYPES = {"system.Metrics": "application/json", "system.ClassificationMetrics": "application/json",
                 "system.HTML": "text/html", "system.Markdown": "text/markdown"}
PARAMETER_TYPES = {"NUMBER_INTEGER": "an integer", "NUMBER_DOUBLE": "a number", "STRING": "a string",
                   "BOOLEAN": "a boolean", "LIST": "a list", "STRUCT": "a struct"}


class _Ids:
    def __init__(self):
        self.counters = {}

    def next(self, kind):
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]


# -- the create request -----------------------------------------------------

def validate_create(transcoder, job, job_id, field_prefix="pipeline_job"):
    """Vertex's checks of a PipelineJob to create. Returns (ir, parameter values);
    raises GoogleError. `job` is the decoded PipelineJob (proto names)."""
    violations = []
    if job_id is not None and not JOB_ID.match(job_id):
        violations.append(("pipeline_job_id", f"Invalid pipeline_job_id {job_id!r}: it must be less than 128 "
                                              f"characters and match the regular expression [a-z0-9][a-z0-9-]*."))
    if "template_uri" in job:
        raise gerrors.GoogleError("UNIMPLEMENTED", "This test server does not fetch templates from Artifact "
                                                   "Registry: send pipelineSpec instead of templateUri.")
    spec = job.get("pipeline_spec")
    if not spec:
        violations.append((f"{field_prefix}.pipeline_spec", "pipeline_spec is empty."))
    runtime = job.get("runtime_config") or {}
    root = runtime.get("gcs_output_directory", "")
    if not root:
        violations.append((f"{field_prefix}.runtime_config.gcs_output_directory", "gcs_output_directory is empty."))
    elif not re.match(r"^gs://[a-z0-9][a-z0-9._-]*(/.*)?$", root):
        violations.append((f"{field_prefix}.runtime_config.gcs_output_directory",
                           f"Invalid Cloud Storage URI for gcs_output_directory: {root}."))
    if len(job.get("display_name", "")) > 128:
        violations.append((f"{field_prefix}.display_name", "display_name must be at most 128 characters."))
    labels = job.get("labels") or {}
    if len(labels) > 64:
        violations.append((f"{field_prefix}.labels", "at most 64 labels are allowed."))
    for key, value in labels.items():
        if not LABEL_KEY.match(key) or not key[0].islower() or key != key.lower() or \
                len(value) > 63 or value != value.lower() or not re.match(r"^[\w-]*$", value):
            violations.append((f"{field_prefix}.labels", f"Invalid label {key!r}: {value!r}. Keys and values can "
                                                         f"contain only lowercase letters, numeric characters, "
                                                         f"underscores and dashes; keys must start with a letter; "
                                                         f"both at most 63 characters."))
    if job.get("service_account") and not SERVICE_ACCOUNT.match(job["service_account"]):
        violations.append((f"{field_prefix}.service_account", f"Invalid service account {job['service_account']!r}."))
    if job.get("network") and not NETWORK.match(job["network"]):
        violations.append((f"{field_prefix}.network", f"Invalid network {job['network']!r}: the format is "
                                                      f"projects/{{project}}/global/networks/{{network}}."))
    if violations:
        raise gerrors.found_errors(violations)
    ir = decode_spec(transcoder, spec, f"{field_prefix}.pipeline_spec")
    values = parameter_values(ir, runtime, f"{field_prefix}.runtime_config")
    inputs = (ir.get("root") or {}).get("input_definitions") or {}
    for name in runtime.get("input_artifacts") or {}:
        if name not in (inputs.get("artifacts") or {}):
            raise gerrors.found_errors([(f"{field_prefix}.runtime_config.input_artifacts",
                                         f"The pipeline input artifact {name} is not found in the pipeline job "
                                         f"input definitions.")])
    return ir, values


def decode_spec(transcoder, spec, field):
    """The PipelineSpec decoded strictly against pipeline_spec.proto, then checked."""
    try:
        ir = transcoder.decode_value(spec, SPEC_TYPE, "pipeline_spec")
    except gerrors.GoogleError as e:
        raise gerrors.found_errors([(field, f"Failed to parse the pipeline spec: {e.message}")])
    problems = []
    version = ir.get("schema_version")
    if version is not None and version not in ("2.0.0", "2.1.0"):
        problems.append(f"unsupported schemaVersion {version!r} (2.0.0 or 2.1.0)")
    name = (ir.get("pipeline_info") or {}).get("name", "")
    if not name:
        problems.append("pipelineInfo.name is empty")
    elif not PIPELINE_NAME.match(name):
        problems.append(f"the pipeline name {name!r} must match the regular expression ^[a-z0-9][a-z0-9-]{{0,127}}$")
    if "root" not in ir and (ir.get("components") or ir.get("deployment_spec")):
        problems.append("root is missing")
    if not problems and "root" in ir:
        try:
            specs.validate_v2(dict(ir, schema_version="2.1.0"))
        except ApiError as e:
            problems.append(e.external.replace("invalid v2 pipeline spec: ", ""))
    if problems:
        raise gerrors.found_errors([(field, f"Invalid pipeline spec: {p}.") for p in problems])
    return ir


def parameter_values(ir, runtime, field):
    """runtimeConfig.parameterValues (or the deprecated typed `parameters`) against
    the root's inputDefinitions: known names, right types, required ones present."""
    given = dict(runtime.get("parameter_values") or {})
    for name, typed in (runtime.get("parameters") or {}).items():
        given.setdefault(name, next(iter(typed.values()), None) if typed else None)
    if "root" not in ir:
        # A spec without a root declares nothing and runs nothing (the Node client capture sends one).
        return given
    declared = (((ir.get("root") or {}).get("input_definitions") or {}).get("parameters")) or {}
    violations = []
    for name, value in given.items():
        spec = declared.get(name)
        if spec is None:
            violations.append((f"{field}.parameter_values",
                               f"The pipeline parameter {name} is not found in the pipeline job input definitions."))
            continue
        kind = spec.get("parameter_type") or {"INT": "NUMBER_INTEGER", "DOUBLE": "NUMBER_DOUBLE",
                                              "STRING": "STRING"}.get(spec.get("type"))
        if not _fits(value, kind):
            violations.append((f"{field}.parameter_values", f"The value of the pipeline parameter {name} must be "
                                                            f"{PARAMETER_TYPES.get(kind, kind)} ({kind}), not "
                                                            f"{json.dumps(value)}."))
    for name, spec in declared.items():
        if name not in given and "default_value" not in spec and not spec.get("is_optional"):
            violations.append((f"{field}.parameter_values",
                               f"The pipeline parameter {name} is required but has no value and no default value."))
    if violations:
        raise gerrors.found_errors(violations)
    return given


def _fits(value, kind):
    if kind == "NUMBER_INTEGER":
        return isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer()
    if kind == "NUMBER_DOUBLE":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "STRING":
        return isinstance(value, str)
    if kind == "BOOLEAN":
        return isinstance(value, bool)
    if kind == "LIST":
        return isinstance(value, list)
    if kind == "STRUCT":
        return isinstance(value, dict)
    return True


# -- a job and its progress ---------------------------------------------------

class VertexExecution(runs.Execution):
    """runs.Execution with Vertex's artifact paths, CustomJobs and failure policy."""

    def __init__(self, job, template, parameters):
        self.job = job
        super().__init__(job.id, template, parameters, job.world.clock, {}, "vertex", _Ids(),
                         job.gcs_root)
        self.run_name = job.id

    def _start_pod(self, node):
        super()._start_pod(node)
        custom_job = number_from("customJob", self.job.name, node.name, node.generation)
        node.custom_job = custom_job
        self.job.world.custom_jobs[custom_job] = (self.job, node.pods[0])

    def _start_ready(self, node):
        """runs.Execution._start_ready, with Vertex's failure policies: under FAIL_SLOW
        (the default) a failed task stops only what depends on it; FAIL_FAST stops
        scheduling anything new in the DAG (as KFP on Argo does)."""
        started = False
        failed = self.job.fail_fast and any(c.state in ("FAILED", "CANCELED") for c in node.children)
        for td in list(node.pending):
            dep_nodes = []
            blocked = False
            for dep in td.deps:
                if dep in node.dropped:
                    dep_nodes.append(None)
                    continue
                child = node.by_task.get(dep)
                if child is None or child.state not in runs.TERMINAL:
                    blocked = True
                    break
                dep_nodes.append(child)
            if blocked:
                continue
            ok = all(d is not None and d.state in ("SUCCEEDED", "SKIPPED") for d in dep_nodes)
            node.pending.remove(td)
            started = True
            if not td.trigger_all and (not ok or failed):
                node.dropped.add(td.name)   # never created
                continue
            self._start_task(node, td)
        return started

    def _write_artifacts(self, node):
        task = node.parent if node.parent is not None and node.parent.kind == "retry" else node
        bucket, prefix = self.job.bucket, self.job.prefix
        task_dir = "/".join(p for p in (prefix, self.job.world.project_number(self.job.project), self.job.id,
                                        f"{task.display}_{self.job.task_id(task)}") if p)
        artifacts = {}
        for aname, atype in node.blueprint.output_artifacts:
            content, metadata = runs._v2_artifact(aname, atype, task.display, node.blueprint.markers)
            key = f"{task_dir}/{aname}"
            self.job.world.put_object(bucket, key, content, CONTENT_TYPES.get(atype, "application/octet-stream"),
                                      task.display, self.job.id)
            node.artifacts.append({"name": aname, "type": atype, "bucket": bucket, "key": key,
                                   "uri": f"gs://{bucket}/{key}", "id": self.ids.next("artifact"),
                                   "metadata": metadata, "created": self.clock.now()})
            artifacts[aname] = {"artifacts": [{"name": aname, "uri": f"gs://{bucket}/{key}",
                                               "metadata": metadata}]}
            self._log(node.pods[0], node, f"[{task.display}] wrote artifact {aname} to gs://{bucket}/{key}")
        executor_output = {}
        if node.blueprint.output_params:
            executor_output["parameterValues"] = dict(node.blueprint.output_params)
        if artifacts:
            executor_output["artifacts"] = artifacts
        self.job.world.put_object(bucket, f"{task_dir}/executor_output.json",
                                  json.dumps(executor_output, sort_keys=True).encode(), "application/json",
                                  task.display, self.job.id)


class Job:
    def __init__(self, world, transcoder, project, location, job_id, decoded, ir, values, schedule_name=None):
        self.world = world
        self.transcoder = transcoder
        self.project = project
        self.location = location
        self.id = job_id
        self.input = decoded                 # the PipelineJob as sent (proto names), output-only fields dropped
        self.ir = ir
        self.values = values
        self.schedule_name = schedule_name
        self.created = world.clock.tick()
        runtime = decoded.get("runtime_config") or {}
        self.gcs_root = runtime["gcs_output_directory"].rstrip("/")
        self.bucket, _, self.prefix = self.gcs_root[len("gs://"):].partition("/")
        world.buckets.add(self.bucket)
        self.fail_fast = runtime.get("failure_policy") == "PIPELINE_FAILURE_POLICY_FAIL_FAST"
        self.labels = dict(decoded.get("labels") or {})
        self.labels[BILLING_LABEL] = number_from("billing", self.name)
        exec_ir = ir if "root" in ir else dict(ir, root={"dag": {"tasks": {}}})
        template = specs.Template("v2", decoded.get("pipeline_spec"), None, "", exec_ir)
        self.execution = VertexExecution(self, template, values)
        self.cancel_requested = None

    @property
    def number(self):
        return self.world.project_number(self.project)

    @property
    def name(self):
        return f"projects/{self.number}/locations/{self.location}/pipelineJobs/{self.id}"

    @property
    def pipeline_name(self):
        return (self.ir.get("pipeline_info") or {}).get("name", "")

    @property
    def state(self):
        return JOB_STATE[self.execution.state]

    @property
    def done(self):
        return self.state in TERMINAL_STATES

    def step(self):
        return self.execution.step()

    def cancel(self):
        if self.done:
            raise gerrors.failed_precondition(f"Cannot cancel pipeline job {self.name} because it is in state "
                                              f"{self.state}.")
        self.execution.terminate()

    def task_id(self, node):
        return number_from("task", self.name, node.name, node.generation)

    def _times(self):
        times = [t for t, _ in self.execution.history]
        for node in self.execution.nodes:
            times.extend(t for t, _ in node.history)
        return times

    @property
    def update_time(self):
        return max([self.created] + self._times())

    def failed_tasks(self):
        return [n.display for n in self.execution.nodes
                if n.state == "FAILED" and n.kind in ("pod", "retry") and
                not (n.parent is not None and n.parent.kind == "retry")]

    # -- rendering --------------------------------------------------------
    def render(self, detail=True, spec=True):
        """The PipelineJob as proto3 JSON (lowerCamelCase, enum names)."""
        echo = {k: v for k, v in self.input.items() if k not in ("pipeline_spec", "labels")}
        if not echo.get("service_account"):
            echo["service_account"] = f"{self.number}-compute@developer.gserviceaccount.com"
        out = self.transcoder.to_json(echo, f"{AIP}.PipelineJob")
        out["name"] = self.name
        out["labels"] = dict(self.labels)
        if spec:
            out["pipelineSpec"] = self.input.get("pipeline_spec")
        out["createTime"] = _ts(self.created)
        history = self.execution.history
        if len(history) > 1:
            out["startTime"] = _ts(history[1][0])
        if self.done:
            out["endTime"] = _ts(self.execution.finished)
        out["updateTime"] = _ts(self.update_time)
        out["state"] = self.state
        if self.schedule_name:
            out["scheduleName"] = self.schedule_name
        if self.state == "PIPELINE_STATE_FAILED":
            failed = ", ".join(self.failed_tasks())
            out["error"] = {"code": 9, "message": f"The DAG failed because some tasks failed. The failed tasks are: "
                                                  f"[{failed}].; Job (project_id = {self.project}, job_id = "
                                                  f"{self.id}) is failed due to the above error.; Failed to handle "
                                                  f"the job: {{project_number = {self.number}, job_id = {self.id}}}"}
        elif self.state == "PIPELINE_STATE_CANCELLED":
            out["error"] = {"code": 1, "message": "CANCELED"}
        if detail and self.execution.nodes:
            out["jobDetail"] = self._job_detail()
        return out

    def _context(self, context_id, title, parent=None):
        store = f"projects/{self.number}/locations/{self.location}/metadataStores/default"
        context = {"name": f"{store}/contexts/{context_id}", "displayName": context_id,
                   "etag": number_from("etag", context_id, digits=10), "createTime": _ts(self.created),
                   "updateTime": _ts(self.update_time), "schemaTitle": title, "schemaVersion": "0.0.1",
                   "metadata": {}}
        if parent:
            context["parentContexts"] = [f"{store}/contexts/{parent}"]
        return context

    def _job_detail(self):
        return {"pipelineContext": self._context(self.pipeline_name or self.id, "system.Pipeline"),
                "pipelineRunContext": self._context(self.id, "system.PipelineRun", self.pipeline_name or None),
                "taskDetails": [self._task(n) for n in self.execution.nodes
                                if not (n.parent is not None and n.parent.kind == "retry")]}

    def _task_name(self, node):
        if node.parent is None:
            return self.pipeline_name or self.id
        if node.parent.kind == "loop":
            return node.parent.display
        return node.display

    def _unique_name(self, node):
        names = []
        while node is not None and node.parent is not None:
            if not (node.parent.kind == "retry"):
                names.append(self._task_name(node))
            node = node.parent
        return ".".join(reversed(names)) or self._task_name(node)

    def _task(self, node):
        store = f"projects/{self.number}/locations/{self.location}/metadataStores/default"
        task_id = self.task_id(node)
        state = TASK_STATE.get(node.state, "STATE_UNSPECIFIED")
        detail = {"taskId": task_id, "taskName": self._task_name(node), "createTime": _ts(node.created)}
        if node.parent is not None:
            detail["parentTaskId"] = self.task_id(node.parent)
        if node.started is not None and node.state != "PENDING":
            detail["startTime"] = _ts(node.started)
        if node.finished is not None:
            detail["endTime"] = _ts(node.finished)
        detail["state"] = state
        container = node.kind in ("pod", "retry")
        attempts = node.children if node.kind == "retry" else [node]
        metadata = {f"input:{k}": v for k, v in sorted(node.scope.items()) if not k.startswith("__")}
        outputs = node.outputs if node.kind == "pod" else (attempts[-1].outputs if attempts else {})
        metadata.update({f"output:{k}": v for k, v in sorted((outputs or {}).items())})
        detail["execution"] = {"name": f"{store}/executions/{number_from('execution', task_id)}",
                               "displayName": detail["taskName"],
                               "state": EXECUTION_STATE.get(node.state, "STATE_UNSPECIFIED"),
                               "etag": number_from("etag", task_id, len(node.history), digits=10),
                               "createTime": _ts(node.created),
                               "updateTime": _ts(node.history[-1][0]),
                               "schemaTitle": "system.ContainerExecution" if container else "system.DagExecution",
                               "schemaVersion": "0.0.1", "metadata": metadata}
        if container:
            jobs = [getattr(a, "custom_job", None) for a in attempts]
            jobs = [f"projects/{self.number}/locations/{self.location}/customJobs/{j}" for j in jobs if j]
            if jobs:
                container_detail = {"mainJob": jobs[-1]}
                failed = [j for a, j in zip(attempts, jobs) if a.state == "FAILED" and a is not attempts[-1]]
                if failed:
                    container_detail["failedMainJobs"] = failed
                detail["executorDetail"] = {"containerDetail": container_detail}
            artifacts = node.artifacts if node.kind == "pod" else (attempts[-1].artifacts if attempts else [])
            if artifacts:
                detail["outputs"] = {a["name"]: {"artifacts": [self._artifact(a, store)]} for a in artifacts}
        if node.state == "FAILED":
            if container:
                job = detail.get("executorDetail", {}).get("containerDetail", {}).get("mainJob", "")
                detail["error"] = {"code": 9, "message": f"The replica workerpool0-0 exited with a non-zero status "
                                                         f"of 1. To find out more about why your job exited please "
                                                         f"check the logs of {job}"}
            else:
                failed = [c.display for c in node.children if c.state == "FAILED"]
                detail["error"] = {"code": 9, "message": f"The DAG failed because some tasks failed. The failed "
                                                         f"tasks are: [{', '.join(failed)}]."}
        if node.state == "CANCELED":
            detail["error"] = {"code": 1, "message": "CANCELED"}
        detail["pipelineTaskStatus"] = [{"updateTime": _ts(t), "state": TASK_STATE.get(s, "STATE_UNSPECIFIED")}
                                        for t, s in node.history]
        detail["taskUniqueName"] = self._unique_name(node)
        return detail

    def _artifact(self, a, store):
        return {"name": f"{store}/artifacts/{number_from('artifact', a['uri'])}", "displayName": a["name"],
                "uri": a["uri"], "etag": number_from("etag", a["uri"], digits=10),
                "createTime": _ts(a["created"]), "updateTime": _ts(a["created"]),
                "state": "LIVE", "schemaTitle": a["type"], "schemaVersion": "0.0.1",
                "metadata": a.get("metadata") or {}}

    # -- logs -------------------------------------------------------------
    def log_lines(self, pod):
        """(timestamp seconds, text) of a task's container, growing while it runs."""
        text = self.execution.read_log(pod)
        out = []
        for line in (text or "").splitlines():
            stamp, _, message = line.partition(" ")
            seconds = esf.parse_timestamp(stamp)
            out.append((seconds if seconds is not None else self.created, message))
        return out


def _ts(seconds):
    return runs.rfc3339(seconds)
