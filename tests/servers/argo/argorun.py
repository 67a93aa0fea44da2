# SPDX-License-Identifier: Apache-2.0
"""One workflow's life as the Argo controller would lead it, one step per
observation. The stepping and the status.nodes tree come from the KFP test
server's runs.Execution (DAG, Steps, TaskGroup loops, Retry nodes with
attempts, Skipped nodes, onExit, v2 pod names); this module adds what the
plain Argo Server shows and does:

- the workflow object: the submitted one plus metadata the API server and
  the controller add (uid, resourceVersion, creationTimestamp, the
  `workflows.argoproj.io/phase` and `/completed` labels, the
  `pod-name-format: v2` annotation), and status (phase, startedAt,
  finishedAt, progress, message, conditions, nodes). A workflow nobody has
  observed yet has no phase, as before the controller picks it up.
- stop (exit handlers still run) and terminate (they do not), with
  spec.shutdown and Argo's "Stopped with strategy '...'" messages;
- retry (only failed nodes run again; restartSuccessful with a
  nodeFieldSelector restarts matching succeeded nodes and what depends on
  them) and resubmit (a new workflow from the old one's spec);
- the pods' logs per container, with kubelet timestamps.
"""
import copy
import datetime
import json
import os
import re
import sys

_KFP = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kfp")
if _KFP not in sys.path:
    sys.path.append(_KFP)

import runs  # noqa: E402  (tests/servers/kfp/runs.py)
from rpcstatus import invalid  # noqa: E402

TERMINAL = runs.TERMINAL
LABEL_PHASE = "workflows.argoproj.io/phase"
LABEL_COMPLETED = "workflows.argoproj.io/completed"
LABEL_WORKFLOW = "workflows.argoproj.io/workflow"
HOST_NODE = "argo-test-node"


def rfc3339(seconds):
    return runs.rfc3339(seconds) if seconds else None


class Template:
    """What runs.Execution asks of a pipeline template, for a submitted Workflow."""
    kind = "v1"

    def __init__(self, workflow):
        self.spec = workflow
        self.name = (workflow.get("metadata") or {}).get("name") or "workflow"

    def workflow_parameters(self):
        params = (((self.spec.get("spec") or {}).get("arguments") or {}).get("parameters")) or []
        return [{"name": p.get("name"), **({"value": _text(p["value"])} if p.get("value") is not None else {})}
                for p in params]


def _text(value):
    return value if isinstance(value, str) else json.dumps(value)


class Node(runs.Node):
    def pod_name(self, template=None, node_name=None):
        # workflow/util.GeneratePodName: the pod of a one-pod workflow is named as it
        if (node_name or self.name) == self.execution.workflow_name:
            return self.execution.workflow_name
        return super().pod_name(template, node_name)


class Execution(runs.Execution):
    """runs.Execution plus Argo's two shutdown strategies and pod naming."""

    shutdown = ""

    def _new_node(self, kind, name, display, blueprint, parent, scope, task=None):
        node = Node(self, kind, name, display, blueprint, parent, scope, task)
        self.nodes.append(node)
        if parent is not None:
            parent.children.append(node)
            if task is not None and parent.kind in ("dag", "group"):
                parent.by_task[task.name] = node
        return node

    def stop(self):
        """`argo stop`: running pods are stopped, then exit handlers run."""
        self.shutdown = "Stop"
        self.terminate()

    def _cancel_step(self):
        if self.cancel_steps == 0:
            super()._cancel_step()
            return
        strategy = self.shutdown or "Terminate"
        for n in [n for n in self.nodes if n.state not in TERMINAL]:
            n.set_state("CANCELED", f"Stopped with strategy '{strategy}'")
            for pod in n.pods if n.kind == "pod" else []:
                self._log(pod, n, f"[{n.display}] stopped by request (SIGTERM)")
        if strategy == "Stop" and self.exit_blueprint is not None and self.exit_node is None:
            self.state = "RUNNING"  # the exit handler runs on the next steps
            return
        self.set_state("CANCELED")


