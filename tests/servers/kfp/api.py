# SPDX-License-Identifier: Apache-2.0
"""The KFP API server's behaviour behind the contract: one method per
operationId (v2_<operationId> / v1_<operationId>), over one Store.

Errors read like KFP's wrapped Go errors ("Failed to create a new run: ...:
Invalid input error: ..."); multi-user mode checks namespaces and the
kubeflow-userid identity the way resource_manager.IsAuthorized does.
"""
import json
import os

import cron
import runs
import specs
import views
from errors import (ApiError, INVALID_ARGUMENT, UNIMPLEMENTED, UploadError, already_exists, bad_request,
                    failed_precondition, invalid_input, not_found, permission_denied, unauthenticated)
from store import Field, Record, list_page

USER_ID_HEADER = "kubeflow-userid"
USER_ID_PREFIX = "accounts.google.com:"
SYSTEM_NAMESPACE = "kubeflow"

PREFIXES = {
    "ExperimentService_CreateExperiment": "Failed to create a experiment",
    "ExperimentService_GetExperiment": "Failed to fetch experiment",
    "ExperimentService_ListExperiments": "List experiments failed",
    "ExperimentService_DeleteExperiment": "Failed to delete experiment",
    "ExperimentService_ArchiveExperiment": "Failed to archive experiment",
    "ExperimentService_UnarchiveExperiment": "Failed to unarchive experiment",
    "ExperimentService_CreateExperimentV1": "Failed to create a v1beta1 experiment",
    "ExperimentService_GetExperimentV1": "Failed to fetch v1beta1 experiment",
    "ExperimentService_ListExperimentsV1": "List v1beta1 experiments failed",
    "ExperimentService_DeleteExperimentV1": "Failed to delete v1beta1 experiment",
    "ExperimentService_ArchiveExperimentV1": "Failed to archive v1beta1 experiment",
    "ExperimentService_UnarchiveExperimentV1": "Failed to unarchive v1beta1 experiment",
    "PipelineService_CreatePipeline": "Failed to create a pipeline",
    "PipelineService_CreatePipelineAndVersion": "Failed to create a pipeline and a pipeline version",
    "PipelineService_GetPipeline": "Failed to get a pipeline",
    "PipelineService_GetPipelineByName": "Failed to get a pipeline by name",
    "PipelineService_ListPipelines": "Failed to list pipelines",
    "PipelineService_DeletePipeline": "Failed to delete a pipeline",
    "PipelineService_UpdatePipeline": "Failed to update a pipeline",
    "PipelineService_CreatePipelineVersion": "Failed to create a pipeline version",
    "PipelineService_GetPipelineVersion": "Failed to get a pipeline version",
    "PipelineService_ListPipelineVersions": "Failed to list pipeline versions",
    "PipelineService_DeletePipelineVersion": "Failed to delete a pipeline version",
    "PipelineService_UpdatePipelineVersion": "Failed to update a pipeline version",
    "PipelineService_CreatePipelineV1": "Failed to create a v1beta1 pipeline",
    "PipelineService_GetPipelineV1": "Failed to get a v1beta1 pipeline",
    "PipelineService_GetPipelineByNameV1": "Failed to get a v1beta1 pipeline by name",
    "PipelineService_ListPipelinesV1": "Failed to list v1beta1 pipelines",
    "PipelineService_DeletePipelineV1": "Failed to delete a v1beta1 pipeline",
    "PipelineService_GetTemplate": "Failed to get a v1beta1 template",
    "PipelineService_CreatePipelineVersionV1": "Failed to create a v1beta1 pipeline version",
    "PipelineService_GetPipelineVersionV1": "Failed to get a v1beta1 pipeline version",
    "PipelineService_ListPipelineVersionsV1": "Failed to list v1beta1 pipeline versions",
    "PipelineService_DeletePipelineVersionV1": "Failed to delete a v1beta1 pipeline version",
    "PipelineService_GetPipelineVersionTemplate": "Failed to get a v1beta1 pipeline version template",
    "PipelineService_UpdatePipelineDefaultVersionV1": "Failed to update the default version of a v1beta1 pipeline",
    "RunService_CreateRun": "Failed to create a new run",
    "RunService_GetRun": "Failed to get a run",
    "RunService_ListRuns": "Failed to list runs",
    "RunService_DeleteRun": "Failed to delete a run",
    "RunService_ArchiveRun": "Failed to archive a run",
    "RunService_UnarchiveRun": "Failed to unarchive a run",
    "RunService_TerminateRun": "Failed to terminate a run",
    "RunService_RetryRun": "Failed to retry a run",
    "RunService_CreateRunV1": "Failed to create a v1beta1 run",
    "RunService_GetRunV1": "Failed to get a v1beta1 run",
    "RunService_ListRunsV1": "Failed to list v1beta1 runs",
    "RunService_DeleteRunV1": "Failed to delete a v1beta1 run",
    "RunService_ArchiveRunV1": "Failed to archive a v1beta1 run",
    "RunService_UnarchiveRunV1": "Failed to unarchive a v1beta1 run",
    "RunService_TerminateRunV1": "Failed to terminate a v1beta1 run",
    "RunService_RetryRunV1": "Failed to retry a v1beta1 run",
    "RecurringRunService_CreateRecurringRun": "Failed to create a recurring run",
    "RecurringRunService_GetRecurringRun": "Failed to get a recurring run",
    "RecurringRunService_ListRecurringRuns": "Failed to list recurring runs",
    "RecurringRunService_DeleteRecurringRun": "Failed to delete a recurring run",
    "RecurringRunService_EnableRecurringRun": "Failed to enable a recurring run",
    "RecurringRunService_DisableRecurringRun": "Failed to disable a recurring run",
    "JobService_CreateJob": "Failed to create a job",
    "JobService_GetJob": "Failed to get a job",
    "JobService_ListJobs": "Failed to list jobs",
    "JobService_DeleteJob": "Failed to delete a job",
    "JobService_EnableJob": "Failed to enable a job",
    "JobService_DisableJob": "Failed to disable a job",
}


class Request:
    def __init__(self, op, params, body, headers, files=None, prefetched=None):
        self.op = op
        self.params = params
        self.body = body if body is not None else {}
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.files = files or {}
        self.prefetched = prefetched or {}

    def header(self, name):
        return self.headers.get(name.lower())


