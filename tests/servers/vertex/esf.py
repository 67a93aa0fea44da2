# SPDX-License-Identifier: Apache-2.0
"""HTTP/JSON transcoding as Google's API front end (ESF) does it for the
rules in the .proto files: which rpc a request is, its path variables, its
query parameters bound to request fields, its JSON body decoded against the
message with the proto3 JSON mapping, and the answer encoded back
(`$alt=json;enum-encoding=int` turns enum names into numbers).

Decoding is strict where ESF is: unknown names, wrong JSON types, unknown
enum names, malformed int64 / timestamps / durations and unknown query
parameters are INVALID_ARGUMENT with ESF's wording and a BadRequest naming
the field by its proto path ('pipeline_job.runtime_config'). It accepts
what ESF accepts: lowerCamelCase and proto names, int64 as string or number,
enums by name or number, `null` for "not set".

Decoded values use proto field names (snake_case), int64 as int, enums by
name, timestamps as epoch seconds (float); Struct / Value stay JSON.
"""
import base64
import datetime
import json
import math
import re
import urllib.parse

import gerrors

# Query parameters every Google API takes (system parameters), never bound to the request.
SYSTEM_PARAMETERS = {"$alt", "alt", "$fields", "fields", "key", "$key", "prettyPrint", "$prettyPrint", "quotaUser",
                     "$quotaUser", "$.xgafv", "callback", "$callback", "access_token", "upload_protocol",
                     "uploadType", "userIp", "$userIp"}
_SCALAR_TYPE = {("string", ""): "TYPE_STRING", ("string", "byte"): "TYPE_BYTES", ("boolean", ""): "TYPE_BOOL",
                ("integer", "int32"): "TYPE_INT32", ("integer", "uint32"): "TYPE_UINT32",
                ("string", "int64"): "TYPE_INT64", ("string", "uint64"): "TYPE_UINT64",
                ("number", "double"): "TYPE_DOUBLE", ("number", "float"): "TYPE_FLOAT"}
_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
_DURATION = re.compile(r"^-?\d+(\.\d{1,9})?s$")


def json_name(name):
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def proto_name(name):
    """displayName -> display_name (FieldMask paths come in either form)."""
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def parse_timestamp(text):
    """RFC 3339 (upper-case T and Z, as ESF wants) to epoch seconds, else None."""
    m = _TIMESTAMP.match(text) if isinstance(text, str) else None
    if not m:
        return None
    try:
        y, mo, d, h, mi, s = (int(m.group(i)) for i in range(1, 7))
        zone = m.group(8)
        tz = datetime.timezone.utc
        if zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            tz = datetime.timezone(sign * datetime.timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])))
        moment = datetime.datetime(y, mo, d, h, mi, s, tzinfo=tz)
    except ValueError:
        return None
    return moment.timestamp() + (float(m.group(7)) if m.group(7) else 0.0)


