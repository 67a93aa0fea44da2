# SPDX-License-Identifier: Apache-2.0
"""A run's progress, one step per observation, like a cluster seen through
its API: no timers. Each step() moves the run on once:

  PENDING -> RUNNING (the root DAG starts)
  then every step: running containers finish (their last step), and every
  task whose dependencies are done starts (a container becomes RUNNING; a
  false condition becomes SKIPPED; a loop expands into iterations);
  DAGs finish when their children have; the run ends with its root DAG
  (and a v1 workflow's onExit handler).
  terminate: CANCELING at once, tasks CANCELING on the next step, then
  everything CANCELED.

The node tree renders as KFP v2 run_details.task_details[] and as the Argo
Workflow (status.nodes) that v1's pipeline_runtime.workflow_manifest holds.
"""
import datetime
import io
import json
import tarfile
import uuid

import blueprints
import expr

TERMINAL = ("SUCCEEDED", "FAILED", "SKIPPED", "CANCELED")
_ID_NAMESPACE = uuid.UUID("5d0f6a4e-8a49-4a35-9b7f-2f5f0c7e0a11")
_K8S_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
EPOCH_ZERO = "1970-01-01T00:00:00Z"


def fnv32a(text):
    h = 0x811C9DC5
    for b in text.encode("utf-8"):
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def k8s_suffix(seed, length=5):
    n = fnv32a(seed)
    out = []
    for _ in range(length):
        out.append(_K8S_ALPHABET[n % len(_K8S_ALPHABET)])
        n //= len(_K8S_ALPHABET)
    return "".join(out)


