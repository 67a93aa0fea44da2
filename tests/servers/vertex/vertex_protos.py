# SPDX-License-Identifier: Apache-2.0
"""The published contract, read from the .proto files: the messages of
Vertex AI v1 (PipelineJob, Schedule, ...), the KFP IR (PipelineSpec), Cloud
Logging's ListLogEntries, and the REST routes that the `google.api.http`
options of PipelineService and ScheduleService give.

It extends the KFP server's proto reader (../kfp/protoschema.py) with what
googleapis files use and KFP's do not: field options such as
`[(google.api.field_behavior) = REQUIRED]` (kept: REQUIRED / OUTPUT_ONLY /
IMMUTABLE), `deprecated = true`, and `service` blocks with their HTTP rules.
"""
import os
import re

import kfp_shared  # noqa: F401  (makes ../kfp importable)
import protoschema  # noqa: E402  (../kfp)

HERE = os.path.dirname(os.path.abspath(__file__))

VERTEX_FILES = ("pipeline_state.proto", "pipeline_failure_policy.proto", "pipeline_job.proto",
                "pipeline_service.proto", "schedule.proto", "schedule_service.proto")
OWN_FILES = ("aiplatform_v1_deps.proto", "longrunning_and_logging.proto")
EXTRA_WELL_KNOWN = {
    # JSON form: one string, the paths in lowerCamelCase joined with ","
    "google.protobuf.FieldMask": {"type": "string", "x-wkt": "FieldMask"},
}
AIP = "google.cloud.aiplatform.v1"


class HttpRule:
    """One REST binding of an rpc: `post: "/v1/{parent=projects/*/locations/*}/pipelineJobs"`."""

    def __init__(self, service, rpc, method, template, body, request, response):
        self.service = service
        self.rpc = rpc
        self.method = method
        self.template = template
        self.body = body            # "" (no body), "*" or a field name
        self.request = request      # full message names
        self.response = response
        self.path_fields = []       # [(field path, pattern)]
        regex = ""
        for piece in re.split(r"(\{[^}]+\})", template):
            if piece.startswith("{"):
                field, _, pattern = piece[1:-1].partition("=")
                pattern = pattern or "*"
                self.path_fields.append((field, pattern))
                segs = [("[^/]+" if s == "*" else ".+" if s == "**" else re.escape(s)) for s in pattern.split("/")]
                regex += f"({'/'.join(segs)})"
            else:
                regex += re.escape(piece)
        self.regex = re.compile("^" + regex + "$")

    @property
    def full_method(self):
        return f"{self.service}.{self.rpc}"

    def match(self, path):
        m = self.regex.match(path)
        if not m:
            return None
        return {field: value for (field, _), value in zip(self.path_fields, m.groups())}

    def __repr__(self):
        return f"{self.method} {self.template} ({self.rpc})"


