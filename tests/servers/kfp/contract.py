# SPDX-License-Identifier: Apache-2.0
"""The published contract, read from the Swagger files: which operation a
request is, its parameters, and its JSON body decoded the way KFP's server
decodes it (grpc-gateway with protojson, unknown fields refused).

The same schema walker checks what this server answers (--check-responses),
strictly: snake_case names only, int64 as strings, enums by name, RFC 3339
timestamps, no field the definition does not have.

Swagger 2.0 cannot say which fields form a protobuf oneof; ONEOFS below adds
that from the .proto files the Swagger was generated from.
"""
import base64
import datetime
import json
import math
import os
import re
import urllib.parse

import jsonpos
from errors import ApiError, INVALID_ARGUMENT, NOT_FOUND, UNIMPLEMENTED

SWAGGER_FILES = ("v2beta1.swagger.json", "v1beta1.swagger.json",
                 "kfp_v2beta1_pipeline.upload.swagger.json", "kfp_v1beta1_pipeline.upload.swagger.json")

_V2 = "kubeflow.pipelines.backend.api.v2beta1"
# oneof groups of the messages, from backend/api/*/*.proto (Swagger drops them)
ONEOFS = {
    "v2beta1Run": {"pipeline_source": ["pipeline_version_id", "pipeline_spec", "pipeline_version_reference"]},
    "v2beta1RecurringRun": {"pipeline_source": ["pipeline_version_id", "pipeline_spec", "pipeline_version_reference"]},
    "v2beta1Trigger": {"trigger": ["cron_schedule", "periodic_schedule"]},
    "v2beta1Predicate": {"value": ["int_value", "long_value", "string_value", "timestamp_value",
                                   "int_values", "long_values", "string_values"]},
    "PipelineTaskDetailChildTask": {"child_task": ["task_id", "pod_name"]},
    "apiTrigger": {"trigger": ["cron_schedule", "periodic_schedule"]},
}
FULL_NAMES = {
    "v2beta1Run": f"{_V2}.Run", "v2beta1RecurringRun": f"{_V2}.RecurringRun", "v2beta1Trigger": f"{_V2}.Trigger",
    "v2beta1Predicate": f"{_V2}.Predicate", "PipelineTaskDetailChildTask": f"{_V2}.PipelineTaskDetail.ChildTask",
    "apiTrigger": "api.Trigger",
}

# The v1beta1 Swagger has no Filter (no operation takes it as a body), yet
# every v1 list call takes one, JSON-encoded, in `filter`: api.Filter from
# backend/api/v1beta1/filter.proto. Note its operator field is `op`.
V1_FILTER_DEFINITIONS = {
    "apiFilter": {"type": "object", "properties": {
        "predicates": {"type": "array", "items": {"$ref": "#/definitions/apiPredicate"}}}},
    "apiPredicate": {"type": "object", "x-oneofs": {"value": {
        "fields": ["int_value", "long_value", "string_value", "timestamp_value", "int_values",
                   "long_values", "string_values"], "full": "api.Predicate.value"}},
        "properties": {
        "op": {"type": "string", "enum": ["UNKNOWN", "EQUALS", "NOT_EQUALS", "GREATER_THAN", "GREATER_THAN_EQUALS",
                                          "LESS_THAN", "LESS_THAN_EQUALS", "IN", "IS_SUBSTRING"],
               "x-enum-numbers": [0, 1, 2, 3, 5, 6, 7, 8, 9]},
        "key": {"type": "string"},
        "int_value": {"type": "integer", "format": "int32"},
        "long_value": {"type": "string", "format": "int64"},
        "string_value": {"type": "string"},
        "timestamp_value": {"type": "string", "format": "date-time"},
        "int_values": {"$ref": "#/definitions/apiIntValues"},
        "long_values": {"$ref": "#/definitions/apiLongValues"},
        "string_values": {"$ref": "#/definitions/apiStringValues"}}},
    "apiIntValues": {"type": "object", "properties": {"values": {"type": "array", "items": {"type": "integer", "format": "int32"}}}},
    "apiLongValues": {"type": "object", "properties": {"values": {"type": "array", "items": {"type": "string", "format": "int64"}}}},
    "apiStringValues": {"type": "object", "properties": {"values": {"type": "array", "items": {"type": "string"}}}},
}

