# SPDX-License-Identifier: Apache-2.0
"""Resources as KFP's server writes them: protojson with UseProtoNames and
EmitUnpopulated=false (common.CustomMarshaler), so default values are left
out (an empty list answers {}, a v1 run that is STORAGESTATE_AVAILABLE, the
enum's zero, has no storage_state), int64 fields are strings, and a time
that is not set yet is "1970-01-01T00:00:00Z" (a zero Timestamp is still a
set message)."""
import json

from runs import rfc3339

V1_STATUS = {"PENDING": "Pending", "RUNNING": "Running", "SUCCEEDED": "Succeeded", "SKIPPED": "Skipped",
             "FAILED": "Failed", "CANCELING": "Terminating", "CANCELED": "Failed", "PAUSED": "Pending"}


class Raw:
    """A google.protobuf.Struct / Value: written as is, never pruned."""

    def __init__(self, value):
        self.value = value


def message(**fields):
    """A proto3 message: unset (default) fields are left out."""
    out = {}
    for key, value in fields.items():
        if isinstance(value, Raw):
            out[key] = value.value
        elif value is None or value == "" or value == [] or value == {} or value is False:
            continue
        elif isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
            continue
        else:
            out[key] = value
    return out


def i64(value):
    return str(int(value)) if value else None


# -- v2beta1 ----------------------------------------------------------------

def experiment_v2(e):
    return message(experiment_id=e.id, display_name=e.name, description=e.description,
                   created_at=rfc3339(e.created), namespace=e.namespace, storage_state=e.storage_state,
                   last_run_created_at=rfc3339(e.last_run_created))


def pipeline_v2(p):
    return message(pipeline_id=p.id, display_name=p.display_name, name=p.name, description=p.description,
                   created_at=rfc3339(p.created), namespace=p.namespace, tags=dict(p.tags or {}))


def version_v2(v):
    return message(pipeline_id=v.pipeline_id, pipeline_version_id=v.id, display_name=v.display_name,
                   name=v.name, description=v.description, created_at=rfc3339(v.created),
                   package_url=message(pipeline_url=v.package_url) if v.package_url else None,
                   code_source_url=v.code_source_url, pipeline_spec=Raw(v.template.as_struct()),
                   tags=dict(v.tags or {}))


def runtime_config_v2(parameters, pipeline_root):
    return message(parameters=Raw(parameters) if parameters else None, pipeline_root=pipeline_root) or None


def _source_v2(r):
    if r.source == "spec":
        return {"pipeline_spec": Raw(r.template.as_struct())}
    return {"pipeline_version_reference": message(pipeline_id=r.pipeline_id, pipeline_version_id=r.version_id)}


def run_v2(r):
    ex = r.execution
    details = message(pipeline_context_id=i64(ex.pipeline_context_id), pipeline_run_context_id=i64(ex.run_context_id),
                      task_details=ex.task_details())
    return message(experiment_id=r.experiment_id, run_id=r.id, display_name=r.display_name,
                   storage_state=r.storage_state, description=r.description, **_source_v2(r),
                   runtime_config=runtime_config_v2(r.parameters, r.pipeline_root),
                   service_account=r.service_account, created_at=rfc3339(r.created),
                   scheduled_at=rfc3339(r.scheduled), finished_at=rfc3339(ex.finished), state=ex.state,
                   run_details=details or None, recurring_run_id=r.recurring_run_id,
                   state_history=[{"update_time": rfc3339(t), "state": s} for t, s in ex.history])


def trigger_v2(trigger):
    if not trigger:
        return None
    if "cron_schedule" in trigger:
        c = trigger["cron_schedule"]
        return {"cron_schedule": message(start_time=_time(c.get("start_time")), end_time=_time(c.get("end_time")),
                                         cron=c.get("cron"))}
    p = trigger.get("periodic_schedule") or {}
    return {"periodic_schedule": message(start_time=_time(p.get("start_time")), end_time=_time(p.get("end_time")),
                                         interval_second=i64(p.get("interval_second")))}


def _time(seconds):
    return rfc3339(seconds) if seconds is not None else None


def job_v2(j):
    return message(recurring_run_id=j.id, display_name=j.display_name, description=j.description, **_source_v2(j),
                   runtime_config=runtime_config_v2(j.parameters, j.pipeline_root),
                   service_account=j.service_account, max_concurrency=i64(j.max_concurrency),
                   trigger=trigger_v2(j.trigger), mode="ENABLE" if j.enabled else "DISABLE",
                   created_at=rfc3339(j.created), updated_at=rfc3339(j.updated),
                   status="ENABLED" if j.enabled else "DISABLED", no_catchup=j.no_catchup,
                   namespace=j.namespace, experiment_id=j.experiment_id)


