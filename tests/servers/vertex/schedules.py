# SPDX-License-Identifier: Apache-2.0
"""Vertex AI Schedules: the checks of a create / update request, the state
machine (ACTIVE, PAUSED, COMPLETED) and the runs they start. There is no
timer: the virtual clock moves by POST /_test/clock?advance=SECONDS (or a
schedule is fired at once by POST /_test/trigger), and every run time that
has passed is then handled as Vertex would: a PipelineJob is created unless
maxConcurrentRunCount runs of the schedule are still active (then the run is
skipped, or queued with allowQueueing), until maxRunCount or endTime ends
the schedule (COMPLETED)."""
import datetime

import gerrors
import pipeline_jobs
import unixcron
from world import number_from

AIP = "google.cloud.aiplatform.v1"
UPDATABLE = {"display_name", "cron", "start_time", "end_time", "max_run_count", "max_concurrent_run_count",
             "max_concurrent_active_run_count", "allow_queueing", "create_pipeline_job_request"}


def validate(transcoder, world, schedule, parent_number, location, field="schedule"):
    """Checks a Schedule to create (decoded, proto names); returns (cron, (ir, values))."""
    violations = []
    if not schedule.get("display_name"):
        violations.append((f"{field}.display_name", "display_name is empty."))
    elif len(schedule["display_name"]) > 128:
        violations.append((f"{field}.display_name", "display_name must be at most 128 characters."))
    cron = None
    if not schedule.get("cron"):
        violations.append((f"{field}.cron", "cron is empty: a time specification is required."))
    else:
        try:
            cron = unixcron.Cron(schedule["cron"])
        except unixcron.CronError as e:
            violations.append((f"{field}.cron", f"Invalid cron {schedule['cron']!r}: {e}."))
    if schedule.get("max_concurrent_run_count", 0) <= 0:
        violations.append((f"{field}.max_concurrent_run_count", "max_concurrent_run_count must be greater than 0."))
    if schedule.get("max_run_count", 0) < 0:
        violations.append((f"{field}.max_run_count", "max_run_count must not be negative."))
    if schedule.get("max_concurrent_active_run_count", 0) < 0:
        violations.append((f"{field}.max_concurrent_active_run_count",
                           "max_concurrent_active_run_count must not be negative."))
    start, end = schedule.get("start_time"), schedule.get("end_time")
    if start is not None and end is not None and end <= start:
        violations.append((f"{field}.end_time", "end_time must be after start_time."))
    if end is not None and end <= world.clock.now():
        violations.append((f"{field}.end_time", "end_time must be in the future."))
    if "create_notebook_execution_job_request" in schedule:
        raise gerrors.GoogleError("UNIMPLEMENTED", "This test server schedules pipeline jobs only "
                                                   "(createPipelineJobRequest).")
    request = schedule.get("create_pipeline_job_request")
    if request is None:
        violations.append((f"{field}.create_pipeline_job_request",
                           "A request is required: create_pipeline_job_request."))
    else:
        parent = request.get("parent", "")
        parts = parent.split("/")
        if len(parts) != 4 or parts[0] != "projects" or parts[2] != "locations":
            violations.append((f"{field}.create_pipeline_job_request.parent",
                               f"Invalid parent {parent!r}: the format is projects/{{project}}/locations/{{location}}."))
        elif world.project_number(parts[1]) != parent_number or parts[3] != location:
            violations.append((f"{field}.create_pipeline_job_request.parent",
                               f"The parent {parent!r} must be the schedule's own location."))
        if request.get("pipeline_job_id"):
            violations.append((f"{field}.create_pipeline_job_request.pipeline_job_id",
                               "User-specified ID is not supported in the request template."))
    if violations:
        raise gerrors.found_errors(violations)
    checked = pipeline_jobs.validate_create(transcoder, request.get("pipeline_job") or {}, None)
    return cron, checked