# What KFP's server really answers beyond its own Swagger, allowed by the
# response self-check (and only there):
RESPONSE_EXTRAS = {
    # /apis/v*/healthz is written by hand in apiserver/main.go with these two more
    "v2beta1GetHealthzResponse": {"commit_sha", "tag_name"},
    "apiGetHealthzResponse": {"commit_sha", "tag_name"},
    # grpc-gateway v1's error body had "error" too; KFP clients still read it
    "googleRpcStatus": {"error"},
}
UPLOAD_ERROR_SCHEMA = {"type": "object", "properties": {"error_message": {"type": "string"},
                                                         "error_details": {"type": "string"}}}


def json_name(name):
    """protoc's lowerCamelCase JSON name of a proto field name."""
    out = []
    upper = False
    for c in name:
        if c == "_":
            upper = True
        elif upper:
            out.append(c.upper())
            upper = False
        else:
            out.append(c)
    return "".join(out)


class DecodeError(Exception):
    """A protojson decoding error at a JSON path; `at` is 'key' or 'value'."""

    def __init__(self, message, path, at="value"):
        super().__init__(message)
        self.message = message
        self.path = tuple(path)
        self.at = at


class Operation:
    def __init__(self, method, template, spec, definitions, source):
        self.method = method
        self.template = template
        self.spec = spec
        self.definitions = definitions
        self.source = source
        self.operation_id = spec.get("operationId", "")
        self.parameters = spec.get("parameters", [])
        self.consumes = spec.get("consumes", ["application/json"])
        self.body = next((p for p in self.parameters if p.get("in") == "body"), None)
        self.version = "v1beta1" if "/v1beta1/" in template else "v2beta1"
        pattern = ""
        self.path_names = []
        for piece in re.split(r"(\{[^}]+\})", template):
            if piece.startswith("{"):
                self.path_names.append(piece[1:-1])
                pattern += "([^/]+?)"
            else:
                pattern += re.escape(piece)
        self.regex = re.compile("^" + pattern + "$")
        self.specificity = len(re.sub(r"\{[^}]+\}", "", template))

    def response_schema(self, status):
        responses = self.spec.get("responses", {})
        entry = responses.get(str(status)) or responses.get("default")
        return entry.get("schema") if entry else None

    def __repr__(self):
        return f"{self.method} {self.template}"


