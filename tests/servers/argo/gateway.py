# SPDX-License-Identifier: Apache-2.0
"""The Argo Server's HTTP gateway, driven by its published Swagger: which
operation a request is, its typed path and query parameters, and its JSON
body decoded against the operation's body schema.

The real gateway is grpc-gateway v1 with Go's encoding/json as marshaler, so
the wording here is Go's: "json: cannot unmarshal string into Go struct field
Template.workflow.spec.templates.name of type string". Go would silently drop
an unknown field; this server refuses it the way Go's strict decoder
(DisallowUnknownFields, what `argo lint --strict` uses) does:
`json: unknown field "colour"`. Otherwise it accepts what Go accepts: field
names matched case-insensitively, null for any field, trailing data after the
value ignored (json.Decoder.Decode reads one value).

The same schema walker checks what this server answers (--check-responses).
"""
import json
import re

from rpcstatus import ApiError, INVALID_ARGUMENT, UNIMPLEMENTED

DEFS = "#/definitions/"

# Types whose Go UnmarshalJSON accepts more than the Swagger (and Argo's JSON
# schema) say: IntOrString and Quantity take numbers, AnyString (a parameter's
# value) numbers and booleans. The reference Workflow in Argo's own testdata
# writes `retryStrategy.limit: 10`; refusing that would be stricter than Argo.
GO_LENIENT_DEFINITIONS = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": ["string", "integer"],
    "io.k8s.apimachinery.pkg.api.resource.Quantity": ["string", "number"],
}
GO_LENIENT_PROPERTIES = {
    ("io.argoproj.workflow.v1alpha1.Parameter", "value"): ["string", "number", "boolean"],
    ("io.argoproj.workflow.v1alpha1.Parameter", "default"): ["string", "number", "boolean"],
}


def lenient_types(definitions, strict_strings=False):
    """Patches `definitions` (Swagger or JSON schema) in place with the Go-accepted types."""
    if strict_strings:
        return definitions
    for name, types in GO_LENIENT_DEFINITIONS.items():
        if name in definitions:
            definitions[name] = dict(definitions[name], type=types)
    for (name, prop), types in GO_LENIENT_PROPERTIES.items():
        props = definitions.get(name, {}).get("properties", {})
        if prop in props:
            props[prop] = dict(props[prop], type=types)
    return definitions


_SINCE = re.compile(r"^\s*v(\d+)\.(\d+) and after")

# What servers before 3.6 had where 3.6 added a list (the singular forms)
_BEFORE_3_6 = {
    "io.argoproj.workflow.v1alpha1.CronWorkflowSpec": {
        "schedule": {"type": "string", "description": "Schedule is a schedule to run the Workflow in Cron format"}},
    "io.argoproj.workflow.v1alpha1.Synchronization": {
        "mutex": {"$ref": "#/definitions/io.argoproj.workflow.v1alpha1.Mutex"},
        "semaphore": {"$ref": "#/definitions/io.argoproj.workflow.v1alpha1.SemaphoreRef"}},
}


def parse_version(text):
    """"v3.5.8" -> (3, 5, 8); malformed -> None."""
    m = re.match(r"^v?(\d+)\.(\d+)(?:\.(\d+))?", text or "")
    return (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)) if m else None


def for_version(definitions, version):
    """Drops the properties a server of `version` does not know (documented
    "vX.Y and after" with X.Y newer than it) and adds back the singular
    fields that servers before 3.6 had. Returns `definitions`."""
    major_minor = (version or (99, 0))[:2]
    for name, schema in definitions.items():
        props = schema.get("properties")
        if not props:
            continue
        for prop in list(props):
            m = _SINCE.match(props[prop].get("description", ""))
            if m and (int(m.group(1)), int(m.group(2))) > major_minor:
                del props[prop]
                if prop in schema.get("required", []):
                    schema["required"] = [r for r in schema["required"] if r != prop]
    if major_minor < (3, 6):
        for name, extra in _BEFORE_3_6.items():
            if name in definitions:
                definitions[name].setdefault("properties", {}).update(
                    {k: v for k, v in extra.items() if "$ref" not in v or v["$ref"].split("/")[-1] in definitions})
        spec = definitions.get("io.argoproj.workflow.v1alpha1.CronWorkflowSpec")
        if spec is not None:
            spec["required"] = sorted(set(spec.get("required", [])) | {"schedule"})
    return definitions