class Schedule:
    def __init__(self, world, transcoder, project, location, decoded, cron):
        self.world = world
        self.transcoder = transcoder
        self.project = project
        self.location = location
        self.id = number_from("schedule", project, world.next_serial())
        self.input = decoded
        self.cron = cron
        self.created = world.clock.tick()
        self.updated = self.created
        self.state = "ACTIVE"
        self.started = 0
        self.paused_at = None
        self.resumed_at = None
        self.catch_up = False
        self.last_response = None
        self.queued = []            # scheduled times waiting for a free slot (allowQueueing)
        self.next_run = self._next(max(self.created - 1, (decoded.get("start_time") or 0) - 1))

    @property
    def name(self):
        return f"projects/{self.world.project_number(self.project)}/locations/{self.location}/schedules/{self.id}"

    def _next(self, after):
        return self.cron.next_after(after)

    # -- state changes ----------------------------------------------------
    def pause(self):
        if self.state != "ACTIVE":
            raise gerrors.failed_precondition(f"Schedule {self.name} is in state {self.state}: only an ACTIVE "
                                              f"schedule can be paused.")
        self.state = "PAUSED"
        self.paused_at = self.updated = self.world.clock.tick()

    def resume(self, catch_up):
        if self.state != "PAUSED":
            raise gerrors.failed_precondition(f"Schedule {self.name} is in state {self.state}: only a PAUSED "
                                              f"schedule can be resumed.")
        self.state = "ACTIVE"
        self.resumed_at = self.updated = self.world.clock.tick()
        self.catch_up = bool(catch_up)
        if not catch_up:
            self.next_run = self._next(self.world.clock.now())

    def update(self, decoded, paths, cron):
        for path in paths:
            if path not in UPDATABLE:
                raise gerrors.bad_request(f"Field {path} cannot be updated.", [(f"update_mask", path)])
            if path in decoded:
                self.input[path] = decoded[path]
            elif path in self.input:
                raise gerrors.bad_request(f"Field {path} cannot be unset.", [("update_mask", path)])
        if "cron" in paths:
            self.cron = cron
        self.updated = self.world.clock.tick()
        if self.state == "ACTIVE":
            self.next_run = self._next(self.world.clock.now())

    def fire_due(self, make_job, now):
        """Handles every run time up to `now`; make_job(schedule, run_time) creates a job."""
        self._start_queued(make_job)
        while self.state == "ACTIVE" and self.next_run is not None and self.next_run <= now:
            run_time = self.next_run
            if self._finished(run_time):
                break
            if self._active_runs() < self.input.get("max_concurrent_run_count", 1):
                self._start(make_job, run_time)
            elif self.input.get("allow_queueing"):
                self.queued.append(run_time)
            self.next_run = self._next(run_time)
        self._finished(self.next_run)

    def trigger(self, make_job):
        """/_test/trigger: one run now, as if its time had come."""
        if self.state != "ACTIVE":
            raise gerrors.failed_precondition(f"Schedule {self.name} is {self.state}.")
        now = self.world.clock.now()
        if self._active_runs() >= self.input.get("max_concurrent_run_count", 1):
            if self.input.get("allow_queueing"):
                self.queued.append(now)
                return None
            return None
        return self._start(make_job, now)

    def _start_queued(self, make_job):
        while self.queued and self.state == "ACTIVE" and \
                self._active_runs() < self.input.get("max_concurrent_run_count", 1) and \
                not self._finished(self.queued[0]):
            self._start(make_job, self.queued.pop(0))

    def _start(self, make_job, run_time):
        job = make_job(self, run_time)
        self.started += 1
        self.last_response = {"scheduledRunTime": pipeline_jobs._ts(run_time), "runResponse": job.name}
        self.updated = self.world.clock.now()
        self._finished(self.next_run)
        return job

    def _finished(self, next_time):
        limit = self.input.get("max_run_count", 0)
        end = self.input.get("end_time")
        if (limit and self.started >= limit) or (end is not None and next_time is not None and next_time > end) or \
                next_time is None:
            if self.state == "ACTIVE":
                self.state = "COMPLETED"
                self.updated = self.world.clock.now()
            return True
        return False

    def _active_runs(self):
        return sum(1 for j in self.world.jobs.values() if j.schedule_name == self.name and not j.done)

    # -- rendering --------------------------------------------------------
    def render(self):
        out = self.transcoder.to_json({k: v for k, v in self.input.items()}, f"{AIP}.Schedule")
        request = out.get("createPipelineJobRequest")
        if request is not None:
            job = self.input["create_pipeline_job_request"].get("pipeline_job") or {}
            if "pipeline_spec" in job:
                request.setdefault("pipelineJob", {})["pipelineSpec"] = job["pipeline_spec"]
        out["name"] = self.name
        out["state"] = self.state
        out["createTime"] = pipeline_jobs._ts(self.created)
        out["updateTime"] = pipeline_jobs._ts(self.updated)
        if self.state == "ACTIVE" and self.next_run is not None:
            out["nextRunTime"] = pipeline_jobs._ts(self.next_run)
        if self.started:
            out["startedRunCount"] = str(self.started)
        if self.paused_at:
            out["lastPauseTime"] = pipeline_jobs._ts(self.paused_at)
        if self.resumed_at:
            out["lastResumeTime"] = pipeline_jobs._ts(self.resumed_at)
        if self.catch_up:
            out["catchUp"] = True
        if self.last_response:
            out["lastScheduledRunResponse"] = dict(self.last_response)
        return out


def job_id_for(schedule, run_time):
    """The id of a scheduled run: the pipeline's name and the scheduled time (UTC)."""
    request = schedule.input["create_pipeline_job_request"]
    spec = (request.get("pipeline_job") or {}).get("pipeline_spec") or {}
    name = ((spec.get("pipelineInfo") or spec.get("pipeline_info") or {}).get("name")) or "pipeline"
    stamp = datetime.datetime.fromtimestamp(run_time, datetime.timezone.utc).strftime("%Y%m%d%H%M%S")
    return f"{name}-{stamp}"[:128]