class Contract:
    def __init__(self, swagger_dir):
        self.operations = []
        self.definitions = {}
        seen = set()
        for name in SWAGGER_FILES:
            path = os.path.join(swagger_dir, name)
            with open(path, encoding="utf-8") as f:
                doc = json.load(f)
            defs = dict(doc.get("definitions", {}))
            for def_name, groups in ONEOFS.items():
                if def_name in defs:
                    defs[def_name] = dict(defs[def_name], **{"x-oneofs": {
                        g: {"fields": fields, "full": f"{FULL_NAMES[def_name]}.{g}"} for g, fields in groups.items()}})
            if "v1beta1" in name:
                defs.update(V1_FILTER_DEFINITIONS)
            self.definitions.update(defs)
            for template, item in doc.get("paths", {}).items():
                for method, spec in item.items():
                    if method == "parameters":
                        continue
                    key = (method.upper(), template)
                    op = Operation(method.upper(), template, spec, defs, name)
                    if key in seen:
                        # The main documents describe the upload calls too, with the
                        # newer definitions (the v1 upload file's apiPipeline has no
                        # default_version, which the server does send).
                        continue
                    seen.add(key)
                    self.operations.append(op)
        self.operations.sort(key=lambda o: -o.specificity)

    def find(self, operation_id, version):
        for op in self.operations:
            if op.operation_id == operation_id and op.version == version:
                return op
        raise KeyError(operation_id)

    # -- routing --------------------------------------------------------
    def match(self, method, path):
        """Returns (operation, path parameters); raises 404 / 501 like grpc-gateway."""
        path_matched = False
        for op in self.operations:
            m = op.regex.match(path)
            if not m:
                continue
            path_matched = True
            if op.method != method:
                continue
            values = [urllib.parse.unquote(v) for v in m.groups()]
            return op, dict(zip(op.path_names, values))
        if path_matched:
            raise ApiError(UNIMPLEMENTED, "Method Not Allowed", gateway=True)
        raise ApiError(NOT_FOUND, "Not Found", gateway=True)

    # -- parameters -----------------------------------------------------
    def parameters(self, op, path_params, query):
        """Typed path and query parameters. Unknown query parameters are
        ignored, as grpc-gateway does; malformed known ones are refused."""
        result = {}
        for p in op.parameters:
            name, where = p["name"], p.get("in")
            if where == "path":
                raw = path_params.get(name)
            elif where == "query":
                values = query.get(name)
                raw = values[-1] if values else None
            else:
                continue
            if raw is None:
                if p.get("required") and where != "formData":
                    raise ApiError(INVALID_ARGUMENT, f"missing parameter {name}", gateway=True)
                continue
            result[name] = self._param_value(p, raw)
        return result

    @staticmethod
    def _param_value(p, raw):
        name = p["name"]

        def mismatch(err):
            return ApiError(INVALID_ARGUMENT, f"type mismatch, parameter: {name}, error: {err}", gateway=True)

        kind = p.get("type")
        if p.get("enum"):
            if raw in p["enum"]:
                return raw
            if re.match(r"^-?[0-9]+$", raw) and 0 <= int(raw) < len(p["enum"]):
                return p["enum"][int(raw)]
            raise mismatch(f"{raw} is not valid")
        if kind == "integer":
            if not re.match(r"^[-+]?[0-9]+$", raw):
                raise mismatch(f'strconv.ParseInt: parsing "{raw}": invalid syntax')
            value = int(raw)
            if p.get("format", "int32") == "int32" and not -2**31 <= value < 2**31:
                raise mismatch(f'strconv.ParseInt: parsing "{raw}": value out of range')
            return value
        if kind == "boolean":
            table = {"1": True, "t": True, "T": True, "true": True, "TRUE": True, "True": True,
                     "0": False, "f": False, "F": False, "false": False, "FALSE": False, "False": False}
            if raw not in table:
                raise mismatch(f'strconv.ParseBool: parsing "{raw}": invalid syntax')
            return table[raw]
        if kind == "string" and p.get("format") == "int64":
            if not re.match(r"^[-+]?[0-9]+$", raw):
                raise mismatch(f'strconv.ParseInt: parsing "{raw}": invalid syntax')
            return int(raw)
        return raw

    # -- bodies ---------------------------------------------------------
    def decode_body(self, op, raw_bytes):
        """The request body decoded against the operation's body schema."""
        if op.body is None:
            return None
        text = raw_bytes.decode("utf-8", errors="replace") if raw_bytes else ""
        if not text.strip():
            return {} if "$ref" in op.body.get("schema", {}) or op.body["schema"].get("type") == "object" else None
        return decode_json(text, op.body["schema"], op.definitions)


