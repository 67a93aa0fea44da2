# SPDX-License-Identifier: Apache-2.0
"""The server's state, in memory: pipelines and their versions, experiments,
runs and recurring runs, shared by the v1beta1 and v2beta1 APIs as in KFP's
database; a virtual clock; deterministic ids; the object store that tasks
write artifacts to. Listing follows KFP's list package: base64 JSON page
tokens that carry the sort and filter, page_size 20 by default and at most
200, sort_by "field [asc|desc]", a JSON Filter of predicates."""
import base64
import json
import threading
import urllib.parse
import uuid

import contract
from errors import ApiError, INVALID_ARGUMENT, invalid_input, not_found

_NAMESPACE = uuid.UUID("0b7a3f9e-1c1d-4e83-a0a3-61d4c6c1f2a0")
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


class Clock:
    """Virtual time: it moves one second per event, never by itself."""

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

    def uuid(self, kind):
        return str(uuid.uuid5(_NAMESPACE, f"{kind}-{self.next('uuid-' + kind)}"))


class Record:
    """A resource: plain attributes, set by the API layer."""

    def __init__(self, **fields):
        self.__dict__.update(fields)


class Store:
    def __init__(self, epoch, multi_user=False):
        self.lock = threading.RLock()
        self.epoch = epoch
        self.multi_user = multi_user
        self.reset()

    def reset(self):
        self.clock = Clock(self.epoch)
        self.ids = Ids()
        self.objects = {}
        self.pipelines = {}
        self.versions = {}
        self.experiments = {}
        self.runs = {}
        self.jobs = {}
        if not self.multi_user:
            self.default_experiment("")

    # -- experiments ----------------------------------------------------
    def default_experiment(self, namespace):
        for e in self.experiments.values():
            if e.name == "Default" and e.namespace == namespace:
                return e
        return self.add_experiment("Default", "All runs created without specifying an experiment will be grouped here.",
                                   namespace)

    def add_experiment(self, name, description, namespace):
        now = self.clock.tick()
        e = Record(id=self.ids.uuid("experiment"), name=name, description=description or "", namespace=namespace or "",
                   created=now, storage_state="AVAILABLE", last_run_created=0)
        self.experiments[e.id] = e
        return e

    def experiment(self, experiment_id):
        e = self.experiments.get(experiment_id)
        if e is None:
            raise not_found("Experiment", experiment_id)
        return e

    # -- pipelines ------------------------------------------------------
    def pipeline(self, pipeline_id):
        p = self.pipelines.get(pipeline_id)
        if p is None:
            raise not_found("Pipeline", pipeline_id)
        return p

    def version(self, version_id):
        v = self.versions.get(version_id)
        if v is None:
            raise not_found("PipelineVersion", version_id)
        return v

    def versions_of(self, pipeline_id):
        return sorted((v for v in self.versions.values() if v.pipeline_id == pipeline_id),
                      key=lambda v: (v.created, v.id))

    def latest_version(self, pipeline_id):
        versions = self.versions_of(pipeline_id)
        return versions[-1] if versions else None

    # -- runs and jobs --------------------------------------------------
    def run(self, run_id):
        r = self.runs.get(run_id)
        if r is None:
            raise not_found("Run", run_id)
        return r

    def job(self, job_id):
        j = self.jobs.get(job_id)
        if j is None:
            raise not_found("RecurringRun", job_id)
        return j


# -- listing ----------------------------------------------------------------

class Field:
    """A sortable / filterable field of a listed resource."""

    def __init__(self, getter, kind="string"):
        self.getter = getter
        self.kind = kind   # string | int | time


def parse_filter(encoded, version, definitions):
    """parseAPIFilter: url.QueryUnescape, then protojson into the Filter message
    (v2beta1Filter, or v1's api.Filter whose operator field is `op`)."""
    if not encoded:
        return None
    try:
        decoded = urllib.parse.unquote_plus(encoded, errors="strict")
        if "%" in encoded and _bad_escape(encoded):
            raise ValueError("invalid URL escape")
    except (ValueError, UnicodeDecodeError) as e:
        raise invalid_input(f"failed to parse valid filter from {encoded!r}: {e}")
    schema = {"$ref": "#/definitions/" + ("v2beta1Filter" if version == "v2beta1" else "apiFilter")}
    try:
        value = contract.decode_json(decoded, schema, definitions, prefix="")
    except ApiError as e:
        raise invalid_input(f"failed to parse valid filter from {encoded!r}: {e.message}")
    predicates = []
    for p in value.get("predicates") or []:
        op = p.get("operation") or p.get("op") or "OPERATION_UNSPECIFIED"
        predicates.append((p.get("key", ""), op, p))
    return predicates


def _bad_escape(text):
    i = 0
    while i < len(text):
        if text[i] == "%":
            if not all(c in "0123456789abcdefABCDEF" for c in text[i + 1:i + 3]) or len(text[i + 1:i + 3]) != 2:
                return True
            i += 3
        else:
            i += 1
    return False


