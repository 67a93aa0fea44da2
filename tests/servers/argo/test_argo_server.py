# SPDX-License-Identifier: Apache-2.0
"""Tests of the test Argo server: python3 -m unittest discover -s tests/servers/argo -v

The reference data (the Argo Server Swagger, Argo's JSON schema, a real
Workflow, the KFP 1.8 Argo goldens) is read from $PW_REFERENCE_DIR
(default tests/reference)."""
import glob
import http.client
import io
import json
import os
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.append(os.path.join(os.path.dirname(HERE), "kfp"))

import cronspec  # noqa: E402
import gateway  # noqa: E402
import listing  # noqa: E402
import wfschema  # noqa: E402
import wfvalidate  # noqa: E402
import yamlmini  # noqa: E402  (tests/servers/kfp)
from rpcstatus import ApiError  # noqa: E402

REFERENCE = os.environ.get("PW_REFERENCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference"))
SWAGGER = os.path.join(REFERENCE, "backends/argo/argo_workflows_swagger.json")
SCHEMA = os.path.join(REFERENCE, "argo/workflow.schema.json")
REFERENCE_WORKFLOW = os.path.join(REFERENCE, "backends/argo/workflow_with_status_dag_retry_succeeded.yaml")
GOLDENS = os.path.join(REFERENCE, "kfp-v1-argo-goldens")
SERVER = os.path.join(HERE, "argo_server.py")
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
NS = "argo"
TOKEN = "v2:pipewright-test-token"  # an Argo SSO token starts with v2:


def setUpModule():
    if not os.path.exists(SWAGGER) or not os.path.exists(SCHEMA):
        raise unittest.SkipTest(f"no Argo Swagger / JSON schema under {REFERENCE} (set PW_REFERENCE_DIR)")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def fnv32a(text):
    h = 0x811C9DC5
    for b in text.encode():
        h = ((h ^ b) * 0x01000193) & 0xFFFFFFFF
    return h


class Server:
    """The server in a subprocess on a free port."""

    def __init__(self, *args, token_file=None):
        cmd = [sys.executable, SERVER, "--swagger", SWAGGER, "--schema", SCHEMA, "--port", "0",
               "--epoch", str(EPOCH), "--check-responses"] + list(args)
        if token_file:
            cmd += ["--token-file", token_file]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.first_line = self.proc.stdout.readline()
        if not self.first_line.startswith("listening on "):
            self.proc.kill()
            raise RuntimeError(f"server did not start: {self.first_line!r} {self.proc.stderr.read()}")
        self.port = int(self.first_line.split()[-1])
        self.token = None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        err = self.proc.stderr.read()
        self.proc.stderr.close()
        return err

    def request(self, method, path, body=None, query=None, headers=None, token=True, raw=None):
        """(status, parsed JSON or text or bytes, response headers)."""
        if query:
            path += "?" + urllib.parse.urlencode(query, doseq=True)
        hdrs = {}
        if token and self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        hdrs.update(headers or {})
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            kind = resp.getheader("Content-Type", "")
            if path.split("?")[0].endswith("/log") and resp.status == 200:
                value = payload  # a stream of entries
            elif kind == "application/json":
                value = json.loads(payload) if payload else None
            elif kind.startswith("text/"):
                value = payload.decode()
            else:
                value = payload
            return resp.status, value, {k.lower(): v for k, v in resp.getheaders()}
        finally:
            conn.close()

    def ok(self, method, path, body=None, **kwargs):
        status, value, _ = self.request(method, path, body, **kwargs)
        if status != 200:
            raise AssertionError(f"{method} {path}: {status} {value}")
        return value

    def test_call(self, method, endpoint, **query):
        return self.request(method, f"/_test/{endpoint}", query=query or None, token=False)

    # -- conveniences ---------------------------------------------------
    def submit(self, workflow, namespace=NS):
        return self.ok("POST", f"/api/v1/workflows/{namespace}", {"namespace": namespace, "workflow": workflow})

    def get(self, name, namespace=NS, **query):
        return self.ok("GET", f"/api/v1/workflows/{namespace}/{name}", query=query or None)

    def run_to_end(self, name, limit=100):
        for _ in range(limit):
            wf = self.get(name)
            if wf["metadata"].get("labels", {}).get("workflows.argoproj.io/completed") == "true":
                return wf
        raise AssertionError(f"{name} did not finish in {limit} observations")

    def logs(self, name, sse=False, **query):
        headers = {"Accept": "text/event-stream"} if sse else {}
        status, body, hdrs = self.request("GET", f"/api/v1/workflows/{NS}/{name}/log", query=query, headers=headers)
        return status, body, hdrs


def container(name, command="echo hi", outputs=None, image="alpine:3.20", inputs=None, **extra):
    t = {"name": name, "container": {"image": image, "command": ["sh", "-c"], "args": [command]}}
    if outputs:
        t["outputs"] = outputs
    if inputs:
        t["inputs"] = {"parameters": [{"name": n} for n in inputs]}
    t.update(extra)
    return t


def workflow(templates, entrypoint="main", name=None, **spec):
    meta = {"name": name} if name else {"generateName": "test-"}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "metadata": meta,
            "spec": dict({"entrypoint": entrypoint, "templates": templates}, **spec)}


def dag(name, tasks):
    return {"name": name, "dag": {"tasks": tasks}}


def two_step(first="echo a", second="echo b"):
    return workflow([dag("main", [{"name": "a", "template": "a"},
                                  {"name": "b", "template": "b", "dependencies": ["a"]}]),
                     container("a", first), container("b", second)])


def nodes_by_display(wf):
    return {n["displayName"]: n for n in wf["status"].get("nodes", {}).values()}