def decode_json(text, schema, definitions, prefix="proto: "):
    """protojson.Unmarshal of `text` against `schema`; the normalized value
    (snake_case keys, int64 as int, enums as names, timestamps as epoch
    seconds) or an ApiError(INVALID_ARGUMENT) worded like protojson's."""
    try:
        value, doc = jsonpos.parse(text)
    except jsonpos.JsonSyntaxError as e:
        if e.message.startswith("duplicate field"):
            raise ApiError(INVALID_ARGUMENT, f"{prefix}(line {e.line}:{e.column}): {e.message}", gateway=True)
        raise ApiError(INVALID_ARGUMENT, f"{prefix}syntax error (line {e.line}:{e.column}): {e.message}", gateway=True)
    try:
        return Decoder(definitions).decode(value, schema, (), doc)
    except DecodeError as e:
        line, column = doc.key_position(e.path) if e.at == "key" else doc.value_position(e.path)
        raise ApiError(INVALID_ARGUMENT, f"{prefix}(line {line}:{column}): {e.message}", gateway=True)


def decode_value(value, schema, definitions):
    """Like decode_json for an already parsed value (positions unknown)."""
    try:
        return Decoder(definitions).decode(value, schema, (), None)
    except DecodeError as e:
        where = "/".join(str(p) for p in e.path)
        raise ApiError(INVALID_ARGUMENT, f"{e.message}" + (f" (at {where})" if where else ""), gateway=True)


def _raw(value, doc, path):
    if doc is not None and tuple(path) in doc.raw:
        return doc.raw[tuple(path)]
    if isinstance(value, dict):
        return "{"
    if isinstance(value, list):
        return "["
    return json.dumps(value)


_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")
_DURATION = re.compile(r"^-?\d+(\.\d{1,9})?s$")