def rfc3339(seconds):
    """How Google writes a Timestamp: UTC, 'Z', and 0, 3 or 6 fractional digits (proto3 JSON)."""
    whole = int(math.floor(seconds))
    text = datetime.datetime.fromtimestamp(whole, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    micros = int(round((seconds - whole) * 1e6))
    if not micros:
        return text + "Z"
    return text + (f".{micros // 1000:03d}" if micros % 1000 == 0 else f".{micros:06d}") + "Z"


class Route:
    def __init__(self, rule, variables, verb):
        self.rule = rule
        self.variables = variables  # {field path: decoded value}
        self.verb = verb


class Transcoder:
    def __init__(self, contract):
        self.contract = contract
        self.defs = contract.definitions

    # -- routing --------------------------------------------------------
    def route(self, method, raw_path):
        """The rpc a request is for, or None (Google's front end answers 404)."""
        base, verb = _split_verb(raw_path)
        for rule in self.contract.rules:
            rule_base, rule_verb = _split_verb(rule.template)
            if rule.method != method or rule_verb != verb:
                continue
            values = _match_template(rule_base, base)
            if values is not None:
                return Route(rule, values, verb)
        return None

    # -- requests -------------------------------------------------------
    def request(self, route, query, body_bytes, content_type):
        """The request message (proto names) from path, query and body."""
        rule = route.rule
        message = {}
        for field, value in route.variables.items():
            _set_path(message, field.split("."), value)
        request_def = self.defs[rule.request]
        form = None
        if body_bytes and content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
            # ESF reads a form body as more query parameters (what `curl -d` without a type sends).
            form = urllib.parse.parse_qs(body_bytes.decode("utf-8", "replace"), keep_blank_values=True)
            body_bytes = b""
        bound = self._bind_query(rule, request_def, query, form)
        for path, value in bound:
            _set_path(message, path, value)
        if rule.body:
            text = body_bytes.decode("utf-8", "replace") if body_bytes else ""
            if rule.body == "*":
                decoded = self.decode_text(text, rule.request, "") if text.strip() else {}
                for key, value in decoded.items():
                    message.setdefault(key, value)
            else:
                target = request_def["properties"][rule.body]
                type_name = target["$ref"].rsplit("/", 1)[-1]
                decoded = self.decode_text(text, type_name, rule.body) if text.strip() else {}
                decoded.update(message.get(rule.body, {}))  # path variables win over the body
                message[rule.body] = decoded
        return message

    def _bind_query(self, rule, request_def, query, form):
        taken = {f.split(".")[0] for f, _ in rule.path_fields}
        if rule.body and rule.body != "*":
            taken.add(rule.body)
        out = []
        items = list(query.items()) + (list(form.items()) if form else [])
        for name, values in items:
            if name in SYSTEM_PARAMETERS:
                continue
            if rule.body == "*":
                raise _unbindable(name)
            path, schema = self._query_field(request_def, name.split("."))
            if path is None or path[0] in taken:
                raise _unbindable(name)
            resolved = self._resolve(schema)
            repeated = resolved.get("type") == "array"
            item = self._resolve(resolved["items"]) if repeated else resolved
            if item.get("properties") is not None or item.get("x-wkt") in ("Struct", "Value", "ListValue"):
                message = (f"Invalid JSON payload received. Unknown name \"{name}\": Cannot bind query parameter. "
                           f"'{name}' is a message type. Parameters can only be bound to primitive types.")
                raise gerrors.invalid_json(message)
            converted = [self._query_scalar(item, v, ".".join(path)) for v in values]
            out.append((path, converted if repeated else converted[-1]))
        return out

    def _query_field(self, definition, parts):
        path = []
        schema = None
        for i, part in enumerate(parts):
            props = definition.get("properties") or {}
            field = part if part in props else next((f for f in props if json_name(f) == part), None)
            if field is None:
                return None, None
            path.append(field)
            schema = props[field]
            if i + 1 < len(parts):
                definition = self._resolve(schema)
        return path, schema

    def _query_scalar(self, schema, raw, path):
        if schema.get("x-wkt") == "FieldMask":
            return [p for p in raw.split(",") if p]
        if schema.get("enum"):
            if raw in schema["enum"]:
                return raw
            if re.match(r"^-?\d+$", raw) and int(raw) in schema["x-enum-numbers"]:
                return schema["enum"][schema["x-enum-numbers"].index(int(raw))]
            raise _invalid_value(path, f"type.googleapis.com/{self.contract.enum_name_of(schema)}", json.dumps(raw))
        kind, fmt = schema.get("type"), schema.get("format", "")
        if kind in ("integer",) or fmt in ("int64", "uint64"):
            bits = 64 if "64" in fmt else 32
            number = _int_from(raw, bits, not fmt.startswith("uint"))
            if number is None:
                raise _invalid_value(path, _type_label(schema, self.contract), json.dumps(raw))
            return number
        if kind == "boolean":
            if raw in ("true", "false"):
                return raw == "true"
            raise _invalid_value(path, "TYPE_BOOL", json.dumps(raw))
        if kind == "number":
            try:
                return float(raw)
            except ValueError:
                raise _invalid_value(path, _type_label(schema, self.contract), json.dumps(raw))
        return raw

    # -- JSON bodies ------------------------------------------------------
    def decode_text(self, text, type_name, path):
        try:
            value = json.loads(text, object_pairs_hook=_no_duplicates)
        except _Duplicate as e:
            raise gerrors.invalid_json(f"Invalid JSON payload received. Duplicate name \"{e.args[0]}\".")
        except json.JSONDecodeError as e:
            raise gerrors.invalid_json("Invalid JSON payload received. " + _syntax_message(text, e))
        return self.decode_value(value, type_name, path)

    def decode_value(self, value, type_name, path):
        if not isinstance(value, dict):
            raise _invalid_value(path, f"type.googleapis.com/{type_name}", _raw(value)) if path else \
                gerrors.invalid_json(f"Invalid JSON payload received. Expected an object, got {_raw(value)}.")
        return self._message(value, self.defs[type_name], path)

    def _resolve(self, schema):
        while "$ref" in schema:
            schema = self.defs[schema["$ref"].rsplit("/", 1)[-1]]
        return schema

    def _message(self, value, definition, path):
        props = definition["properties"]
        aliases = {}
        for name in props:
            aliases[name] = name
            aliases.setdefault(json_name(name), name)
        group_of = {f: g for g, info in (definition.get("x-oneofs") or {}).items() for f in info["fields"]}
        out, set_groups = {}, {}
        for key, element in value.items():
            name = aliases.get(key)
            if name is None:
                at = f" at '{path}'" if path else ""
                raise gerrors.invalid_json(f"Invalid JSON payload received. Unknown name \"{key}\"{at}: "
                                           f"Cannot find field.", path or None)
            if name in out:
                raise gerrors.invalid_json(f"Invalid JSON payload received. Duplicate name \"{key}\".", path or None)
            child = f"{path}.{name}" if path else name
            if element is None:
                continue
            group = group_of.get(name)
            if group is not None:
                if group in set_groups:
                    raise gerrors.invalid_json(f"Invalid JSON payload received. Oneof field '{group}' is already "
                                               f"set. Cannot set '{key}'", path or None)
                set_groups[group] = name
            field_schema = self._resolve(props[name])
            if field_schema.get("type") == "object" and "properties" not in field_schema and \
                    not field_schema.get("x-wkt") and not isinstance(element, dict):
                entry = "".join(p[:1].upper() + p[1:] for p in name.split("_")) + "Entry"
                raise _invalid_value(child, f"type.googleapis.com/{definition.get('x-full-name', '')}.{entry}",
                                     _raw(element))
            out[name] = self._field(element, props[name], child, key, path)
        return out

    def _field(self, value, schema, path, key, parent):
        raw_schema = schema
        schema = self._resolve(schema)
        wkt = schema.get("x-wkt")
        if wkt == "Value":
            return value
        if wkt == "Struct":
            if not isinstance(value, dict):
                raise _invalid_value(path, "type.googleapis.com/google.protobuf.Struct", _raw(value))
            return value
        if wkt == "ListValue":
            if not isinstance(value, list):
                raise _invalid_value(path, "type.googleapis.com/google.protobuf.ListValue", _raw(value))
            return value
        if wkt == "Timestamp":
            seconds = parse_timestamp(value)
            if seconds is None:
                raise _invalid_value(path, "type.googleapis.com/google.protobuf.Timestamp", _raw(value))
            return seconds
        if wkt == "Duration":
            if not isinstance(value, str) or not _DURATION.match(value):
                raise _invalid_value(path, "type.googleapis.com/google.protobuf.Duration", _raw(value))
            return value
        if wkt == "FieldMask":
            if not isinstance(value, str):
                raise _invalid_value(path, "type.googleapis.com/google.protobuf.FieldMask", _raw(value))
            return [p for p in value.split(",") if p]
        kind = schema.get("type")
        if kind == "array":
            if not isinstance(value, list):
                raise _invalid_value(path, _type_label(self._resolve(schema["items"]), self.contract,
                                                       schema["items"]), _raw(value))
            return [self._element(v, schema["items"], f"{path}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, list):
            at = f" at '{parent}'" if parent else ""
            raise gerrors.invalid_json(f"Invalid JSON payload received. Unknown name \"{key}\"{at}: Proto field is "
                                       f"not repeating, cannot start list.", parent or None)
        if kind == "object" and "properties" not in schema:  # a map
            if not isinstance(value, dict):
                raise _invalid_value(path, "map", _raw(value))
            item = schema.get("additionalProperties", {})
            return {k: self._element(v, item, f"{path}[{json.dumps(k)}]") for k, v in value.items()}
        return self._element(value, raw_schema, path)

    def _element(self, value, schema, path):
        ref = schema.get("$ref", "").rsplit("/", 1)[-1]
        resolved = self._resolve(schema)
        if resolved.get("x-wkt"):
            return self._field(value, schema, path, path.rsplit(".", 1)[-1], path.rsplit(".", 1)[0])
        if resolved.get("properties") is not None:
            if not isinstance(value, dict):
                raise _invalid_value(path, f"type.googleapis.com/{ref}", _raw(value))
            return self._message(value, resolved, path)
        if value is None:
            raise _invalid_value(path, _type_label(resolved, self.contract), "null")
        return self._scalar(value, resolved, path)

    def _scalar(self, value, schema, path):
        label = _type_label(schema, self.contract)
        if schema.get("enum"):
            if isinstance(value, str) and value in schema["enum"]:
                return value
            if isinstance(value, int) and not isinstance(value, bool) and value in schema["x-enum-numbers"]:
                return schema["enum"][schema["x-enum-numbers"].index(value)]
            raise _invalid_value(path, label, _raw(value))
        kind, fmt = schema.get("type"), schema.get("format", "")
        if kind == "boolean":
            if isinstance(value, bool):
                return value
        elif kind == "integer" or fmt in ("int64", "uint64"):
            number = _int_from(value, 64 if "64" in fmt else 32, not fmt.startswith("uint"))
            if number is not None:
                return number
        elif kind == "number":
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            if value in ("NaN", "Infinity", "-Infinity"):
                return float(value.replace("Infinity", "inf"))
        elif fmt == "byte":
            if isinstance(value, str):
                try:
                    padded = value + "=" * (-len(value) % 4)
                    return base64.b64decode(padded.replace("-", "+").replace("_", "/"), validate=True)
                except ValueError:
                    pass
        elif kind == "string":
            if isinstance(value, str):
                return value
        raise _invalid_value(path, label, _raw(value))

    # -- answers ----------------------------------------------------------
    def to_json(self, value, type_name):
        """A decoded message (proto names) back to proto3 JSON: lowerCamelCase names,
        int64 as strings, timestamps in RFC 3339, bytes in base64, defaults left out."""
        return self._to_json(value, {"$ref": f"#/definitions/{type_name}"})

    def _to_json(self, value, schema):
        resolved = self._resolve(schema)
        wkt = resolved.get("x-wkt")
        if wkt in ("Value", "Struct", "ListValue", "Duration"):
            return value
        if wkt == "Timestamp":
            return rfc3339(value)
        if wkt == "FieldMask":
            return ",".join(json_name(p) for p in value)
        kind, fmt = resolved.get("type"), resolved.get("format", "")
        if kind == "array":
            return [self._to_json(v, resolved["items"]) for v in value]
        if resolved.get("properties") is not None:
            out = {}
            for name, v in value.items():
                if name not in resolved["properties"] or v is None or v is False or \
                        (not isinstance(v, bool) and v in ("", 0, [], {})):
                    continue  # proto3 JSON leaves default values out
                out[json_name(name)] = self._to_json(v, resolved["properties"][name])
            return out
        if kind == "object":
            return {k: self._to_json(v, resolved.get("additionalProperties", {})) for k, v in value.items()}
        if fmt in ("int64", "uint64"):
            return str(value)
        if fmt == "byte":
            return base64.b64encode(value).decode()
        return value

    def encode(self, value, type_name, enums_as_ints):
        """The answer as sent: with `$alt=json;enum-encoding=int`, enum names become numbers."""
        if not enums_as_ints:
            return value
        return self._walk(value, {"$ref": f"#/definitions/{type_name}"}, _enum_to_int)

    def check(self, value, type_name):
        """--check-responses: problems with `value` as proto3 JSON of `type_name`."""
        problems = []
        self._check(value, {"$ref": f"#/definitions/{type_name}"}, "$", problems)
        return problems

    def _walk(self, value, schema, on_enum):
        resolved = self._resolve(schema)
        if resolved.get("x-wkt") or value is None:
            if resolved.get("x-wkt") == "Any" or (resolved.get("properties", {}).get("@type")):
                return value
            return value
        if resolved.get("enum"):
            return on_enum(value, resolved)
        kind = resolved.get("type")
        if kind == "array" and isinstance(value, list):
            return [self._walk(v, resolved["items"], on_enum) for v in value]
        if resolved.get("properties") is not None and isinstance(value, dict):
            if "@type" in value:
                inner = value["@type"].rsplit("/", 1)[-1]
                if inner in self.defs and inner != "google.protobuf.Any":
                    body = {k: v for k, v in value.items() if k != "@type"}
                    return dict({"@type": value["@type"]}, **self._walk(body, {"$ref": f"#/definitions/{inner}"},
                                                                         on_enum))
                return value
            by_json = {json_name(f): f for f in resolved["properties"]}
            return {k: self._walk(v, resolved["properties"][by_json[k]], on_enum) if k in by_json else v
                    for k, v in value.items()}
        if kind == "object" and isinstance(value, dict):
            return {k: self._walk(v, resolved.get("additionalProperties", {}), on_enum) for k, v in value.items()}
        return value

    def _check(self, value, schema, where, problems):
        resolved = self._resolve(schema)
        wkt = resolved.get("x-wkt")
        if value is None:
            problems.append(f"{where}: null (proto3 JSON leaves unset fields out)")
            return
        if wkt == "Value":
            return
        if wkt == "Struct":
            if not isinstance(value, dict):
                problems.append(f"{where}: a Struct must be a JSON object")
            return
        if wkt in ("Timestamp",):
            if parse_timestamp(value) is None:
                problems.append(f"{where}: {value!r} is not an RFC 3339 UTC timestamp")
            return
        if wkt in ("Duration", "FieldMask"):
            if not isinstance(value, str):
                problems.append(f"{where}: {wkt} must be a string")
            return
        if resolved.get("enum"):
            if value not in resolved["enum"] and value not in resolved["x-enum-numbers"]:
                problems.append(f"{where}: {value!r} is not a value of the enum")
            return
        kind, fmt = resolved.get("type"), resolved.get("format", "")
        if kind == "array":
            if not isinstance(value, list):
                problems.append(f"{where}: expected a JSON array")
                return
            for i, v in enumerate(value):
                self._check(v, resolved["items"], f"{where}[{i}]", problems)
            return
        if resolved.get("properties") is not None:
            if not isinstance(value, dict):
                problems.append(f"{where}: expected a JSON object")
                return
            if resolved.get("x-any") or "@type" in resolved.get("properties", {}):
                inner = str(value.get("@type", "")).rsplit("/", 1)[-1]
                if inner in self.defs and self.defs[inner].get("properties") is not None:
                    body = {k: v for k, v in value.items() if k != "@type"}
                    self._check(body, {"$ref": f"#/definitions/{inner}"}, where, problems)
                return
            by_json = {json_name(f): f for f in resolved["properties"]}
            for k, v in value.items():
                if k not in by_json:
                    problems.append(f"{where}: unknown field {k!r} (proto3 JSON names are lowerCamelCase)")
                    continue
                self._check(v, resolved["properties"][by_json[k]], f"{where}.{k}", problems)
            for group, info in (resolved.get("x-oneofs") or {}).items():
                present = [f for f in info["fields"] if json_name(f) in value]
                if len(present) > 1:
                    problems.append(f"{where}: oneof {group} has several members {present}")
            return
        if kind == "object":
            if not isinstance(value, dict):
                problems.append(f"{where}: expected a JSON object (map)")
                return
            for k, v in value.items():
                self._check(v, resolved.get("additionalProperties", {}), f"{where}[{k!r}]", problems)
            return
        if fmt in ("int64", "uint64"):
            if not isinstance(value, str) or not re.match(r"^-?\d+$", value):
                problems.append(f"{where}: int64 is written as a decimal string, not {value!r}")
        elif kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{where}: expected an integer, got {value!r}")
        elif kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                problems.append(f"{where}: expected a number, got {value!r}")
        elif kind == "boolean":
            if not isinstance(value, bool):
                problems.append(f"{where}: expected a boolean, got {value!r}")
        elif kind == "string" and not isinstance(value, str):
            problems.append(f"{where}: expected a string, got {value!r}")


# -- helpers ----------------------------------------------------------------

def _split_verb(path):
    head, _, last = path.rpartition("/")
    if ":" in last:
        name, _, verb = last.partition(":")
        return f"{head}/{name}", verb
    return path, ""


def _match_template(template, path):
    """{field: value} when the verb-less path fits the verb-less template."""
    regex = ""
    fields = []
    for piece in re.split(r"(\{[^}]+\})", template):
        if piece.startswith("{"):
            field, _, pattern = piece[1:-1].partition("=")
            fields.append(field)
            segs = [("[^/]+" if s == "*" else ".+" if s == "**" else re.escape(s)) for s in (pattern or "*").split("/")]
            regex += f"({'/'.join(segs)})"
        else:
            regex += re.escape(piece)
    m = re.match("^" + regex + "$", path)
    if not m:
        return None
    return {f: "/".join(urllib.parse.unquote(s) for s in v.split("/")) for f, v in zip(fields, m.groups())}


def _set_path(message, parts, value):
    for part in parts[:-1]:
        message = message.setdefault(part, {})
    message[parts[-1]] = value


def _unbindable(name):
    return gerrors.invalid_json(f"Invalid JSON payload received. Unknown name \"{name}\": Cannot bind query "
                                f"parameter. Field '{name}' could not be found in request message.")


def _invalid_value(path, label, raw):
    return gerrors.invalid_json(f"Invalid value at '{path}' ({label}), {raw}", path or None)


def _type_label(schema, contract, ref_schema=None):
    if ref_schema is not None and "$ref" in ref_schema:
        name = ref_schema["$ref"].rsplit("/", 1)[-1]
        if schema.get("properties") is not None or schema.get("x-wkt"):
            return f"type.googleapis.com/{name}"
    if schema.get("enum"):
        return f"type.googleapis.com/{contract.enum_name_of(schema)}"
    return _SCALAR_TYPE.get((schema.get("type"), schema.get("format", "")),
                            _SCALAR_TYPE.get((schema.get("type"), ""), "TYPE_MESSAGE"))


def _raw(value):
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    return json.dumps(value)


def _int_from(value, bits, signed):
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if value != value.strip() or not re.match(r"^-?\d+(\.0+)?([eE]\+?\d+)?$", value):
            return None
        number = float(value) if re.search(r"[.eE]", value) else int(value)
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


class _Duplicate(ValueError):
    pass


def _no_duplicates(pairs):
    out = {}
    for k, v in pairs:
        if k in out:
            raise _Duplicate(k)
        out[k] = v
    return out


def _syntax_message(text, error):
    """ESF's syntax errors quote the line with a caret under the position."""
    line = text.splitlines()[error.lineno - 1] if text.splitlines() else ""
    reason = {"Expecting value": "Unexpected token.",
              "Expecting property name enclosed in double quotes": "Expected an object key or }.",
              "Expecting ',' delimiter": "Expected , or } after key:value pair.",
              "Expecting ':' delimiter": "Expected : between key:value pair.",
              "Extra data": "Unexpected token.",
              "Unterminated string starting at": "Unterminated string."}.get(error.msg, error.msg + ".")
    return f"{reason}\n{line}\n{' ' * (error.colno - 1)}^"


def _enum_to_int(value, schema):
    if isinstance(value, str) and value in schema["enum"]:
        return schema["x-enum-numbers"][schema["enum"].index(value)]
    return value