class ServerTest(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.token_dir = tempfile.TemporaryDirectory()
        cls.token_file = os.path.join(cls.token_dir.name, "token")
        with open(cls.token_file, "w") as f:
            f.write(TOKEN + "\n")
        cls.server = Server(*cls.server_args, token_file=cls.token_file)
        cls.server.token = TOKEN

    @classmethod
    def tearDownClass(cls):
        err = cls.server.stop()
        cls.token_dir.cleanup()
        if "self-check failed" in err or "Traceback" in err:
            raise AssertionError(f"the server reported:\n{err}")

    def setUp(self):
        self.assertEqual(self.server.test_call("POST", "reset")[0], 200)
        self.server.token = TOKEN
        with open(self.token_file, "w") as f:
            f.write(TOKEN + "\n")

    def assertError(self, result, status, code, message=None, contains=None):
        got_status, body, _ = result
        self.assertEqual(got_status, status, body)
        self.assertEqual(body["code"], code, body)
        self.assertEqual(set(body), {"code", "message"}, body)
        if message is not None:
            self.assertEqual(body["message"], message)
        if contains is not None:
            self.assertIn(contains, body["message"])

    def create_error(self, wf, status=400, code=3, **kw):
        self.assertError(self.server.request("POST", f"/api/v1/workflows/{NS}", {"namespace": NS, "workflow": wf}),
                         status, code, **kw)


# -- the process ----------------------------------------------------------------

class ProcessTest(unittest.TestCase):
    def test_prints_exactly_one_line_and_stops_on_sigterm(self):
        server = Server()
        self.assertRegex(server.first_line, r"^listening on \d+\n$")
        server.proc.send_signal(signal.SIGTERM)
        self.assertEqual(server.proc.wait(timeout=10), 0)
        self.assertEqual(server.proc.stdout.read(), "")
        self.assertEqual(server.stop(), "")

    def test_leaves_when_its_parent_goes_away(self):
        launcher = ("import subprocess, sys\n"
                    f"p = subprocess.Popen([sys.executable, {SERVER!r}, '--swagger', {SWAGGER!r}, '--schema', "
                    f"{SCHEMA!r}], stdout=subprocess.PIPE, text=True)\n"
                    "print(p.stdout.readline().strip(), p.pid, flush=True)\n")
        out = subprocess.run([sys.executable, "-c", launcher], capture_output=True, text=True, timeout=30).stdout
        self.assertTrue(out.startswith("listening on "), out)
        pid = int(out.split()[-1])
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        os.kill(pid, signal.SIGKILL)
        self.fail("the server outlived its parent")


class SelfCheckTest(unittest.TestCase):
    """--check-responses over a whole workflow life: every answer fits the Swagger."""

    def test_a_whole_life_passes_the_self_check(self):
        server = Server()
        try:
            wf = two_step("pipewright-test:steps=2 pipewright-test:output:x=1", "pipewright-test:fail-once")
            wf["spec"]["templates"][1]["outputs"] = {
                "parameters": [{"name": "x", "valueFrom": {"path": "/tmp/x"}}],
                "artifacts": [{"name": "mlpipeline-metrics", "path": "/tmp/m.json"}]}
            wf["spec"]["onExit"] = "a"
            name = server.submit(wf)["metadata"]["name"]
            server.ok("GET", f"/api/v1/workflows/{NS}", query={"fields": PLUGIN_FIELDS, "listOptions.limit": "5"})
            for query in ({"logOptions.container": "main"}, {"logOptions.container": "main", "logOptions.follow": "true",
                                                             "logOptions.timestamps": "true"}):
                self.assertEqual(server.logs(name, sse=True, **query)[0], 200)
            self.assertEqual(server.run_to_end(name)["status"]["phase"], "Failed")
            server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/retry", {"name": name, "namespace": NS})
            server.get(name)
            server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/stop", {"name": name, "namespace": NS})
            server.run_to_end(name)
            again = server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/resubmit", {"name": name, "namespace": NS})
            server.ok("PUT", f"/api/v1/workflows/{NS}/{again['metadata']['name']}/terminate", {})
            server.run_to_end(again["metadata"]["name"])
            server.ok("GET", f"/api/v1/workflows/{NS}")
            server.ok("POST", f"/api/v1/cron-workflows/{NS}", {"cronWorkflow": cron()})
            server.test_call("POST", "trigger-cron", namespace=NS, name="nightly")
            server.ok("GET", f"/api/v1/cron-workflows/{NS}")
            server.ok("GET", "/api/v1/version")
            for method, path, body in (("GET", f"/api/v1/workflows/{NS}/ghost", None), ("GET", "/api/v1/x", None),
                                       ("POST", f"/api/v1/workflows/{NS}", {"workflow": {"spec": {}}})):
                self.assertNotEqual(server.request(method, path, body)[0], 200)
            server.ok("DELETE", f"/api/v1/workflows/{NS}/{name}")
        finally:
            err = server.stop()
        self.assertEqual(err, "")


# -- routing, parameters, bodies ------------------------------------------------

class GatewayTest(ServerTest):
    def test_unknown_path_and_wrong_method_answer_like_grpc_gateway_v1(self):
        for method, path in (("GET", "/api/v1/nothing-here"), ("PATCH", f"/api/v1/workflows/{NS}/x"),
                             ("GET", f"/api/v1/workflows/{NS}/x/retry")):
            self.assertError(self.server.request(method, path), 501, 12, "Not Implemented")

    def test_routing_comes_before_auth(self):
        self.assertError(self.server.request("GET", "/api/v1/nothing-here", token=False), 501, 12)

    def test_an_operation_this_server_does_not_model_says_so(self):
        self.assertError(self.server.request("GET", f"/api/v1/workflow-templates/{NS}"), 501, 12,
                         contains="not modelled")

    def test_outside_the_api_is_a_plain_404(self):
        status, body, _ = self.server.request("GET", "/nowhere")
        self.assertEqual((status, body), (404, "404 page not found\n"))

    def test_query_parameters_are_typed(self):
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}", query={"listOptions.limit": "ten"}),
                         400, 3, 'strconv.ParseInt: parsing "ten": invalid syntax')
        self.server.submit(two_step())
        name = self.server.ok("GET", f"/api/v1/workflows/{NS}")["items"][0]["metadata"]["name"]
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}/{name}/log",
                                             query={"logOptions.follow": "maybe"}),
                         400, 3, 'strconv.ParseBool: parsing "maybe": invalid syntax')
        # unknown query parameters are ignored, as grpc-gateway v1 does
        self.assertEqual(self.server.request("GET", f"/api/v1/workflows/{NS}", query={"colour": "red"})[0], 200)

    def test_bodies_are_decoded_strictly_with_gos_words(self):
        wf = two_step()
        cases = [
            (b'{"workflow": ', "unexpected EOF"),
            (b'{"workflow" 1}', "invalid character '1' after object key"),
            (b"[1]", "json: cannot unmarshal array into Go value of type v1alpha1.WorkflowCreateRequest"),
            (json.dumps({"workflow": wf, "colour": "red"}).encode(), 'json: unknown field "colour"'),
            (json.dumps({"workflow": dict(wf, status2={})}).encode(), 'json: unknown field "status2"'),
            (json.dumps({"workflow": {**wf, "spec": {**wf["spec"], "entrypoint": 5}}}).encode(),
             "json: cannot unmarshal number into Go struct field WorkflowSpec.workflow.spec.entrypoint of type string"),
            (json.dumps({"workflow": {**wf, "spec": {**wf["spec"], "templates": {}}}}).encode(),
             "json: cannot unmarshal object into Go struct field WorkflowSpec.workflow.spec.templates of type "
             "[]v1alpha1.Template"),
            (json.dumps({"workflow": {**wf, "spec": {**wf["spec"], "parallelism": 1.5}}}).encode(),
             "json: cannot unmarshal number 1.5 into Go struct field WorkflowSpec.workflow.spec.parallelism of type int64"),
            (json.dumps({"workflow": {**wf, "spec": {**wf["spec"], "suspend": "yes"}}}).encode(),
             "json: cannot unmarshal string into Go struct field WorkflowSpec.workflow.spec.suspend of type bool"),
        ]
        for raw, message in cases:
            with self.subTest(message=message):
                self.assertError(self.server.request("POST", f"/api/v1/workflows/{NS}", raw=raw), 400, 3, message)

    def test_what_go_accepts_is_accepted(self):
        wf = two_step()
        wf["metadata"]["creationTimestamp"] = None       # null: any field
        wf["Spec"] = wf.pop("spec")                       # field names match case-insensitively
        made = self.server.ok("POST", f"/api/v1/workflows/{NS}", raw=json.dumps({"Workflow": wf}).encode() + b" trailing")
        self.assertEqual(made["spec"]["entrypoint"], "main")

    def test_the_wrappers_are_required(self):
        wf = two_step()
        self.assertError(self.server.request("POST", f"/api/v1/workflows/{NS}", wf), 400, 3,
                         "workflow body not specified")
        self.assertError(self.server.request("POST", f"/api/v1/workflows/{NS}", {}), 400, 3,
                         "workflow body not specified")
        self.assertError(self.server.request("POST", f"/api/v1/workflows/{NS}/lint", wf), 500, 2,
                         "unable to get a workflow")
        self.assertError(self.server.request("POST", f"/api/v1/cron-workflows/{NS}", {"namespace": NS}), 404, 5,
                         "cron workflow was not found in the request body")


# -- auth -----------------------------------------------------------------------

class AuthTest(ServerTest):
    def list(self, **kw):
        return self.server.request("GET", f"/api/v1/workflows/{NS}", **kw)

    def test_token_required(self):
        self.assertError(self.list(token=False), 401, 16,
                         "token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/")
        self.assertError(self.list(token=False, headers={"Authorization": "Token x"}), 401, 16,
                         "token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/")
        self.assertError(self.list(token=False, headers={"Authorization": "Bearer v2:wrong"}), 401, 16, "Unauthorized")
        self.assertError(self.list(token=False, headers={"Authorization": "Bearer pipewright-test-token"}), 401, 16,
                         "Unauthorized")  # the whole v2:... string is the token
        self.assertEqual(self.list()[0], 200)

    def test_the_token_file_is_read_per_request(self):
        with open(self.token_file, "w") as f:
            f.write("rotated\n")
        self.assertEqual(self.list()[0], 401)
        self.server.token = "rotated"
        self.assertEqual(self.list()[0], 200)

    def test_expire_token(self):
        self.assertEqual(self.server.test_call("POST", "expire-token")[0], 200)
        self.assertError(self.list(), 401, 16, "Unauthorized")
        with open(self.token_file, "w") as f:
            f.write("fresh\n")
        self.server.token = "fresh"
        self.assertEqual(self.list()[0], 200)

    def test_artifact_files_need_the_token_too(self):
        status, body, _ = self.server.request("GET", f"/artifact-files/{NS}/workflows/x/x-1/outputs/a", token=False)
        self.assertEqual((status, body), (401, "Unauthorized\n"))

    def test_the_test_api_needs_none(self):
        self.assertEqual(self.server.test_call("GET", "requests")[0], 200)


# -- submitted workflows ----------------------------------------------------------

