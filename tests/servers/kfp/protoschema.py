# SPDX-License-Identifier: Apache-2.0
"""Reads .proto files (proto3: messages, nested types, enums, oneofs, maps)
into Swagger-style definitions, so contract.Decoder can check a PipelineSpec
with the same rules protojson applies when KFP's server reads one.

Names are fully qualified ("ml_pipelines.PipelineSpec"); the well-known types
Struct, Value, ListValue, Duration, Timestamp, Any and Empty are built in.
"""
import re

_TOKEN = re.compile(r'\s*(?:(//[^\n]*)|(/\*.*?\*/)|("(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\')|([A-Za-z_][\w.]*)|(-?\d[\w.]*)|(\S))', re.S)

_SCALARS = {
    "double": {"type": "number", "format": "double"}, "float": {"type": "number", "format": "float"},
    "int32": {"type": "integer", "format": "int32"}, "sint32": {"type": "integer", "format": "int32"},
    "sfixed32": {"type": "integer", "format": "int32"}, "uint32": {"type": "integer", "format": "uint32"},
    "fixed32": {"type": "integer", "format": "uint32"},
    "int64": {"type": "string", "format": "int64"}, "sint64": {"type": "string", "format": "int64"},
    "sfixed64": {"type": "string", "format": "int64"}, "uint64": {"type": "string", "format": "uint64"},
    "fixed64": {"type": "string", "format": "uint64"},
    "bool": {"type": "boolean"}, "string": {"type": "string"}, "bytes": {"type": "string", "format": "byte"},
}

WELL_KNOWN = {
    "google.protobuf.Struct": {"type": "object", "x-wkt": "Struct"},
    "google.protobuf.Value": {"x-wkt": "Value"},
    "google.protobuf.ListValue": {"type": "array", "x-wkt": "ListValue"},
    "google.protobuf.NullValue": {"x-wkt": "Value"},
    "google.protobuf.Duration": {"type": "string", "x-wkt": "Duration"},
    "google.protobuf.Timestamp": {"type": "string", "format": "date-time", "x-wkt": "Timestamp"},
    "google.protobuf.Any": {"type": "object", "properties": {"@type": {"type": "string"}}, "x-any": True},
    "google.protobuf.Empty": {"type": "object", "properties": {}},
    "google.rpc.Status": {"type": "object", "properties": {
        "code": {"type": "integer", "format": "int32"}, "message": {"type": "string"},
        "details": {"type": "array", "items": {"$ref": "#/definitions/google.protobuf.Any"}}}},
}


class ProtoSyntaxError(ValueError):
    pass


def _tokens(text):
    out = []
    pos = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group(1) or m.group(2):
            continue
        token = next(g for g in m.groups()[2:] if g is not None)
        out.append(token)
    return out


class _Reader:
    def __init__(self, tokens):
        self.tokens = tokens
        self.i = 0

    def peek(self):
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, expected=None):
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ProtoSyntaxError(f"expected {expected!r}, found {token!r}")
        self.i += 1
        return token

    def skip_statement(self):
        depth = 0
        while True:
            token = self.take()
            if token in ("{", "["):
                depth += 1
            elif token in ("}", "]"):
                depth -= 1
                if depth == 0 and token == "}":
                    return
            elif token == ";" and depth == 0:
                return