def go_type(schema, definitions):
    """The Go type name a schema decodes into, for messages."""
    name = None
    while "$ref" in schema:
        name = schema["$ref"][len(DEFS):]
        schema = definitions[name]
    kind = schema.get("type")
    if name and (kind == "object" or "properties" in schema):
        parts = name.split(".")
        return f"{parts[-2]}.{parts[-1]}" if len(parts) > 1 else name
    if isinstance(kind, list):
        return "intstr.IntOrString" if "integer" in kind else "string"
    if kind == "array":
        return "[]" + go_type(schema.get("items", {}), definitions)
    if kind == "object" and "additionalProperties" in schema:
        return "map[string]" + go_type(schema["additionalProperties"], definitions)
    if kind == "object":
        return "map[string]interface {}"
    if kind == "integer":
        return schema.get("format", "int64")
    if kind == "number":
        return "float64"
    if kind == "boolean":
        return "bool"
    if kind == "string":
        return "[]uint8" if schema.get("format") == "byte" else "string"
    return "interface {}"


class Operation:
    def __init__(self, method, template, spec, definitions):
        self.method = method
        self.template = template
        self.spec = spec
        self.definitions = definitions
        self.operation_id = spec.get("operationId", "")
        self.parameters = spec.get("parameters", [])
        self.body = next((p for p in self.parameters if p.get("in") == "body"), None)
        self.path_names = re.findall(r"\{([^}]+)\}", template)
        pattern = re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template))
        self.regex = re.compile("^" + pattern + "$")
        self.specificity = len(re.sub(r"\{[^}]+\}", "", template))

    def response_schema(self, status):
        responses = self.spec.get("responses", {})
        entry = responses.get(str(status)) if status == 200 else responses.get("default")
        return (entry or {}).get("schema")

    @property
    def streaming(self):
        schema = self.response_schema(200) or {}
        return "result" in schema.get("properties", {}) and "error" in schema.get("properties", {})

    def __repr__(self):
        return f"{self.method} {self.template}"


class Gateway:
    def __init__(self, swagger_path, version=None, strict_strings=False):
        with open(swagger_path, encoding="utf-8") as f:
            doc = json.load(f)
        self.definitions = for_version(lenient_types(doc.get("definitions", {}), strict_strings), version)
        self.operations = []
        for template, item in doc.get("paths", {}).items():
            if not template.startswith("/api/"):
                continue  # /artifact-files/ and friends are plain HTTP handlers, not gateway routes
            for method, spec in item.items():
                if method != "parameters":
                    self.operations.append(Operation(method.upper(), template, spec, self.definitions))
        self.operations.sort(key=lambda o: -o.specificity)

    def find(self, operation_id):
        return next(op for op in self.operations if op.operation_id == operation_id)

    # -- routing --------------------------------------------------------
    def match(self, method, path):
        """(operation, path parameters). grpc-gateway v1 with a proto error
        handler answers both an unknown path and a known path with another
        method as ErrUnknownURI: 501, code 12, "Not Implemented"."""
        for op in self.operations:
            m = op.regex.match(path)
            if m and op.method == method:
                return op, dict(zip(op.path_names, m.groups()))
        raise ApiError(UNIMPLEMENTED, "Not Implemented")

    # -- parameters -----------------------------------------------------
    def parameters(self, op, path_params, query):
        """Typed path and query parameters; unknown query parameters are
        ignored as grpc-gateway v1 does, malformed known ones refused."""
        out = dict(path_params)
        for p in op.parameters:
            if p.get("in") != "query" or p["name"] not in query:
                continue
            values = query[p["name"]]
            if p.get("type") == "array":
                out[p["name"]] = [_query_value(p.get("items", {}), v) for v in values]
            else:
                out[p["name"]] = _query_value(p, values[-1])
        return out

    # -- bodies ---------------------------------------------------------
    def decode_body(self, op, raw):
        """The body decoded as json.NewDecoder(body).Decode(&req) would (an
        empty body is an empty request), strict about unknown fields."""
        if op.body is None:
            return {}
        text = raw.decode("utf-8", errors="replace") if raw else ""
        if not text.strip():
            return {}
        value = parse_json(text)
        decoded = Decoder(self.definitions).decode(value, op.body["schema"])
        return decoded if decoded is not None else {}  # `null` decodes to the empty request

    def check_response(self, op, status, body, partial=False):
        """Problems with an answer as the Swagger describes it (--check-responses);
        `partial`: a `fields` selection may have left required fields out."""
        schema = op.response_schema(status) if op is not None else None
        if status != 200 or schema is None:
            schema = {"$ref": DEFS + "grpc.gateway.runtime.Error"}
        return check_output(body, schema, self.definitions, required=not partial)