class ValidationTest(ServerTest):
    def test_the_reference_workflow_validates(self):
        wf = yamlmini.load(read(REFERENCE_WORKFLOW))
        wf["metadata"] = {"generateName": wf["metadata"]["generateName"]}
        made = self.server.submit(wf)  # its status is the controller's: dropped on create
        self.assertEqual(made["spec"]["templates"][1]["retryStrategy"]["limit"], 10)
        self.assertEqual(made["status"], {"startedAt": None, "finishedAt": None})

    def test_kfp_goldens_as_real_argo_takes_them(self):
        verdicts = {}
        for path in sorted(glob.glob(os.path.join(GOLDENS, "*.yaml"))):
            wf = yamlmini.load(read(path))
            status, body, _ = self.server.request("POST", f"/api/v1/workflows/{NS}/lint",
                                                  {"namespace": NS, "workflow": wf})
            verdicts[os.path.basename(path)] = body["message"] if status != 200 else "ok"
        if not verdicts:
            self.skipTest("no KFP goldens")
        refused = {k: v for k, v in verdicts.items() if v != "ok"}
        # Argo's validate.go: map items give {{item.a}}, not {{item}}; an entrypoint is required
        self.assertEqual(refused, {
            "parallelfor_item_argument_resolving.yaml":
                "templates.parallelfor-item-argument-resolving.tasks.for-loop-5 failed to resolve {{item}}",
            "tolerations.yaml": "spec.entrypoint is required"})

    def test_argo_server_checks(self):
        ok = container("a")
        cases = [
            (workflow([ok], entrypoint=""), "spec.entrypoint is required"),
            (workflow([ok], entrypoint="nope"), "template name 'nope' undefined"),
            (workflow([dag("main", [{"name": "x", "template": "nope"}])]),
             "templates.main.tasks.x template name 'nope' undefined"),
            (workflow([dag("main", [{"name": "x", "template": "a", "dependencies": ["ghost"]}]), ok]),
             "templates.main sorting failed: invalid dependency ghost"),
            (workflow([dag("main", [{"name": "x", "template": "a", "dependencies": ["y"]},
                                    {"name": "y", "template": "a", "dependencies": ["x"]}]), ok]),
             "templates.main sorting failed: graph with cycle"),
            (workflow([dag("main", [{"name": "x", "template": "a", "depends": "y"},
                                    {"name": "y", "template": "a", "dependencies": ["x"]}]), ok]),
             "templates.main sorting failed: graph with cycle"),
            (workflow([ok], entrypoint="a", arguments={"parameters": [{"name": "p"}]}),
             "spec.arguments.p.value or spec.arguments.p.valueFrom is required"),
            (workflow([dag("main", [{"name": "x", "template": "a"}]), container("a", inputs=["msg"])]),
             "templates.main.tasks.x templates.a inputs.parameters.msg was not supplied"),
            (workflow([container("a", "echo {{inputs.parameters.nope}}")], entrypoint="a"),
             "templates.a: failed to resolve {{inputs.parameters.nope}}"),
            (workflow([dag("main", [{"name": "x", "template": "a", "arguments": {"parameters": [
                {"name": "m", "value": "{{tasks.ghost.outputs.parameters.out}}"}]}}]), container("a", inputs=["m"])]),
             "templates.main.tasks.x failed to resolve {{tasks.ghost.outputs.parameters.out}}"),
            (workflow([container("a", "echo {{workflow.parameters.nope}}")], entrypoint="a"),
             "templates.a: failed to resolve {{workflow.parameters.nope}}"),
            (workflow([{"name": "a"}], entrypoint="a"),
             "templates.a template type unspecified. choose one of: container, containerSet, steps, script, "
             "resource, dag, suspend, template, template ref"),
            (workflow([container("a", image="")], entrypoint="a"), "templates.a.container.image may not be empty"),
            (workflow([ok, ok], entrypoint="a"), "spec.templates[1].name 'a' is not unique"),
            (workflow([dag("main", [{"name": "x", "template": "a", "depends": "y"},
                                    {"name": "y", "template": "a", "dependencies": []}]), ok]), None),
            (workflow([container("a", outputs={"parameters": [{"name": "o"}]})], entrypoint="a"),
             "templates.a.outputs.parameters.o does not have valueFrom or value specified"),
            (workflow([dict(ok, retryStrategy={"retryPolicy": "Sometimes"})], entrypoint="a"),
             "Sometimes is not a valid RetryPolicy"),
            (workflow([ok], entrypoint="a", name="x" * 64),
             f'workflow name "{"x" * 64}" must not be more than 63 characters long (currently 64)'),
        ]
        for wf, message in cases:
            with self.subTest(message=message):
                if message is None:
                    self.server.submit(wf)
                else:
                    self.create_error(wf, message=message)

    def test_lint_allows_parameters_without_values(self):
        wf = workflow([container("a")], entrypoint="a", arguments={"parameters": [{"name": "p"}]})
        linted = self.server.ok("POST", f"/api/v1/workflows/{NS}/lint", {"namespace": NS, "workflow": wf})
        self.assertEqual(linted["spec"]["entrypoint"], "a")
        self.assertEqual(self.server.ok("GET", f"/api/v1/workflows/{NS}")["items"], None)  # nothing created

    def test_kubernetes_checks_on_create(self):
        self.create_error(workflow([container("a")], entrypoint="a", name="Bad_Name"),
                          contains='Workflow.argoproj.io "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"')
        wf = workflow([container("a")], entrypoint="a")
        wf["metadata"] = {}
        self.create_error(wf, message='Workflow.argoproj.io "" is invalid: metadata.name: Required value: name or '
                                      'generateName is required')
        wf = workflow([container("a")], entrypoint="a")
        wf["metadata"]["labels"] = {"pipelines.kubeflow.org/pipeline": "my pipeline"}
        self.create_error(wf, contains='metadata.labels: Invalid value: "my pipeline"')
        wf = workflow([container("a")], entrypoint="a")
        wf["metadata"]["namespace"] = "elsewhere"
        self.create_error(wf, message="the namespace of the provided object does not match the namespace sent on "
                                      "the request")
        self.server.submit(workflow([container("a")], entrypoint="a", name="same"))
        self.create_error(workflow([container("a")], entrypoint="a", name="same"), 409, 6,
                          message='workflows.argoproj.io "same" already exists')

    def test_the_json_schema_is_applied(self):
        wf = two_step()
        wf["kind"] = "Pod"
        self.create_error(wf, message="Workflow does not fit Argo's JSON schema at kind: 'Workflow' was expected")


class SchemaUnitTest(unittest.TestCase):
    def test_numbers_where_go_takes_them_unless_strict(self):
        wf = yamlmini.load(read(REFERENCE_WORKFLOW))
        self.assertEqual(wfschema.WorkflowSchema(SCHEMA).problems(wf, "Workflow"), [])
        strict = wfschema.WorkflowSchema(SCHEMA, strict_strings=True).problems(wf, "Workflow")
        self.assertEqual(strict[0][0], "spec.templates[1].retryStrategy.limit")

    def test_the_fallback_validator_agrees(self):
        schema = wfschema.WorkflowSchema(SCHEMA)
        wf = two_step()
        wf["kind"] = "Pod"
        wf["spec"]["templates"][1]["container"]["image"] = 5
        saved, wfschema.jsonschema = wfschema.jsonschema, None
        try:
            found = schema.problems(wf, "Workflow")
        finally:
            wfschema.jsonschema = saved
        self.assertIn(("kind", "'Workflow' was expected"), found)
        self.assertIn(("spec.templates[1].container.image", "5 is not of type 'string'"), found)

    def test_version_drops_newer_fields(self):
        old = gateway.for_version(json.loads(read(SWAGGER))["definitions"], (3, 5, 8))
        spec = old["io.argoproj.workflow.v1alpha1.CronWorkflowSpec"]
        self.assertIn("schedule", spec["properties"])
        self.assertNotIn("schedules", spec["properties"])
        new = gateway.for_version(json.loads(read(SWAGGER))["definitions"], (3, 6, 0))
        self.assertNotIn("schedule", new["io.argoproj.workflow.v1alpha1.CronWorkflowSpec"]["properties"])

    def test_cron_like_robfig(self):
        for good in ("*/15 * * * *", "0 6 * * mon-fri", "@daily", "@every 1h30m", "CRON_TZ=Asia/Tokyo 0 6 * * *"):
            cronspec.parse_standard(good)
        for bad, message in (("0 0 6 * * *", "expected exactly 5 fields, found 6: [0 0 6 * * *]"),
                             ("61 * * * *", "end of range (61) above maximum (59): 61"),
                             ("@sometimes", "unrecognized descriptor: @sometimes"),
                             ("", "empty spec string")):
            with self.assertRaises(cronspec.CronError) as caught:
                cronspec.parse_standard(bad)
            self.assertEqual(str(caught.exception), message)

    def test_depends_names_the_tasks_it_waits_for(self):
        self.assertEqual(wfvalidate.task_dependencies({"depends": "(a.Succeeded || b.Failed) && !c-d.Skipped"}),
                         ["a", "b", "c-d"])
        self.assertEqual(wfvalidate.task_dependencies({"dependencies": ["x"]}), ["x"])

    def test_label_selectors(self):
        labels = {"a": "1", "b": "2"}
        for selector, expected in (("a=1", True), ("a==1,b!=3", True), ("a in (1,3)", True), ("a notin (1)", False),
                                   ("c", False), ("!c", True), ("b,a=1", True), ("", True)):
            self.assertEqual(listing.labels_match(listing.parse_label_selector(selector), labels), expected, selector)
        with self.assertRaises(ApiError):
            listing.parse_label_selector("a=(")

    def test_self_check_catches_a_bad_answer(self):
        g = gateway.Gateway(SWAGGER)
        op = g.find("WorkflowService_GetWorkflow")
        self.assertEqual(g.check_response(op, 200, {"metadata": {"name": "x"}, "spec": {}}), [])
        problems = g.check_response(op, 200, {"metadata": {"name": 5, "colour": 1}, "spec": {}})
        self.assertEqual(len(problems), 2, problems)
        self.assertEqual(g.check_response(op, 404, {"code": 5, "message": "x"}), [])