class GoogleProtoSchema(protoschema.ProtoSchema):
    """ProtoSchema plus field options, field behaviours and services."""

    def __init__(self):
        super().__init__()
        self.definitions.update(EXTRA_WELL_KNOWN)
        self.rules = []
        self.package = ""

    def read(self, text):
        # Services are read here, the rest by ProtoSchema (which skips them).
        tokens = protoschema._tokens(text)
        self._services(tokens)
        return super().read(text)

    def _resolve(self, scope, type_name):
        if type_name in EXTRA_WELL_KNOWN:
            return type_name
        return super()._resolve(scope, type_name)

    def _field(self, reader, message, label, type_name, oneof, key_type=None):
        name = reader.take()
        reader.take("=")
        number = reader.take()
        options = {}
        if reader.peek() == "[":
            reader.take("[")
            while True:
                option = reader.take()
                if option == "(":
                    option = reader.take()
                    reader.take(")")
                reader.take("=")
                value = reader.take()
                if value == "{":
                    depth = 1
                    while depth:
                        token = reader.take()
                        depth += {"{": 1, "}": -1}.get(token, 0)
                    value = None
                options.setdefault(option, []).append(value)
                if reader.take() == "]":
                    break
        reader.take(";")
        json_name = (options.get("json_name") or [None])[0]
        field = {"name": name, "type": type_name, "label": label, "number": int(number),
                 "json_name": json_name.strip("\"'") if json_name else None, "scope": message["scope"],
                 "behaviors": [b for b in options.get("google.api.field_behavior", []) if b],
                 "key_type": key_type}
        message["fields"].append(field)
        if oneof:
            message["oneofs"][oneof].append(name)

    def _services(self, tokens):
        package = ""
        i = 0
        while i < len(tokens):
            if tokens[i] == "package":
                package = tokens[i + 1]
            if tokens[i] == "service":
                i = self._service(tokens, i + 1, package)
                continue
            i += 1

    def _service(self, tokens, i, package):
        name = tokens[i]
        i += 2  # name {
        depth = 1
        qualify = lambda t: t[1:] if t.startswith(".") else (t if "." in t and t.split(".")[0] == "google" else
                                                              f"{package}.{t}")
        while depth:
            token = tokens[i]
            if token == "rpc":
                rpc = tokens[i + 1]
                request = qualify(tokens[i + 3])
                j = tokens.index("returns", i) + 2
                response = qualify(tokens[j])
                i = j + 2
                if tokens[i] == "{":
                    i, rules = self._rpc_options(tokens, i + 1)
                    for method, template, body in rules:
                        self.rules.append(HttpRule(f"{package}.{name}", rpc, method, template, body, request, response))
                continue
            depth += {"{": 1, "}": -1}.get(token, 0)
            i += 1
        return i

    def _rpc_options(self, tokens, i):
        """Reads `option (google.api.http) = {...};`s up to the rpc's `}`."""
        rules = []
        while tokens[i] != "}":
            if tokens[i] == "option" and tokens[i + 2] == "google.api.http":
                i += 6  # option ( google.api.http ) = {
                method = template = None
                body = ""
                while tokens[i] != "}":
                    key = tokens[i]
                    value = tokens[i + 2].strip('"') if tokens[i + 1] == ":" else None
                    if key in ("get", "post", "put", "patch", "delete"):
                        method, template = key.upper(), value
                    elif key == "body":
                        body = value
                    i += 3 if value is not None else 1
                rules.append((method, template, body))
                i += 1
            elif tokens[i] == "{":  # another option's block: skip it whole
                depth = 1
                i += 1
                while depth:
                    depth += {"{": 1, "}": -1}.get(tokens[i], 0)
                    i += 1
            else:
                i += 1
        return i + 1, rules

    def build(self):
        definitions = super().build()
        for full, message in self.messages.items():
            behaviors = {f["name"]: f["behaviors"] for f in message["fields"] if f["behaviors"]}
            numbers = {f["name"]: f["number"] for f in message["fields"]}
            definitions[full]["x-behaviors"] = behaviors
            definitions[full]["x-full-name"] = full
            definitions[full]["x-numbers"] = numbers
        return definitions


class Contract:
    """Everything read from the .proto files."""

    def __init__(self, vertex_dir, ir_dir):
        schema = GoogleProtoSchema()
        paths = [os.path.join(HERE, "protos", n) for n in OWN_FILES] + \
                [os.path.join(vertex_dir, n) for n in VERTEX_FILES]
        for path in paths:
            with open(path, encoding="utf-8") as f:
                schema.read(f.read())
        with open(os.path.join(ir_dir, "pipeline_spec.proto"), encoding="utf-8") as f:
            schema.read(f.read())
        self.definitions = schema.build()
        self.enum_full_names = {}
        for full, values in schema.enums.items():
            self.enum_full_names[tuple(n for n, _ in values)] = full
        self.rules = schema.rules

    def message(self, full_name):
        return self.definitions[full_name]

    def enum_name_of(self, schema):
        """The full name of the enum a field schema holds."""
        return self.enum_full_names.get(tuple(schema.get("enum", ())), "")

    def field_schema(self, message_name, field):
        return self.definitions[message_name]["properties"][field]
