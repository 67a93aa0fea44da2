#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Validate Argo Workflow YAML files against Argo's JSON schema, in one run.

usage: validate_argo.py SCHEMA.json FILE.yaml...

Prints one line per file, "OK <file>" or "INVALID <file>" followed by the
schema errors (indented), and exits 0 when every file is valid, 1 when any
is not, 2 on bad usage and 77 when PyYAML or jsonschema is not installed.
"""
import json
import sys

try:
    import yaml
    from jsonschema import Draft202012Validator
except ImportError as missing:
    print(f"SKIP missing Python module: {missing.name}")
    sys.exit(77)

WORKFLOW = "io.argoproj.workflow.v1alpha1.Workflow"


def location(error):
    parts = []
    for part in error.absolute_path:
        parts.append(f"[{part}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "".join(parts) or "(document)"


def main(argv):
    if len(argv) < 3:
        print(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    # The schema's top level is a oneOf over all Argo kinds, whose errors
    # only say "not valid under any"; validating against the Workflow
    # definition names the failing field. The full schema is checked too.
    workflow_schema = {key: value for key, value in schema.items() if key != "oneOf"}
    workflow_schema["$ref"] = f"#/definitions/{WORKFLOW}"
    whole = Draft202012Validator(schema)
    detailed = Draft202012Validator(workflow_schema)

    invalid = 0
    for path in argv[2:]:
        try:
            with open(path, encoding="utf-8") as f:
                documents = [d for d in yaml.safe_load_all(f) if d is not None]
        except (OSError, yaml.YAMLError) as err:
            print(f"INVALID {path}\n  cannot read YAML: {err}")
            invalid += 1
            continue
        errors = []
        for document in documents:
            found = sorted(detailed.iter_errors(document), key=lambda e: list(e.absolute_path))
            errors += [f"at {location(e)}: {e.message}" for e in found]
            if not found and not whole.is_valid(document):
                errors.append("not valid under the schema's top-level oneOf")
        if not documents:
            errors.append("no YAML document")
        if errors:
            invalid += 1
            print(f"INVALID {path}")
            for line in errors:
                print(f"  {line}")
        else:
            print(f"OK {path}")
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