# -- the life of a workflow ---------------------------------------------------------

class WorkflowTest(ServerTest):
    def test_create_names_and_labels(self):
        made = self.server.submit(two_step())
        meta = made["metadata"]
        self.assertRegex(meta["name"], r"^test-[bcdfghjklmnpqrstvwxz2456789]{5}$")
        self.assertRegex(meta["uid"], r"^[0-9a-f-]{36}$")
        self.assertRegex(meta["creationTimestamp"], r"^2026-01-01T00:00:\d\dZ$")
        self.assertNotIn("workflows.argoproj.io/phase", meta.get("labels", {}))  # the controller has not seen it
        self.assertEqual(made["status"], {"startedAt": None, "finishedAt": None})
        wf = self.server.get(meta["name"])
        self.assertEqual(wf["status"]["phase"], "Running")
        self.assertEqual(wf["metadata"]["labels"]["workflows.argoproj.io/phase"], "Running")
        self.assertEqual(wf["metadata"]["labels"]["workflows.argoproj.io/completed"], "false")
        self.assertEqual(wf["metadata"]["annotations"]["workflows.argoproj.io/pod-name-format"], "v2")
        done = self.server.run_to_end(meta["name"])
        self.assertEqual(done["status"]["phase"], "Succeeded")
        self.assertEqual(done["metadata"]["labels"]["workflows.argoproj.io/completed"], "true")
        self.assertEqual(done["status"]["progress"], "2/2")
        self.assertIn({"type": "Completed", "status": "True"}, done["status"]["conditions"])

    def test_tasks_run_in_dependency_order_with_argo_ids_and_pod_names(self):
        name = self.server.submit(two_step())["metadata"]["name"]
        seen = []
        wf = None
        for _ in range(20):
            wf = self.server.get(name)
            seen.append({d: n["phase"] for d, n in nodes_by_display(wf).items()})
            if wf["status"]["phase"] != "Running":
                break
        self.assertIn({name: "Running", "a": "Running"}, seen)
        self.assertIn({name: "Running", "a": "Succeeded", "b": "Running"}, seen)
        nodes = nodes_by_display(wf)
        a, b = nodes["a"], nodes["b"]
        self.assertEqual(a["id"], f"{name}-{fnv32a(name + '.a')}")
        self.assertEqual(a["name"], f"{name}.a")
        self.assertEqual(a["children"], [b["id"]])
        self.assertEqual(a["boundaryID"], name)
        self.assertEqual(nodes[name]["type"], "DAG")
        self.assertEqual(nodes[name]["children"], [a["id"]])
        self.assertEqual(nodes[name]["outboundNodes"], [b["id"]])
        self.assertIsNotNone(a["finishedAt"])
        self.assertEqual(a["outputs"]["exitCode"], "0")
        # v2 pod names: workflow-template-fnv32a(node name), as the log endpoint knows them
        status, body, _ = self.server.logs(name, podName=f"{name}-a-{fnv32a(name + '.a')}",
                                           **{"logOptions.container": "main"})
        self.assertIn("[a] done", body.decode())

    def test_running_nodes_have_a_null_finish(self):
        name = self.server.submit(two_step("pipewright-test:steps=3"))["metadata"]["name"]
        self.server.get(name)
        wf = self.server.get(name)
        self.assertIsNone(nodes_by_display(wf)["a"]["finishedAt"])
        self.assertIsNone(wf["status"]["finishedAt"])

    def test_failure_when_retry_strategy_and_exit_handler(self):
        wf = workflow([dag("main", [
            {"name": "flip", "template": "flip"},
            {"name": "heads", "template": "echo", "dependencies": ["flip"],
             "when": "{{tasks.flip.outputs.parameters.side}} == heads"},
            {"name": "tails", "template": "echo", "dependencies": ["flip"],
             "when": "{{tasks.flip.outputs.parameters.side}} == tails"},
            {"name": "each", "template": "item", "dependencies": ["flip"], "withItems": ["x", "y"],
             "arguments": {"parameters": [{"name": "v", "value": "{{item}}"}]}},
            {"name": "flaky", "template": "flaky", "dependencies": ["flip"]},
            {"name": "broken", "template": "broken", "dependencies": ["flaky"]},
            {"name": "after", "template": "echo", "dependencies": ["broken"]}]),
            container("flip", "pipewright-test:output:side=tails",
                      outputs={"parameters": [{"name": "side", "valueFrom": {"path": "/tmp/side"}}]}),
            container("echo"), container("item", "echo {{inputs.parameters.v}}", inputs=["v"]),
            dict(container("flaky", "pipewright-test:fail-once"), retryStrategy={"limit": "2"}),
            container("broken", "pipewright-test:fail"), container("bye")], onExit="bye")
        name = self.server.submit(wf)["metadata"]["name"]
        done = self.server.run_to_end(name)
        nodes = nodes_by_display(done)
        self.assertEqual(done["status"]["phase"], "Failed")
        self.assertEqual(nodes["heads"]["type"], "Skipped")
        self.assertEqual(nodes["heads"]["message"], "when 'tails == heads' evaluated false")
        self.assertEqual(nodes["tails"]["phase"], "Succeeded")
        self.assertEqual(nodes["each"]["type"], "TaskGroup")
        self.assertEqual(sorted(nodes[c]["displayName"] for c in [
            n["displayName"] for n in done["status"]["nodes"].values() if n["id"] in nodes["each"]["children"]]),
            ["each(0:x)", "each(1:y)"])
        self.assertEqual(nodes["flaky"]["type"], "Retry")
        self.assertEqual(nodes["flaky"]["phase"], "Succeeded")
        self.assertEqual([done["status"]["nodes"][c]["phase"] for c in nodes["flaky"]["children"]],
                         ["Failed", "Succeeded"])
        self.assertEqual(nodes["flaky"]["outputs"], done["status"]["nodes"][nodes["flaky"]["children"][-1]]["outputs"])
        self.assertEqual(nodes["broken"]["phase"], "Failed")
        self.assertEqual(nodes["broken"]["message"], "Error (exit code 1)")
        self.assertNotIn("after", nodes)  # Argo never creates a task whose dependency failed
        self.assertEqual(nodes[f"{name}.onExit"]["phase"], "Succeeded")
        self.assertEqual(done["status"]["message"], f"child '{nodes['broken']['id']}' failed")
        self.assertEqual(done["metadata"]["labels"]["workflows.argoproj.io/phase"], "Failed")

    def test_steps_and_with_param(self):
        wf = workflow([
            {"name": "main", "steps": [
                [{"name": "flip", "template": "flip"}],
                [{"name": "heads", "template": "echo", "when": "{{steps.flip.outputs.result}} == heads",
                  "arguments": {"parameters": [{"name": "x", "value": "h"}]}}],
                [{"name": "fan", "template": "echo", "withParam": "{{steps.flip.outputs.parameters.list}}",
                  "arguments": {"parameters": [{"name": "x", "value": "{{item}}"}]}}]]},
            # markers stop at a comma: a list output comes from valueFrom.default
            {"name": "flip", "script": {"image": "python:3.12", "command": ["python"],
                                        "source": "print('pipewright-test:output:result=heads')"},
             "outputs": {"parameters": [{"name": "list", "valueFrom": {"path": "/tmp/l", "default": "[1,2]"}}]}},
            container("echo", "echo {{inputs.parameters.x}}", inputs=["x"])])
        name = self.server.submit(wf)["metadata"]["name"]
        done = self.server.run_to_end(name)
        nodes = nodes_by_display(done)
        self.assertEqual(done["status"]["phase"], "Succeeded")
        self.assertEqual(nodes[name]["type"], "Steps")
        self.assertEqual([nodes[f"[{i}]"]["type"] for i in range(3)], ["StepGroup"] * 3)
        self.assertEqual(nodes["heads"]["phase"], "Succeeded")
        self.assertEqual(nodes["fan(1:2)"]["inputs"], {"parameters": [{"name": "x", "value": "2"}]})
        self.assertNotIn("inputs", nodes["fan"])

    def test_outputs_and_artifacts(self):
        wf = workflow([container("train", "pipewright-test:output:model=m1 pipewright-test:metric:accuracy=0.93",
                                 outputs={"parameters": [{"name": "model", "valueFrom": {"path": "/tmp/m"}}],
                                          "artifacts": [{"name": "mlpipeline-metrics", "path": "/tmp/metrics.json"},
                                                        {"name": "mlpipeline-ui-metadata", "path": "/tmp/ui.json"}]})],
                      entrypoint="train")
        name = self.server.submit(wf)["metadata"]["name"]
        done = self.server.run_to_end(name)
        node = done["status"]["nodes"][name]  # a one-pod workflow: the root is the pod
        self.assertEqual(node["type"], "Pod")
        self.assertEqual(node["outputs"]["parameters"], [{"name": "model", "value": "m1"}])
        keys = {a["name"]: a["s3"]["key"] for a in node["outputs"]["artifacts"]}
        self.assertEqual(keys["mlpipeline-metrics"], f"artifacts/{name}/{name}/mlpipeline-metrics.tgz")
        status, data, headers = self.server.request(
            "GET", f"/artifact-files/{NS}/workflows/{name}/{name}/outputs/mlpipeline-metrics")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-disposition"], 'filename="mlpipeline-metrics.tgz"')
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:  # the stored object, as Argo serves it
            member = tar.getmembers()[0]
            self.assertEqual(member.name, "mlpipeline-metrics.json")
            metrics = json.loads(tar.extractfile(member).read())
        self.assertEqual(metrics, {"metrics": [{"name": "accuracy", "numberValue": 0.93, "format": "PERCENTAGE"}]})
        status, data, _ = self.server.request(
            "GET", f"/artifact-files/{NS}/workflows/{name}/{name}/outputs/mlpipeline-ui-metadata")
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            ui = json.loads(tar.extractfile(tar.getmembers()[0]).read())
        self.assertEqual([o["type"] for o in ui["outputs"]], ["markdown", "table"])
        status, data, _ = self.server.request("GET", f"/artifact-files/{NS}/workflows/{name}/{name}/outputs/main-logs")
        self.assertIn(f"[{name}] done".encode(), data)
        self.assertEqual(self.server.request("GET", f"/artifacts/{NS}/{name}/{name}/mlpipeline-metrics")[0], 200)
        listed = self.server.test_call("GET", "artifacts", namespace=NS, name=name)[1]["artifacts"]
        self.assertTrue(all(a["stored"] for a in listed))

    def test_artifact_file_errors_are_plain_text(self):
        name = self.server.submit(workflow([container("a")], entrypoint="a"))["metadata"]["name"]
        self.server.run_to_end(name)
        base = f"/artifact-files/{NS}"
        for path, status, text in (
                (f"{base}/workflow/{name}/{name}/outputs/main-logs", 400, "Bad Request"),  # not "workflows"
                (f"{base}/workflows/{name}/{name}/sideways/main-logs", 400, "Bad Request"),
                (f"{base}/workflows/{name}", 400, "Bad Request"),
                (f"{base}/workflows/{name}/{name}-0/outputs/main-logs", 500, "Internal Server Error"),
                (f"{base}/workflows/{name}/{name}/outputs/nothing", 500, "Internal Server Error"),
                (f"{base}/workflows/ghost/ghost/outputs/main-logs", 500, "Internal Server Error"),
                (f"{base}/archived-workflows/{name}/{name}/outputs/main-logs", 500, "Internal Server Error"),
                (f"{base}/workflows/{name}/{name}/outputs/main-logs/inner.txt", 404, "Not Found")):
            with self.subTest(path=path):
                self.assertEqual(self.server.request("GET", path)[:2], (status, text + "\n"))

    def test_list_selectors_paging_and_fields(self):
        names = [self.server.submit(two_step())["metadata"]["name"] for _ in range(5)]
        failing = self.server.submit(workflow([container("a", "pipewright-test:fail")], entrypoint="a"))
        for _ in range(4):
            self.server.ok("GET", f"/api/v1/workflows/{NS}")  # a list observes every workflow
        page = self.server.ok("GET", f"/api/v1/workflows/{NS}",
                              query={"listOptions.labelSelector": "workflows.argoproj.io/phase=Failed"})
        self.assertEqual([w["metadata"]["name"] for w in page["items"]], [failing["metadata"]["name"]])
        page = self.server.ok("GET", f"/api/v1/workflows/{NS}", query={
            "listOptions.labelSelector": "workflows.argoproj.io/phase in (Succeeded),workflows.argoproj.io/completed"})
        self.assertEqual(sorted(w["metadata"]["name"] for w in page["items"]), sorted(names))
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}",
                                             query={"listOptions.labelSelector": "a in (b"}), 400, 3)
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}",
                                             query={"listOptions.fieldSelector": "status.phase=Failed"}),
                         400, 3, "unsupported requirement status.phase=Failed")
        fields = "metadata.continue,items.metadata,items.spec.arguments,items.status.phase,items.status.startedAt," \
                 "items.status.finishedAt,items.status.message"
        got, token = [], ""
        for _ in range(10):
            query = {"listOptions.limit": "2", "fields": fields}
            if token:
                query["listOptions.continue"] = token
            page = self.server.ok("GET", f"/api/v1/workflows/{NS}", query=query)
            for item in page["items"]:
                self.assertEqual(set(item), {"metadata", "spec", "status"})
                self.assertEqual(set(item["spec"]), set())  # two_step() has no arguments
                self.assertNotIn("nodes", item["status"])
            got += [w["metadata"]["name"] for w in page["items"]]
            token = page["metadata"].get("continue", "")
            if not token:
                break
        self.assertEqual(sorted(got), sorted(names + [failing["metadata"]["name"]]))
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}",
                                             query={"listOptions.continue": "2"}), 400, 3,
                         contains="continue key is not valid")
        first = self.server.ok("GET", f"/api/v1/workflows/{NS}", query={"listOptions.limit": "1"})
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}", query={
            "listOptions.continue": first["metadata"]["continue"], "listOptions.labelSelector": "x=y"}), 400, 3)
        one = self.server.get(names[0], fields="status.phase")
        self.assertEqual(one, {"status": {"phase": "Succeeded"}})

    def test_name_filter_says_how_the_name_selector_matches(self):
        names = sorted(self.server.submit(two_step())["metadata"]["name"] for _ in range(3))
        part = names[1][3:8]
        for name_filter, expected in (("", []), ("Exact", []), ("Contains", [n for n in names if part in n]),
                                      ("Prefix", []), ("Sometimes", names)):
            with self.subTest(name_filter=name_filter):
                query = {"listOptions.fieldSelector": f"metadata.name={part}"}
                if name_filter:
                    query["nameFilter"] = name_filter
                page = self.server.ok("GET", f"/api/v1/workflows/{NS}", query=query)
                self.assertEqual(sorted(w["metadata"]["name"] for w in page["items"] or []), expected)
        prefix = names[0][:5]
        page = self.server.ok("GET", f"/api/v1/workflows/{NS}", query={
            "listOptions.fieldSelector": f"metadata.name={prefix}", "nameFilter": "Prefix"})
        self.assertEqual(sorted(w["metadata"]["name"] for w in page["items"]), [n for n in names if n.startswith(prefix)])
        # Before paging: the first page of one is a match, not an empty page.
        page = self.server.ok("GET", f"/api/v1/workflows/{NS}", query={
            "listOptions.fieldSelector": f"metadata.name={names[2]}", "listOptions.limit": "1"})
        self.assertEqual([w["metadata"]["name"] for w in page["items"]], [names[2]])
        self.assertNotIn("continue", page["metadata"])

    def test_an_empty_list_has_null_items(self):
        self.assertEqual(self.server.ok("GET", "/api/v1/workflows/empty"), {"metadata": {"resourceVersion": "0"},
                                                                             "items": None})

    def test_get_and_delete(self):
        name = self.server.submit(two_step())["metadata"]["name"]
        self.assertEqual(self.server.ok("DELETE", f"/api/v1/workflows/{NS}/{name}"), {})
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}/{name}"), 404, 5,
                         f'workflows.argoproj.io "{name}" not found')
        self.assertError(self.server.request("DELETE", f"/api/v1/workflows/{NS}/{name}"), 404, 5)
        self.assertError(self.server.request("GET", f"/api/v1/workflows/elsewhere/{name}"), 404, 5)

    def test_terminate_skips_exit_handlers(self):
        wf = two_step("pipewright-test:steps=5")
        wf["spec"]["onExit"] = "b"
        name = self.server.submit(wf)["metadata"]["name"]
        self.server.get(name)
        self.server.get(name)  # a runs now
        body = {"name": name, "namespace": NS}
        after = self.server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/terminate", body)
        self.assertEqual(after["spec"]["shutdown"], "Terminate")
        done = self.server.run_to_end(name)
        self.assertEqual(done["status"]["phase"], "Failed")
        self.assertEqual(done["status"]["message"], "Stopped with strategy 'Terminate'")
        self.assertEqual(nodes_by_display(done)["a"]["message"], "Stopped with strategy 'Terminate'")
        self.assertNotIn(f"{name}.onExit", nodes_by_display(done))
        self.assertError(self.server.request("PUT", f"/api/v1/workflows/{NS}/{name}/terminate", body), 400, 3,
                         f"cannot shutdown a completed workflow: workflow: {name}, namespace: {NS}")

    def test_stop_runs_exit_handlers(self):
        wf = two_step("pipewright-test:steps=5")
        wf["spec"]["onExit"] = "b"
        name = self.server.submit(wf)["metadata"]["name"]
        self.server.get(name)
        self.server.get(name)
        self.server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/stop", {"name": name, "namespace": NS})
        done = self.server.run_to_end(name)
        self.assertEqual(done["status"]["message"], "Stopped with strategy 'Stop'")
        self.assertEqual(nodes_by_display(done)[f"{name}.onExit"]["phase"], "Succeeded")

    def test_retry_runs_only_what_failed(self):
        name = self.server.submit(two_step("echo a", "pipewright-test:fail-once"))["metadata"]["name"]
        self.assertError(self.server.request("PUT", f"/api/v1/workflows/{NS}/{name}/retry",
                                             {"name": name, "namespace": NS}), 400, 3,
                         "Cannot retry a workflow in phase ")
        failed = self.server.run_to_end(name)
        self.assertEqual(failed["status"]["phase"], "Failed")
        a_before = nodes_by_display(failed)["a"]
        retried = self.server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/retry",
                                 {"name": name, "namespace": NS, "restartSuccessful": False})
        self.assertEqual(retried["status"]["phase"], "Running")
        self.assertNotIn("workflows.argoproj.io/completed", {k: v for k, v in retried["metadata"]["labels"].items()
                                                             if v == "true"})
        done = self.server.run_to_end(name)
        self.assertEqual(done["status"]["phase"], "Succeeded")
        self.assertEqual(nodes_by_display(done)["a"], a_before)  # the succeeded task did not run again
        self.assertError(self.server.request("PUT", f"/api/v1/workflows/{NS}/{name}/retry",
                                             {"name": name, "namespace": NS}), 400, 3,
                         "To retry a succeeded workflow, set the options restartSuccessful and nodeFieldSelector")

    def test_retry_restart_successful_with_a_node_selector(self):
        name = self.server.submit(two_step())["metadata"]["name"]
        done = self.server.run_to_end(name)
        a_started = nodes_by_display(done)["a"]["startedAt"]
        self.server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/retry", {
            "name": name, "namespace": NS, "restartSuccessful": True, "nodeFieldSelector": "displayName=a"})
        again = self.server.run_to_end(name)
        self.assertEqual(again["status"]["phase"], "Succeeded")
        self.assertGreater(nodes_by_display(again)["a"]["startedAt"], a_started)

    def test_resubmit_makes_a_new_workflow(self):
        wf = two_step()
        wf["metadata"]["labels"] = {"team": "ml"}
        old = self.server.submit(wf)["metadata"]["name"]
        self.server.run_to_end(old)
        new = self.server.ok("PUT", f"/api/v1/workflows/{NS}/{old}/resubmit", {"name": old, "namespace": NS})
        self.assertNotEqual(new["metadata"]["name"], old)
        self.assertEqual(new["metadata"]["labels"], {"team": "ml",
                                                     "workflows.argoproj.io/resubmitted-from-workflow": old})
        self.assertEqual(self.server.run_to_end(new["metadata"]["name"])["status"]["phase"], "Succeeded")

    def test_info_and_a_null_body(self):
        self.assertIn("modals", self.server.ok("GET", "/api/v1/info"))
        self.assertIn("subject", self.server.ok("GET", "/api/v1/userinfo"))
        self.assertError(self.server.request("POST", f"/api/v1/workflows/{NS}", raw=b"null"), 400, 3,
                         "workflow body not specified")

    def test_version(self):
        v = self.server.ok("GET", "/api/v1/version")
        self.assertEqual((v["version"], v["gitTag"]), ("v3.5.8", "v3.5.8"))
        self.assertEqual(len(v), 8)