def _predicate_value(p):
    for key in ("string_value", "int_value", "long_value", "timestamp_value"):
        if key in p:
            return key, p[key]
    for key in ("string_values", "int_values", "long_values"):
        if key in p:
            return key, list((p[key] or {}).get("values") or [])
    return None, None


def _matches(item, predicates, fields, type_name):
    for key, op, p in predicates:
        field = fields.get(key)
        if field is None:
            raise invalid_input(f"Invalid filter key {key!r} on listable type {type_name}")
        kind, wanted = _predicate_value(p)
        if kind is None:
            raise invalid_input(f"Filter predicate on {key!r} has no value")
        actual = field.getter(item)
        if field.kind in ("int", "time"):
            actual = int(actual or 0)
            wanted = [int(w) for w in wanted] if isinstance(wanted, list) else int(wanted)
        elif isinstance(wanted, list):
            wanted = [str(w) for w in wanted]
        else:
            wanted = str(wanted)
            actual = "" if actual is None else str(actual)
        if op == "EQUALS":
            ok = actual == wanted
        elif op == "NOT_EQUALS":
            ok = actual != wanted
        elif op == "GREATER_THAN":
            ok = actual > wanted
        elif op == "GREATER_THAN_EQUALS":
            ok = actual >= wanted
        elif op == "LESS_THAN":
            ok = actual < wanted
        elif op == "LESS_THAN_EQUALS":
            ok = actual <= wanted
        elif op == "IN":
            if not isinstance(wanted, list):
                raise invalid_input(f"Filter operation IN on {key!r} needs a list value (string_values, ...)")
            ok = actual in wanted
        elif op == "IS_SUBSTRING":
            if kind != "string_value":
                raise invalid_input(f"Filter operation IS_SUBSTRING on {key!r} needs a string_value")
            ok = wanted in actual
        else:
            raise invalid_input(f"Invalid filter operation {op} on {key!r}")
        if not ok:
            return False
    return True


def list_page(items, fields, type_name, page_token, page_size, sort_by, filter_text, version, definitions,
              key=lambda item: item.id):
    """(page, total_size, next_page_token) as KFP's list.Options computes them."""
    if page_size is None or page_size == 0:
        page_size = DEFAULT_PAGE_SIZE
    if page_size < 0:
        raise invalid_input(f"The page size should be greater than 0. Got {page_size}")
    page_size = min(page_size, MAX_PAGE_SIZE)

    def options_from_request():
        words = (sort_by or "").lower().split()
        if len(words) > 2 or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise invalid_input(f'Received invalid sort by format {sort_by!r}. Supported format: "field_name", '
                                f'"field_name desc", or "field_name asc"')
        field_name = "created_at"
        if words:
            if words[0] not in fields:
                raise invalid_input(f"Invalid sorting field: {words[0]!r} on listable type {type_name}")
            field_name = words[0]
        return {"SortByFieldName": field_name, "IsDesc": len(words) == 2 and words[1] == "desc",
                "ModelName": type_name, "Filter": filter_text or ""}

    if page_token:
        try:
            token = json.loads(base64.b64decode(page_token, validate=True))
            if not isinstance(token, dict) or "SortByFieldName" not in token:
                raise ValueError("not a page token")
        except ValueError as e:
            raise ApiError(INVALID_ARGUMENT, f"InvalidInputError: Invalid package token: {e}", "Invalid package token")
        if token.get("ModelName") != type_name:
            raise ApiError(INVALID_ARGUMENT, "InvalidInputError: Invalid package token: the token is for another "
                                             "listable type", "Invalid package token")
        if sort_by or filter_text:
            wanted = options_from_request()
            if (wanted["SortByFieldName"], wanted["IsDesc"], wanted["Filter"]) != \
                    (token["SortByFieldName"], token["IsDesc"], token.get("Filter", "")):
                raise invalid_input("page token does not match the supplied sort by and/or filtering criteria. "
                                    "Either specify the same criteria or leave the latter empty if page token is "
                                    "specified.")
        options = token
    else:
        options = options_from_request()

    predicates = parse_filter(options.get("Filter"), version, definitions)
    field = fields[options["SortByFieldName"]]
    selected = [item for item in items if not predicates or _matches(item, predicates, fields, type_name)]

    def sort_key(item):
        value = field.getter(item)
        if field.kind in ("int", "time"):
            value = int(value or 0)
        else:
            value = "" if value is None else str(value)
        return (value, key(item))

    selected.sort(key=sort_key, reverse=options["IsDesc"])
    if "SortByFieldValue" in options:
        start = (options["SortByFieldValue"], options["KeyFieldValue"])
        if options["IsDesc"]:
            selected_page = [i for i in selected if sort_key(i) <= tuple(start)]
        else:
            selected_page = [i for i in selected if sort_key(i) >= tuple(start)]
    else:
        selected_page = selected
    page = selected_page[:page_size]
    next_token = ""
    if len(selected_page) > page_size:
        following = selected_page[page_size]
        value, item_key = sort_key(following)
        next_options = dict(options, SortByFieldValue=value, KeyFieldName="UUID", KeyFieldValue=item_key)
        next_token = base64.b64encode(json.dumps(next_options, sort_keys=True).encode()).decode()
    return page, len(selected), next_token