class ArgoRun:
    """A stored workflow: the submitted object and its execution."""

    def __init__(self, workflow, uid, clock, objects, ids):
        self.submitted = workflow
        meta = workflow["metadata"]
        self.name = meta["name"]
        self.namespace = meta["namespace"]
        self.uid = uid
        self.created = clock.now()
        self.clock = clock
        self.resource_version = ids.next("resourceVersion")
        self.ids = ids
        self.observed = False
        self.retries = 0
        self.execution = Execution(uid, Template(workflow), {}, clock, objects, self.namespace, ids)
        self.execution.workflow_name = self.name
        self.execution.run_name = self.name

    # -- life -----------------------------------------------------------
    @property
    def done(self):
        return self.observed and self.execution.done

    def step(self):
        """One observation: the controller moves the workflow on once."""
        moved = False
        if not self.observed:
            self.observed = True
            moved = True
        if self.execution.step():
            moved = True
        if moved:
            self.resource_version = self.ids.next("resourceVersion")
        return moved

    def shut_down(self, strategy):
        if self.done:
            raise invalid(f"cannot shutdown a completed workflow: workflow: {self.name}, namespace: {self.namespace}")
        if strategy == "Stop":
            self.execution.stop()
        else:
            self.execution.terminate()
        self.resource_version = self.ids.next("resourceVersion")

    def retry(self, restart_successful=False, node_selector="", parameters=()):
        phase = self.phase()
        if phase == "Succeeded":
            if not (restart_successful and node_selector):
                raise invalid("To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector")
        elif phase not in ("Failed", "Error"):
            raise invalid(f"Cannot retry a workflow in phase {phase}")
        _apply_parameters(self.execution, parameters)
        if restart_successful and node_selector:
            match = node_field_selector(node_selector)
            self._restart_matching(match)
        self.execution.shutdown = ""
        self.execution.cancel_steps = None
        self.execution.retry()
        self.retries += 1
        self.resource_version = self.ids.next("resourceVersion")

    def _restart_matching(self, match):
        """Marks succeeded pods that match, and the tasks that depend on them,
        failed so that the retry runs them again."""
        execution = self.execution
        rendered = execution._argo_nodes()
        chosen = [n for n in execution.nodes if n.kind in ("pod", "retry") and n.state == "SUCCEEDED"
                  and (n.parent is None or n.parent.kind != "retry") and match(rendered.get(n.node_id, {}))]
        todo = list(chosen)
        while todo:
            node = todo.pop()
            node.state = "FAILED"
            parent = node.parent
            while parent is not None:
                if parent.state == "SUCCEEDED":
                    parent.state = "FAILED"
                parent = parent.parent
            if node.parent is not None and node.task is not None:
                for name, sibling in node.parent.by_task.items():
                    if sibling.task is not None and node.task.name in sibling.task.deps and sibling.state != "FAILED":
                        if sibling.kind in ("pod", "retry"):
                            todo.append(sibling)
                        else:
                            sibling.state = "FAILED"

    # -- rendering ------------------------------------------------------
    def phase(self):
        if not self.observed:
            return ""
        return {"PENDING": "Pending", "RUNNING": "Running", "CANCELING": "Running", "SUCCEEDED": "Succeeded",
                "FAILED": "Failed", "CANCELED": "Failed"}[self.execution.state]

    def labels(self):
        labels = dict((self.submitted["metadata"].get("labels")) or {})
        if self.observed:
            labels[LABEL_PHASE] = self.phase()
            labels[LABEL_COMPLETED] = "true" if self.execution.done else "false"
        return labels

    def nodes(self):
        execution = self.execution
        nodes = execution._argo_nodes()
        by_id = {n.node_id: n for n in execution.nodes}
        for node_id, entry in nodes.items():
            if "hostNodeName" in entry:
                entry["hostNodeName"] = HOST_NODE
            node = by_id.get(node_id)
            if entry.get("type") in ("DAG", "Steps", "TaskGroup", "StepGroup") and entry.get("phase") == "Failed" \
                    and entry.get("message") == "child failed":
                failed = next((c for c in entry.get("children", []) if nodes.get(c, {}).get("phase") == "Failed"),
                              None) or next((c.node_id for c in (node.children if node else [])
                                             if c.state in ("FAILED", "CANCELED")), None)
                if failed:
                    entry["message"] = f"child '{failed}' failed"
            if entry.get("type") == "Pod":
                entry["progress"] = "1/1" if entry.get("phase") in ("Succeeded", "Failed") else "0/1"
            if entry.get("type") == "TaskGroup":
                entry.pop("inputs", None)  # the expanded children carry the item's inputs
        for entry in nodes.values():
            if entry.get("type") == "Retry" and entry.get("phase") in ("Succeeded", "Failed") and entry.get("children"):
                last = nodes.get(entry["children"][-1], {})
                if "outputs" in last:  # the controller copies the last attempt's outputs up
                    entry["outputs"] = copy.deepcopy(last["outputs"])
            if entry.get("finishedAt") is None:
                entry["finishedAt"] = None
        return nodes

    def workflow(self):
        """The Workflow object as the API answers it."""
        wf = copy.deepcopy(self.submitted)
        meta = wf["metadata"]
        meta.update({"name": self.name, "namespace": self.namespace, "uid": self.uid,
                     "resourceVersion": str(self.resource_version), "generation": 1 + self.retries,
                     "creationTimestamp": runs.rfc3339(self.created)})
        labels = self.labels()
        if labels:
            meta["labels"] = labels
        if self.observed:
            meta.setdefault("annotations", {})["workflows.argoproj.io/pod-name-format"] = "v2"
        spec = wf.setdefault("spec", {})
        if self.execution.shutdown or self.execution.state in ("CANCELING", "CANCELED"):
            spec["shutdown"] = self.execution.shutdown or "Terminate"
        wf["status"] = self.status()
        return wf

    def status(self):
        if not self.observed:
            # encoding/json of an empty WorkflowStatus: omitempty does not drop a zero metav1.Time
            return {"startedAt": None, "finishedAt": None}
        execution = self.execution
        started = execution.history[1][0] if len(execution.history) > 1 else execution.created
        status = {"phase": self.phase(), "startedAt": rfc3339(started),
                  "finishedAt": rfc3339(execution.finished) if execution.done else None,
                  "progress": execution._progress_text()}
        nodes = self.nodes()
        if nodes:
            status["nodes"] = nodes
        root = nodes.get(self.name, {})
        if execution.state == "CANCELED" or (execution.shutdown and execution.done):
            status["message"] = f"Stopped with strategy '{execution.shutdown or 'Terminate'}'"
        elif execution.state == "FAILED":
            status["message"] = root.get("message") or "child failed"
        running = any(n.kind == "pod" and n.state == "RUNNING" for n in execution.nodes)
        status["conditions"] = [{"type": "PodRunning", "status": "True" if running else "False"}]
        if execution.done:
            status["conditions"].append({"type": "Completed", "status": "True"})
        status["artifactRepositoryRef"] = {"default": True, "artifactRepository": {
            "archiveLogs": True, "s3": {"bucket": "mlpipeline", "endpoint": "minio-service.kubeflow:9000",
                                        "insecure": True, "keyFormat": "artifacts/{{workflow.name}}/{{pod.name}}"}}}
        return status

    # -- pods and their logs ---------------------------------------------
    def pods(self):
        """[(pod name, node)] of the pods that exist, oldest first."""
        out = []
        for name, log in self.execution.pods.items():
            out.append((name, log.node))
        return sorted(out, key=lambda p: (p[1].started or 0, p[0]))

    def pod_done(self, pod):
        log = self.execution.pods.get(pod)
        return log is None or log.node.state in TERMINAL

    def log_lines(self, pod, container, grow=False):
        """[(kubelet timestamp, text)] of one container of a pod: `main` is
        what the task printed, `wait` and `init` the executor's lines."""
        log = self.execution.pods.get(pod)
        if log is None:
            return []
        if grow:
            self.execution.read_log(pod)
        if container == "main":
            lines = log.lines
        elif container in ("wait", "init"):
            lines = _executor_lines(log, container)
        else:
            return []
        out = []
        for i, line in enumerate(lines):
            stamp, _, text = line.partition(" ")
            out.append((kubelet_time(stamp, i), text))
        return out

    def artifact(self, node_id, name):
        """(bucket, key) of an output artifact of a node, or None."""
        for node in self.execution.nodes:
            if node.node_id != node_id:
                continue
            entry = self.nodes().get(node_id, {})
            for a in ((entry.get("outputs") or {}).get("artifacts")) or []:
                if a.get("name") == name and "s3" in a:
                    return a["s3"]["bucket"], a["s3"]["key"]
        return None