# -- logs -------------------------------------------------------------------------

class LogTest(ServerTest):
    def started(self, command="pipewright-test:steps=3"):
        name = self.server.submit(workflow([container("a", command)], entrypoint="a"))["metadata"]["name"]
        return name, name  # one pod: the pod is named after the workflow

    def test_ndjson_by_default(self):
        name, pod = self.started()
        status, body, headers = self.server.logs(name, **{"logOptions.container": "main"})
        self.assertEqual((status, headers["content-type"]), (200, "application/json"))
        self.assertEqual(headers["transfer-encoding"], "chunked")
        lines = body.decode().splitlines()
        entries = [json.loads(line) for line in lines]
        # a one-pod workflow: the root node is the pod, named and displayed as the workflow
        self.assertEqual(entries[0], {"result": {"content": f"[{name}] started in pod {pod} (image alpine:3.20)",
                                                 "podName": pod}})

    def test_sse_when_asked(self):
        name, pod = self.started()
        status, body, headers = self.server.logs(name, sse=True, **{"logOptions.container": "main"})
        self.assertEqual(headers["content-type"], "text/event-stream")
        events = body.decode().split("\n\n")
        self.assertEqual(events[-1], "")
        for event in events[:-1]:
            self.assertTrue(event.startswith("data: "), event)
            self.assertEqual(set(json.loads(event[6:])["result"]), {"content", "podName"})

    def test_timestamps_podname_container_grep(self):
        name, pod = self.started("echo hi")
        self.server.run_to_end(name)
        _, body, _ = self.server.logs(name, **{"logOptions.container": "main", "logOptions.timestamps": "true",
                                               "podName": pod})
        first = json.loads(body.decode().splitlines()[0])["result"]["content"]
        self.assertRegex(first, r"^2026-01-01T00:00:\d\d\.\d{9}Z \[test-\w{5}\] started")
        self.assertEqual(self.server.logs(name, podName="nope", **{"logOptions.container": "main"})[:2], (200, b""))
        self.assertEqual(self.server.logs(name)[:2], (200, b""))  # no container: Kubernetes refuses, Argo logs it
        _, body, _ = self.server.logs(name, **{"logOptions.container": "wait"})
        self.assertIn("Starting Workflow Executor", body.decode())
        _, body, _ = self.server.logs(name, grep="done$", **{"logOptions.container": "main"})
        self.assertEqual([json.loads(x)["result"]["content"] for x in body.decode().splitlines()], [f"[{name}] done"])
        self.assertError(self.server.request("GET", f"/api/v1/workflows/{NS}/ghost/log"), 404, 5,
                         'workflows.argoproj.io "ghost" not found')

    def test_pod_logs_path(self):
        name, pod = self.started("echo hi")
        self.server.run_to_end(name)
        status, body, _ = self.server.request("GET", f"/api/v1/workflows/{NS}/{name}/{pod}/log",
                                              query={"logOptions.container": "main"})
        self.assertEqual(status, 200)
        self.assertIn(f"[{name}] done", body.decode())

    def test_follow_streams_until_the_workflow_ends(self):
        wf = two_step("pipewright-test:steps=4", "echo b")
        name = self.server.submit(wf)["metadata"]["name"]
        self.assertEqual(self.server.get(name)["status"]["phase"], "Running")
        pod = f"{name}-a-{fnv32a(name + '.a')}"
        _, once, _ = self.server.logs(name, podName=pod, **{"logOptions.container": "main"})
        status, body, _ = self.server.logs(name, sse=True, podName=pod, **{
            "logOptions.container": "main", "logOptions.follow": "true", "logOptions.timestamps": "true"})
        self.assertEqual(status, 200)
        contents = [json.loads(e[6:])["result"]["content"] for e in body.decode().split("\n\n") if e]
        self.assertTrue(contents[-1].endswith("[a] done"), contents)
        self.assertTrue(any("working (step" in c for c in contents))
        self.assertGreater(len(contents), len(once.decode().splitlines()))
        self.assertEqual(self.server.get(name)["status"]["phase"], "Succeeded")  # it moved while followed


