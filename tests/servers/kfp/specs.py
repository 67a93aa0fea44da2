# SPDX-License-Identifier: Apache-2.0
"""Pipeline templates as KFP's server reads them (backend/src/apiserver/template):
a v2 PipelineSpec (plus an optional PlatformSpec document), or a v1 Argo
Workflow; and the checks it makes of run parameters against them."""
import io
import json
import os
import re
import tarfile
import zipfile

import contract
import yamlmini
from errors import ApiError, INVALID_ARGUMENT, invalid_input, invalid_input_details

SPEC_INVALID = "pipeline spec is invalid"
PLATFORM_INVALID = "platform spec is invalid"
_SPEC_REF = {"$ref": "#/definitions/ml_pipelines.PipelineSpec"}
_PLATFORM_REF = {"$ref": "#/definitions/ml_pipelines.PlatformSpec"}


class IRSchema:
    """The PipelineSpec proto, read once from the reference's kfp-ir folder."""
    definitions = None

    @classmethod
    def load(cls, ir_dir):
        import protoschema
        cls.definitions = protoschema.load([os.path.join(ir_dir, "pipeline_spec.proto")])


def spec_error(detail):
    return invalid_input_details(detail, SPEC_INVALID)


class Template:
    """A validated pipeline template. kind is "v2" or "v1"."""

    def __init__(self, kind, spec, platform=None, source_text="", ir=None):
        self.kind = kind
        self.spec = spec              # the document as given (what the API hands back)
        self.ir = ir                  # v2: the spec as protojson decoded it (snake_case names)
        self.platform = platform
        self.source_text = source_text

    @property
    def name(self):
        if self.kind == "v2":
            return self.ir["pipeline_info"]["name"]
        meta = self.spec.get("metadata", {})
        return meta.get("name") or meta.get("generateName", "pipeline-").rstrip("-")

    def root_inputs(self):
        """v2: {name: ParameterSpec} of the root component."""
        return ((self.ir.get("root") or {}).get("input_definitions") or {}).get("parameters") or {}

    def workflow_parameters(self):
        """v1: [{name, value}] of spec.arguments.parameters."""
        params = ((self.spec.get("spec", {}).get("arguments") or {}).get("parameters")) or []
        return [{"name": p.get("name"), **({"value": _param_text(p["value"])} if p.get("value") is not None else {})}
                for p in params]

    def api_parameters(self):
        """The template's parameters as the v1 API lists them ([{name, value}])."""
        if self.kind == "v1":
            return self.workflow_parameters()
        out = []
        for name, p in sorted(self.root_inputs().items()):
            entry = {"name": name}
            if "default_value" in p:
                entry["value"] = _param_text(p["default_value"])
            out.append(entry)
        return out

    def as_struct(self):
        """The template as the v2 API's pipeline_spec Struct."""
        if self.kind == "v2" and self.platform:
            return {"pipeline_spec": self.spec, "platform_spec": self.platform}
        return self.spec

    def as_text(self):
        if self.source_text:
            return self.source_text
        return json.dumps(self.as_struct(), indent=2)


def _param_text(value):
    return value if isinstance(value, str) else json.dumps(value)


def read_package(filename, data):
    """The pipeline file inside an upload: YAML/JSON as is, or the one file of
    a .tar.gz / .zip package (ReadPipelineFile)."""
    lower = (filename or "").lower()
    if lower.endswith((".tar.gz", ".tgz")):
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
                members = [m for m in tar.getmembers() if m.isfile()]
                if len(members) != 1:
                    raise invalid_input("Invalid package. Tarball should contain exactly one file.")
                return tar.extractfile(members[0]).read()
        except (tarfile.TarError, OSError, EOFError) as e:
            raise invalid_input_details("Error extracting pipeline from the tarball file. Not a valid tarball file.", e)
    if lower.endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = [n for n in z.namelist() if not n.endswith("/")]
                if len(names) != 1:
                    raise invalid_input("Invalid package. Zip should contain exactly one file.")
                return z.read(names[0])
        except zipfile.BadZipFile as e:
            raise invalid_input_details("Error extracting pipeline from the zip file. Not a valid zip file.", e)
    if lower.endswith((".yaml", ".yml", ".json")) or not lower:
        return data
    raise invalid_input("Unexpected pipeline file format. Support .zip, .tar.gz, .json or YAML.")


def _documents(data):
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        return [d for d in yamlmini.load_all(text) if d is not None], text
    except (yamlmini.YamlError, UnicodeDecodeError, ValueError) as e:
        raise spec_error(f"failed to parse pipeline spec YAML: {e}")