class ProtoSchema:
    """All messages and enums of the files read, as Swagger-style definitions."""

    def __init__(self):
        self.messages = {}   # full name -> {"fields": [...], "oneofs": {...}}
        self.enums = {}      # full name -> [(name, number)]
        self.definitions = dict(WELL_KNOWN)

    def read(self, text):
        reader = _Reader(_tokens(text))
        package = ""
        while reader.peek() is not None:
            token = reader.take()
            if token == "package":
                package = reader.take()
                reader.take(";")
            elif token == "message":
                self._message(reader, package)
            elif token == "enum":
                self._enum(reader, package)
            elif token in ("syntax", "import", "option"):
                while reader.take() != ";":
                    pass
            elif token == "service":
                reader.take()
                reader.skip_statement()
            elif token == ";":
                continue
            else:
                raise ProtoSyntaxError(f"unexpected {token!r} at top level")
        return self

    def _qualify(self, scope, name):
        return f"{scope}.{name}" if scope else name

    def _message(self, reader, scope):
        name = self._qualify(scope, reader.take())
        reader.take("{")
        message = {"fields": [], "oneofs": {}, "scope": name}
        self.messages[name] = message
        self._body(reader, name, message, oneof=None)

    def _body(self, reader, scope, message, oneof):
        while True:
            token = reader.take()
            if token == "}":
                return
            if token == ";":
                continue
            if token == "message":
                self._message(reader, scope)
            elif token == "enum":
                self._enum(reader, scope)
            elif token == "oneof":
                group = reader.take()
                reader.take("{")
                message["oneofs"][group] = []
                self._body(reader, scope, message, oneof=group)
            elif token in ("option", "reserved", "extensions"):
                while reader.take() != ";":
                    pass
            elif token == "map":
                reader.take("<")
                key = reader.take()
                reader.take(",")
                value = reader.take()
                reader.take(">")
                self._field(reader, message, "map", value, oneof, key_type=key)
            else:
                label = None
                if token in ("repeated", "optional", "required"):
                    label, token = token, reader.take()
                self._field(reader, message, label, token, oneof)

    def _field(self, reader, message, label, type_name, oneof, key_type=None):
        name = reader.take()
        reader.take("=")
        reader.take()
        json_name = None
        if reader.peek() == "[":
            reader.take("[")
            while True:
                option = reader.take()
                reader.take("=")
                value = reader.take()
                if option == "json_name":
                    json_name = value.strip("\"'")
                if reader.take() == "]":
                    break
        reader.take(";")
        message["fields"].append({"name": name, "type": type_name, "label": label,
                                  "json_name": json_name, "scope": message["scope"]})
        if oneof:
            message["oneofs"][oneof].append(name)

    def _enum(self, reader, scope):
        name = self._qualify(scope, reader.take())
        reader.take("{")
        values = []
        while True:
            token = reader.take()
            if token == "}":
                break
            if token in ("option", "reserved"):
                while reader.take() != ";":
                    pass
                continue
            if token == ";":
                continue
            reader.take("=")
            number = int(reader.take(), 0)
            if reader.peek() == "[":
                while reader.take() != "]":
                    pass
            reader.take(";")
            values.append((token, number))
        self.enums[name] = values

    # -- definitions ----------------------------------------------------
    def _resolve(self, scope, type_name):
        if type_name.startswith("."):
            return type_name[1:]
        parts = scope.split(".")
        while True:
            candidate = ".".join(parts + [type_name]) if parts else type_name
            if candidate in self.messages or candidate in self.enums or candidate in WELL_KNOWN:
                return candidate
            if not parts:
                raise ProtoSyntaxError(f"unknown type {type_name} in {scope}")
            parts.pop()

    def _schema_of(self, scope, type_name):
        if type_name in _SCALARS:
            return dict(_SCALARS[type_name])
        full = self._resolve(scope, type_name)
        if full in self.enums:
            values = self.enums[full]
            return {"type": "string", "enum": [n for n, _ in values], "x-enum-numbers": [v for _, v in values]}
        return {"$ref": f"#/definitions/{full}"}

    def build(self):
        for full, message in self.messages.items():
            props, names = {}, {}
            for field in message["fields"]:
                schema = self._schema_of(message["scope"], field["type"])
                if field["label"] == "map":
                    schema = {"type": "object", "additionalProperties": schema}
                elif field["label"] == "repeated":
                    schema = {"type": "array", "items": schema}
                props[field["name"]] = schema
                if field["json_name"]:
                    names[field["name"]] = field["json_name"]
            definition = {"type": "object", "properties": props}
            if names:
                definition["x-json-names"] = names
            oneofs = {group: {"fields": fields, "full": f"{full}.{group}"}
                      for group, fields in message["oneofs"].items() if fields}
            if oneofs:
                definition["x-oneofs"] = oneofs
            self.definitions[full] = definition
        return self.definitions


def load(paths):
    schema = ProtoSchema()
    for path in paths:
        with open(path, encoding="utf-8") as f:
            schema.read(f.read())
    return schema.build()