class ManualStepsTest(ServerTest):
    """--manual-steps: reads do not move workflows; /_test/advance does."""
    server_args = ("--manual-steps",)

    def test_reads_do_not_move_and_advance_does(self):
        name = self.server.submit(two_step())["metadata"]["name"]
        for _ in range(3):
            self.assertEqual(self.server.get(name)["status"], {"startedAt": None, "finishedAt": None})
        self.server.ok("GET", f"/api/v1/workflows/{NS}")
        self.server.test_call("POST", "advance", namespace=NS, name=name, steps="2")
        self.assertEqual(nodes_by_display(self.server.get(name))["a"]["phase"], "Running")
        self.assertEqual(nodes_by_display(self.server.get(name))["a"]["phase"], "Running")

    def test_a_followed_log_waits_for_advances(self):
        name = self.server.submit(two_step())["metadata"]["name"]
        self.server.test_call("POST", "advance", namespace=NS, name=name, steps="2")
        pod = f"{name}-a-{fnv32a(name + '.a')}"
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.request("GET", f"/api/v1/workflows/{NS}/{name}/log?podName={pod}&logOptions.container=main"
                            f"&logOptions.follow=true", headers={"Authorization": f"Bearer {TOKEN}"})
        resp = conn.getresponse()
        first = json.loads(resp.readline())["result"]["content"]  # chunked: one entry per line
        self.assertEqual(first, f"[a] started in pod {pod} (image alpine:3.20)")
        self.server.test_call("POST", "advance", namespace=NS, name=name, steps="10")
        rest = [json.loads(line)["result"]["content"] for line in resp.read().splitlines()]
        conn.close()
        self.assertEqual(rest[-1], "[a] done")
        self.assertEqual(self.server.get(name)["status"]["phase"], "Succeeded")


