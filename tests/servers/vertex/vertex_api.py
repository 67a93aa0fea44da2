# SPDX-License-Identifier: Apache-2.0
"""The Vertex AI v1 methods this server serves (PipelineService's
PipelineJob methods, ScheduleService, and GET of the long-running
operations that deletes return). Each takes the request message decoded by
esf.Transcoder and returns (response message type, proto3 JSON)."""
import base64
import json

import esf
import filters
import gerrors
import pipeline_jobs
import schedules
from world import number_from

AIP = "google.cloud.aiplatform.v1"
PIPELINE_STATES = ["PIPELINE_STATE_UNSPECIFIED", "PIPELINE_STATE_QUEUED", "PIPELINE_STATE_PENDING",
                   "PIPELINE_STATE_RUNNING", "PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED",
                   "PIPELINE_STATE_CANCELLING", "PIPELINE_STATE_CANCELLED", "PIPELINE_STATE_PAUSED"]
EQ = ("=", "!=")
TEXT = ("=", "!=", ":")
TIME = ("=", "!=", "<", ">", "<=", ">=")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 100


JOB_FIELDS = {
    "pipeline_name": filters.Field(EQ, lambda j, _: j.pipeline_name),
    "display_name": filters.Field(TEXT, lambda j, _: j.input.get("display_name", "")),
    "pipeline_job_user_id": filters.Field(TEXT, lambda j, _: j.id),
    "state": filters.Field(EQ, lambda j, _: j.state, "enum", PIPELINE_STATES),
    "create_time": filters.Field(TIME, lambda j, _: float(j.created), "time"),
    "update_time": filters.Field(TIME, lambda j, _: float(j.update_time), "time"),
    "end_time": filters.Field(TIME + (":",), lambda j, _: float(j.execution.finished) if j.done else None, "time"),
    "labels": filters.Field(TEXT, lambda j, n: j.labels.get(n.split(".", 1)[1]) if "." in n else None),
    "template_uri": filters.Field(TEXT, lambda j, _: j.input.get("template_uri")),
    "template_metadata.version": filters.Field(TEXT, lambda j, _: None),
}
SCHEDULE_FIELDS = {
    "display_name": filters.Field(TEXT, lambda s, _: s.input.get("display_name", "")),
    "state": filters.Field(EQ, lambda s, _: s.state, "enum", ["STATE_UNSPECIFIED", "ACTIVE", "PAUSED", "COMPLETED"]),
    "create_pipeline_job_request": filters.Field((":",), lambda s, _: "set" if "create_pipeline_job_request"
                                                 in s.input else None),
    "create_time": filters.Field(TIME, lambda s, _: float(s.created), "time"),
    "start_time": filters.Field(TIME, lambda s, _: s.input.get("start_time"), "time"),
    "end_time": filters.Field(TIME + (":",), lambda s, _: s.input.get("end_time"), "time"),
    "next_run_time": filters.Field(TIME, lambda s, _: float(s.next_run) if s.next_run else None, "time"),
}
JOB_ORDER = {"create_time": lambda j: j.created, "update_time": lambda j: j.update_time,
             "end_time": lambda j: j.execution.finished or 0, "start_time": lambda j: j.execution.history[1][0]
             if len(j.execution.history) > 1 else 0}
SCHEDULE_ORDER = {"create_time": lambda s: s.created, "start_time": lambda s: s.input.get("start_time") or 0,
                  "end_time": lambda s: s.input.get("end_time") or 0, "next_run_time": lambda s: s.next_run or 0}