def _is_argo(doc):
    return isinstance(doc, dict) and str(doc.get("apiVersion", "")).startswith("argoproj.io/") \
        and doc.get("kind") == "Workflow"


def _strict_spec(doc):
    """(decoded spec, None) when `doc` is a PipelineSpec under protojson's
    rules, else (None, the protojson error)."""
    try:
        decoded = contract.decode_json(json.dumps(doc), _SPEC_REF, IRSchema.definitions)
    except ApiError as e:
        return None, e.message
    return decoded, None


def _looks_like_spec(doc):
    return isinstance(doc, dict) and any(k in doc for k in ("pipelineInfo", "pipeline_info", "root", "deploymentSpec",
                                                            "deployment_spec", "schemaVersion", "schema_version"))


def load_template(data):
    """template.New: recognise and validate a template (bytes or text)."""
    docs, text = _documents(data)
    if not docs:
        raise spec_error("unknown template format")
    if _is_argo(docs[0]):
        return Template("v1", validate_workflow(docs[0]), source_text=text)
    return load_v2(docs, text)


def load_v2(docs, text=""):
    spec = platform = None
    first_error = None
    for doc in docs:
        if not isinstance(doc, dict):
            continue
        if "platforms" in doc:
            if platform is not None:
                raise invalid_input_details("multiple platform specs provided", PLATFORM_INVALID)
            try:
                contract.decode_json(json.dumps(doc), _PLATFORM_REF, IRSchema.definitions)
            except ApiError as e:
                raise invalid_input_details(f"cannot unmarshal platform specific configs: {e.message}", PLATFORM_INVALID)
            if "kubernetes" in (doc.get("platforms") or {}):
                platform = doc
            continue
        decoded, error = _strict_spec(doc)
        if decoded is None:
            if _looks_like_spec(doc) and first_error is None:
                first_error = error
            continue
        if not (decoded.get("pipeline_info") or {}).get("name") or decoded.get("root") is None:
            if first_error is None:
                first_error = "pipelineInfo.name and root are required"
            continue
        if spec is not None:
            raise spec_error("multiple pipeline specs provided")
        spec, ir = doc, decoded
    if spec is None:
        detail = "unknown template format"
        if first_error:
            # The real server only says "unknown template format" here; the
            # protojson reason is added so a client's author can see why.
            detail += f" (invalid v2 pipeline spec: {first_error})"
        raise spec_error(detail)
    validate_v2(ir)
    return Template("v2", spec, platform, text, ir)


_NAME_PATTERN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")


def validate_v2(ir):
    """NewV2SpecTemplate's checks, then the references the Argo compiler
    needs (which the real server only finds when a run is compiled)."""
    if ir.get("schema_version") != "2.1.0":
        raise spec_error(f"KFP only supports schema version 2.1.0, but the pipeline spec has version "
                         f"{ir.get('schema_version', '')}")
    name = ir["pipeline_info"].get("name", "")
    # the server's regexp is not anchored: any name with one lower-case letter or digit passes
    if not _NAME_PATTERN.search(name):
        raise spec_error("invalid v2 pipeline spec: name should consist of lower case alphanumeric characters, "
                         "'-' or '.', and must start and end with an alphanumeric character")
    components = ir.get("components") or {}
    executors = ((ir.get("deployment_spec") or {}).get("executors")) or {}

    def check_component(where, comp):
        if "dag" in comp:
            check_dag(where, comp["dag"])
        elif comp.get("executor_label"):
            if comp["executor_label"] not in executors:
                raise spec_error(f"invalid v2 pipeline spec: {where}: executor {comp['executor_label']!r} "
                                 f"is not in deploymentSpec.executors")
        else:
            raise spec_error(f"invalid v2 pipeline spec: {where} has neither a dag nor an executorLabel")

    def check_dag(where, dag):
        tasks = dag.get("tasks") or {}
        for task_name, task in tasks.items():
            ref = ((task.get("component_ref") or {}).get("name"))
            if not ref or ref not in components:
                raise spec_error(f"invalid v2 pipeline spec: {where}.dag.tasks.{task_name}: component {ref!r} "
                                 f"is not in components")
            for dep in task.get("dependent_tasks") or []:
                if dep not in tasks:
                    raise spec_error(f"invalid v2 pipeline spec: {where}.dag.tasks.{task_name}: dependent task "
                                     f"{dep!r} is not in the same DAG")

    check_component("root", ir["root"])
    for comp_name, comp in components.items():
        check_component(f"components.{comp_name}", comp)