# -- CronWorkflows ----------------------------------------------------------------

def cron(schedule_field="schedule", schedule="*/15 * * * *", **spec):
    body = {"apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow", "metadata": {"name": "nightly"},
            "spec": dict({"workflowSpec": {"entrypoint": "a", "templates": [container("a")]},
                          schedule_field: schedule}, **spec)}
    if schedule_field == "schedules":
        body["spec"]["schedules"] = [schedule] if isinstance(schedule, str) else schedule
    return body


class CronTest(ServerTest):
    field = "schedule"
    other = "schedules"

    def create(self, body):
        return self.server.request("POST", f"/api/v1/cron-workflows/{NS}", {"namespace": NS, "cronWorkflow": body})

    def test_create_list_get_suspend_resume_delete(self):
        self.assertEqual(self.server.ok("GET", f"/api/v1/cron-workflows/{NS}")["items"], [])
        made = self.create(cron(self.field, timezone="Asia/Tokyo", concurrencyPolicy="Forbid",
                                startingDeadlineSeconds=0))
        self.assertEqual(made[0], 200, made[1])
        self.assertEqual(made[1]["status"]["active"], None)
        listed = self.server.ok("GET", f"/api/v1/cron-workflows/{NS}")["items"]
        self.assertEqual([c["metadata"]["name"] for c in listed], ["nightly"])
        self.server.ok("PUT", f"/api/v1/cron-workflows/{NS}/nightly/suspend", {"name": "nightly", "namespace": NS})
        self.assertTrue(self.server.ok("GET", f"/api/v1/cron-workflows/{NS}/nightly")["spec"]["suspend"])
        self.assertEqual(self.server.test_call("POST", "trigger-cron", namespace=NS, name="nightly")[1],
                         {"workflow": None, "skipped": "suspended"})
        self.server.ok("PUT", f"/api/v1/cron-workflows/{NS}/nightly/resume", {"name": "nightly", "namespace": NS})
        self.assertFalse(self.server.ok("GET", f"/api/v1/cron-workflows/{NS}/nightly")["spec"]["suspend"])
        self.assertEqual(self.create(cron(self.field))[1],
                         {"code": 6, "message": 'cronworkflows.argoproj.io "nightly" already exists'})
        self.assertEqual(self.server.ok("DELETE", f"/api/v1/cron-workflows/{NS}/nightly"), {})
        self.assertError(self.server.request("GET", f"/api/v1/cron-workflows/{NS}/nightly"), 404, 5,
                         'cronworkflows.argoproj.io "nightly" not found')

    def test_the_schedule_field_the_version_does_not_know_is_refused(self):
        self.assertError(self.create(cron(self.other)), 400, 3, f'json: unknown field "{self.other}"')

    def test_checks(self):
        for spec, message in (
                ({"timezone": "Mars/Olympus"}, "cron schedule */15 * * * * is malformed: provided bad location "
                                               "Mars/Olympus: unknown time zone Mars/Olympus"),
                ({"concurrencyPolicy": "Sometimes"}, "'Sometimes' is not a valid concurrencyPolicy"),
                ({"startingDeadlineSeconds": -1}, "startingDeadlineSeconds must be positive")):
            with self.subTest(message=message):
                self.assertError(self.create(cron(self.field, **spec)), 400, 3, message)
        self.assertError(self.create(cron(self.field, schedule="0 0 6 * * *")), 400, 3,
                         "cron schedule 0 0 6 * * * is malformed: expected exactly 5 fields, found 6: [0 0 6 * * *]")
        long = cron(self.field)
        long["metadata"]["name"] = "n" * 53
        self.assertError(self.create(long), 400, 3, contains="must not be more than 52 characters long")
        broken = cron(self.field)
        broken["spec"]["workflowSpec"]["entrypoint"] = "nope"
        self.assertError(self.create(broken), 400, 3, "cannot validate Workflow: template name 'nope' undefined")

    def test_trigger_makes_a_workflow(self):
        body = cron(self.field, concurrencyPolicy="Forbid")
        body["spec"]["workflowSpec"]["templates"] = [container("a", "pipewright-test:steps=3")]
        self.assertEqual(self.create(body)[0], 200)
        made = self.server.test_call("POST", "trigger-cron", namespace=NS, name="nightly")[1]
        wf = self.server.get(made["workflow"])
        self.assertRegex(made["workflow"], r"^nightly-\d+$")
        self.assertEqual(wf["metadata"]["labels"]["workflows.argoproj.io/cron-workflow"], "nightly")
        self.assertIn("workflows.argoproj.io/scheduled-time", wf["metadata"]["annotations"])
        status = self.server.ok("GET", f"/api/v1/cron-workflows/{NS}/nightly")["status"]
        self.assertEqual([a["name"] for a in status["active"]], [made["workflow"]])
        self.assertIn("skipped", self.server.test_call("POST", "trigger-cron", namespace=NS, name="nightly")[1])
        self.server.run_to_end(made["workflow"])
        self.assertIsNone(self.server.ok("GET", f"/api/v1/cron-workflows/{NS}/nightly")["status"]["active"])


    def test_a_workflow_the_api_server_refuses_is_not_started(self):
        body = cron(self.field)
        body["spec"]["workflowMetadata"] = {"labels": {"pipeline": "not a label value"}}
        self.assertEqual(self.create(body)[0], 200)  # workflowMetadata is not checked on create
        made = self.server.test_call("POST", "trigger-cron", namespace=NS, name="nightly")[1]
        self.assertIsNone(made["workflow"])
        self.assertIn('Failed to submit Workflow: Workflow.argoproj.io "nightly-', made["skipped"])
        self.assertIn('metadata.labels: Invalid value: "not a label value"', made["skipped"])
        status = self.server.ok("GET", f"/api/v1/cron-workflows/{NS}/nightly")["status"]
        self.assertEqual(status["conditions"], [{"type": "SubmissionError", "status": "True",
                                                 "message": made["skipped"]}])
        self.assertIsNone(status["active"])
        self.assertIsNone(self.server.ok("GET", f"/api/v1/workflows/{NS}")["items"])


class Cron36Test(CronTest):
    server_args = ("--version", "v3.6.2")
    field = "schedules"
    other = "schedule"

    def test_version(self):
        self.assertEqual(self.server.ok("GET", "/api/v1/version")["version"], "v3.6.2")

    def test_status_counts_children(self):
        self.assertEqual(self.create(cron(self.field))[0], 200)
        made = self.server.test_call("POST", "trigger-cron", namespace=NS, name="nightly")[1]
        self.server.run_to_end(made["workflow"])
        status = self.server.ok("GET", f"/api/v1/cron-workflows/{NS}/nightly")["status"]
        self.assertEqual((status["succeeded"], status["failed"]), (1, 0))


# -- the requests the Argo plugin sends (plugins/argo/*.cpp) -------------------------

PLUGIN_FIELDS = "metadata.continue,items.metadata,items.spec.arguments,items.status.phase,items.status.startedAt," \
                "items.status.finishedAt,items.status.message"