# -- v1beta1 ----------------------------------------------------------------

def _ref(kind, ident, relationship, name=None):
    return message(key={"type": kind, "id": ident}, name=name, relationship=relationship)


def experiment_v1(e, multi_user):
    refs = [_ref("NAMESPACE", e.namespace, "OWNER")] if e.namespace else []
    return message(id=e.id, name=e.name, description=e.description, created_at=rfc3339(e.created),
                   resource_references=refs, storage_state=f"STORAGESTATE_{e.storage_state}")


def version_v1(v):
    return message(id=v.id, name=v.name, created_at=rfc3339(v.created), parameters=v.template.api_parameters(),
                   code_source_url=v.code_source_url,
                   package_url=message(pipeline_url=v.package_url) if v.package_url else None,
                   resource_references=[_ref("PIPELINE", v.pipeline_id, "OWNER")], description=v.description)


def pipeline_v1(p, default_version):
    refs = [_ref("NAMESPACE", p.namespace, "OWNER")] if p.namespace else []
    return message(id=p.id, created_at=rfc3339(p.created), name=p.name, description=p.description,
                   parameters=default_version.template.api_parameters() if default_version else None,
                   url=message(pipeline_url=default_version.package_url) if default_version and
                   default_version.package_url else None,
                   default_version=version_v1(default_version) if default_version else None,
                   resource_references=refs)


def _pipeline_spec_v1(r, store):
    spec = {}
    if r.source == "spec":
        if r.template.kind == "v1":
            spec["workflow_manifest"] = r.template.as_text()
        else:
            spec["pipeline_manifest"] = json.dumps(r.template.as_struct())
    else:
        pipeline = store.pipelines.get(r.pipeline_id)
        spec["pipeline_id"] = r.pipeline_id
        spec["pipeline_name"] = pipeline.name if pipeline else None
    if r.template.kind == "v1":
        params = [{"name": k, "value": v if isinstance(v, str) else json.dumps(v)} for k, v in r.parameters.items()]
        return message(**spec, parameters=params)
    return message(**spec, runtime_config=message(parameters=Raw(r.parameters) if r.parameters else None,
                                                  pipeline_root=r.pipeline_root) or None)


def _refs_v1(r, store):
    refs = []
    experiment = store.experiments.get(r.experiment_id)
    if r.experiment_id:
        refs.append(_ref("EXPERIMENT", r.experiment_id, "OWNER", experiment.name if experiment else None))
    if r.namespace:
        refs.append(_ref("NAMESPACE", r.namespace, "OWNER"))
    if r.source == "version":
        version = store.versions.get(r.version_id)
        refs.append(_ref("PIPELINE_VERSION", r.version_id, "CREATOR", version.name if version else None))
    if getattr(r, "recurring_run_id", None):
        refs.append(_ref("JOB", r.recurring_run_id, "CREATOR"))
    return refs


def run_v1(r, store):
    ex = r.execution
    return message(id=r.id, name=r.display_name,
                   storage_state="STORAGESTATE_ARCHIVED" if r.storage_state == "ARCHIVED" else None,
                   description=r.description, pipeline_spec=_pipeline_spec_v1(r, store),
                   resource_references=_refs_v1(r, store), service_account=r.service_account,
                   created_at=rfc3339(r.created), scheduled_at=rfc3339(r.scheduled),
                   finished_at=rfc3339(ex.finished), status=V1_STATUS.get(ex.state, "Error"),
                   metrics=[message(**m) for m in ex.metrics()])


def run_detail_v1(r, store):
    return {"run": run_v1(r, store),
            "pipeline_runtime": {"workflow_manifest": json.dumps(r.execution.workflow(), separators=(",", ":"))}}


def trigger_v1(trigger):
    return trigger_v2(trigger)


def job_v1(j, store):
    refs = []
    if j.experiment_id:
        e = store.experiments.get(j.experiment_id)
        refs.append(_ref("EXPERIMENT", j.experiment_id, "OWNER", e.name if e else None))
    if j.namespace:
        refs.append(_ref("NAMESPACE", j.namespace, "OWNER"))
    if j.source == "version":
        refs.append(_ref("PIPELINE_VERSION", j.version_id, "CREATOR"))
    return message(id=j.id, name=j.display_name, description=j.description, pipeline_spec=_pipeline_spec_v1(j, store),
                   resource_references=refs, service_account=j.service_account,
                   max_concurrency=i64(j.max_concurrency), trigger=trigger_v1(j.trigger),
                   mode="ENABLED" if j.enabled else "DISABLED", created_at=rfc3339(j.created),
                   updated_at=rfc3339(j.updated), status="Enabled" if j.enabled else "Disabled",
                   enabled=j.enabled, no_catchup=j.no_catchup)