def _query_value(p, raw):
    kind, fmt = p.get("type"), p.get("format")
    if kind == "boolean":
        table = {"1": True, "t": True, "T": True, "true": True, "TRUE": True, "True": True,
                 "0": False, "f": False, "F": False, "false": False, "FALSE": False, "False": False}
        if raw not in table:
            raise ApiError(INVALID_ARGUMENT, f'strconv.ParseBool: parsing "{raw}": invalid syntax')
        return table[raw]
    if kind == "integer" or fmt in ("int64", "uint64"):
        bits = 32 if fmt == "int32" else 64
        try:
            value = int(raw, 0) if re.match(r"^[-+]?(0[xXoObB])?[0-9a-fA-F_]+$", raw) else None
        except ValueError:
            value = None
        if value is None:
            raise ApiError(INVALID_ARGUMENT, f'strconv.ParseInt: parsing "{raw}": invalid syntax')
        if not -2 ** (bits - 1) <= value < 2 ** (bits - 1):
            raise ApiError(INVALID_ARGUMENT, f'strconv.ParseInt: parsing "{raw}": value out of range')
        return value
    return raw


# -- JSON as Go's encoding/json reads it ---------------------------------------

_decoder = json.JSONDecoder()


def parse_json(text):
    """One JSON value from the start of `text` (trailing data ignored, as
    json.Decoder.Decode does); syntax errors worded like Go's."""
    start = len(text) - len(text.lstrip(" \t\r\n"))
    try:
        value, _ = _decoder.raw_decode(text, start)
        return value
    except json.JSONDecodeError as e:
        raise ApiError(INVALID_ARGUMENT, _go_syntax_error(text, e))


def _go_syntax_error(text, error):
    pos = error.pos
    if pos >= len(text.rstrip(" \t\r\n")):
        return "unexpected EOF"
    c = text[pos]
    shown = repr(c)[1:-1] if c != "'" else "\\'"
    where = {
        "Expecting value": "looking for beginning of value",
        "Expecting property name enclosed in double quotes": "looking for beginning of object key string",
        "Expecting ':' delimiter": "after object key",
    }.get(error.msg)
    if where is None and error.msg.startswith("Expecting ','"):
        # inside an object or an array: find the innermost open bracket
        depth, kind = 0, "["
        for ch in reversed(text[:pos]):
            if ch in "]}":
                depth += 1
            elif ch in "[{":
                if depth == 0:
                    kind = ch
                    break
                depth -= 1
        where = "after object key:value pair" if kind == "{" else "after array element"
    if where is None:
        where = "in string literal" if "string" in error.msg or "escape" in error.msg else "looking for beginning of value"
    return f"invalid character '{shown}' {where}"


def _value_kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