def kubelet_time(stamp, index):
    """The kubelet's log timestamp: RFC 3339 with nine fraction digits."""
    moment = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{index * 1000 + 17:09d}Z"


def _executor_lines(log, container):
    first = log.lines[0].partition(" ")[0] if log.lines else "1970-01-01T00:00:00Z"
    if container == "init":
        return [f'{first} time="{first}" level=info msg="Starting Workflow Executor" version=v3.5.8',
                f'{first} time="{first}" level=info msg="Start loading input artifacts..."']
    out = [f'{first} time="{first}" level=info msg="Starting Workflow Executor" version=v3.5.8']
    if log.node.state in TERMINAL:
        last = log.lines[-1].partition(" ")[0]
        out.append(f'{last} time="{last}" level=info msg="Main container completed" error="<nil>"')
        out.append(f'{last} time="{last}" level=info msg="Saving output artifacts"')
    return out


def _apply_parameters(execution, parameters):
    for item in parameters or ():
        name, sep, value = item.partition("=")
        if not sep:
            raise invalid(f"expected parameter of the form: NAME=VALUE. Received: {item}")
        execution.parameters[name] = value


def node_field_selector(text):
    """Argo's nodeFieldSelector over a rendered node: `key=value`, `key==value`,
    `key!=value`, comma-separated; keys are node fields (id, name,
    displayName, templateName, phase, type, boundaryID) or
    inputs.parameters.<name>.value."""
    tests = []
    for part in text.split(","):
        m = re.match(r"^\s*([\w.-]+)\s*(==|!=|=)\s*(.*?)\s*$", part)
        if not m:
            raise invalid(f"invalid selector: '{text}'")
        key, op, wanted = m.groups()

        def value_of(node, key=key):
            pm = re.match(r"^inputs\.parameters\.(.+)\.value$", key)
            if pm:
                for p in ((node.get("inputs") or {}).get("parameters")) or []:
                    if p.get("name") == pm.group(1):
                        return p.get("value")
                return None
            return node.get(key)

        tests.append(lambda node, v=value_of, op=op, w=wanted: (v(node) == w) if op != "!=" else (v(node) != w))
    return lambda node: all(t(node) for t in tests)
