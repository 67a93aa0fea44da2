# SPDX-License-Identifier: Apache-2.0
"""Submitted Workflows and CronWorkflows checked against Argo's JSON schema
(api/jsonschema/schema.json, draft 2020-12): with the `jsonschema` package
when it is installed (Debian's python3-jsonschema), otherwise with the
subset of the draft this schema uses ($ref, type, properties, required,
items, additionalProperties, const, enum, oneOf/anyOf/allOf).

The schema types IntOrString, Quantity and a parameter's value as strings;
Argo's Go types take numbers too, and so does this check unless
--strict-int-or-string (see gateway.GO_LENIENT_*). Properties documented as
"vX.Y and after" are unknown to an older --version (see for_version)."""
import json

import gateway
from rpcstatus import ApiError, INVALID_ARGUMENT

try:  # optional: the standard library has no JSON schema validator
    import jsonschema
except ImportError:  # pragma: no cover - depends on the machine
    jsonschema = None

class WorkflowSchema:
    def __init__(self, path, version=None, strict_strings=False):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        self.definitions = gateway.for_version(gateway.lenient_types(doc["definitions"], strict_strings), version)
        self.validators = {}

    def problems(self, value, kind):
        """[(path, message)] for `value` as a `kind` (Workflow, CronWorkflow)."""
        schema = {"$ref": f"#/definitions/io.argoproj.workflow.v1alpha1.{kind}", "definitions": self.definitions}
        if jsonschema is not None:
            validator = self.validators.get(kind)
            if validator is None:
                validator = self.validators[kind] = jsonschema.Draft202012Validator(schema)
            errors = sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
            return [(_path(e.absolute_path), e.message) for e in errors]
        out = []
        _Mini(self.definitions, out).check(value, schema, [])
        return out

    def check(self, value, kind):
        """Raises the 400 this server answers for a `kind` that does not fit."""
        found = self.problems(value, kind)
        if found:
            path, message = found[0]
            where = f" at {path}" if path else ""
            raise ApiError(INVALID_ARGUMENT,
                           f"{kind} does not fit Argo's JSON schema{where}: {message}")


def _path(parts):
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class _Mini:
    """The part of draft 2020-12 that Argo's schema uses, for machines
    without the jsonschema package. Messages follow jsonschema's."""

    def __init__(self, definitions, out):
        self.definitions = definitions
        self.out = out

    def check(self, value, schema, path):
        if "$ref" in schema:
            name = schema["$ref"].split("/")[-1]
            self.check(value, self.definitions[name], path)
        if "const" in schema and value != schema["const"]:
            self.out.append((_path(path), f"{schema['const']!r} was expected"))
        if "enum" in schema and value not in schema["enum"]:
            self.out.append((_path(path), f"{value!r} is not one of {schema['enum']!r}"))
        kind = schema.get("type")
        if kind is not None:
            kinds = kind if isinstance(kind, list) else [kind]
            if not any(_is(value, k) for k in kinds):
                self.out.append((_path(path), f"{value!r} is not of type " + ", ".join(repr(k) for k in kinds)))
                return
        for key in ("oneOf", "anyOf"):
            if key in schema:
                fits = 0
                for option in schema[key]:
                    trial = []
                    _Mini(self.definitions, trial).check(value, option, path)
                    fits += not trial
                if (key == "oneOf" and fits != 1) or (key == "anyOf" and fits == 0):
                    self.out.append((_path(path), f"{value!r:.60} is not valid under any of the given schemas"))
        for option in schema.get("allOf", []):
            self.check(value, option, path)
        if isinstance(value, dict):
            props = schema.get("properties", {})
            for key in schema.get("required", []):
                if key not in value:
                    self.out.append((_path(path), f"'{key}' is a required property"))
            extra = schema.get("additionalProperties")
            for key, element in value.items():
                if key in props:
                    self.check(element, props[key], path + [key])
                elif isinstance(extra, dict):
                    self.check(element, extra, path + [key])
                elif extra is False:
                    self.out.append((_path(path), f"Additional properties are not allowed ('{key}' was unexpected)"))
        if isinstance(value, list) and isinstance(schema.get("items"), dict):
            for i, element in enumerate(value):
                self.check(element, schema["items"], path + [i])


def _is(value, kind):
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "null":
        return value is None
    return gateway._fits(value, kind)