class VertexApi:
    def __init__(self, world, transcoder, locations, manual_steps=False):
        self.world = world
        self.manual_steps = manual_steps  # jobs move only on /_test/advance
        self.transcoder = transcoder
        self.locations = locations

    # -- names ------------------------------------------------------------
    def _parent(self, parent):
        """(project, location) of 'projects/P/locations/L'; the location must be one this endpoint serves."""
        _, project, _, location = parent.split("/")[:4]
        if location not in self.locations:
            raise gerrors.bad_request(
                f"Location {location} is not supported by this endpoint: requests for {location} must be sent to "
                f"https://{location}-aiplatform.googleapis.com (this server plays "
                f"{', '.join(self.locations)}).", [("parent", f"location {location} does not match the endpoint")])
        return project, location

    def _key(self, name):
        parts = name.split("/")
        project, location = self._parent("/".join(parts[:4]))
        return (self.world.project_number(project), location, parts[5])

    def job(self, name):
        job = self.world.jobs.get(self._key(name))
        if job is None:
            raise gerrors.not_found(f"The PipelineJob \"{name}\" does not exist.")
        return job

    def schedule(self, name):
        schedule = self.world.schedules.get(self._key(name))
        if schedule is None:
            raise gerrors.not_found(f"The Schedule \"{name}\" does not exist.")
        return schedule

    # -- dispatch ---------------------------------------------------------
    def handle(self, rpc, request):
        handler = getattr(self, "rpc_" + rpc, None)
        if handler is None:
            raise gerrors.GoogleError("UNIMPLEMENTED", f"Method {rpc} is not served by this test server.")
        return handler(request)

    # -- PipelineJobs -------------------------------------------------------
    def rpc_CreatePipelineJob(self, request):
        project, location = self._parent(request["parent"])
        body = request.get("pipeline_job") or {}
        job_id = request.get("pipeline_job_id")
        ir, values = pipeline_jobs.validate_create(self.transcoder, body, job_id)
        number = self.world.project_number(project)
        if not job_id:
            job_id = number_from("pipelineJob", number, self.world.next_serial())
        if (number, location, job_id) in self.world.jobs:
            raise gerrors.GoogleError("ALREADY_EXISTS", f"PipelineJob projects/{number}/locations/{location}/"
                                                        f"pipelineJobs/{job_id} already exists.")
        job = self.create_job(project, location, job_id, body, ir, values)
        return f"{AIP}.PipelineJob", job.render()

    def create_job(self, project, location, job_id, body, ir, values, schedule_name=None):
        inputs = {k: v for k, v in body.items() if k not in _output_only(self.transcoder, f"{AIP}.PipelineJob")}
        job = pipeline_jobs.Job(self.world, self.transcoder, project, location, job_id, inputs, ir, values,
                                schedule_name)
        self.world.jobs[(job.number, location, job_id)] = job
        return job

    def _observe(self, job):
        if not self.manual_steps:
            job.step()

    def rpc_GetPipelineJob(self, request):
        job = self.job(request["name"])
        self._observe(job)
        return f"{AIP}.PipelineJob", job.render()

    def rpc_CancelPipelineJob(self, request):
        self.job(request["name"]).cancel()
        self.world.clock.tick()
        return "google.protobuf.Empty", {}

    def rpc_DeletePipelineJob(self, request):
        job = self.job(request["name"])
        if not job.done:
            raise gerrors.failed_precondition(f"Cannot delete PipelineJob {job.name} in state {job.state}: only "
                                              f"jobs in a terminal state can be deleted (cancel it first).")
        del self.world.jobs[(job.number, job.location, job.id)]
        return "google.longrunning.Operation", self._operation(job.number, job.location)

    def rpc_ListPipelineJobs(self, request):
        project, location = self._parent(request["parent"])
        number = self.world.project_number(project)
        scope = [j for (n, loc, _), j in self.world.jobs.items() if n == number and loc == location]
        for job in scope:
            self._observe(job)
        page, token = self._page(request, scope, JOB_FIELDS, ("labels",), JOB_ORDER, "pipelineJobs")
        mask = request.get("read_mask")
        out = {}
        if page:
            out["pipelineJobs"] = [_project(j.render(), mask) for j in page]
        if token:
            out["nextPageToken"] = token
        return f"{AIP}.ListPipelineJobsResponse", out

    # -- Schedules --------------------------------------------------------
    def rpc_CreateSchedule(self, request):
        project, location = self._parent(request["parent"])
        body = request.get("schedule") or {}
        body = {k: v for k, v in body.items() if k not in _output_only(self.transcoder, f"{AIP}.Schedule")}
        cron, _ = schedules.validate(self.transcoder, self.world, body, self.world.project_number(project), location)
        schedule = schedules.Schedule(self.world, self.transcoder, project, location, body, cron)
        self.world.schedules[(self.world.project_number(project), location, schedule.id)] = schedule
        return f"{AIP}.Schedule", schedule.render()

    def rpc_GetSchedule(self, request):
        return f"{AIP}.Schedule", self.schedule(request["name"]).render()

    def rpc_ListSchedules(self, request):
        project, location = self._parent(request["parent"])
        number = self.world.project_number(project)
        scope = [s for (n, loc, _), s in self.world.schedules.items() if n == number and loc == location]
        page, token = self._page(request, scope, SCHEDULE_FIELDS, (), SCHEDULE_ORDER, "schedules")
        out = {}
        if page:
            out["schedules"] = [s.render() for s in page]
        if token:
            out["nextPageToken"] = token
        return f"{AIP}.ListSchedulesResponse", out

    def rpc_PauseSchedule(self, request):
        self.schedule(request["name"]).pause()
        return "google.protobuf.Empty", {}

    def rpc_ResumeSchedule(self, request):
        schedule = self.schedule(request["name"])
        schedule.resume(request.get("catch_up", False))
        schedule.fire_due(self.scheduled_job, self.world.clock.now())
        return "google.protobuf.Empty", {}

    def rpc_DeleteSchedule(self, request):
        schedule = self.schedule(request["name"])
        number = self.world.project_number(schedule.project)
        del self.world.schedules[(number, schedule.location, schedule.id)]
        return "google.longrunning.Operation", self._operation(number, schedule.location)

    def rpc_UpdateSchedule(self, request):
        body = request.get("schedule") or {}
        schedule = self.schedule(body.get("name", ""))
        paths = [".".join(esf.proto_name(p) for p in path.split(".")) for path in request.get("update_mask") or []]
        if not paths:
            raise gerrors.bad_request("update_mask is required.", [("update_mask", "update_mask is required.")])
        merged = dict(schedule.input)
        merged.update({k: v for k, v in body.items() if k in paths})
        cron, _ = schedules.validate(self.transcoder, self.world, merged, self.world.project_number(schedule.project),
                                     schedule.location)
        schedule.update(body, paths, cron)
        return f"{AIP}.Schedule", schedule.render()

    def scheduled_job(self, schedule, run_time):
        request = schedule.input["create_pipeline_job_request"]
        body = request.get("pipeline_job") or {}
        ir, values = pipeline_jobs.validate_create(self.transcoder, body, None)
        job_id = schedules.job_id_for(schedule, run_time)
        number = self.world.project_number(schedule.project)
        while (number, schedule.location, job_id) in self.world.jobs:
            job_id = f"{job_id[:120]}-{self.world.next_serial()}"
        return self.create_job(schedule.project, schedule.location, job_id, body, ir, values, schedule.name)

    def fire_schedules(self):
        for schedule in list(self.world.schedules.values()):
            schedule.fire_due(self.scheduled_job, self.world.clock.now())

    # -- operations -------------------------------------------------------
    def _operation(self, number, location):
        op_id = number_from("operation", self.world.next_serial())
        now = pipeline_jobs._ts(self.world.clock.tick())
        op = {"name": f"projects/{number}/locations/{location}/operations/{op_id}",
              "metadata": {"@type": f"type.googleapis.com/{AIP}.DeleteOperationMetadata",
                           "genericMetadata": {"createTime": now, "updateTime": now}}}
        self.world.operations[op["name"]] = op
        return dict(op)

    def get_operation(self, name):
        """GET of an operation: it is done once it has been looked at."""
        op = self.world.operations.get(name)
        if op is None:
            raise gerrors.not_found(f"Operation \"{name}\" not found.")
        if not op.get("done"):
            op["done"] = True
            op["response"] = {"@type": "type.googleapis.com/google.protobuf.Empty"}
            op["metadata"]["genericMetadata"]["updateTime"] = pipeline_jobs._ts(self.world.clock.tick())
        return json.loads(json.dumps(op))

    # -- lists --------------------------------------------------------------
    def _page(self, request, items, fields, prefix_fields, orders, kind):
        text = request.get("filter", "")
        try:
            tree = filters.parse(text)
            filters.check(tree, fields, prefix_fields)
        except filters.FilterSyntaxError as e:
            raise gerrors.bad_request(f"Invalid filter \"{text}\": {e}.", [("filter", str(e))])
        except filters.FieldError as e:
            raise gerrors.bad_request(f"Invalid filter \"{text}\": {e}.", [("filter", str(e))])
        order_text = request.get("order_by", "")
        keys = _order(order_text, orders)
        size = request.get("page_size", 0)
        if size < 0:
            raise gerrors.bad_request("page_size must not be negative.", [("page_size", "must not be negative")])
        size = min(size or DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        offset = 0
        if request.get("page_token"):
            offset = _read_token(request["page_token"], kind, text, order_text)
        chosen = [i for i in items if filters.matches(tree, i, fields, prefix_fields)]
        for key, descending in reversed(keys):
            chosen.sort(key=key, reverse=descending)
        page = chosen[offset:offset + size]
        token = None
        if offset + size < len(chosen):
            token = _write_token(kind, text, order_text, offset + size)
        return page, token


def _order(text, orders):
    if not text.strip():
        return [(orders["create_time"], True)]
    keys = []
    for part in text.split(","):
        words = part.split()
        if not words or len(words) > 2 or words[0] not in orders or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise gerrors.bad_request(f"Invalid order_by \"{text}\": supported fields are "
                                      f"{', '.join(sorted(orders))}, each optionally followed by \"desc\".",
                                      [("order_by", part.strip())])
        keys.append((orders[words[0]], len(words) == 2 and words[1] == "desc"))
    return keys


def _write_token(kind, filter_text, order_text, offset):
    data = json.dumps({"k": kind, "f": filter_text, "o": order_text, "n": offset}, separators=(",", ":"))
    return base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")


def _read_token(token, kind, filter_text, order_text):
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        ok = data["k"] == kind and isinstance(data["n"], int)
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise gerrors.bad_request("Invalid page token.", [("page_token", "not a page token of this list")])
    if data["f"] != filter_text or data["o"] != order_text:
        raise gerrors.bad_request("The page token was issued for a different filter or order_by.",
                                  [("page_token", "filter and order_by must be those of the first page")])
    return data["n"]


def _output_only(transcoder, type_name):
    behaviors = transcoder.defs[type_name].get("x-behaviors", {})
    return {f for f, b in behaviors.items() if "OUTPUT_ONLY" in b}


def _project(value, mask):
    """Applies a read_mask (proto paths) to a rendered resource; `name` always stays."""
    if not mask:
        return value
    out = {"name": value["name"]} if "name" in value else {}
    for path in mask:
        parts = [esf.json_name(p) for p in path.split(".")]
        _copy(value, out, parts)
    return out


def _copy(source, target, parts):
    if not isinstance(source, dict) or parts[0] not in source:
        return
    if len(parts) == 1:
        target[parts[0]] = source[parts[0]]
        return
    child = source[parts[0]]
    if isinstance(child, list):
        existing = target.setdefault(parts[0], [{} for _ in child])
        for s, t in zip(child, existing):
            _copy(s, t, parts[1:])
    else:
        _copy(child, target.setdefault(parts[0], {}), parts[1:])
