# SPDX-License-Identifier: Apache-2.0
"""The Argo Server's services over the state: WorkflowService,
CronWorkflowService and InfoService, one method per Swagger operationId.
Each takes the typed parameters and the decoded body and returns the answer
(a JSON-able value) or raises an ApiError worded as the server's."""
import copy

import argorun
import wfvalidate
from listing import Cleaner
from rpcstatus import ApiError, INVALID_ARGUMENT, NOT_FOUND, UNIMPLEMENTED, UNKNOWN, invalid

# What the create and lint handlers say when their wrapper field is missing
WRAPPERS = {
    "WorkflowService_CreateWorkflow": ("workflow", INVALID_ARGUMENT, "workflow body not specified"),
    "WorkflowService_LintWorkflow": ("workflow", UNKNOWN, "unable to get a workflow"),
    "CronWorkflowService_CreateCronWorkflow": ("cronWorkflow", NOT_FOUND,
                                               "cron workflow was not found in the request body"),
    "CronWorkflowService_LintCronWorkflow": ("cronWorkflow", UNKNOWN, "cron workflow was not found in the request body"),
}


class Api:
    def __init__(self, state, schema, version_text):
        self.state = state
        self.schema = schema
        self.version_text = version_text
        self.version = state.version

    def call(self, operation_id, params, body):
        handler = getattr(self, operation_id.split("_", 1)[-1], None)
        if handler is None:
            raise ApiError(UNIMPLEMENTED, f"{operation_id} is not modelled by this test server")
        wrapper = WRAPPERS.get(operation_id)
        if wrapper and not isinstance(body.get(wrapper[0]), dict):
            raise ApiError(wrapper[1], wrapper[2])
        return handler(params, body)

    # -- InfoService ----------------------------------------------------
    def GetVersion(self, params, body):
        tag = self.version_text
        return {"version": tag, "buildDate": "2026-01-01T00:00:00Z", "gitCommit": "0" * 40, "gitTag": tag,
                "gitTreeState": "clean", "goVersion": "go1.21.10", "compiler": "gc", "platform": "linux/amd64"}

    def GetInfo(self, params, body):
        return {"modals": {}, "navColor": "", "columns": None}

    def GetUserInfo(self, params, body):
        return {"subject": "system:serviceaccount:argo:argo-server", "serviceAccountName": "argo-server",
                "serviceAccountNamespace": "argo"}

    # -- workflows ------------------------------------------------------
    def _check_workflow(self, namespace, wf, lint=False):
        self.schema.check(wf, "Workflow")
        wfvalidate.validate_workflow(wf, lint=lint)
        if lint:
            return
        meta = wf.get("metadata") or {}
        if meta.get("namespace") and meta["namespace"] != namespace:  # the Kubernetes API server's 400
            raise invalid("the namespace of the provided object does not match the namespace sent on the request")
        wfvalidate.validate_object_meta("Workflow", meta)

    def CreateWorkflow(self, params, body):
        namespace = params["namespace"]
        wf = body["workflow"]
        self._check_workflow(namespace, wf)
        create_options = body.get("createOptions") or {}
        if create_options.get("dryRun") or body.get("serverDryRun"):
            return wf
        run = self.state.create_workflow(namespace, wf)
        return run.workflow()

    def LintWorkflow(self, params, body):
        wf = body["workflow"]
        self._check_workflow(params["namespace"], wf, lint=True)
        return wf

    def GetWorkflow(self, params, body):
        run = self.state.workflow(params["namespace"], params["name"])
        self.state.observe(run)
        return Cleaner(params.get("fields", "")).clean(run.workflow())

    def ListWorkflows(self, params, body):
        namespace = params["namespace"]
        page, following, remaining = self.state.list_workflows(
            namespace, params.get("listOptions.labelSelector", ""), params.get("listOptions.fieldSelector", ""),
            params.get("listOptions.limit", 0), params.get("listOptions.continue", ""), params.get("nameFilter", ""))
        items = [r.workflow() for r in page]
        meta = {"resourceVersion": self.state.resource_version()}
        if following:
            meta["continue"] = following
        if "ext.showRemainingItemCount=true" in params.get("listOptions.fieldSelector", ""):
            meta["remainingItemCount"] = remaining
        # encoding/json writes a nil slice as null: Argo builds the list itself
        answer = {"metadata": meta, "items": items or None}
        return Cleaner(params.get("fields", "")).clean(answer)

    def DeleteWorkflow(self, params, body):
        self.state.delete_workflow(params["namespace"], params["name"])
        return {}

    def TerminateWorkflow(self, params, body):
        run = self.state.workflow(params["namespace"], params["name"])
        run.shut_down("Terminate")
        return run.workflow()

    def StopWorkflow(self, params, body):
        run = self.state.workflow(params["namespace"], params["name"])
        run.shut_down("Stop")
        return run.workflow()

    def RetryWorkflow(self, params, body):
        run = self.state.workflow(params["namespace"], params["name"])
        run.retry(bool(body.get("restartSuccessful")), body.get("nodeFieldSelector") or "",
                  body.get("parameters") or [])
        return run.workflow()

    def ResubmitWorkflow(self, params, body):
        namespace = params["namespace"]
        old = self.state.workflow(namespace, params["name"])
        if body.get("memoized") and old.phase() not in ("Failed", "Error"):
            raise invalid("workflow must be Failed/Error to resubmit in memoized mode")
        source = old.submitted
        meta = source["metadata"]
        labels = {k: v for k, v in (meta.get("labels") or {}).items()
                  if k not in (argorun.LABEL_PHASE, argorun.LABEL_COMPLETED, "workflows.argoproj.io/creator")}
        labels["workflows.argoproj.io/resubmitted-from-workflow"] = old.name
        new = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
               "metadata": {"generateName": meta.get("generateName") or old.name + "-", "labels": labels},
               "spec": copy.deepcopy(source.get("spec") or {})}
        if meta.get("annotations"):
            new["metadata"]["annotations"] = copy.deepcopy(meta["annotations"])
        new["spec"].pop("shutdown", None)
        for item in body.get("parameters") or []:
            name, sep, value = item.partition("=")
            if not sep:
                raise invalid(f"expected parameter of the form: NAME=VALUE. Received: {item}")
            for p in ((new["spec"].get("arguments") or {}).get("parameters")) or []:
                if p.get("name") == name:
                    p["value"] = value
        run = self.state.create_workflow(namespace, new)
        return run.workflow()

    # -- cron workflows ---------------------------------------------------
    def _check_cron(self, namespace, cron):
        self.schema.check(cron, "CronWorkflow")
        wfvalidate.validate_cron_workflow(cron, self.version)
        meta = cron.get("metadata") or {}
        if meta.get("namespace") and meta["namespace"] != namespace:
            raise invalid("the namespace of the provided object does not match the namespace sent on the request")
        wfvalidate.validate_object_meta("CronWorkflow", meta)

    def CreateCronWorkflow(self, params, body):
        cron = body["cronWorkflow"]
        self._check_cron(params["namespace"], cron)
        if (body.get("createOptions") or {}).get("dryRun"):
            return cron
        record = self.state.create_cron(params["namespace"], cron)
        return self.state.cron_object(record)

    def LintCronWorkflow(self, params, body):
        cron = body["cronWorkflow"]
        self.schema.check(cron, "CronWorkflow")
        wfvalidate.validate_cron_workflow(cron, self.version)
        return cron

    def ListCronWorkflows(self, params, body):
        page, following, _ = self.state.list_crons(params["namespace"], params.get("listOptions.labelSelector", ""),
                                                   params.get("listOptions.limit", 0),
                                                   params.get("listOptions.continue", ""))
        meta = {"resourceVersion": self.state.resource_version()}
        if following:
            meta["continue"] = following
        # the Kubernetes API answers an empty list as []
        return {"metadata": meta, "items": [self.state.cron_object(r) for r in page]}

    def GetCronWorkflow(self, params, body):
        return self.state.cron_object(self.state.cron(params["namespace"], params["name"]))

    def DeleteCronWorkflow(self, params, body):
        self.state.delete_cron(params["namespace"], params["name"])
        return {}

    def SuspendCronWorkflow(self, params, body):
        return self.state.cron_object(self.state.set_suspend(params["namespace"], params["name"], True))

    def ResumeCronWorkflow(self, params, body):
        return self.state.cron_object(self.state.set_suspend(params["namespace"], params["name"], False))