def parse_timestamp(text):
    """RFC 3339 to epoch seconds (float), or None when malformed."""
    m = _TIMESTAMP.match(text or "")
    if not m:
        return None
    try:
        year, month, day, hour, minute, second = (int(m.group(i)) for i in range(1, 7))
        zone = m.group(8)
        tz = datetime.timezone.utc
        if zone not in ("Z", "z"):
            sign = 1 if zone[0] == "+" else -1
            tz = datetime.timezone(sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        moment = datetime.datetime(year, month, day, hour, minute, second, tzinfo=tz)
    except ValueError:
        return None
    fraction = float(m.group(7)) if m.group(7) else 0.0
    return moment.timestamp() + fraction


def _int_from(value, bits, signed=True):
    """protojson's integer parsing: a JSON number or a string of one, integral."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if text != value or not text:
            return None
        try:
            number = float(text) if re.search(r"[.eE]", text) else int(text, 10)
        except ValueError:
            return None
    elif isinstance(value, (int, float)):
        number = value
    else:
        return None
    if isinstance(number, float):
        if not math.isfinite(number) or number != int(number):
            return None
        number = int(number)
    low, high = (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2 ** bits - 1)
    return number if low <= number <= high else None


class Decoder:
    """Walks a value against a Swagger-style schema with protojson's rules."""

    def __init__(self, definitions):
        self.definitions = definitions

    def resolve(self, schema):
        seen = 0
        name = None
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.definitions[name]
            seen += 1
            if seen > 50:
                raise RecursionError(name)
        return schema, name

    def decode(self, value, schema, path, doc, field=""):
        schema, def_name = self.resolve(schema)
        wkt = schema.get("x-wkt")
        kind = schema.get("type")
        if wkt == "Value" or (not kind and "properties" not in schema and "additionalProperties" not in schema
                              and "items" not in schema and not wkt):
            return value  # google.protobuf.Value: any JSON
        if value is None:
            return None  # null means "not set"
        if wkt == "Struct" or (kind == "object" and "properties" not in schema and "additionalProperties" not in schema
                               and not wkt):
            if not isinstance(value, dict):
                raise DecodeError(f"unexpected token {_raw(value, doc, path)}", path)
            return value
        if wkt == "ListValue":
            if not isinstance(value, list):
                raise DecodeError(f"unexpected token {_raw(value, doc, path)}", path)
            return value
        if wkt == "Timestamp" or (kind == "string" and schema.get("format") == "date-time"):
            if not isinstance(value, str) or parse_timestamp(value) is None:
                raise DecodeError(f"invalid google.protobuf.Timestamp value {_raw(value, doc, path)}", path)
            return parse_timestamp(value)
        if wkt == "Duration":
            if not isinstance(value, str) or not _DURATION.match(value):
                raise DecodeError(f"invalid google.protobuf.Duration value {_raw(value, doc, path)}", path)
            return value
        if kind == "object" and "properties" in schema:
            return self.message(value, schema, def_name, path, doc)
        if kind == "object":  # a map
            if not isinstance(value, dict):
                raise DecodeError(f"unexpected token {_raw(value, doc, path)}", path)
            item = schema.get("additionalProperties", {})
            out = {}
            for key, element in value.items():
                if element is None and self.resolve(item)[0] not in ({},) and self.resolve(item)[0].get("type"):
                    raise DecodeError("unexpected token null", path + (key,))
                out[key] = self.decode(element, item, path + (key,), doc, field)
            return out
        if kind == "array":
            if not isinstance(value, list):
                raise DecodeError(f"unexpected token {_raw(value, doc, path)}", path)
            return [self.decode(v, schema.get("items", {}), path + (i,), doc, field) for i, v in enumerate(value)]
        return self.scalar(value, schema, path, doc, field)

    def message(self, value, schema, def_name, path, doc):
        if not isinstance(value, dict):
            raise DecodeError(f"unexpected token {_raw(value, doc, path)}", path)
        props = schema["properties"]
        wkt_any = def_name == "protobufAny"
        aliases = {}
        for name in props:
            aliases[name] = name
            aliases.setdefault(schema.get("x-json-names", {}).get(name, json_name(name)), name)
        oneof_of = {}
        for group, info in schema.get("x-oneofs", {}).items():
            for f in info["fields"]:
                oneof_of[f] = (group, info["full"])
        out = {}
        set_oneofs = {}
        for key, element in value.items():
            child = path + (key,)
            name = aliases.get(key)
            if name is None:
                if wkt_any:
                    out[key] = element
                    continue
                raise DecodeError(f'unknown field "{key}"', child, "key")
            if name in out:
                raise DecodeError(f'duplicate field "{key}"', child, "key")
            if name in oneof_of and element is not None:
                group, full = oneof_of[name]
                if group in set_oneofs:
                    raise DecodeError(f'error parsing "{key}", oneof {full} is already set', child, "key")
                set_oneofs[group] = name
            decoded = self.decode(element, props[name], child, doc, schema.get("x-json-names", {}).get(name, json_name(name)))
            if decoded is not None or element is None and props[name] == {}:
                out[name] = decoded
        return out

    def scalar(self, value, schema, path, doc, field):
        kind = schema.get("type")
        fmt = schema.get("format", "")
        raw = _raw(value, doc, path)
        if schema.get("enum"):
            names = schema["enum"]
            if isinstance(value, str) and value in names:
                return value
            numbers = schema.get("x-enum-numbers", list(range(len(names))))
            if isinstance(value, int) and not isinstance(value, bool) and value in numbers:
                return names[numbers.index(value)]
            raise DecodeError(f"invalid value for enum field {field}: {raw}", path)
        if kind == "boolean":
            if isinstance(value, bool):
                return value
            raise DecodeError(f"invalid value for bool field {field}: {raw}", path)
        if kind == "integer" or (kind == "string" and fmt in ("int64", "uint64")):
            bits = 64 if fmt in ("int64", "uint64") else 32
            signed = not fmt.startswith("uint")
            number = _int_from(value, bits, signed)
            if number is None:
                raise DecodeError(f"invalid value for {fmt or 'int32'} field {field}: {raw}", path)
            return number
        if kind == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str):
                if value in ("NaN", "Infinity", "-Infinity"):
                    return float(value.replace("Infinity", "inf"))
                try:
                    return float(value)
                except ValueError:
                    pass
            raise DecodeError(f"invalid value for {fmt or 'double'} field {field}: {raw}", path)
        if kind == "string" and fmt == "byte":
            if isinstance(value, str):
                try:
                    padded = value + "=" * (-len(value) % 4)
                    return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
                except ValueError:
                    pass
            raise DecodeError(f"invalid value for bytes field {field}: {raw}", path)
        if kind == "string":
            if isinstance(value, str):
                return value
            raise DecodeError(f"invalid value for string field {field}: {raw}", path)
        return value


