# SPDX-License-Identifier: Apache-2.0
"""The server's state in memory, per namespace: workflows and
CronWorkflows, a virtual clock (one second per event, never by itself),
deterministic names and uids, the object store tasks write artifacts to.

Lists are in Kubernetes' order (by name) and paged with an opaque continue
token bound to the selectors it was made for; each page is then sorted as
the Argo Server sorts it (unfinished first, newest first; then by finish)."""
import base64
import copy
import hashlib
import json
import threading
import uuid

import argorun
import listing
import wfvalidate
from rpcstatus import ApiError, already_exists, invalid, not_found

_UID_NAMESPACE = uuid.UUID("7e1f3c52-5b0e-4f57-9a53-0d5b7e6c2a10")
_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand


class Clock:
    def __init__(self, epoch):
        self.t = int(epoch)

    def now(self):
        return self.t

    def tick(self):
        self.t += 1
        return self.t


class Ids:
    def __init__(self):
        self.counters = {}

    def next(self, kind):
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return self.counters[kind]


class CronRecord:
    def __init__(self, obj, uid, created, rv):
        self.obj = obj
        self.uid = uid
        self.created = created
        self.resource_version = rv
        self.active = []          # names of workflows it started that still run
        self.last_scheduled = None
        self.conditions = []      # SubmissionError when the last workflow it started was refused
        self.succeeded = 0
        self.failed = 0