def validate_workflow(wf):
    """ValidateWorkflow: the Argo version and kind, then Argo's lint checks
    that matter for running it (templates exist and are referenced rightly)."""
    if wf.get("apiVersion") != "argoproj.io/v1alpha1":
        raise invalid_input(f"Unsupported argo version. Expected: argoproj.io/v1alpha1. Received: {wf.get('apiVersion')}")
    spec = wf.get("spec")
    if not isinstance(spec, dict):
        raise invalid_input_details("Failed to parse the workflow template", "spec is missing")
    templates = spec.get("templates")
    if not isinstance(templates, list) or not templates:
        raise ApiError(INVALID_ARGUMENT, "spec.templates: at least one template is required",
                       "spec.templates: at least one template is required")
    names = set()
    for t in templates:
        if not isinstance(t, dict) or not t.get("name"):
            raise _lint("templates: every template needs a name")
        if t["name"] in names:
            raise _lint(f"templates.{t['name']} is not unique")
        names.add(t["name"])
    entry = spec.get("entrypoint")
    if entry and entry not in names:
        raise _lint(f"spec.entrypoint template '{entry}' undefined")
    if spec.get("onExit") and spec["onExit"] not in names:
        raise _lint(f"spec.onExit template '{spec['onExit']}' undefined")
    for t in templates:
        if "dag" in t:
            tasks = (t["dag"] or {}).get("tasks") or []
            task_names = {task.get("name") for task in tasks}
            for task in tasks:
                if task.get("template") not in names:
                    raise _lint(f"templates.{t['name']}.tasks.{task.get('name')} template '{task.get('template')}' undefined")
                for dep in task.get("dependencies") or []:
                    if dep not in task_names:
                        raise _lint(f"templates.{t['name']}.tasks.{task.get('name')} dependency '{dep}' not defined")
        if "steps" in t:
            for group in t["steps"] or []:
                for step in group or []:
                    if step.get("template") not in names:
                        raise _lint(f"templates.{t['name']}.steps.{step.get('name')} template '{step.get('template')}' undefined")
    return wf


def _lint(message):
    return ApiError(INVALID_ARGUMENT, message, message)


def check_v2_parameters(template, params):
    """validatePipelineJobInputs: every required input given, types right, no extras."""
    required = template.root_inputs()
    params = params or {}
    for name, p in required.items():
        if name not in params:
            if not p.get("is_optional") and "default_value" not in p:
                raise invalid_input(f"parameter {name} is not optional, yet has neither default value "
                                    f"nor user provided value")
            continue
        value = params[name]
        kind = p.get("parameter_type", "PARAMETER_TYPE_ENUM_UNSPECIFIED")
        if kind in ("NUMBER_DOUBLE", "NUMBER_INTEGER"):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise invalid_input(f"input parameter {name} requires type double or integer, "
                                    f"but the parameter value is not of number value type")
        elif kind == "STRING":
            if not isinstance(value, str):
                raise invalid_input(f"input parameter {name} requires type string, but the "
                                    f"input parameter is not of string value type")
        elif kind == "BOOLEAN":
            if not isinstance(value, bool):
                raise invalid_input(f"input parameter {name} requires type bool, but the input "
                                    f"parameter is not of bool value type")
        elif kind == "LIST":
            if not isinstance(value, list):
                raise invalid_input(f"input parameter {name} requires type list, but the input "
                                    f"parameter is not of list value type")
        elif kind == "STRUCT":
            if not isinstance(value, dict):
                raise invalid_input(f"input parameter {name} requires type struct, but the input "
                                    f"parameter is not of struct value type")
        elif kind == "TASK_FINAL_STATUS":
            raise invalid_input(f"input parameter {name} requires type TASK_FINAL_STATUS, which is "
                                f"invalid for root component")
        elif kind == "PARAMETER_TYPE_ENUM_UNSPECIFIED":
            raise invalid_input(f"input parameter {name} has unspecified type")
    extra = [name for name in params if name not in required]
    if extra:
        raise invalid_input(f"parameter(s) provided are not required by pipeline: {', '.join(extra)}")


def check_v1_parameters(template, params):
    """Workflow.VerifyParameters: only parameters the workflow declares."""
    declared = {p["name"] for p in template.workflow_parameters()}
    for name in params:
        if name not in declared:
            raise invalid_input(f"Unrecognized input parameter: {name}")


def v2_root_values(template, params):
    """The root DAG's input values: the run's parameters over the defaults."""
    values = {}
    for name, p in template.root_inputs().items():
        if "default_value" in p:
            values[name] = p["default_value"]
    values.update(params or {})
    return values