def plugin_pod_name(wf, node):
    """argonodes.cpp podName(): v2 names from the workflow, template and node id."""
    node_id = node["id"]
    name = wf["metadata"]["name"]
    if wf["metadata"].get("annotations", {}).get("workflows.argoproj.io/pod-name-format") != "v2":
        return node_id
    if not node.get("templateName") or node_id == name:
        return node_id
    return f"{name}-{node['templateName']}-{node_id.rsplit('-', 1)[-1]}"


class PluginRequestsTest(ServerTest):
    """The plugin's calls, as argobackend.cpp and argoschedules.cpp make them."""

    def pipeline(self):
        wf = workflow([dag("main", [{"name": "train", "template": "train"},
                                    {"name": "report", "template": "report", "dependencies": ["train"]}]),
                       container("train", "pipewright-test:steps=2 pipewright-test:output:model=m1",
                                 outputs={"parameters": [{"name": "model", "valueFrom": {"path": "/tmp/model"}}],
                                          "artifacts": [{"name": "mlpipeline-metrics", "path": "/tmp/m.json"}]}),
                       container("report", "pipewright-test:metric:auc=0.8")],
                      arguments={"parameters": [{"name": "lr", "value": "0.1"}]})
        wf["metadata"] = {"generateName": "my-pipeline-", "namespace": NS,
                          "labels": {"pipelines.kubeflow.org/pipeline": "my-pipeline",
                                     "pipewright.dev/submitted": "true"},
                          "annotations": {"pipelines.kubeflow.org/run_name": "run 1"}}
        return wf

    def test_probe_submit_list_get_logs_artifacts(self):
        self.assertEqual(self.server.ok("GET", "/api/v1/version")["version"], "v3.5.8")
        self.server.ok("GET", f"/api/v1/workflows/{NS}", query={"listOptions.limit": "1"})
        body = {"namespace": NS, "workflow": self.pipeline()}
        self.server.ok("POST", f"/api/v1/workflows/{NS}/lint", body)
        name = self.server.ok("POST", f"/api/v1/workflows/{NS}", body)["metadata"]["name"]
        page = self.server.ok("GET", f"/api/v1/workflows/{NS}", query={
            "listOptions.limit": "100", "listOptions.labelSelector": "workflows.argoproj.io/phase=Running",
            "fields": PLUGIN_FIELDS})
        self.assertEqual([w["metadata"]["name"] for w in page["items"]], [name])
        self.assertEqual(page["items"][0]["spec"], {"arguments": {"parameters": [{"name": "lr", "value": "0.1"}]}})
        wf = self.server.get(name)
        wf = self.server.get(name)
        train = nodes_by_display(wf)["train"]
        pod = plugin_pod_name(wf, train)
        status, body, _ = self.server.request("GET", f"/api/v1/workflows/{NS}/{name}/log", query={
            "podName": pod, "logOptions.container": "main", "logOptions.follow": "true",
            "logOptions.timestamps": "true"}, headers={"Accept": "text/event-stream"})
        self.assertEqual(status, 200)
        self.assertIn("[train] done", body.decode())
        done = self.server.run_to_end(name)
        train = nodes_by_display(done)["train"]
        _, body, _ = self.server.request("GET", f"/api/v1/workflows/{NS}/{name}/log", query={
            "podName": plugin_pod_name(done, train), "logOptions.container": "main", "logOptions.timestamps": "true"})
        self.assertTrue(all(json.loads(x)["result"]["podName"] == pod for x in body.decode().splitlines()))
        status, data, _ = self.server.request(
            "GET", f"/artifact-files/{NS}/workflows/{name}/{train['id']}/outputs/mlpipeline-metrics")
        self.assertEqual(status, 200)
        self.assertEqual(data[:2], b"\x1f\x8b")  # the archived .tgz: the plugin unpacks it

    def test_cancel_retry_delete(self):
        body = {"namespace": NS, "workflow": self.pipeline()}
        body["workflow"]["spec"]["templates"][2]["container"]["args"] = ["pipewright-test:fail-once"]
        name = self.server.ok("POST", f"/api/v1/workflows/{NS}", body)["metadata"]["name"]
        failed = self.server.run_to_end(name)
        self.assertEqual(failed["status"]["phase"], "Failed")
        self.server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/retry",
                       {"name": name, "namespace": NS, "restartSuccessful": False})
        self.server.get(name)
        self.server.ok("PUT", f"/api/v1/workflows/{NS}/{name}/terminate", {"name": name, "namespace": NS})
        self.assertEqual(self.server.run_to_end(name)["status"]["message"], "Stopped with strategy 'Terminate'")
        self.server.ok("DELETE", f"/api/v1/workflows/{NS}/{name}")

    def cron_body(self, version):
        wf = self.pipeline()
        spec = {"workflowSpec": wf["spec"], "concurrencyPolicy": "Forbid", "suspend": False,
                "timezone": "Europe/Paris", "startingDeadlineSeconds": 0,
                "workflowMetadata": {"labels": wf["metadata"]["labels"]}}
        if version >= (3, 6):
            spec["schedules"] = ["30 6 * * *"]
        else:
            spec["schedule"] = "30 6 * * *"
        return {"namespace": NS, "cronWorkflow": {"apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow",
                                                  "metadata": {"namespace": NS, "generateName": "my-pipeline-"},
                                                  "spec": spec}}

    def test_schedules(self):
        version = gateway.parse_version(self.server.ok("GET", "/api/v1/version")["version"])
        made = self.server.ok("POST", f"/api/v1/cron-workflows/{NS}", self.cron_body(version))
        name = made["metadata"]["name"]
        self.assertRegex(name, r"^my-pipeline-\w{5}$")
        self.assertEqual([c["metadata"]["name"] for c in self.server.ok("GET", f"/api/v1/cron-workflows/{NS}")["items"]],
                         [name])
        for verb, suspended in (("suspend", True), ("resume", False)):
            got = self.server.ok("PUT", f"/api/v1/cron-workflows/{NS}/{name}/{verb}", {"name": name, "namespace": NS})
            self.assertEqual(got["spec"]["suspend"], suspended)
        run = self.server.test_call("POST", "trigger-cron", namespace=NS, name=name)[1]["workflow"]
        labels = self.server.get(run)["metadata"]["labels"]
        self.assertEqual(labels["pipelines.kubeflow.org/pipeline"], "my-pipeline")
        self.server.ok("DELETE", f"/api/v1/cron-workflows/{NS}/{name}")


class PluginSchedules36Test(ServerTest):
    """The plugin's CronWorkflows against a 3.6 server (a `schedules` list)."""
    server_args = ("--version", "v3.6.2")
    pipeline = PluginRequestsTest.pipeline
    cron_body = PluginRequestsTest.cron_body
    test_schedules = PluginRequestsTest.test_schedules


# -- /_test/ ----------------------------------------------------------------------

class TestApiTest(ServerTest):
    def test_requests_log_shows_headers_but_not_the_token(self):
        self.server.request("GET", f"/api/v1/workflows/{NS}", headers={"Accept": "text/event-stream"})
        entry = self.server.test_call("GET", "requests")[1]["requests"][-1]
        self.assertEqual(entry["headers"]["Accept"], "text/event-stream")
        self.assertEqual(entry["authorization"], {"present": True, "scheme": "Bearer"})
        self.assertNotIn("Authorization", entry["headers"])
        self.assertEqual(entry["status"], 200)

    def test_drop_closes_the_connection_unanswered(self):
        self.server.test_call("POST", "drop", count="1")
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError)):
            self.server.request("GET", f"/api/v1/workflows/{NS}")
        self.assertEqual(self.server.request("GET", f"/api/v1/workflows/{NS}")[0], 200)
        entries = self.server.test_call("GET", "requests")[1]["requests"]
        self.assertEqual([e["dropped"] for e in entries], [True, False])

    def test_advance_moves_without_observing(self):
        name = self.server.submit(two_step())["metadata"]["name"]
        moved = self.server.test_call("POST", "advance", namespace=NS, name=name, steps="50")[1]
        self.assertEqual(moved["phase"], "Succeeded")
        self.assertLess(moved["steps"], 50)
        self.assertEqual(self.server.test_call("POST", "advance", namespace=NS, name="ghost")[0], 404)

    def test_reset_and_unknown(self):
        self.server.submit(two_step())
        self.server.test_call("POST", "reset")
        self.assertEqual(self.server.ok("GET", f"/api/v1/workflows/{NS}")["items"], None)
        self.assertEqual(self.server.test_call("GET", "nothing")[0], 404)
        self.assertEqual(self.server.test_call("GET", "reset")[0], 405)


if __name__ == "__main__":
    unittest.main()