def rfc3339(seconds):
    if not seconds:
        return EPOCH_ZERO
    return datetime.datetime.fromtimestamp(int(seconds), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def tgz(filename, data):
    """What Argo's archive step uploads for an output artifact."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo(filename)
        info.size = len(data)
        info.mtime = 0
        info.mode = 0o644
        tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


class Node:
    def __init__(self, execution, kind, name, display, blueprint, parent, scope, task=None):
        self.execution = execution
        self.kind = kind            # dag | steps | group | loop | retry | pod | skipped
        self.name = name            # Argo node name
        self.display = display
        self.blueprint = blueprint
        self.parent = parent
        self.scope = scope or {}
        self.task = task            # the TaskDef it was created for
        self.children = []
        self.by_task = {}           # dag-like: task name -> child node
        self.dropped = set()        # dag-like: tasks that will never run
        self.pending = []           # dag-like: TaskDefs not started yet
        self.items = []             # loop: items not expanded yet
        self.groups_started = 0     # steps: groups started
        self.state = "PENDING"
        self.message = ""
        self.history = []
        self.created = execution.clock.now()
        self.started = None
        self.finished = None
        self.outputs = {}
        self.artifacts = []         # [{name, type, bucket, key, id, uri}]
        self.pods = []              # pod: [pod name per attempt]; the driver pod for v2
        self.failed_pods = []
        self.steps_left = 0
        self.attempts = 0
        self.generation = execution.generation
        self.execution_id = execution.next_execution_id()
        self.argo_children = []     # v1 rendering: Argo's children links
        self.set_state("PENDING")

    # -- identity -------------------------------------------------------
    @property
    def node_id(self):
        if self.parent is None and self.name == self.execution.workflow_name:
            return self.execution.workflow_name
        return f"{self.execution.workflow_name}-{fnv32a(self.name)}"

    @property
    def task_id(self):
        return str(uuid.uuid5(_ID_NAMESPACE, f"{self.execution.run_id}/{self.name}/{self.generation}"))

    def pod_name(self, template=None, node_name=None):
        template = template or self.blueprint.pod_template
        return f"{self.execution.workflow_name}-{template}-{fnv32a(node_name or self.name)}"[:253]

    def set_state(self, state, message=None):
        if self.history and self.history[-1][1] == state:
            return
        now = self.execution.clock.now()
        self.state = state
        self.history.append((now, state))
        if message is not None:
            self.message = message
        if state == "RUNNING" and self.started is None:
            self.started = now
        if state in TERMINAL:
            if self.started is None:
                self.started = now
            self.finished = now

    def argo_phase(self):
        return {"PENDING": "Pending", "RUNNING": "Running", "SUCCEEDED": "Succeeded", "FAILED": "Failed",
                "SKIPPED": "Skipped", "CANCELING": "Running", "CANCELED": "Failed"}[self.state]

    @property
    def dag_like(self):
        return self.kind in ("dag", "group")


class Execution:
    """One run's workflow. `kind` is "v2" (a PipelineSpec) or "v1" (Argo)."""

    def __init__(self, run_id, template, parameters, clock, objects, namespace, ids, pipeline_root=None):
        self.run_id = run_id
        self.run_name = run_id      # the run's display name, set by its creator
        self.template = template
        self.kind = template.kind
        self.parameters = dict(parameters or {})
        self.clock = clock
        self.objects = objects      # shared object store: (bucket, key) -> bytes
        self.ids = ids              # shared counters (execution and artifact ids)
        self.namespace = namespace or "kubeflow"
        self.generation = 0
        base = template.name if template.kind == "v2" else \
            ((template.spec.get("metadata") or {}).get("generateName") or f"{template.name}-").rstrip("-")
        base = "".join(c if c.isalnum() or c == "-" else "-" for c in base.lower()).strip("-")[:57] or "pipeline"
        self.workflow_name = f"{base}-{k8s_suffix(run_id)}"
        self.pipeline_root = pipeline_root or "minio://mlpipeline/v2/artifacts"
        self.created = clock.now()
        self.finished = None
        self.state = "PENDING"
        self.history = [(self.created, "PENDING")]
        self.nodes = []
        self.root = None
        self.exit_node = None
        self.failed_once = set()
        self.pods = {}              # pod name -> PodLog
        self.cancel_steps = None
        if self.kind == "v2":
            self.builder = blueprints.IRBuilder(template.ir)
            self.exit_blueprint = None
        else:
            self.builder = blueprints.ArgoBuilder(template.spec)
            self.exit_blueprint = self.builder.exit_handler()
            defaults = {p["name"]: p.get("value") for p in template.workflow_parameters()}
            defaults.update(self.parameters)
            self.parameters = defaults
        self.pipeline_context_id = ids.next("context")
        self.run_context_id = ids.next("context")

    # -- helpers --------------------------------------------------------
    def rfc3339(self, seconds):
        return rfc3339(seconds)

    def next_execution_id(self):
        return self.ids.next("execution")

    def argo_phase(self):
        return {"PENDING": "Pending", "RUNNING": "Running", "SUCCEEDED": "Succeeded", "FAILED": "Failed",
                "CANCELING": "Running", "CANCELED": "Failed", "SKIPPED": "Skipped"}[self.state]

    def set_state(self, state):
        if self.state != state:
            self.state = state
            self.history.append((self.clock.now(), state))
        if state in TERMINAL:
            self.finished = self.clock.now()

    @property
    def done(self):
        return self.state in TERMINAL

    def _new_node(self, kind, name, display, blueprint, parent, scope, task=None):
        node = Node(self, kind, name, display, blueprint, parent, scope, task)
        self.nodes.append(node)
        if parent is not None:
            parent.children.append(node)
            if task is not None and parent.kind in ("dag", "group"):
                parent.by_task[task.name] = node
        return node

    # -- stepping -------------------------------------------------------
    def step(self):
        """Moves the run on by one step; returns False when it was already done."""
        if self.done:
            return False
        self.clock.tick()
        self._step()
        self.archive_logs()
        return True

    def _step(self):
        if self.state == "CANCELING":
            self._cancel_step()
            return True
        if self.state == "PENDING":
            self.set_state("RUNNING")
            root_scope = dict(self.parameters)
            if self.kind == "v2":
                import specs
                root_scope = specs.v2_root_values(self.template, self.parameters)
                self.root = self._start_instance(None, self.builder.root(), self.workflow_name, "root",
                                                 root_scope, None)
            else:
                self.root = self._start_instance(None, self.builder.root(), self.workflow_name,
                                                 self.workflow_name, root_scope, None)
            return True
        for node in list(self.nodes):
            if node.kind == "pod" and node.state == "RUNNING" and node.started < self.clock.now():
                self._advance_pod(node)
        self._progress(self.root)
        if self.root.state in TERMINAL:
            if self.exit_blueprint is not None:
                if self.exit_node is None:
                    self.exit_node = self._start_instance(None, self.exit_blueprint, f"{self.workflow_name}.onExit",
                                                          f"{self.workflow_name}.onExit", {}, None)
                    self._progress(self.exit_node)
                if self.exit_node.state not in TERMINAL:
                    return True
            self._finish_run()

    def _finish_run(self):
        failed = self.root.state in ("FAILED", "CANCELED") or \
            (self.exit_node is not None and self.exit_node.state in ("FAILED", "CANCELED"))
        self.set_state("FAILED" if failed else "SUCCEEDED")

    def _cancel_step(self):
        running = [n for n in self.nodes if n.state in ("RUNNING", "PENDING")]
        if self.cancel_steps == 0:
            for n in running:
                n.set_state("CANCELING")
            self.cancel_steps = 1
            return
        for n in [n for n in self.nodes if n.state not in TERMINAL]:
            n.set_state("CANCELED", "Stopped with strategy 'Terminate'")
            for pod in n.pods if n.kind == "pod" else []:
                self._log(pod, n, f"[{n.display}] terminated by request (SIGTERM)")
        self.set_state("CANCELED")

    def terminate(self):
        if self.done or self.state == "CANCELING":
            return
        self.set_state("CANCELING")
        self.cancel_steps = 0

    def retry(self):
        """Argo's retry: failed pods go and start again; succeeded and skipped
        tasks stay; failed DAGs run again; the exit handler runs again."""
        self.generation += 1
        removed = set()
        for node in reversed(self.nodes):
            if node.kind in ("pod", "retry") and node.state in ("FAILED", "CANCELED", "CANCELING") and \
                    (node.parent is None or node.parent.kind != "retry"):
                removed.add(id(node))
                removed.update(id(d) for d in self._descendants(node))
        self.nodes = [n for n in self.nodes if id(n) not in removed]
        for node in self.nodes:
            node.children = [c for c in node.children if id(c) not in removed]
            node.by_task = {k: c for k, c in node.by_task.items() if id(c) not in removed}
        if self.exit_node is not None:
            gone = {id(self.exit_node)} | {id(d) for d in self._descendants(self.exit_node)}
            self.nodes = [n for n in self.nodes if id(n) not in gone]
            self.exit_node = None
        for node in self.nodes:
            if node.state in ("FAILED", "CANCELED", "CANCELING") and node.kind in ("dag", "group", "steps", "loop"):
                node.state = "RUNNING"
                node.history.append((self.clock.now(), "RUNNING"))
                node.finished = None
                node.message = ""
                node.dropped = set()
                if node.kind == "dag":
                    node.pending = [td for td in node.blueprint.tasks if td.name not in node.by_task]
                elif node.kind == "group":
                    node.pending = [td for td in node.group_tasks if td.name not in node.by_task]
                elif node.kind == "loop":
                    present = {c.name for c in node.children}
                    node.items = [(i, item) for i, item in getattr(node, "all_items", [])
                                  if f"{node.name}({i}:{_item_label(item)})" not in present]
        self.finished = None
        self.set_state("RUNNING")

    def _descendants(self, node):
        out = []
        for child in node.children:
            out.append(child)
            out.extend(self._descendants(child))
        return out

    # -- nodes ----------------------------------------------------------
    def _start_instance(self, parent, bp, name, display, scope, task):
        """Creates and starts the node running blueprint `bp`."""
        if bp.kind == "container":
            if bp.retry_limit > 0:
                node = self._new_node("retry", name, display, bp, parent, scope, task)
                node.set_state("RUNNING")
                self._start_attempt(node)
                return node
            node = self._new_node("pod", name, display, bp, parent, scope, task)
            self._start_pod(node)
            return node
        if bp.kind == "dag":
            node = self._new_node("dag", name, display, bp, parent, scope, task)
            node.pending = list(bp.tasks)
            node.set_state("RUNNING")
            if self.kind == "v2":
                node.pods = [node.pod_name("system-dag-driver")]
                self._driver_log(node)
            return node
        node = self._new_node("steps", name, display, bp, parent, scope, task)
        node.set_state("RUNNING")
        return node

    def _start_attempt(self, retry_node):
        n = len(retry_node.children)
        attempt = self._new_node("pod", f"{retry_node.name}({n})", f"{retry_node.display}({n})",
                                 retry_node.blueprint, retry_node, retry_node.scope, None)
        self._start_pod(attempt)

    def _start_pod(self, node):
        bp = node.blueprint
        node.set_state("RUNNING")
        node.steps_left = bp.markers.steps
        pod = node.pod_name()
        node.pods = [pod]
        if self.kind == "v2":
            driver = node.pod_name("system-container-driver")
            node.driver_pod = driver
            self._log(driver, node, f"[{self._task_display(node)}] driver: inputs resolved, launching "
                                    f"{pod}")
        self._log(pod, node, f"[{self._task_display(node)}] started in pod {pod} (image {bp.image})")
        if node.scope:
            shown = {k: v for k, v in node.scope.items() if not k.startswith("__")}
            if shown:
                self._log(pod, node, f"[{self._task_display(node)}] inputs: {json.dumps(shown, sort_keys=True)}")

    def _task_display(self, node):
        return node.parent.display if node.parent is not None and node.parent.kind == "retry" else node.display

    def _driver_log(self, node):
        self._log(node.pods[0], node, f"[{node.display}] DAG driver: {len(node.blueprint.tasks)} task(s) to schedule")

    def _advance_pod(self, node):
        node.steps_left -= 1
        name = self._task_display(node)
        if node.steps_left > 0:
            self._log(node.pods[0], node, f"[{name}] working (step {node.blueprint.markers.steps - node.steps_left} "
                                          f"of {node.blueprint.markers.steps})")
            return
        markers = node.blueprint.markers
        key = node.parent.name if node.parent is not None and node.parent.kind == "retry" else node.name
        fail = markers.fail or (markers.fail_once and key not in self.failed_once)
        if fail:
            if markers.fail_once:
                self.failed_once.add(key)
            reason = "pipewright-test:fail" if markers.fail else "pipewright-test:fail-once"
            self._log(node.pods[0], node, f"[{name}] ERROR: failing on purpose ({reason})")
            self._log(node.pods[0], node, f"[{name}] exited with code 1")
            node.exit_code = "1"
            node.set_state("FAILED", "Error (exit code 1)")
        else:
            node.outputs = dict(node.blueprint.output_params)
            for pname, value in sorted(node.outputs.items()):
                self._log(node.pods[0], node, f"[{name}] output {pname} = {json.dumps(value)}")
            self._write_artifacts(node)
            self._log(node.pods[0], node, f"[{name}] done")
            node.exit_code = "0"
            node.set_state("SUCCEEDED")
        parent = node.parent
        if parent is not None and parent.kind == "retry":
            self._settle_retry(parent, node)

    def _settle_retry(self, retry_node, attempt):
        if attempt.state == "SUCCEEDED":
            retry_node.outputs = attempt.outputs
            retry_node.artifacts = attempt.artifacts
            retry_node.set_state("SUCCEEDED")
        elif len(retry_node.children) <= retry_node.blueprint.retry_limit:
            retry_node.failed_pods.append(attempt.pods[0])
            self._start_attempt(retry_node)
        else:
            retry_node.failed_pods.append(attempt.pods[0])
            retry_node.set_state("FAILED", attempt.message or "No more retries left")

    def _progress(self, node):
        """Starts what can start under `node` and finishes what has finished."""
        if node.state in TERMINAL or node.state == "CANCELING":
            return
        changed = True
        while changed:
            changed = False
            for child in list(node.children):
                if child.state not in TERMINAL and child.kind not in ("pod",):
                    before = child.state
                    self._progress(child)
                    changed |= child.state != before
            if node.kind in ("dag", "group"):
                changed |= self._start_ready(node)
            elif node.kind == "loop":
                changed |= self._expand_loop(node)
            elif node.kind == "steps":
                changed |= self._next_group(node)
            if self._maybe_finish(node):
                return

    def _start_ready(self, node):
        started = False
        failed = any(c.state in ("FAILED", "CANCELED") for c in node.children)
        for td in list(node.pending):
            dep_nodes = []
            blocked = False
            for dep in td.deps:
                if dep in node.dropped:
                    dep_nodes.append(None)
                    continue
                child = node.by_task.get(dep)
                if child is None or child.state not in TERMINAL:
                    blocked = True
                    break
                dep_nodes.append(child)
            if blocked:
                continue
            ok = all(d is not None and d.state in ("SUCCEEDED", "SKIPPED") for d in dep_nodes)
            if not td.trigger_all and (not ok or failed):
                node.pending.remove(td)
                node.dropped.add(td.name)   # Argo never creates it (DAG fail-fast / failed dependency)
                started = True
                continue
            node.pending.remove(td)
            self._start_task(node, td)
            started = True
        return started

    def _child_name(self, parent, td):
        if parent.kind == "group":
            return f"{parent.name}.{td.name}"
        return f"{parent.name}.{td.name}"

    def _start_task(self, parent, td):
        name = self._child_name(parent, td)
        try:
            inputs = td.inputs(parent, None)
            if td.condition is not None and not td.condition(parent, inputs):
                node = self._new_node("skipped", name, td.display, td.blueprint(), parent, inputs, td)
                shown = td.condition_text if self.kind == "v2" else blueprints.substitute(td.condition_text, parent, None)
                node.set_state("SKIPPED", f"when '{shown}' evaluated false")
                return node
            if td.items is not None:
                items = td.items(parent, inputs)
                loop = self._new_node("loop", name, td.display, td.blueprint(), parent, inputs, td)
                loop.items = list(enumerate(items))
                loop.all_items = list(loop.items)
                loop.set_state("RUNNING")
                self._expand_loop(loop)
                return loop
        except expr.ExprError as e:
            node = self._new_node("skipped", name, td.display, td.blueprint(), parent, {}, td)
            node.kind = "pod" if self.kind == "v1" else "dag"
            node.set_state("FAILED", f"failed to evaluate: {e}")
            return node
        return self._start_instance(parent, td.blueprint(), name, td.display, inputs, td)

    def _expand_loop(self, loop):
        started = False
        running = sum(1 for c in loop.children if c.state not in TERMINAL)
        limit = loop.task.parallelism or len(loop.items) or 1
        while loop.items and running < limit:
            index, item = loop.items.pop(0)
            label = _item_label(item)
            inputs = loop.task.inputs(loop.parent, item)
            self._start_instance(loop, loop.blueprint, f"{loop.name}({index}:{label})",
                                 f"{loop.display}({index}:{label})", inputs, loop.task)
            running += 1
            started = True
        return started

    def _next_group(self, node):
        groups = node.blueprint.groups
        if node.children and node.children[-1].state not in TERMINAL:
            return False
        if node.children and node.children[-1].state in ("FAILED", "CANCELED"):
            return False
        if node.groups_started >= len(groups):
            return False
        index = node.groups_started
        group = self._new_node("group", f"{node.name}[{index}]", f"[{index}]", node.blueprint, node, node.scope, None)
        group.group_tasks = groups[index]
        group.pending = list(groups[index])
        if node.children[:-1]:
            previous = node.children[-2]
            group.by_task.update(previous.by_task)
            group.inherited = dict(getattr(previous, "inherited", {}))
            group.inherited.update(previous.by_task)
        group.set_state("RUNNING")
        node.groups_started += 1
        return True

    def _maybe_finish(self, node):
        if any(c.state not in TERMINAL for c in node.children):
            return False
        if node.kind in ("dag", "group"):
            if node.pending:
                return False
            own = [c for c in node.children if c not in getattr(node, "inherited", {}).values()]
            failed = any(c.state in ("FAILED", "CANCELED") for c in own)
        elif node.kind == "loop":
            if node.items:
                return False
            failed = any(c.state in ("FAILED", "CANCELED") for c in node.children)
        elif node.kind == "steps":
            failed = any(c.state in ("FAILED", "CANCELED") for c in node.children)
            if not failed and node.groups_started < len(node.blueprint.groups):
                return False
        else:
            return False
        if failed:
            node.set_state("FAILED", "child failed")
        else:
            if node.kind in ("dag", "steps") and node.blueprint.dag_output:
                node.outputs = {}
            node.set_state("SUCCEEDED")
        return True

    # -- logs and artifacts --------------------------------------------
    def _log(self, pod, node, line):
        log = self.pods.setdefault(pod, PodLog(pod, node))
        log.node = node
        log.lines.append(f"{rfc3339(self.clock.now())} {line}")

    def read_log(self, pod):
        """The pod's log; a running container's log grows by a line per read."""
        log = self.pods.get(pod)
        if log is None:
            return None
        node = log.node
        if node.kind == "pod" and node.state == "RUNNING" and pod in node.pods:
            log.reads += 1
            log.lines.append(f"{rfc3339(self.clock.now())} [{self._task_display(node)}] still running "
                             f"(progress report {log.reads})")
        return "\n".join(log.lines) + "\n"

    def _write_artifacts(self, node):
        name = self._task_display(node)
        markers = node.blueprint.markers
        task_name = node.parent.display if node.parent is not None and node.parent.kind == "retry" else node.display
        for aname, atype in node.blueprint.output_artifacts:
            if self.kind == "v1" or atype == "argo":
                content = _v1_artifact(aname, task_name, markers)
                key = f"artifacts/{self.workflow_name}/{node.pods[0]}/{aname}.tgz"
                self.objects[("mlpipeline", key)] = tgz(f"{aname}.json" if aname in blueprints._METRIC_NAMES else aname,
                                                        content)
                node.artifacts.append({"name": aname, "type": atype, "bucket": "mlpipeline", "key": key,
                                       "id": self.ids.next("artifact"), "content": content})
            else:
                content, metadata = _v2_artifact(aname, atype, task_name, markers)
                root = self.pipeline_root.rstrip("/")
                scheme, _, rest = root.partition("://")
                bucket, _, prefix = rest.partition("/")
                key = "/".join(p for p in (prefix, self.template.name, self.run_id, task_name,
                                           str(node.execution_id), aname) if p)
                self.objects[(bucket, key)] = content
                node.artifacts.append({"name": aname, "type": atype, "bucket": bucket, "key": key,
                                       "uri": f"{scheme}://{bucket}/{key}", "source": scheme if scheme != "gs" else "gcs",
                                       "id": self.ids.next("artifact"), "metadata": metadata})
            self._log(node.pods[0], node, f"[{name}] wrote artifact {aname}")

    def metrics(self):
        """The v1 run's metrics: what each task wrote to mlpipeline-metrics."""
        out = []
        for node in self.nodes:
            for a in node.artifacts:
                if a["name"] == "mlpipeline-metrics" and node.kind == "pod":
                    for m in json.loads(a["content"]).get("metrics", []):
                        out.append({"name": m["name"], "node_id": node.node_id,
                                    "number_value": m["numberValue"], "format": m.get("format", "RAW")})
        return out

    def artifacts(self):
        out = []
        for node in self.nodes:
            if node.kind != "pod":
                continue
            task = self._task_display(node)
            for a in node.artifacts:
                entry = {"task": task, "name": a["name"], "type": a["type"], "artifact_id": str(a["id"]),
                         "source": a.get("source", "minio"), "bucket": a["bucket"], "key": a["key"],
                         "pod_name": node.pods[0], "node_id": node.node_id}
                if "uri" in a:
                    entry["uri"] = a["uri"]
                if "metadata" in a:
                    entry["metadata"] = a["metadata"]
                out.append(entry)
        return out

    # -- rendering: v2 task_details ------------------------------------
    def task_details(self):
        out = []
        for node in self.nodes:
            if node.kind == "pod" and node.parent is not None and node.parent.kind == "retry":
                continue
            out.append(self._task_detail(node))
        return out

    def _task_detail(self, node):
        detail = {"run_id": self.run_id, "task_id": node.task_id, "display_name": node.display,
                  "create_time": rfc3339(node.created), "start_time": rfc3339(node.started),
                  "end_time": rfc3339(node.finished), "state": node.state,
                  "execution_id": str(node.execution_id),
                  "state_history": [{"update_time": rfc3339(t), "state": s} for t, s in node.history]}
        parent = node.parent
        if parent is not None:
            detail["parent_task_id"] = parent.task_id
        if node.kind in ("pod", "retry"):
            attempts = node.children if node.kind == "retry" else [node]
            pods = [a.pods[0] for a in attempts if a.pods]
            driver = getattr(attempts[0], "driver_pod", None) if attempts else None
            children = ([{"pod_name": driver}] if driver else []) + [{"pod_name": p} for p in pods]
            if children:
                detail["child_tasks"] = children
            if pods:
                detail["pod_name"] = pods[-1]
                executor = {"main_job": pods[-1]}
                failed = [a.pods[0] for a in attempts if a.state == "FAILED" and a.pods]
                if failed:
                    executor["failed_main_jobs"] = failed
                detail["executor_detail"] = executor
            artifacts = node.artifacts if node.kind == "pod" else \
                (attempts[-1].artifacts if attempts else [])
            if artifacts:
                detail["outputs"] = {a["name"]: {"artifact_ids": [str(a["id"])]} for a in artifacts}
        else:
            children = [{"task_id": c.task_id} for c in node.children]
            if node.pods:
                children = [{"pod_name": p} for p in node.pods] + children
            if children:
                detail["child_tasks"] = children
        if node.state == "FAILED" and node.message:
            detail["error"] = {"code": 2, "message": node.message}
        return detail

    # -- rendering: v1 Argo Workflow -----------------------------------
    def workflow(self):
        phase = self.argo_phase()
        labels = {"pipeline/runid": self.run_id, "workflows.argoproj.io/phase": phase}
        if self.done:
            labels["workflows.argoproj.io/completed"] = "true"
        source = self.template.spec if self.kind == "v1" else {}
        spec = json.loads(json.dumps(source.get("spec", {}))) if self.kind == "v1" else \
            {"entrypoint": "entrypoint", "serviceAccountName": "pipeline-runner",
             "templates": [{"name": "entrypoint", "dag": {"tasks": []}}]}
        if self.kind == "v1":
            params = (spec.setdefault("arguments", {}).setdefault("parameters", []))
            for p in params:
                if p.get("name") in self.parameters:
                    p["value"] = self.parameters[p["name"]]
            spec.setdefault("serviceAccountName", "pipeline-runner")
        annotations = dict(((source.get("metadata") or {}).get("annotations")) or {}) if self.kind == "v1" else {}
        annotations["pipelines.kubeflow.org/run_name"] = self.run_name
        # Argo (3.2 and later) records how it names pods; its pods here have v2 names.
        annotations["workflows.argoproj.io/pod-name-format"] = "v2"
        wf = {
            "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
            "metadata": {"name": self.workflow_name,
                         "generateName": self.workflow_name[:-5],
                         "namespace": self.namespace, "uid": self.run_id,
                         "resourceVersion": str(len(self.history) + len(self.nodes)),
                         "creationTimestamp": rfc3339(self.created), "labels": labels,
                         "annotations": annotations},
            "spec": spec,
            "status": {"phase": phase, "startedAt": rfc3339(self.history[1][0]) if len(self.history) > 1 else None,
                       "finishedAt": rfc3339(self.finished) if self.done else None,
                       "progress": self._progress_text(), "nodes": self._argo_nodes()},
        }
        if self.state == "FAILED":
            wf["status"]["message"] = "child failed"
        if self.state in ("CANCELING", "CANCELED"):
            wf["spec"]["activeDeadlineSeconds"] = 0
            wf["status"]["message"] = "Stopped with strategy 'Terminate'"
        if not wf["status"]["nodes"]:
            del wf["status"]["nodes"]
        return wf

    def _progress_text(self):
        pods = [n for n in self.nodes if n.kind == "pod"]
        return f"{sum(1 for n in pods if n.state in TERMINAL)}/{len(pods)}"

    def _argo_nodes(self):
        links = {id(n): [] for n in self.nodes}
        for node in self.nodes:
            if node.kind in ("dag", "group"):
                tasks = getattr(node, "group_tasks", None) or node.blueprint.tasks
                deps = {td.name: td.deps for td in tasks}
                own = {k: c for k, c in node.by_task.items() if c.parent is node}
                for task_name, child in own.items():
                    if not deps.get(task_name) or node.kind == "group":
                        links[id(node)].append(child)
                    for dep in deps.get(task_name, []):
                        producer = own.get(dep)
                        if producer is not None:
                            for o in self._outbound(producer):
                                links[id(o)].append(child)
            elif node.kind in ("loop", "retry", "steps"):
                links[id(node)].extend(node.children)
            if node.kind == "group" and node.parent is not None:
                siblings = node.parent.children
                index = siblings.index(node)
                if index + 1 < len(siblings):
                    for step in node.children:
                        for o in self._outbound(step):
                            links[id(o)].append(siblings[index + 1])
        out = {}
        for node in self.nodes:
            entry = {"id": node.node_id, "name": node.name, "displayName": node.display,
                     "type": {"dag": "DAG", "steps": "Steps", "group": "StepGroup", "loop": "TaskGroup",
                              "retry": "Retry", "pod": "Pod", "skipped": "Skipped"}[node.kind],
                     "phase": node.argo_phase(), "startedAt": rfc3339(node.started or node.created),
                     "finishedAt": rfc3339(node.finished) if node.finished else None}
            if node.kind == "pod" and node.pods:
                entry["templateName"] = node.blueprint.pod_template if self.kind == "v2" else node.blueprint.name
            elif node.kind not in ("skipped", "group"):
                entry["templateName"] = node.blueprint.name
            boundary = self._boundary(node)
            if boundary is not None:
                entry["boundaryID"] = boundary.node_id
            if node.message:
                entry["message"] = node.message
            children = []
            for c in links[id(node)]:
                if c.node_id not in children:
                    children.append(c.node_id)
            if children:
                entry["children"] = children
            if node.kind in ("dag", "steps") and node.state in TERMINAL:
                entry["outboundNodes"] = [o.node_id for o in self._outbound(node) if o is not node]
                if not entry["outboundNodes"]:
                    del entry["outboundNodes"]
            inputs = {k: v for k, v in node.scope.items() if not k.startswith("__")} if self.kind == "v1" else {}
            if inputs and node.kind != "group":
                entry["inputs"] = {"parameters": [{"name": k, "value": blueprints._text(v)} for k, v in inputs.items()
                                                  if v is not None]}
            if node.kind == "pod" and node.state in ("SUCCEEDED", "FAILED"):
                outputs = {}
                if node.outputs:
                    outputs["parameters"] = [{"name": k, "value": blueprints._text(v)} for k, v in node.outputs.items()]
                artifacts = [{"name": a["name"], "s3": {"bucket": a["bucket"], "key": a["key"]}} for a in node.artifacts]
                if node.pods and self.kind == "v1":
                    artifacts.append({"name": "main-logs", "s3": {"bucket": "mlpipeline",
                                                                  "key": f"artifacts/{self.workflow_name}/{node.pods[0]}/main.log"}})
                if artifacts:
                    outputs["artifacts"] = artifacts
                outputs["exitCode"] = getattr(node, "exit_code", "0")
                entry["outputs"] = outputs
                entry["hostNodeName"] = "kfp-test-node"
            out[node.node_id] = entry
        return out

    def _boundary(self, node):
        p = node.parent
        while p is not None and p.kind not in ("dag", "steps"):
            p = p.parent
        return p

    def _outbound(self, node):
        if node.kind in ("pod", "skipped"):
            return [node]
        if node.kind == "retry":
            return node.children[-1:] or [node]
        if node.kind == "loop":
            out = []
            for c in node.children:
                out.extend(self._outbound(c))
            return out or [node]
        if node.kind == "steps":
            last = node.children[-1] if node.children else None
            if last is None:
                return [node]
            out = []
            for c in last.children:
                out.extend(self._outbound(c))
            return out or [node]
        if node.kind in ("dag", "group"):
            tasks = getattr(node, "group_tasks", None) or node.blueprint.tasks
            needed = {d for td in tasks for d in td.deps}
            out = []
            for name, child in node.by_task.items():
                if child.parent is node and name not in needed:
                    out.extend(self._outbound(child))
            return out or [node]
        return [node]

    def archive_logs(self):
        """Argo archives each finished pod's log as artifacts/<wf>/<pod>/main.log."""
        if self.kind != "v1":
            return
        for pod, log in self.pods.items():
            if log.node.state in TERMINAL:
                self.objects[("mlpipeline", f"artifacts/{self.workflow_name}/{pod}/main.log")] = \
                    ("\n".join(log.lines) + "\n").encode()


class PodLog:
    def __init__(self, pod, node):
        self.pod = pod
        self.node = node
        self.lines = []
        self.reads = 0


def _item_label(item):
    if isinstance(item, dict):
        return ",".join(f"{k}:{blueprints._text(v)}" for k, v in item.items())
    return blueprints._text(item)


def _metric_values(markers, task_name):
    if markers.metrics:
        return dict(markers.metrics)
    return {"accuracy": round(0.5 + (fnv32a(task_name) % 4900) / 10000.0, 4)}


def _v1_artifact(name, task_name, markers):
    if name == "mlpipeline-metrics":
        metrics = [{"name": k, "numberValue": v, "format": "PERCENTAGE" if 0 <= v <= 1 and k == "accuracy" else "RAW"}
                   for k, v in _metric_values(markers, task_name).items()]
        return json.dumps({"metrics": metrics}).encode()
    if name == "mlpipeline-ui-metadata":
        return json.dumps({"outputs": [
            {"type": "markdown", "storage": "inline", "source": f"# {task_name}\n\nWritten by the test KFP server."},
            {"type": "table", "storage": "inline", "format": "csv", "header": ["metric", "value"],
             "source": "\n".join(f"{k},{v}" for k, v in _metric_values(markers, task_name).items())},
        ]}).encode()
    return f"{name} written by {task_name}\n".encode()


def _v2_artifact(name, atype, task_name, markers):
    """(file content, metadata) of a v2 output artifact."""
    if atype == "system.Metrics":
        metadata = _metric_values(markers, task_name)
        return json.dumps(metadata).encode(), metadata
    if atype == "system.ClassificationMetrics":
        metadata = {
            "confusionMatrix": {"annotationSpecs": [{"displayName": "cat"}, {"displayName": "dog"}],
                                "rows": [{"row": [8, 2]}, {"row": [1, 9]}]},
            "confidenceMetrics": [
                {"confidenceThreshold": 0.9, "recall": 0.6, "falsePositiveRate": 0.05},
                {"confidenceThreshold": 0.5, "recall": 0.85, "falsePositiveRate": 0.15},
                {"confidenceThreshold": 0.1, "recall": 1.0, "falsePositiveRate": 0.6}],
        }
        return json.dumps(metadata).encode(), metadata
    if atype == "system.HTML":
        return f"<html><body><h1>{task_name}</h1></body></html>".encode(), {}
    if atype == "system.Markdown":
        return f"# {task_name}\n\nWritten by the test KFP server.\n".encode(), {}
    return f"{name} written by {task_name}\n".encode(), {}
