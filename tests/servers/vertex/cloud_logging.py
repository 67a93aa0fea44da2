# SPDX-License-Identifier: Apache-2.0
"""Cloud Logging v2 `POST /v2/entries:list` over what the tasks of the
pipeline jobs logged: each task's container is a CustomJob, and its lines
are LogEntries of resource type ml_job labelled with that CustomJob's id,
as Vertex AI writes them. A running task's log grows by a line per read."""
import base64
import json

import esf
import filters
import gerrors

REQUEST = "google.logging.v2.ListLogEntriesRequest"
RESPONSE = "google.logging.v2.ListLogEntriesResponse"
SEVERITIES = ["DEFAULT", "DEBUG", "INFO", "NOTICE", "WARNING", "ERROR", "CRITICAL", "ALERT", "EMERGENCY"]
ALL = ("=", "!=", ":", "<", "<=", ">", ">=", "=~", "!~")


def _path(entry, name):
    value = entry
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value if not isinstance(value, (dict, list)) else json.dumps(value)


FIELDS = {
    "severity": filters.Field(ALL, lambda e, _: e.get("severity", "DEFAULT"), "ordered", SEVERITIES),
    "timestamp": filters.Field(ALL, lambda e, _: esf.parse_timestamp(e["timestamp"]), "time"),
    "receiveTimestamp": filters.Field(ALL, lambda e, _: esf.parse_timestamp(e["receiveTimestamp"]), "time"),
    "logName": filters.Field(ALL, lambda e, _: e.get("logName")),
    "log_name": filters.Field(ALL, lambda e, _: e.get("logName")),
    "insertId": filters.Field(ALL, lambda e, _: e.get("insertId")),
    "textPayload": filters.Field(ALL, lambda e, _: e.get("textPayload")),
    "resource": filters.Field(ALL, _path),
    "jsonPayload": filters.Field(ALL, _path),
    "labels": filters.Field(ALL, _path),
}
PREFIXES = ("resource", "jsonPayload", "labels")


class LoggingApi:
    def __init__(self, world, transcoder):
        self.world = world
        self.transcoder = transcoder

    def list_entries(self, request):
        names = request.get("resource_names") or []
        if request.get("project_ids"):
            names = names + [f"projects/{p}" for p in request["project_ids"]]
        if not names:
            raise gerrors.bad_request("resource_names: at least one resource name is required.",
                                      [("resource_names", "is required")])
        projects = set()
        for name in names:
            parts = name.split("/")
            if len(parts) < 2 or parts[0] not in ("projects", "organizations", "folders", "billingAccounts") or \
                    not parts[1]:
                raise gerrors.bad_request(f"Invalid resource name \"{name}\".", [("resource_names", name)])
            if parts[0] == "projects":
                projects.add(self.world.project_number(parts[1]))
        text = request.get("filter", "")
        try:
            tree = filters.parse(text, filters.LOGGING_OPERATORS)
            filters.check(tree, FIELDS, PREFIXES)
        except filters.FilterSyntaxError as e:
            raise gerrors.bad_request(f"Unparseable filter: {e}", [("filter", str(e))])
        except filters.FieldError as e:
            raise gerrors.bad_request(f"Invalid filter: {e}", [("filter", str(e))])
        order = request.get("order_by", "") or "timestamp asc"
        if order not in ("timestamp asc", "timestamp desc"):
            raise gerrors.bad_request(f"Invalid order_by \"{order}\": only \"timestamp asc\" and \"timestamp desc\" "
                                      f"are supported.", [("order_by", order)])
        size = request.get("page_size", 0)
        if size < 0 or size > 1000:
            raise gerrors.bad_request(f"Invalid page_size {size}: it must be between 0 and 1000.",
                                      [("page_size", str(size))])
        size = size or 50
        offset = 0
        if request.get("page_token"):
            offset = _read_token(request["page_token"], text, order, names)
        entries = [e for e in self._entries(projects) if filters.matches(tree, e, FIELDS, PREFIXES)]
        entries.sort(key=lambda e: (e["timestamp"], e["insertId"]), reverse=order == "timestamp desc")
        page = entries[offset:offset + size]
        out = {}
        if page:
            out["entries"] = page
        if offset + size < len(entries):
            data = json.dumps({"f": text, "o": order, "r": sorted(names), "n": offset + size})
            out["nextPageToken"] = base64.urlsafe_b64encode(data.encode()).decode().rstrip("=")
        return out

    def _entries(self, projects):
        out = []
        for custom_job, (job, pod) in self.world.custom_jobs.items():
            if job.number not in projects or self.world.jobs.get((job.number, job.location, job.id)) is not job:
                continue
            pid = self.world.project_id(job.project)
            resource = {"type": "ml_job", "labels": {"job_id": custom_job, "project_id": pid,
                                                     "task_name": "workerpool0-0"}}
            service = {"type": "ml_job", "labels": {"job_id": custom_job, "project_id": pid, "task_name": "service"}}
            lines = job.log_lines(pod)
            if not lines:
                continue
            first = lines[0][0]
            out.append(self._entry(f"projects/{pid}/logs/ml.googleapis.com%2F{custom_job}", service, first, "INFO",
                                   custom_job, 0, json_payload={"message": "Waiting for job to be provisioned.",
                                                                "levelname": "INFO"}))
            for i, (seconds, text) in enumerate(lines, 1):
                severity = "ERROR" if "ERROR" in text or "exited with code" in text and "code 0" not in text \
                    else "INFO"
                out.append(self._entry(f"projects/{pid}/logs/workerpool0-0", resource, seconds, severity,
                                       custom_job, i, text=text))
        return out

    def _entry(self, log_name, resource, seconds, severity, custom_job, index, text=None, json_payload=None):
        entry = {"insertId": f"{custom_job[-8:]}{index:06d}", "resource": resource,
                 "timestamp": esf.rfc3339(seconds), "severity": severity, "labels": {
                     "ml.googleapis.com/endpoint": "", "compute.googleapis.com/resource_name":
                         f"cmle-training-{custom_job[-10:]}-workerpool0-0"},
                 "logName": log_name, "receiveTimestamp": esf.rfc3339(seconds + 0.5)}
        if text is not None:
            entry["textPayload"] = text
        else:
            entry["jsonPayload"] = json_payload
        return entry


def _read_token(token, text, order, names):
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        ok = isinstance(data["n"], int)
    except (ValueError, KeyError, TypeError):
        ok = False
    if not ok:
        raise gerrors.bad_request("Invalid page token.", [("page_token", token)])
    if data["f"] != text or data["o"] != order or data["r"] != sorted(names):
        raise gerrors.bad_request("The page token does not match the request: resource_names, filter and order_by "
                                  "must be those of the first page.", [("page_token", token)])
    return data["n"]