# -- response self-check ----------------------------------------------------

def check_output(value, schema, definitions, path="$"):
    """Problems (strings) with `value` as protojson with UseProtoNames would
    write it for `schema`; an empty list when it conforms."""
    problems = []
    _Checker(definitions, problems).check(value, schema, path)
    return problems


class _Checker:
    def __init__(self, definitions, problems):
        self.definitions = definitions
        self.problems = problems

    def bad(self, path, message):
        self.problems.append(f"{path}: {message}")

    def check(self, value, schema, path):
        name = None
        while "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = self.definitions[name]
        kind = schema.get("type")
        if not kind and "properties" not in schema and "additionalProperties" not in schema and "items" not in schema:
            return  # google.protobuf.Value
        if value is None:
            self.bad(path, "null is never written for a set field (protojson leaves unset fields out)")
            return
        if kind == "object" and "properties" not in schema and "additionalProperties" not in schema:
            if not isinstance(value, dict):
                self.bad(path, f"expected a JSON object (google.protobuf.Struct), got {type(value).__name__}")
            return
        if kind == "object" and "properties" in schema:
            if not isinstance(value, dict):
                self.bad(path, f"expected a JSON object, got {type(value).__name__}")
                return
            extras = RESPONSE_EXTRAS.get(name, set())
            free = name == "protobufAny"
            for key, element in value.items():
                if key in schema["properties"]:
                    self.check(element, schema["properties"][key], f"{path}.{key}")
                elif key in extras or free:
                    continue
                else:
                    self.bad(path, f'unknown field "{key}" for {name or "object"}')
            for group, info in schema.get("x-oneofs", {}).items():
                present = [f for f in info["fields"] if f in value]
                if len(present) > 1:
                    self.bad(path, f"oneof {group} has several members set: {present}")
            return
        if kind == "object":
            if not isinstance(value, dict):
                self.bad(path, "expected a JSON object (map)")
                return
            for key, element in value.items():
                self.check(element, schema.get("additionalProperties", {}), f"{path}[{key!r}]")
            return
        if kind == "array":
            if not isinstance(value, list):
                self.bad(path, "expected a JSON array")
                return
            for i, element in enumerate(value):
                self.check(element, schema.get("items", {}), f"{path}[{i}]")
            return
        fmt = schema.get("format", "")
        if schema.get("enum"):
            if value not in schema["enum"]:
                self.bad(path, f"{value!r} is not one of the enum's names {schema['enum']}")
            return
        if kind == "string" and fmt == "date-time":
            if not isinstance(value, str) or parse_timestamp(value) is None:
                self.bad(path, f"{value!r} is not an RFC 3339 timestamp")
            return
        if kind == "string" and fmt in ("int64", "uint64"):
            if not isinstance(value, str) or not re.match(r"^-?[0-9]+$", value):
                self.bad(path, f"int64 must be written as a decimal string, got {value!r}")
            return
        if kind == "string":
            if not isinstance(value, str):
                self.bad(path, f"expected a string, got {value!r}")
            return
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                self.bad(path, f"expected an integer, got {value!r}")
            return
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                if value not in ("NaN", "Infinity", "-Infinity"):
                    self.bad(path, f"expected a number, got {value!r}")
            return
        if kind == "boolean":
            if not isinstance(value, bool):
                self.bad(path, f"expected a boolean, got {value!r}")