class Decoder:
    """Walks a JSON value against a Swagger schema with encoding/json's rules
    (plus DisallowUnknownFields). Like Go it reports the first error it met.
    Returns the value with field names as the schema spells them."""

    def __init__(self, definitions):
        self.definitions = definitions

    def decode(self, value, schema):
        self.error = None
        root = self._struct_name(schema)
        out = self._walk(value, schema, [], root)
        if self.error:
            raise ApiError(INVALID_ARGUMENT, self.error)
        return out

    def _resolve(self, schema):
        name = None
        while "$ref" in schema:
            name = schema["$ref"][len(DEFS):]
            schema = self.definitions[name]
        return schema, name

    def _struct_name(self, schema):
        _, name = self._resolve(schema)
        return name.rsplit(".", 1)[-1] if name else None

    def _fail(self, value, schema, fields, struct, shown=None):
        if self.error:
            return
        kind = shown or _value_kind(value)
        target = go_type(schema, self.definitions)
        if fields:
            self.error = f"json: cannot unmarshal {kind} into Go struct field {struct}.{'.'.join(fields)} of type {target}"
        else:
            self.error = f"json: cannot unmarshal {kind} into Go value of type {target}"

    def _walk(self, value, schema, fields, struct):
        if value is None:
            return None  # null leaves any Go value as it was
        resolved, name = self._resolve(schema)
        kind = resolved.get("type")
        if isinstance(kind, list):  # a Go-lenient type (IntOrString, Quantity, AnyString)
            if not any(_fits(value, k) for k in kind):
                self._fail(value, schema, fields, struct)
            return value
        if "properties" in resolved:
            if not isinstance(value, dict):
                self._fail(value, schema, fields, struct)
                return value
            inner = name.rsplit(".", 1)[-1] if name else struct
            props = resolved["properties"]
            folded = {k.lower(): k for k in props}
            out = {}
            for key, element in value.items():
                prop = key if key in props else folded.get(key.lower())
                if prop is None:
                    if not self.error:
                        self.error = f'json: unknown field "{key}"'
                    continue
                if element is not None:  # null: the zero value, which encoding/json then omits
                    out[prop] = self._walk(element, props[prop], fields + [prop], inner)
            return out
        if kind == "object":
            if not isinstance(value, dict):
                self._fail(value, schema, fields, struct)
                return value
            item = resolved.get("additionalProperties")
            if item is None:
                return value
            return {k: self._walk(v, item, fields, struct) for k, v in value.items()}
        if kind == "array":
            if not isinstance(value, list):
                self._fail(value, schema, fields, struct)
                return value
            return [self._walk(v, resolved.get("items", {}), fields, struct) for v in value]
        if kind == "integer":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self._fail(value, schema, fields, struct)
            elif isinstance(value, float) and value != int(value):
                self._fail(value, schema, fields, struct, f"number {value:g}")
            else:
                bits = 32 if resolved.get("format") == "int32" else 64
                if not -2 ** (bits - 1) <= int(value) < 2 ** (bits - 1):
                    self._fail(value, schema, fields, struct, f"number {int(value)}")
                return int(value)
            return value
        if kind == "number":
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self._fail(value, schema, fields, struct)
            return value
        if kind == "boolean":
            if not isinstance(value, bool):
                self._fail(value, schema, fields, struct)
            return value
        if kind == "string":
            if not isinstance(value, str):
                self._fail(value, schema, fields, struct)
            elif resolved.get("format") == "date-time" and not _RFC3339.match(value) and not self.error:
                self.error = f'parsing time "{value}" as "2006-01-02T15:04:05Z07:00": cannot parse "{value}" as "2006"'
            return value
        return value  # no type: interface{} (an Item of withItems) takes any JSON


def _fits(value, kind):
    if kind == "string":
        return isinstance(value, str)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    return True


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")


# -- response self-check --------------------------------------------------------

def check_output(value, schema, definitions, path="$", required=True):
    """Problems (strings) with `value` as encoding/json would write the Go
    type of `schema`; an empty list when it conforms."""
    problems = []
    _check(value, schema, definitions, path, problems, required)
    return problems


def _check(value, schema, definitions, path, problems, required=True):
    name = None
    while "$ref" in schema:
        name = schema["$ref"][len(DEFS):]
        schema = definitions[name]
    kind = schema.get("type")
    if value is None:
        # encoding/json writes null for a nil slice or map without omitempty
        # and for a zero metav1.Time (a struct: omitempty does not drop it)
        if kind in ("array", "object") or schema.get("format") == "date-time":
            return
        problems.append(f"{path}: null for a {kind or 'value'} field")
        return
    if isinstance(kind, list):
        if not any(_fits(value, k) for k in kind):
            problems.append(f"{path}: {value!r} is none of {kind}")
        return
    if "properties" in schema:
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object ({name}), got {_value_kind(value)}")
            return
        for key, element in value.items():
            if key not in schema["properties"]:
                problems.append(f'{path}: unknown field "{key}" for {name or "object"}')
            else:
                _check(element, schema["properties"][key], definitions, f"{path}.{key}", problems, required)
        for key in schema.get("required", []) if required else []:
            if key not in value and name not in _REQUIRED_NOT_WRITTEN:
                problems.append(f'{path}: required field "{key}" missing in {name}')
        return
    if kind == "object":
        if not isinstance(value, dict):
            problems.append(f"{path}: expected an object, got {_value_kind(value)}")
            return
        item = schema.get("additionalProperties")
        if item is not None:
            for key, element in value.items():
                _check(element, item, definitions, f"{path}[{key!r}]", problems, required)
        return
    if kind == "array":
        if not isinstance(value, list):
            problems.append(f"{path}: expected an array, got {_value_kind(value)}")
            return
        for i, element in enumerate(value):
            _check(element, schema.get("items", {}), definitions, f"{path}[{i}]", problems, required)
        return
    if kind and not _fits(value, kind):
        problems.append(f"{path}: expected {kind}, got {value!r}")
        return
    if kind == "string" and schema.get("format") == "date-time" and not _RFC3339.match(value):
        problems.append(f"{path}: {value!r} is not an RFC 3339 time")


# Kubernetes marks these required in its OpenAPI but writes them with omitempty.
_REQUIRED_NOT_WRITTEN = {"io.argoproj.workflow.v1alpha1.WorkflowStatus"}