class Api:
    def __init__(self, store, contract, multi_user=False, grants=None, lenient_cron=False, manual_steps=False):
        self.store = store
        self.contract = contract
        self.multi_user = multi_user
        self.manual_steps = manual_steps  # runs move only on /_test/advance
        self.grants = grants or {}
        self.lenient_cron = lenient_cron

    def handle(self, req):
        """(HTTP status, JSON body) for an operation the contract matched."""
        op = req.op
        prefix = "v1" if op.version == "v1beta1" else "v2"
        method = getattr(self, f"{prefix}_{op.operation_id}", None)
        if method is None:
            raise ApiError(UNIMPLEMENTED, f"{op.operation_id} is not implemented by the test KFP server",
                           gateway=True)
        try:
            return 200, method(req)
        except ApiError as e:
            wrap = PREFIXES.get(op.operation_id)
            raise e.wrap(wrap) if wrap and not e.gateway else e

    # -- identity and namespaces ---------------------------------------
    def identity(self, req):
        return self.identity_from_headers(req.headers)

    @staticmethod
    def identity_from_headers(headers):
        lowered = {k.lower(): v for k, v in (headers or {}).items()}
        user = lowered.get(USER_ID_HEADER) or ""
        if user.startswith(USER_ID_PREFIX):
            user = user[len(USER_ID_PREFIX):]
        return user

    def authorize(self, req, namespace, verb, resource):
        """resource_manager.IsAuthorized: an identity, then a SubjectAccessReview
        (here: --grant USER=NS lists, everything allowed when none is given)."""
        if not self.multi_user:
            return
        user = self.identity(req)
        if not user:
            raise unauthenticated("Failed to check authorization. User identity is empty in the request header",
                                  "Request header error: there is no user identity header.")
        if self.grants and namespace not in self.grants.get(user, set()):
            raise permission_denied(
                f"User '{user}' is not authorized with reason:  (request: &ResourceAttributes{{Namespace:{namespace},"
                f"Verb:{verb},Group:pipelines.kubeflow.org,Version:v1beta1,Resource:{resource},Subresource:,Name:,}})")

    # -- shared pieces --------------------------------------------------
    def _template_from_struct(self, struct):
        if not isinstance(struct, dict):
            raise invalid_input("pipeline_spec must be a JSON object")
        if "pipeline_spec" in struct:
            docs = [struct["pipeline_spec"]] + ([struct["platform_spec"]] if struct.get("platform_spec") else [])
            return specs.load_v2([d for d in docs if d], json.dumps(struct))
        if specs._is_argo(struct):
            return specs.Template("v1", specs.validate_workflow(struct), source_text=json.dumps(struct, indent=2))
        return specs.load_v2([struct], json.dumps(struct))

    def _fetch(self, req, url):
        if url in req.prefetched:
            data = req.prefetched[url]
            if isinstance(data, Exception):
                raise invalid_input(f"Failed to download the pipeline package from {url}: {data}")
            return data
        raise invalid_input(f"Failed to download the pipeline package from {url}: only http(s) URLs are fetched")

    def _check_parameters(self, template, params):
        try:
            if template.kind == "v2":
                specs.check_v2_parameters(template, params)
            else:
                specs.check_v1_parameters(template, params)
        except ApiError as e:
            raise e.wrap("invalid pipeline job inputs" if template.kind == "v2" else "Failed to verify parameters")

    def _new_pipeline(self, name, display_name, description, namespace, tags=None):
        if not name and not display_name:
            raise invalid_input("Pipeline name is empty. Please specify a valid pipeline name")
        name = name or display_name
        for p in self.store.pipelines.values():
            if p.name == name and p.namespace == namespace:
                raise already_exists(f"Failed to create a new pipeline. The name {name} already exists. "
                                     f"Please specify a new name")
        p = Record(id=self.store.ids.uuid("pipeline"), name=name, display_name=display_name or name,
                   description=description or "", namespace=namespace or "", created=self.store.clock.tick(),
                   tags=tags or {}, default_version_id=None)
        return p

    def _new_version(self, pipeline, name, display_name, description, template, package_url="", code_source_url="",
                     tags=None):
        name = name or display_name or pipeline.name
        for v in self.store.versions_of(pipeline.id):
            if v.name == name:
                raise already_exists(f"Failed to create a new pipeline version. The name {name} already exists. "
                                     f"Please specify a new name")
        v = Record(id=self.store.ids.uuid("version"), pipeline_id=pipeline.id, name=name,
                   display_name=display_name or name, description=description or "", created=self.store.clock.tick(),
                   template=template, package_url=package_url or "", code_source_url=code_source_url or "",
                   tags=tags or {})
        self.store.versions[v.id] = v
        pipeline.default_version_id = v.id
        return v

    def _require_identity(self, req):
        if self.multi_user and not self.identity(req):
            raise unauthenticated("Failed to check authorization. User identity is empty in the request header",
                                  "Request header error: there is no user identity header.")

    def _resolve_source(self, req, body):
        """(source, template, pipeline_id, version_id) of a run or recurring run."""
        spec = body.get("pipeline_spec")
        ref = body.get("pipeline_version_reference") or {}
        if body.get("pipeline_version_id") and not ref:
            ref = {"pipeline_version_id": body["pipeline_version_id"]}
        if spec is not None and spec != {}:
            return "spec", self._template_from_struct(spec), None, None
        if ref.get("pipeline_version_id") or ref.get("pipeline_id"):
            version = None
            if ref.get("pipeline_version_id"):
                version = self.store.version(ref["pipeline_version_id"])
                if ref.get("pipeline_id") and version.pipeline_id != ref["pipeline_id"]:
                    raise invalid_input(f"Pipeline version {version.id} does not belong to pipeline "
                                        f"{ref['pipeline_id']}")
            else:
                self.store.pipeline(ref["pipeline_id"])
                version = self.store.latest_version(ref["pipeline_id"])
                if version is None:
                    raise not_found("PipelineVersion", f"of pipeline {ref['pipeline_id']}")
            return "version", version.template, version.pipeline_id, version.id
        raise invalid_input("Pipeline spec source is missing. Specify pipeline_spec or pipeline_version_reference "
                            "(pipeline_id and/or pipeline_version_id)")

    def _check_pipeline_access(self, req, pipeline_id):
        """canAccessReferencedPipeline: a namespaced pipeline needs access to its namespace."""
        pipeline = self.store.pipelines.get(pipeline_id) if pipeline_id else None
        if pipeline is not None and pipeline.namespace:
            self.authorize(req, pipeline.namespace, "get", "pipelines")

    def _experiment_for_create(self, req, experiment_id):
        if not experiment_id:
            if self.multi_user:
                raise invalid_input("Experiment id can not be empty in multi-user mode")
            return self.store.default_experiment("")
        experiment = self.store.experiment(experiment_id)
        if experiment.storage_state == "ARCHIVED":
            raise invalid_input(f"Experiment {experiment_id} is archived. Unarchive it before creating runs in it")
        return experiment

    def _create_run(self, req, display_name, description, experiment, source, template, pipeline_id, version_id,
                    parameters, pipeline_root, service_account, api_version, recurring_run_id=""):
        if not display_name:
            raise invalid_input("The run name is empty. Please specify a valid name") \
                .wrap("Failed to create a run due to invalid name")
        self.authorize(req, experiment.namespace, "create", "runs")
        self._check_pipeline_access(req, pipeline_id)
        self._check_parameters(template, parameters)
        store = self.store
        run_id = store.ids.uuid("run")
        now = store.clock.tick()
        execution = runs.Execution(run_id, template, parameters, store.clock, store.objects,
                                   experiment.namespace or SYSTEM_NAMESPACE, store.ids, pipeline_root)
        execution.run_name = display_name
        r = Record(id=run_id, display_name=display_name, description=description or "",
                   experiment_id=experiment.id, namespace=experiment.namespace, storage_state="AVAILABLE",
                   source=source, template=template, pipeline_id=pipeline_id, version_id=version_id,
                   parameters=dict(parameters or {}), pipeline_root=pipeline_root or "",
                   service_account=service_account or "", created=now, scheduled=now, execution=execution,
                   recurring_run_id=recurring_run_id, api_version=api_version)
        store.runs[run_id] = r
        experiment.last_run_created = now
        return r

    def _scope_runs(self, req, namespace, experiment_id, what="run"):
        """The runs (or jobs) a list call sees, after the multi-user checks."""
        if experiment_id:
            experiment = self.store.experiment(experiment_id)
            if self.multi_user:
                if namespace and namespace != experiment.namespace:
                    raise invalid_input(f"Failed to validate the namespace of experiment: experiment "
                                        f"{experiment_id} belongs to namespace '{experiment.namespace}' (claimed a "
                                        f"different namespace '{namespace}')")
                self.authorize(req, experiment.namespace, "list", f"{what}s")
            return lambda item: item.experiment_id == experiment_id
        if self.multi_user:
            if not namespace:
                raise invalid_input(f"A {what} cannot have an empty namespace in multi-user mode")
            self.authorize(req, namespace, "list", f"{what.replace(' ', '')}s")
            return lambda item: item.namespace == namespace
        return lambda item: True

    def _step(self, run):
        if not self.manual_steps:
            run.execution.step()

    def _step_all(self, items):
        for r in items:
            self._step(r)

    def _run_fields(self, version):
        v1 = version == "v1beta1"
        state = (lambda r: views.V1_STATUS.get(r.execution.state, "Error")) if v1 else (lambda r: r.execution.state)
        storage = (lambda r: f"STORAGESTATE_{r.storage_state}") if v1 else (lambda r: r.storage_state)
        fields = {"run_id": Field(lambda r: r.id), "id": Field(lambda r: r.id),
                  "display_name": Field(lambda r: r.display_name), "name": Field(lambda r: r.display_name),
                  "created_at": Field(lambda r: r.created, "time"),
                  "scheduled_at": Field(lambda r: r.scheduled, "time"),
                  "finished_at": Field(lambda r: r.execution.finished or 0, "time"),
                  "description": Field(lambda r: r.description), "storage_state": Field(storage),
                  "state": Field(state), "status": Field(state), "namespace": Field(lambda r: r.namespace),
                  "experiment_id": Field(lambda r: r.experiment_id),
                  "recurring_run_id": Field(lambda r: r.recurring_run_id)}
        return fields

    def _list(self, req, items, fields, type_name):
        p = req.params
        return list_page(items, fields, type_name, p.get("page_token"), p.get("page_size"), p.get("sort_by"),
                         p.get("filter"), req.op.version, self.contract.definitions)

    # ================================================================
    # v2beta1
    # ================================================================
    def v2_HealthzService_GetHealthz(self, req):
        return {"commit_sha": "pipewright-test-server", "tag_name": "2.17.0", "multi_user": self.multi_user,
                "pipeline_store": "database"}

    def v2_AuthService_Authorize(self, req):
        namespace = req.params.get("namespace", "")
        if self.multi_user:
            self.authorize(req, namespace, (req.params.get("verb") or "get").lower(), "viewers")
        return {}

    def v2_DummyFilterService_GetFilter(self, req):
        return {}

    # -- experiments ----------------------------------------------------
    def v2_ExperimentService_CreateExperiment(self, req):
        body = req.body
        namespace = body.get("namespace", "") if self.multi_user else ""
        if not body.get("display_name"):
            raise invalid_input("Experiment name is empty. Please specify a valid experiment name")
        if self.multi_user and not namespace:
            raise invalid_input("An experiment cannot have an empty namespace in multi-user mode") \
                .wrap("Failed to authorize the request")
        self.authorize(req, namespace, "create", "experiments")
        return views.experiment_v2(self._add_experiment(body["display_name"], body.get("description"), namespace))

    def _add_experiment(self, name, description, namespace):
        for e in self.store.experiments.values():
            if e.name == name and e.namespace == namespace:
                raise already_exists(f"Failed to create a new experiment. The name {name} already exists. "
                                     f"Please specify a new name")
        return self.store.add_experiment(name, description, namespace)

    def _experiment_access(self, req, experiment_id, verb):
        e = self.store.experiment(experiment_id)
        self.authorize(req, e.namespace, verb, "experiments")
        return e

    def v2_ExperimentService_GetExperiment(self, req):
        return views.experiment_v2(self._experiment_access(req, req.params["experiment_id"], "get"))

    def v2_ExperimentService_ListExperiments(self, req):
        namespace = req.params.get("namespace", "") if self.multi_user else ""
        if self.multi_user:
            if not namespace:
                raise invalid_input("An experiment cannot have an empty namespace in multi-user mode") \
                    .wrap("Failed to authorize with API")
            self.authorize(req, namespace, "list", "experiments")
        items = [e for e in self.store.experiments.values() if e.namespace == namespace]
        page, total, token = self._list(req, items, self._experiment_fields("v2beta1"), "Experiment")
        return views.message(experiments=[views.experiment_v2(e) for e in page], total_size=total,
                             next_page_token=token)

    def _experiment_fields(self, version):
        storage = (lambda e: f"STORAGESTATE_{e.storage_state}") if version == "v1beta1" else (lambda e: e.storage_state)
        return {"experiment_id": Field(lambda e: e.id), "id": Field(lambda e: e.id),
                "display_name": Field(lambda e: e.name), "name": Field(lambda e: e.name),
                "created_at": Field(lambda e: e.created, "time"), "description": Field(lambda e: e.description),
                "namespace": Field(lambda e: e.namespace), "storage_state": Field(storage)}

    def v2_ExperimentService_DeleteExperiment(self, req):
        self._delete_experiment(req, req.params["experiment_id"])
        return {}

    def _delete_experiment(self, req, experiment_id):
        e = self._experiment_access(req, experiment_id, "delete")
        for r in [r for r in self.store.runs.values() if r.experiment_id == e.id]:
            del self.store.runs[r.id]
        for j in [j for j in self.store.jobs.values() if j.experiment_id == e.id]:
            del self.store.jobs[j.id]
        del self.store.experiments[e.id]

    def v2_ExperimentService_ArchiveExperiment(self, req):
        self._archive_experiment(req, req.params["experiment_id"], True)
        return {}

    def v2_ExperimentService_UnarchiveExperiment(self, req):
        self._archive_experiment(req, req.params["experiment_id"], False)
        return {}

    def _archive_experiment(self, req, experiment_id, archive):
        e = self._experiment_access(req, experiment_id, "archive" if archive else "unarchive")
        e.storage_state = "ARCHIVED" if archive else "AVAILABLE"
        if archive:
            for r in self.store.runs.values():
                if r.experiment_id == e.id:
                    r.storage_state = "ARCHIVED"
            for j in self.store.jobs.values():
                if j.experiment_id == e.id and j.enabled:
                    j.enabled = False
                    j.updated = self.store.clock.tick()

    # -- pipelines ------------------------------------------------------
    def _pipeline_namespace(self, req, namespace, verb):
        """Pipelines without a namespace are shared: anyone signed in lists and
        reads them; writing them needs access to KFP's own namespace."""
        namespace = namespace if self.multi_user else ""
        if namespace or verb != "list":
            self.authorize(req, namespace or SYSTEM_NAMESPACE, verb, "pipelines")
        else:
            self._require_identity(req)
        return namespace

    def v2_PipelineService_CreatePipeline(self, req):
        body = req.body
        namespace = self._pipeline_namespace(req, body.get("namespace", ""), "create")
        p = self._new_pipeline(body.get("name"), body.get("display_name"), body.get("description"), namespace,
                               body.get("tags"))
        self.store.pipelines[p.id] = p
        return views.pipeline_v2(p)

    def v2_PipelineService_CreatePipelineAndVersion(self, req):
        body = req.body
        pbody = body.get("pipeline") or {}
        vbody = body.get("pipeline_version") or {}
        namespace = self._pipeline_namespace(req, pbody.get("namespace", ""), "create")
        url = ((vbody.get("package_url") or {}).get("pipeline_url")) or ""
        if not url:
            raise invalid_input("Pipeline version's package url is empty. Please specify a valid url")
        template = specs.load_template(self._fetch(req, url))
        p = self._new_pipeline(pbody.get("name"), pbody.get("display_name"), pbody.get("description"), namespace,
                               pbody.get("tags"))
        self.store.pipelines[p.id] = p
        self._new_version(p, p.name, p.display_name, p.description, template, url, vbody.get("code_source_url"),
                          vbody.get("tags"))
        return views.pipeline_v2(p)

    def _get_pipeline(self, req, pipeline_id, verb="get"):
        p = self.store.pipeline(pipeline_id)
        if p.namespace:
            self.authorize(req, p.namespace, verb, "pipelines")
        elif verb != "get":
            self.authorize(req, SYSTEM_NAMESPACE, verb, "pipelines")
        else:
            self._require_identity(req)
        return p

    def v2_PipelineService_GetPipeline(self, req):
        return views.pipeline_v2(self._get_pipeline(req, req.params["pipeline_id"]))

    def v2_PipelineService_GetPipelineByName(self, req):
        namespace = req.params.get("namespace", "") if self.multi_user else ""
        return views.pipeline_v2(self._pipeline_by_name(req, req.params["name"], namespace))

    def _pipeline_by_name(self, req, name, namespace):
        for p in self.store.pipelines.values():
            if p.name == name and p.namespace == namespace:
                return self._get_pipeline(req, p.id)
        raise not_found("Pipeline", name)

    def _pipeline_fields(self):
        return {"pipeline_id": Field(lambda p: p.id), "id": Field(lambda p: p.id), "name": Field(lambda p: p.name),
                "display_name": Field(lambda p: p.display_name), "created_at": Field(lambda p: p.created, "time"),
                "description": Field(lambda p: p.description), "namespace": Field(lambda p: p.namespace)}

    def v2_PipelineService_ListPipelines(self, req):
        namespace = self._pipeline_namespace(req, req.params.get("namespace", ""), "list")
        items = [p for p in self.store.pipelines.values() if p.namespace == namespace]
        page, total, token = self._list(req, items, self._pipeline_fields(), "Pipeline")
        return views.message(pipelines=[views.pipeline_v2(p) for p in page], total_size=total,
                             next_page_token=token)

    def v2_PipelineService_DeletePipeline(self, req):
        p = self._get_pipeline(req, req.params["pipeline_id"], "delete")
        versions = self.store.versions_of(p.id)
        if versions and not req.params.get("cascade"):
            raise failed_precondition(f"Pipeline {p.id} has {len(versions)} version(s). Delete them first or set "
                                      f"cascade=true")
        for v in versions:
            del self.store.versions[v.id]
        del self.store.pipelines[p.id]
        return {}

    def v2_PipelineService_UpdatePipeline(self, req):
        p = self._get_pipeline(req, req.params["pipeline.pipeline_id"], "update")
        body = req.body
        if body.get("display_name"):
            p.display_name = body["display_name"]
        if "tags" in body:
            p.tags = body["tags"] or {}
        return views.pipeline_v2(p)

    def v2_PipelineService_CreatePipelineVersion(self, req):
        p = self._get_pipeline(req, req.params["pipeline_id"], "create")
        body = req.body
        url = ((body.get("package_url") or {}).get("pipeline_url")) or ""
        if not url:
            raise invalid_input("Pipeline version's package url is empty. Please specify a valid url")
        template = specs.load_template(self._fetch(req, url))
        v = self._new_version(p, body.get("name"), body.get("display_name"), body.get("description"), template, url,
                              body.get("code_source_url"), body.get("tags"))
        return views.version_v2(v)

    def _get_version(self, req, pipeline_id, version_id, verb="get"):
        v = self.store.version(version_id)
        if pipeline_id and v.pipeline_id != pipeline_id:
            raise not_found("PipelineVersion", version_id)
        self._get_pipeline(req, v.pipeline_id, verb)
        return v

    def v2_PipelineService_GetPipelineVersion(self, req):
        return views.version_v2(self._get_version(req, req.params["pipeline_id"], req.params["pipeline_version_id"]))

    def _version_fields(self):
        return {"pipeline_version_id": Field(lambda v: v.id), "id": Field(lambda v: v.id),
                "name": Field(lambda v: v.name), "display_name": Field(lambda v: v.display_name),
                "created_at": Field(lambda v: v.created, "time"), "description": Field(lambda v: v.description)}

    def v2_PipelineService_ListPipelineVersions(self, req):
        p = self._get_pipeline(req, req.params["pipeline_id"])
        page, total, token = self._list(req, self.store.versions_of(p.id), self._version_fields(), "PipelineVersion")
        return views.message(pipeline_versions=[views.version_v2(v) for v in page], total_size=total,
                             next_page_token=token)

    def v2_PipelineService_DeletePipelineVersion(self, req):
        v = self._get_version(req, req.params["pipeline_id"], req.params["pipeline_version_id"], "delete")
        del self.store.versions[v.id]
        p = self.store.pipelines.get(v.pipeline_id)
        if p is not None and p.default_version_id == v.id:
            latest = self.store.latest_version(p.id)
            p.default_version_id = latest.id if latest else None
        return {}

    def v2_PipelineService_UpdatePipelineVersion(self, req):
        v = self._get_version(req, req.params["pipeline_version.pipeline_id"],
                              req.params["pipeline_version.pipeline_version_id"], "update")
        if req.body.get("display_name"):
            v.display_name = req.body["display_name"]
        if "tags" in req.body:
            v.tags = req.body["tags"] or {}
        return views.version_v2(v)

    # -- uploads (plain HTTP handlers in KFP, not grpc-gateway) ---------
    def _upload_file(self, req, missing_message):
        entry = req.files.get("uploadfile")
        if entry is None:
            raise UploadError(400, missing_message)
        filename, data = entry
        try:
            text = specs.read_package(filename, data)
        except ApiError:
            raise UploadError(400, "Failed to read a pipeline spec file")
        return filename, text

    def _upload_template(self, text, fallback):
        try:
            return specs.load_template(text)
        except ApiError as e:
            if e.code == INVALID_ARGUMENT:
                raise UploadError(400, e.external, e.message)
            raise UploadError(500, fallback, e.message)

    def _upload_authorize(self, req, namespace, shared):
        try:
            self.authorize(req, namespace or SYSTEM_NAMESPACE, "create", "pipelines")
        except ApiError as e:
            if e.code == 16:
                raise UploadError(400, "Pipeline upload authentication failed. Authenticate the client and retry; "
                                       "ask your administrator to verify the authentication configuration if the "
                                       "problem persists", e.message)
            kind = "shared pipeline upload denied" if shared else "pipeline upload denied"
            raise UploadError(400, f"{kind}: permission to create pipelines.pipelines.kubeflow.org in namespace "
                                   f"{namespace or SYSTEM_NAMESPACE!r} is required", e.message)

    @staticmethod
    def _base_name(filename):
        base = os.path.basename(filename or "pipeline")
        for ext in (".tar.gz", ".tgz", ".yaml", ".yml", ".json", ".zip"):
            if base.lower().endswith(ext):
                return base[:-len(ext)]
        return base

    def _tags(self, req):
        raw = req.params.get("tags")
        if not raw:
            return {}
        try:
            tags = json.loads(raw)
            if not isinstance(tags, dict) or not all(isinstance(v, str) for v in tags.values()):
                raise ValueError
            return tags
        except ValueError:
            raise UploadError(400, "Failed to parse tags query parameter. Expected JSON object with string keys "
                                   "and values")

    def _upload_pipeline(self, req):
        filename, text = self._upload_file(req, "Failed to read pipeline from file")
        namespace = req.params.get("namespace", "") if self.multi_user else ""
        self._upload_authorize(req, namespace, not namespace)
        name = req.params.get("name") or req.params.get("display_name") or self._base_name(filename)
        display = req.params.get("display_name") or name
        tags = self._tags(req)
        template = self._upload_template(text, "Failed to create a pipeline and a pipeline version")
        try:
            p = self._new_pipeline(name, display, req.params.get("description"), namespace, tags)
        except ApiError:
            raise UploadError(409, "Failed to create a pipeline and a pipeline version")
        self.store.pipelines[p.id] = p
        self._new_version(p, p.name, p.display_name, p.description, template,
                          code_source_url=req.params.get("code_source_url"))
        return p

    def _upload_version(self, req):
        filename, text = self._upload_file(req, "Failed to create a pipeline version")
        pipeline_id = req.params.get("pipelineid")
        if not pipeline_id or pipeline_id not in self.store.pipelines:
            raise UploadError(400, "Failed to create a pipeline version")
        p = self.store.pipelines[pipeline_id]
        self._upload_authorize(req, p.namespace, not p.namespace)
        name = req.params.get("name") or req.params.get("display_name") or self._base_name(filename)
        tags = self._tags(req)
        template = self._upload_template(text, "Failed to create a pipeline version")
        try:
            return self._new_version(p, name, req.params.get("display_name") or name, req.params.get("description"),
                                     template, code_source_url=req.params.get("code_source_url"), tags=tags)
        except ApiError:
            raise UploadError(409, "Failed to create a pipeline version")

    def v2_UploadPipeline(self, req):
        return views.pipeline_v2(self._upload_pipeline(req))

    def v2_UploadPipelineVersion(self, req):
        return views.version_v2(self._upload_version(req))

    def v1_UploadPipeline(self, req):
        p = self._upload_pipeline(req)
        return views.pipeline_v1(p, self.store.versions.get(p.default_version_id))

    def v1_UploadPipelineVersion(self, req):
        return views.version_v1(self._upload_version(req))

    # -- runs -----------------------------------------------------------
    def v2_RunService_CreateRun(self, req):
        body = req.body
        experiment = self._experiment_for_create(req, body.get("experiment_id") or req.params.get("experiment_id"))
        source, template, pipeline_id, version_id = self._resolve_source(req, body)
        config = body.get("runtime_config") or {}
        r = self._create_run(req, body.get("display_name"), body.get("description"), experiment, source, template,
                             pipeline_id, version_id, config.get("parameters") or {}, config.get("pipeline_root"),
                             body.get("service_account"), "v2beta1")
        return views.run_v2(r)

    def _get_run(self, req, run_id, verb="get"):
        r = self.store.run(run_id)
        self.authorize(req, r.namespace, verb, "runs")
        return r

    def v2_RunService_GetRun(self, req):
        r = self._get_run(req, req.params["run_id"])
        self._step(r)
        return views.run_v2(r)

    def v2_RunService_ListRuns(self, req):
        namespace = req.params.get("namespace", "") if self.multi_user else ""
        scope = self._scope_runs(req, namespace, req.params.get("experiment_id"))
        items = [r for r in self.store.runs.values() if scope(r)]
        self._step_all(items)
        page, total, token = self._list(req, items, self._run_fields("v2beta1"), "Run")
        return views.message(runs=[views.run_v2(r) for r in page], total_size=total, next_page_token=token)

    def v2_RunService_DeleteRun(self, req):
        r = self._get_run(req, req.params["run_id"], "delete")
        del self.store.runs[r.id]
        return {}

    def v2_RunService_ArchiveRun(self, req):
        self._get_run(req, req.params["run_id"], "archive").storage_state = "ARCHIVED"
        return {}

    def v2_RunService_UnarchiveRun(self, req):
        r = self._get_run(req, req.params["run_id"], "unarchive")
        experiment = self.store.experiments.get(r.experiment_id)
        if experiment is not None and experiment.storage_state == "ARCHIVED":
            raise failed_precondition(f"Failed to unarchive run {r.id} as experiment {experiment.id} is archived. "
                                      f"Unarchive the experiment first")
        r.storage_state = "AVAILABLE"
        return {}

    def v2_RunService_TerminateRun(self, req):
        self._get_run(req, req.params["run_id"], "terminate").execution.terminate()
        return {}

    def v2_RunService_RetryRun(self, req):
        r = self._get_run(req, req.params["run_id"], "retry")
        if r.execution.state not in ("FAILED", "CANCELED"):
            raise bad_request("Workflow must be Failed/Error to retry", "workflow cannot be retried") \
                .wrap("Retry run failed.")
        r.execution.retry()
        return {}

    # -- recurring runs -------------------------------------------------
    def _validate_schedule(self, max_concurrency, trigger, v1=False):
        if max_concurrency is None or not 1 <= int(max_concurrency) <= 10:
            received = int(max_concurrency or 0)
            raise invalid_input(f"The max concurrency of the job is out of range. Support 1-10. Received {received}."
                                if v1 else f"Max concurrency of a recurring run must be at least 1 and at most 10. "
                                           f"Received {received}")
        trigger = trigger or {}
        if trigger.get("cron_schedule"):
            try:
                cron.parse(trigger["cron_schedule"].get("cron", ""), self.lenient_cron)
            except cron.CronError as e:
                raise invalid_input(f"Schedule cron is not a supported format(https://godoc.org/github.com/robfig/cron)."
                                    f" Error: {e}")
            window = trigger["cron_schedule"]
        elif trigger.get("periodic_schedule"):
            window = trigger["periodic_schedule"]
            interval = int(window.get("interval_second") or 0)
            if interval < 1:
                raise invalid_input(f"Found invalid period schedule interval {interval}. Set at interval to least "
                                    f"1 second" + ("." if v1 else ""))
        else:
            raise invalid_input("A recurring run needs a trigger: cron_schedule or periodic_schedule")
        start, end = window.get("start_time"), window.get("end_time")
        if start is not None and end is not None and end < start:
            raise invalid_input("The trigger's end_time is before its start_time")

    def _create_job(self, req, display_name, description, experiment, body_source, parameters, pipeline_root,
                    service_account, max_concurrency, trigger, enabled, no_catchup, v1):
        if not display_name:
            raise invalid_input("The job name is empty. Please specify a valid name" if v1 else
                                "The recurring run name is empty. Please specify a valid name")
        self._validate_schedule(max_concurrency, trigger, v1)
        self.authorize(req, experiment.namespace, "create", "jobs")
        source, template, pipeline_id, version_id = body_source
        self._check_pipeline_access(req, pipeline_id)
        self._check_parameters(template, parameters)
        now = self.store.clock.tick()
        j = Record(id=self.store.ids.uuid("job"), display_name=display_name, description=description or "",
                   experiment_id=experiment.id, namespace=experiment.namespace, source=source, template=template,
                   pipeline_id=pipeline_id, version_id=version_id, parameters=dict(parameters or {}),
                   pipeline_root=pipeline_root or "", service_account=service_account or "",
                   max_concurrency=int(max_concurrency), trigger=_plain_trigger(trigger), enabled=enabled,
                   no_catchup=bool(no_catchup), created=now, updated=now)
        self.store.jobs[j.id] = j
        return j

    def v2_RecurringRunService_CreateRecurringRun(self, req):
        body = req.body
        experiment = self._experiment_for_create(req, body.get("experiment_id"))
        source = self._resolve_source(req, body)
        config = body.get("runtime_config") or {}
        j = self._create_job(req, body.get("display_name"), body.get("description"), experiment, source,
                             config.get("parameters") or {}, config.get("pipeline_root"), body.get("service_account"),
                             body.get("max_concurrency"), body.get("trigger"), body.get("mode") == "ENABLE",
                             body.get("no_catchup"), False)
        return views.job_v2(j)

    def _get_job(self, req, job_id, verb="get"):
        j = self.store.job(job_id)
        self.authorize(req, j.namespace, verb, "jobs")
        return j

    def v2_RecurringRunService_GetRecurringRun(self, req):
        return views.job_v2(self._get_job(req, req.params["recurring_run_id"]))

    def _job_fields(self, version):
        return {"recurring_run_id": Field(lambda j: j.id), "id": Field(lambda j: j.id),
                "display_name": Field(lambda j: j.display_name), "name": Field(lambda j: j.display_name),
                "created_at": Field(lambda j: j.created, "time"), "updated_at": Field(lambda j: j.updated, "time"),
                "description": Field(lambda j: j.description), "experiment_id": Field(lambda j: j.experiment_id),
                "namespace": Field(lambda j: j.namespace),
                "status": Field(lambda j: ("ENABLED" if j.enabled else "DISABLED") if version == "v2beta1" else
                                ("Enabled" if j.enabled else "Disabled")),
                "enabled": Field(lambda j: "true" if j.enabled else "false")}

    def v2_RecurringRunService_ListRecurringRuns(self, req):
        namespace = req.params.get("namespace", "") if self.multi_user else ""
        scope = self._scope_runs(req, namespace, req.params.get("experiment_id"), "recurring run")
        items = [j for j in self.store.jobs.values() if scope(j)]
        page, total, token = self._list(req, items, self._job_fields("v2beta1"), "Job")
        return views.message(recurringRuns=[views.job_v2(j) for j in page], total_size=total, next_page_token=token)

    def v2_RecurringRunService_DeleteRecurringRun(self, req):
        j = self._get_job(req, req.params["recurring_run_id"], "delete")
        del self.store.jobs[j.id]
        return {}

    def _enable(self, req, job_id, enabled):
        j = self._get_job(req, job_id, "enable" if enabled else "disable")
        j.enabled = enabled
        j.updated = self.store.clock.tick()
        return {}

    def v2_RecurringRunService_EnableRecurringRun(self, req):
        return self._enable(req, req.params["recurring_run_id"], True)

    def v2_RecurringRunService_DisableRecurringRun(self, req):
        return self._enable(req, req.params["recurring_run_id"], False)

    def trigger_job(self, job_id):
        """Creates the run a recurring run would start now (the /_test/trigger fault)."""
        j = self.store.job(job_id)
        experiment = self.store.experiment(j.experiment_id)
        req = Request(None, {}, {}, {USER_ID_HEADER: "system:serviceaccount:kubeflow:ml-pipeline-scheduledworkflow"})
        saved, self.grants = self.grants, {}
        try:
            r = self._create_run(req, f"{j.display_name}-{self.store.clock.now()}", j.description, experiment,
                                 j.source, j.template, j.pipeline_id, j.version_id, j.parameters, j.pipeline_root,
                                 j.service_account, "v2beta1", recurring_run_id=j.id)
        finally:
            self.grants = saved
        return r

    # ================================================================
    # v1beta1
    # ================================================================
    def v1_HealthzService_GetHealthz(self, req):
        return {"commit_sha": "pipewright-test-server", "tag_name": "2.17.0", "multi_user": self.multi_user}

    @staticmethod
    def _refs(body, kind, relationship=None):
        for ref in body.get("resource_references") or []:
            key = ref.get("key") or {}
            if key.get("type") == kind and (relationship is None or ref.get("relationship") in (relationship, None)):
                return key.get("id", "")
        return None

    def _v1_reference_key(self, req, prefix="resource_reference_key"):
        return req.params.get(f"{prefix}.type"), req.params.get(f"{prefix}.id", "")

    # -- experiments ----------------------------------------------------
    def v1_ExperimentService_CreateExperimentV1(self, req):
        body = req.body
        if not body.get("name"):
            raise invalid_input("Experiment name is empty. Please specify a valid experiment name")
        namespace = (self._refs(body, "NAMESPACE") or "") if self.multi_user else ""
        if self.multi_user and not namespace:
            raise invalid_input("An experiment cannot have an empty namespace in multi-user mode") \
                .wrap("Failed to authorize the request")
        self.authorize(req, namespace, "create", "experiments")
        return views.experiment_v1(self._add_experiment(body["name"], body.get("description"), namespace),
                                   self.multi_user)

    def v1_ExperimentService_GetExperimentV1(self, req):
        return views.experiment_v1(self._experiment_access(req, req.params["id"], "get"), self.multi_user)

    def v1_ExperimentService_ListExperimentsV1(self, req):
        kind, ident = self._v1_reference_key(req)
        namespace = ""
        if kind and kind != "NAMESPACE":
            raise invalid_input(f"Failed to list v1beta1 experiment due to invalid resource reference key. It must "
                                f"be of type 'Namespace' and contain an existing or empty namespace, but you "
                                f"provided {ident} of type {kind}")
        if self.multi_user:
            namespace = ident or ""
            if not namespace:
                raise invalid_input("An experiment cannot have an empty namespace in multi-user mode") \
                    .wrap("Failed to authorize with API")
            self.authorize(req, namespace, "list", "experiments")
        items = [e for e in self.store.experiments.values() if e.namespace == namespace]
        page, total, token = self._list(req, items, self._experiment_fields("v1beta1"), "Experiment")
        return views.message(experiments=[views.experiment_v1(e, self.multi_user) for e in page], total_size=total,
                             next_page_token=token)

    def v1_ExperimentService_DeleteExperimentV1(self, req):
        self._delete_experiment(req, req.params["id"])
        return {}

    def v1_ExperimentService_ArchiveExperimentV1(self, req):
        self._archive_experiment(req, req.params["id"], True)
        return {}

    def v1_ExperimentService_UnarchiveExperimentV1(self, req):
        self._archive_experiment(req, req.params["id"], False)
        return {}

    # -- pipelines ------------------------------------------------------
    def _v1_pipeline(self, p):
        return views.pipeline_v1(p, self.store.versions.get(p.default_version_id))

    def v1_PipelineService_CreatePipelineV1(self, req):
        body = req.body
        url = ((body.get("url") or {}).get("pipeline_url")) or ""
        if not url:
            raise invalid_input("Pipeline URL is empty. Please specify a valid URL")
        namespace = (self._refs(body, "NAMESPACE") or "") if self.multi_user else ""
        self._pipeline_namespace(req, namespace, "create")
        template = specs.load_template(self._fetch(req, url))
        p = self._new_pipeline(body.get("name") or self._base_name(url), None, body.get("description"), namespace)
        self.store.pipelines[p.id] = p
        self._new_version(p, p.name, p.name, p.description, template, url)
        return self._v1_pipeline(p)

    def v1_PipelineService_GetPipelineV1(self, req):
        return self._v1_pipeline(self._get_pipeline(req, req.params["id"]))

    def v1_PipelineService_GetPipelineByNameV1(self, req):
        namespace = req.params["namespace"]
        namespace = "" if namespace == "-" or not self.multi_user else namespace
        return self._v1_pipeline(self._pipeline_by_name(req, req.params["name"], namespace))

    def v1_PipelineService_ListPipelinesV1(self, req):
        kind, ident = self._v1_reference_key(req)
        namespace = ident if kind == "NAMESPACE" else ""
        namespace = self._pipeline_namespace(req, namespace, "list")
        items = [p for p in self.store.pipelines.values() if p.namespace == namespace]
        page, total, token = self._list(req, items, self._pipeline_fields(), "Pipeline")
        return views.message(pipelines=[self._v1_pipeline(p) for p in page], total_size=total, next_page_token=token)

    def v1_PipelineService_DeletePipelineV1(self, req):
        p = self._get_pipeline(req, req.params["id"], "delete")
        for v in self.store.versions_of(p.id):
            del self.store.versions[v.id]
        del self.store.pipelines[p.id]
        return {}

    def v1_PipelineService_GetTemplate(self, req):
        p = self._get_pipeline(req, req.params["id"])
        v = self.store.versions.get(p.default_version_id)
        if v is None:
            raise not_found("PipelineVersion", f"of pipeline {p.id}")
        return {"template": v.template.as_text()}

    def v1_PipelineService_UpdatePipelineDefaultVersionV1(self, req):
        p = self._get_pipeline(req, req.params["pipeline_id"], "update")
        v = self.store.version(req.params["version_id"])
        if v.pipeline_id != p.id:
            raise invalid_input(f"Pipeline version {v.id} does not belong to pipeline {p.id}")
        p.default_version_id = v.id
        return {}

    def v1_PipelineService_CreatePipelineVersionV1(self, req):
        body = req.body
        pipeline_id = self._refs(body, "PIPELINE")
        if not pipeline_id:
            raise invalid_input("Create pipeline version failed due to missing pipeline id")
        p = self._get_pipeline(req, pipeline_id, "create")
        url = ((body.get("package_url") or {}).get("pipeline_url")) or ""
        if not url:
            raise invalid_input("Pipeline version's package url is empty. Please specify a valid url")
        template = specs.load_template(self._fetch(req, url))
        v = self._new_version(p, body.get("name"), body.get("name"), body.get("description"), template, url,
                              body.get("code_source_url"))
        return views.version_v1(v)

    def v1_PipelineService_GetPipelineVersionV1(self, req):
        return views.version_v1(self._get_version(req, None, req.params["version_id"]))

    def v1_PipelineService_ListPipelineVersionsV1(self, req):
        kind, ident = self._v1_reference_key(req, "resource_key")
        if kind != "PIPELINE" or not ident:
            raise invalid_input("ListPipelineVersions must filter by a resource key of type PIPELINE")
        p = self._get_pipeline(req, ident)
        page, total, token = self._list(req, self.store.versions_of(p.id), self._version_fields(), "PipelineVersion")
        return views.message(versions=[views.version_v1(v) for v in page], total_size=total, next_page_token=token)

    def v1_PipelineService_DeletePipelineVersionV1(self, req):
        v = self._get_version(req, None, req.params["version_id"], "delete")
        del self.store.versions[v.id]
        return {}

    def v1_PipelineService_GetPipelineVersionTemplate(self, req):
        return {"template": self._get_version(req, None, req.params["version_id"]).template.as_text()}

    # -- runs -----------------------------------------------------------
    def _v1_source(self, req, body):
        spec = body.get("pipeline_spec") or {}
        version_id = self._refs(body, "PIPELINE_VERSION")
        manifest = spec.get("workflow_manifest") or spec.get("pipeline_manifest")
        if manifest and (version_id or spec.get("pipeline_id")):
            raise invalid_input("Please don't specify a pipeline version or pipeline ID when you specify a workflow "
                                "manifest or pipeline manifest.")
        if manifest:
            return "spec", specs.load_template(manifest), None, None
        if version_id or spec.get("pipeline_id"):
            return self._resolve_source(req, {"pipeline_version_reference": {
                "pipeline_id": spec.get("pipeline_id") or "", "pipeline_version_id": version_id or ""}})
        raise invalid_input("Please specify a pipeline by providing a (workflow manifest or pipeline manifest) or "
                            "(pipeline id or/and pipeline version).")

    def _v1_parameters(self, template, spec):
        if template.kind == "v2":
            config = spec.get("runtime_config") or {}
            if config.get("parameters"):
                return config["parameters"]
        return {p.get("name", ""): p.get("value", "") for p in spec.get("parameters") or []}

    def v1_RunService_CreateRunV1(self, req):
        body = req.body
        experiment = self._experiment_for_create(req, self._refs(body, "EXPERIMENT", "OWNER"))
        source = self._v1_source(req, body)
        spec = body.get("pipeline_spec") or {}
        r = self._create_run(req, body.get("name"), body.get("description"), experiment, *source,
                             self._v1_parameters(source[1], spec), (spec.get("runtime_config") or {}).get("pipeline_root"),
                             body.get("service_account"), "v1beta1")
        return views.run_detail_v1(r, self.store)

    def v1_RunService_GetRunV1(self, req):
        r = self._get_run(req, req.params["run_id"])
        self._step(r)
        return views.run_detail_v1(r, self.store)

    def _v1_list_scope(self, req, what):
        kind, ident = self._v1_reference_key(req)
        if self.multi_user and not kind:
            raise invalid_input(f"{what} must filter by resource reference in multi-user mode.")
        if kind == "NAMESPACE":
            if self.multi_user and not ident:
                raise invalid_input(f"Invalid resource references for {what}. Namespace is empty.")
            return self._scope_runs(req, ident if self.multi_user else "", None, "run" if what == "ListRuns" else "job")
        if kind == "EXPERIMENT":
            return self._scope_runs(req, "", ident, "run" if what == "ListRuns" else "job")
        if kind:
            raise invalid_input(f"Unsupported resource reference type {kind} for {what}")
        return lambda item: True

    def v1_RunService_ListRunsV1(self, req):
        scope = self._v1_list_scope(req, "ListRuns")
        items = [r for r in self.store.runs.values() if scope(r)]
        self._step_all(items)
        page, total, token = self._list(req, items, self._run_fields("v1beta1"), "Run")
        return views.message(runs=[views.run_v1(r, self.store) for r in page], total_size=total, next_page_token=token)

    def v1_RunService_DeleteRunV1(self, req):
        return self.v2_RunService_DeleteRun(_with_param(req, "run_id", req.params["id"]))

    def v1_RunService_ArchiveRunV1(self, req):
        return self.v2_RunService_ArchiveRun(_with_param(req, "run_id", req.params["id"]))

    def v1_RunService_UnarchiveRunV1(self, req):
        return self.v2_RunService_UnarchiveRun(_with_param(req, "run_id", req.params["id"]))

    def v1_RunService_TerminateRunV1(self, req):
        return self.v2_RunService_TerminateRun(req)

    def v1_RunService_RetryRunV1(self, req):
        return self.v2_RunService_RetryRun(req)

    # -- jobs -----------------------------------------------------------
    def v1_JobService_CreateJob(self, req):
        body = req.body
        experiment = self._experiment_for_create(req, self._refs(body, "EXPERIMENT", "OWNER"))
        source = self._v1_source(req, body)
        spec = body.get("pipeline_spec") or {}
        j = self._create_job(req, body.get("name"), body.get("description"), experiment, source,
                             self._v1_parameters(source[1], spec), (spec.get("runtime_config") or {}).get("pipeline_root"),
                             body.get("service_account"), body.get("max_concurrency"), body.get("trigger"),
                             bool(body.get("enabled")), body.get("no_catchup"), True)
        return views.job_v1(j, self.store)

    def v1_JobService_GetJob(self, req):
        return views.job_v1(self._get_job(req, req.params["id"]), self.store)

    def v1_JobService_ListJobs(self, req):
        scope = self._v1_list_scope(req, "ListJobs")
        items = [j for j in self.store.jobs.values() if scope(j)]
        page, total, token = self._list(req, items, self._job_fields("v1beta1"), "Job")
        return views.message(jobs=[views.job_v1(j, self.store) for j in page], total_size=total, next_page_token=token)

    def v1_JobService_DeleteJob(self, req):
        return self.v2_RecurringRunService_DeleteRecurringRun(_with_param(req, "recurring_run_id", req.params["id"]))

    def v1_JobService_EnableJob(self, req):
        return self._enable(req, req.params["id"], True)

    def v1_JobService_DisableJob(self, req):
        return self._enable(req, req.params["id"], False)


def _with_param(req, name, value):
    params = dict(req.params)
    params[name] = value
    return Request(req.op, params, req.body, req.headers, req.files, req.prefetched)


def _plain_trigger(trigger):
    """The decoded trigger with its times as epoch seconds."""
    out = {}
    for kind in ("cron_schedule", "periodic_schedule"):
        if trigger and trigger.get(kind):
            window = dict(trigger[kind])
            for key in ("start_time", "end_time"):
                if window.get(key) is not None:
                    window[key] = int(window[key])
            out[kind] = window
    return out