class State:
    def __init__(self, epoch, version, manual_steps=False):
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)  # notified when /_test/ moves something
        self.epoch = epoch
        self.version = version
        self.manual_steps = manual_steps  # workflows move only on /_test/advance
        self.reset()

    def observe(self, run):
        """A read of the workflow: one step, unless --manual-steps."""
        if not self.manual_steps:
            run.step()

    def reset(self):
        self.clock = Clock(self.epoch)
        self.ids = Ids()
        self.objects = {}
        self.workflows = {}   # (namespace, name) -> ArgoRun
        self.crons = {}       # (namespace, name) -> CronRecord

    # -- names ----------------------------------------------------------
    def _name(self, namespace, meta, kind, taken):
        name = meta.get("name")
        if name:
            if (namespace, name) in taken:
                raise already_exists(kind, name)
            return name
        prefix = meta.get("generateName", "")
        for _ in range(1000):
            n = self.ids.next("name")
            digest = int.from_bytes(hashlib.sha256(f"{namespace}/{prefix}/{n}".encode()).digest()[:8], "big")
            suffix = ""
            for _ in range(5):
                suffix += _ALPHABET[digest % len(_ALPHABET)]
                digest //= len(_ALPHABET)
            candidate = prefix[:58] + suffix
            if (namespace, candidate) not in taken:
                return candidate
        raise invalid("no free generated name")

    def _uid(self):
        return str(uuid.uuid5(_UID_NAMESPACE, f"uid-{self.ids.next('uid')}"))

    # -- workflows ------------------------------------------------------
    def create_workflow(self, namespace, workflow):
        wf = copy.deepcopy(workflow)
        meta = wf.setdefault("metadata", {})
        name = self._name(namespace, meta, "workflows", self.workflows)
        meta["name"] = name
        meta["namespace"] = namespace
        for key in ("uid", "resourceVersion", "creationTimestamp", "generation", "selfLink", "managedFields"):
            meta.pop(key, None)
        wf.pop("status", None)
        wf.setdefault("apiVersion", "argoproj.io/v1alpha1")
        wf.setdefault("kind", "Workflow")
        self.clock.tick()
        run = argorun.ArgoRun(wf, self._uid(), self.clock, self.objects, self.ids)
        self.workflows[(namespace, name)] = run
        return run

    def workflow(self, namespace, name):
        run = self.workflows.get((namespace, name))
        if run is None:
            raise not_found("workflows", name)
        return run

    def delete_workflow(self, namespace, name):
        self.workflow(namespace, name)
        del self.workflows[(namespace, name)]
        self.changed.notify_all()  # a followed log of it ends

    def list_workflows(self, namespace, label_selector="", field_selector="", limit=0, token="", name_filter=""):
        """(page of ArgoRuns, continue token, remaining count); every workflow of
        the namespace is observed (moves one step) first. `name_filter` says how
        a metadata.name= field selector matches (Exact, Contains, Prefix)."""
        requirements = listing.parse_label_selector(label_selector)
        field_test = listing.parse_workflow_field_selector(field_selector, namespace, name_filter)
        runs = [r for (ns, _), r in sorted(self.workflows.items()) if ns == namespace]
        for r in runs:
            self.observe(r)
        selected = []
        for r in runs:
            wf = r.workflow()
            if listing.labels_match(requirements, wf["metadata"].get("labels")) and \
                    field_test(wf["metadata"], wf.get("status") or {}):
                selected.append(r)
        return _page(selected, limit, token, f"{label_selector}|{field_selector}|{name_filter}")

    def resource_version(self):
        return str(self.ids.counters.get("resourceVersion", 0))

    # -- cron workflows ---------------------------------------------------
    def create_cron(self, namespace, cron):
        obj = copy.deepcopy(cron)
        meta = obj.setdefault("metadata", {})
        name = self._name(namespace, meta, "cronworkflows", self.crons)
        meta["name"] = name
        meta["namespace"] = namespace
        for key in ("uid", "resourceVersion", "creationTimestamp", "generation", "selfLink", "managedFields"):
            meta.pop(key, None)
        obj.pop("status", None)
        obj.setdefault("apiVersion", "argoproj.io/v1alpha1")
        obj.setdefault("kind", "CronWorkflow")
        self.clock.tick()
        record = CronRecord(obj, self._uid(), self.clock.now(), self.ids.next("resourceVersion"))
        self.crons[(namespace, name)] = record
        return record

    def cron(self, namespace, name):
        record = self.crons.get((namespace, name))
        if record is None:
            raise not_found("cronworkflows", name)
        self._settle(record)
        return record

    def list_crons(self, namespace, label_selector="", limit=0, token=""):
        requirements = listing.parse_label_selector(label_selector)
        records = [c for (ns, _), c in sorted(self.crons.items()) if ns == namespace]
        for c in records:
            self._settle(c)
        selected = [c for c in records if listing.labels_match(requirements, c.obj["metadata"].get("labels"))]
        return _page(selected, limit, token, label_selector, sort=False)

    def delete_cron(self, namespace, name):
        self.cron(namespace, name)
        del self.crons[(namespace, name)]

    def set_suspend(self, namespace, name, suspend):
        record = self.cron(namespace, name)
        record.obj.setdefault("spec", {})["suspend"] = suspend
        record.resource_version = self.ids.next("resourceVersion")
        return record

    def _settle(self, record):
        """The cron controller: finished children leave `active` and count."""
        ns = record.obj["metadata"]["namespace"]
        still = []
        for name in record.active:
            run = self.workflows.get((ns, name))
            if run is not None and not run.done:
                still.append(name)
            elif run is not None:
                if run.phase() == "Succeeded":
                    record.succeeded += 1
                else:
                    record.failed += 1
        if still != record.active:
            record.active = still
            record.resource_version = self.ids.next("resourceVersion")

    def trigger_cron(self, namespace, name):
        """What the cron controller does when a schedule fires now: (run or
        None, why not)."""
        record = self.cron(namespace, name)
        spec = record.obj.get("spec") or {}
        if spec.get("suspend"):
            return None, "suspended"
        policy = spec.get("concurrencyPolicy") or "Allow"
        if record.active and policy == "Forbid":
            return None, "an earlier workflow is still running (concurrencyPolicy Forbid)"
        if record.active and policy == "Replace":
            for child in record.active:
                run = self.workflows.get((namespace, child))
                if run is not None and not run.done:
                    run.shut_down("Terminate")
        self.clock.tick()
        scheduled = self.clock.now()
        wf = wfvalidate.workflow_of_cron(record.obj, f"{name}-{scheduled}")
        wf["metadata"]["annotations"] = dict(wf["metadata"].get("annotations") or {}, **{
            "workflows.argoproj.io/scheduled-time": argorun.rfc3339(scheduled)})
        wf["metadata"]["ownerReferences"] = [{"apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow",
                                              "name": name, "uid": record.uid, "controller": True,
                                              "blockOwnerDeletion": True}]
        try:
            # The controller submits it through the Kubernetes API server, which
            # checks its metadata (the labels copied from workflowMetadata).
            wfvalidate.validate_object_meta("Workflow", wf["metadata"])
        except ApiError as e:
            why = f"Failed to submit Workflow: {e.message}"
            record.conditions = [{"type": "SubmissionError", "status": "True", "message": why}]
            record.resource_version = self.ids.next("resourceVersion")
            return None, why
        run = self.create_workflow(namespace, wf)
        record.conditions = []
        record.active.append(run.name)
        record.last_scheduled = scheduled
        record.resource_version = self.ids.next("resourceVersion")
        return run, ""

    def cron_object(self, record):
        obj = copy.deepcopy(record.obj)
        meta = obj["metadata"]
        meta.update({"uid": record.uid, "resourceVersion": str(record.resource_version), "generation": 1,
                     "creationTimestamp": argorun.rfc3339(record.created)})
        ns = meta["namespace"]
        active = []
        for child in record.active:
            run = self.workflows.get((ns, child))
            if run is not None:
                active.append({"kind": "Workflow", "namespace": ns, "name": child, "uid": run.uid,
                               "apiVersion": "argoproj.io/v1alpha1", "resourceVersion": str(run.resource_version)})
        status = {"active": active or None,
                  "lastScheduledTime": argorun.rfc3339(record.last_scheduled) if record.last_scheduled else None,
                  "conditions": list(record.conditions) or None}
        if (self.version or (99,))[:2] >= (3, 6):
            status.update({"succeeded": record.succeeded, "failed": record.failed, "phase": "Active"})
        obj["status"] = status
        return obj


def _fingerprint(text):
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _page(items, limit, token, selector, sort=True):
    offset = 0
    if token:
        try:
            data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
            offset = int(data["o"])
            if data.get("s") != _fingerprint(selector) or offset < 0:
                raise ValueError("the token is for other selectors")
        except (ValueError, KeyError, TypeError):
            raise invalid(f'continue key is not valid: the provided continue parameter is too old or was not made '
                          f'for this list: "{token}"')
    end = offset + limit if limit and limit > 0 else len(items)
    page = items[offset:end]
    following = ""
    if end < len(items):
        raw = json.dumps({"o": end, "s": _fingerprint(selector)}, separators=(",", ":")).encode()
        following = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    if sort:
        page = _argo_sorted(page)
    return page, following, max(0, len(items) - end)


def _argo_sorted(runs):
    """wfv1.Workflows' order: unfinished first (newest created first), then
    finished ones, the latest finish first."""
    def key(run):
        finished = run.execution.finished if run.done else None
        return (0, -run.created, run.name) if finished is None else (1, -finished, -run.created, run.name)
    return sorted(runs, key=key)
