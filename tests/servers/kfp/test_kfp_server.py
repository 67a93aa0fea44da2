# SPDX-License-Identifier: Apache-2.0
"""Tests of the test KFP server: python3 -m unittest discover -s tests/servers/kfp -v

The reference data (Swagger, IR proto, goldens, captured responses) is read
from $PW_REFERENCE_DIR (default tests/reference)."""
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

import contract  # noqa: E402
import cron  # noqa: E402
import fixtures  # noqa: E402
import protoschema  # noqa: E402
import specs  # noqa: E402
import uiserver  # noqa: E402
import yamlmini  # noqa: E402
from errors import ApiError  # noqa: E402

REFERENCE = os.environ.get("PW_REFERENCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference"))
SWAGGER = os.path.join(REFERENCE, "kfp-api")
IR_DIR = os.path.join(REFERENCE, "kfp-ir")
SERVER = os.path.join(HERE, "kfp_server.py")
EPOCH = 1767225600  # 2026-01-01T00:00:00Z
TERMINAL = ("SUCCEEDED", "FAILED", "SKIPPED", "CANCELED")


def setUpModule():
    if not os.path.isdir(SWAGGER):
        raise unittest.SkipTest(f"no KFP Swagger under {REFERENCE} (set PW_REFERENCE_DIR)")
    specs.IRSchema.load(IR_DIR)


class Server:
    """The server in a subprocess on a free port."""

    def __init__(self, *args, check=True):
        cmd = [sys.executable, SERVER, "--swagger-dir", SWAGGER, "--port", "0", "--epoch", str(EPOCH)]
        if check:
            cmd.append("--check-responses")
        self.proc = subprocess.Popen(cmd + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on "):
            self.proc.kill()
            raise RuntimeError(f"server did not start: {line!r} {self.proc.stderr.read()}")
        self.port = int(line.split()[-1])
        self.token = None
        self.headers = {}

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

    def request(self, method, path, body=None, query=None, headers=None, token=True, raw=None, content_type=None):
        """(status, parsed JSON or text, response headers)."""
        if query:
            path += "?" + urllib.parse.urlencode(query, doseq=True)
        hdrs = dict(self.headers)
        if token and self.token:
            hdrs["Authorization"] = f"Bearer {self.token}"
        hdrs.update(headers or {})
        data = raw
        if body is not None:
            data = json.dumps(body).encode() if not isinstance(body, (bytes, str)) else \
                (body.encode() if isinstance(body, str) else body)
            hdrs.setdefault("Content-Type", "application/json")
        if content_type:
            hdrs["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
            kind = resp.getheader("Content-Type", "")
            if "json" in kind:
                value = json.loads(payload) if payload else None
            elif "text" in kind:
                value = payload.decode()
            else:
                value = payload
            return resp.status, value, dict(resp.getheaders())
        finally:
            conn.close()

    def ok(self, method, path, body=None, **kwargs):
        status, value, _ = self.request(method, path, body, **kwargs)
        if status != 200:
            raise AssertionError(f"{method} {path}: {status} {value}")
        return value

    def upload(self, path, filename, data, query=None, token=True, headers=None):
        boundary = "----pipewright-test-boundary"
        if isinstance(data, str):
            data = data.encode()
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"uploadfile\"; filename=\"{filename}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", path, raw=body, query=query, token=token, headers=headers,
                            content_type=f"multipart/form-data; boundary={boundary}")

    def test_call(self, method, name, **query):
        return self.request(method, f"/_test/{name}", query=query or None, token=False)


class ServerTest(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(*cls.server_args)

    @classmethod
    def tearDownClass(cls):
        err = cls.server.stop()
        if "self-check failed" in err or "Traceback" in err:
            raise AssertionError(f"the server reported:\n{err}")

    def setUp(self):
        self.assertEqual(self.server.test_call("POST", "reset")[0], 200)

    # -- helpers --------------------------------------------------------
    def assertError(self, response, status, code, *fragments):
        got_status, body, _ = response
        self.assertEqual(got_status, status, body)
        self.assertEqual(body["code"], code, body)
        self.assertEqual(body["error"], body["message"])
        self.assertIsInstance(body["details"], list)
        for fragment in fragments:
            self.assertIn(fragment, body["message"])
        return body

    def create_run(self, spec, name="run", params=None, experiment_id=None, **extra):
        body = {"display_name": name, "pipeline_spec": spec}
        if params is not None:
            body["runtime_config"] = {"parameters": params}
        if experiment_id:
            body["experiment_id"] = experiment_id
        body.update(extra)
        return self.server.ok("POST", "/apis/v2beta1/runs", body)

    def watch(self, run_id, limit=60, version="v2beta1"):
        """GETs the run until it ends; returns every answer."""
        seen = []
        for _ in range(limit):
            run = self.server.ok("GET", f"/apis/{version}/runs/{run_id}")
            seen.append(run)
            state = run["state"] if version == "v2beta1" else run["run"]["status"]
            if state in TERMINAL or state in ("Succeeded", "Failed", "Skipped"):
                return seen
        self.fail(f"run {run_id} did not end in {limit} GETs")

    @staticmethod
    def tasks(run):
        return {t["display_name"]: t for t in run.get("run_details", {}).get("task_details", [])}


# ---------------------------------------------------------------------------
# The contract layer on its own
# ---------------------------------------------------------------------------

class ContractTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.contract = contract.Contract(SWAGGER)

    def decode(self, op_id, body, version="v2beta1"):
        op = self.contract.find(op_id, version)
        return self.contract.decode_body(op, body.encode())

    def test_unknown_field_is_refused_like_protojson(self):
        with self.assertRaises(ApiError) as e:
            self.decode("RunService_CreateRun", '{"display_name": "x",\n "bogus": 1}')
        self.assertEqual(e.exception.message, 'proto: (line 2:2): unknown field "bogus"')
        with self.assertRaises(ApiError) as e:
            self.decode("RunService_CreateRun", '{"runtime_config": {"pipeline_root": "x", "nope": true}}')
        self.assertEqual(e.exception.message, 'proto: (line 1:43): unknown field "nope"')

    def test_wrong_types_are_refused_naming_the_field(self):
        cases = [('{"display_name": 5}', "invalid value for string field displayName: 5"),
                 ('{"service_account": ["a"]}', "invalid value for string field serviceAccount: ["),
                 ('{"state": "DONE"}', 'invalid value for enum field state: "DONE"'),
                 ('{"created_at": "yesterday"}', 'invalid google.protobuf.Timestamp value "yesterday"'),
                 ('{"runtime_config": []}', "unexpected token ["),
                 ('{"pipeline_spec": "text"}', 'unexpected token "text"')]
        for body, message in cases:
            with self.subTest(body=body), self.assertRaises(ApiError) as e:
                self.decode("RunService_CreateRun", body)
            self.assertIn(message, e.exception.message)
            self.assertEqual(e.exception.code, 3)

    def test_protojson_accepts_what_it_accepts(self):
        run = self.decode("RunService_CreateRun", '{"displayName": "camel", "state": 3, "created_at": '
                                                   '"2024-01-02T03:04:05.5+01:00", "run_details": {"pipeline_context_id": '
                                                   '"12"}, "pipeline_spec": {"anything": [1, {"goes": null}]}, '
                                                   '"description": null}')
        self.assertEqual(run["display_name"], "camel")
        self.assertEqual(run["state"], "SUCCEEDED")
        self.assertEqual(run["run_details"]["pipeline_context_id"], 12)
        self.assertNotIn("description", run)
        job = self.decode("RecurringRunService_CreateRecurringRun", '{"max_concurrency": 3}')
        self.assertEqual(job["max_concurrency"], 3)
        job = self.decode("RecurringRunService_CreateRecurringRun", '{"max_concurrency": "3", "trigger": '
                                                                    '{"periodic_schedule": {"interval_second": 6e1}}}')
        self.assertEqual(job["trigger"]["periodic_schedule"]["interval_second"], 60)
        with self.assertRaises(ApiError):
            self.decode("RecurringRunService_CreateRecurringRun", '{"max_concurrency": 1.5}')

    def test_duplicate_and_oneof_conflicts(self):
        with self.assertRaises(ApiError) as e:
            self.decode("RunService_CreateRun", '{"display_name": "a", "displayName": "b"}')
        self.assertIn('duplicate field "displayName"', e.exception.message)
        with self.assertRaises(ApiError) as e:
            self.decode("RunService_CreateRun", '{"pipeline_spec": {}, "pipeline_version_reference": {}}')
        self.assertIn("oneof kubeflow.pipelines.backend.api.v2beta1.Run.pipeline_source is already set",
                      e.exception.message)
        with self.assertRaises(ApiError) as e:
            self.decode("RecurringRunService_CreateRecurringRun",
                        '{"trigger": {"cron_schedule": {}, "periodic_schedule": {}}}')
        self.assertIn("Trigger.trigger is already set", e.exception.message)

    def test_syntax_errors_have_positions(self):
        with self.assertRaises(ApiError) as e:
            self.decode("RunService_CreateRun", '{"display_name": }')
        self.assertTrue(e.exception.message.startswith("proto: syntax error (line 1:18)"), e.exception.message)

    def test_routing(self):
        op, params = self.contract.match("POST", "/apis/v2beta1/runs/abc:terminate")
        self.assertEqual((op.operation_id, params), ("RunService_TerminateRun", {"run_id": "abc"}))
        op, params = self.contract.match("DELETE", "/apis/v2beta1/pipelines/p/versions/v")
        self.assertEqual(params, {"pipeline_id": "p", "pipeline_version_id": "v"})
        op, _ = self.contract.match("POST", "/apis/v2beta1/pipelines/upload")
        self.assertEqual(op.operation_id, "UploadPipeline")
        with self.assertRaises(ApiError) as e:
            self.contract.match("GET", "/apis/v2beta1/nothing")
        self.assertEqual((e.exception.code, e.exception.http_status), (5, 404))
        with self.assertRaises(ApiError) as e:
            self.contract.match("PUT", "/apis/v2beta1/runs/x")
        self.assertEqual((e.exception.code, e.exception.http_status), (12, 501))

    def test_query_parameters(self):
        op = self.contract.find("RunService_ListRuns", "v2beta1")
        self.assertEqual(self.contract.parameters(op, {}, {"page_size": ["7"], "unknown": ["x"]}), {"page_size": 7})
        with self.assertRaises(ApiError) as e:
            self.contract.parameters(op, {}, {"page_size": ["seven"]})
        self.assertEqual(e.exception.message,
                         'type mismatch, parameter: page_size, error: strconv.ParseInt: parsing "seven": invalid syntax')
        op = self.contract.find("PipelineService_DeletePipeline", "v2beta1")
        with self.assertRaises(ApiError):
            self.contract.parameters(op, {"pipeline_id": "p"}, {"cascade": ["maybe"]})

    def test_response_checker_is_strict(self):
        run_schema = {"$ref": "#/definitions/v2beta1Run"}
        defs = self.contract.definitions
        self.assertEqual(contract.check_output({"run_id": "x", "state": "RUNNING",
                                                "created_at": "2024-01-01T00:00:00Z"}, run_schema, defs), [])
        problems = contract.check_output({"runId": "x", "state": "Running", "created_at": 5,
                                          "run_details": {"pipeline_context_id": 3}}, run_schema, defs)
        self.assertEqual(len(problems), 4, problems)
        self.assertEqual(contract.check_output({"error": "e", "code": 5, "message": "e", "details": []},
                                               {"$ref": "#/definitions/googleRpcStatus"}, defs), [])

    def test_captured_responses_validate(self):
        """The validator is not stricter than what KFP's servers answered."""
        folder = os.path.join(REFERENCE, "backends", "kfp")
        cases = {"v2beta1_run_get.json": ("RunService_GetRun", "v2beta1"),
                 "v2beta1_runs_list_page1.json": ("RunService_ListRuns", "v2beta1"),
                 "v2beta1_experiments_list.json": ("ExperimentService_ListExperiments", "v2beta1"),
                 "v2beta1_recurringruns_list.json": ("RecurringRunService_ListRecurringRuns", "v2beta1"),
                 "v1beta1_experiments_list.json": ("ExperimentService_ListExperimentsV1", "v1beta1"),
                 "v1beta1_run_get_with_workflow_manifest.json": ("RunService_GetRunV1", "v1beta1")}
        for name, (op_id, version) in cases.items():
            with self.subTest(file=name):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    body = json.load(f)
                op = self.contract.find(op_id, version)
                self.assertEqual(contract.check_output(body, op.response_schema(200), op.definitions), [])
        # The captured healthz is the UI server's own answer (it adds its fields to
        # the API server's); against the API's schema exactly those are foreign.
        with open(os.path.join(folder, "v2beta1_healthz.json"), encoding="utf-8") as f:
            body = json.load(f)
        op = self.contract.find("HealthzService_GetHealthz", "v2beta1")
        problems = contract.check_output(body, op.response_schema(200), op.definitions)
        self.assertEqual(sorted(p.split('"')[1] for p in problems), sorted(body))

    def test_captured_run_manifest_is_an_argo_workflow(self):
        with open(os.path.join(REFERENCE, "backends", "kfp", "v1beta1_run_get_with_workflow_manifest.json")) as f:
            manifest = json.loads(json.load(f)["pipeline_runtime"]["workflow_manifest"])
        for node in manifest["status"]["nodes"].values():
            self.assertTrue({"id", "name", "displayName", "type", "phase"} <= set(node))


class IRAndYamlTest(unittest.TestCase):
    def test_every_v2_golden_is_a_valid_pipeline_spec(self):
        files = sorted(glob.glob(os.path.join(REFERENCE, "kfp-v2-goldens", "*.yaml")))
        self.assertGreater(len(files), 20)
        for path in files:
            with self.subTest(golden=os.path.basename(path)), open(path, "rb") as f:
                template = specs.load_template(f.read())
                self.assertEqual(template.kind, "v2")

    def test_every_v1_golden_is_an_argo_workflow(self):
        for path in sorted(glob.glob(os.path.join(REFERENCE, "kfp-v1-argo-goldens", "*.yaml"))):
            with self.subTest(golden=os.path.basename(path)), open(path, "rb") as f:
                self.assertEqual(specs.load_template(f.read()).kind, "v1")

    def test_malformed_specs_are_refused_with_reasons(self):
        good = fixtures.linear()
        cases = [({**good, "schemaVersion": "2.0.0"}, "KFP only supports schema version 2.1.0"),
                 ({**good, "pipelineInfo": {"name": "x", "bogus": 1}}, 'unknown field "bogus"'),
                 ({k: v for k, v in good.items() if k != "deploymentSpec"}, "is not in deploymentSpec.executors"),
                 ({**good, "root": {"dag": {"tasks": {"a": {"componentRef": {"name": "comp-missing"}}}}}},
                  "component 'comp-missing' is not in components"),
                 ({"kind": "Something"}, "unknown template format")]
        for spec, fragment in cases:
            with self.subTest(fragment=fragment), self.assertRaises(ApiError) as e:
                specs.load_template(json.dumps(spec))
            self.assertIn(fragment, e.exception.message)
            self.assertIn("pipeline spec is invalid", e.exception.message)
        with self.assertRaises(ApiError) as e:
            specs.load_template("apiVersion: argoproj.io/v1alpha2\nkind: Workflow\nspec: {}\n")
        self.assertIn("Unsupported argo version", e.exception.message)
        with self.assertRaises(ApiError) as e:
            specs.load_template(fixtures.V1_WORKFLOW.replace("template: flaky", "template: nowhere"))
        self.assertIn("template 'nowhere' undefined", e.exception.message)

    def test_yaml_reader(self):
        text = ('a: "x\\\n  y"\nb: |-\n  one\n  two\nc: >\n  folded\n  line\n\n  para\nd:\n- k: 1\n  l: [1, {m: n}]\n'
                "- 'it''s'\ne: 0x1F\nf: ~\ng: 1.5e3\nh: plain\n  continued\n")
        self.assertEqual(yamlmini.load(text), {"a": "xy", "b": "one\ntwo", "c": "folded line\npara\n",
                                               "d": [{"k": 1, "l": [1, {"m": "n"}]}, "it's"], "e": 31, "f": None,
                                               "g": 1500.0, "h": "plain continued"})
        self.assertEqual(yamlmini.load_all("--- 1\n--- [2]\n"), [1, [2]])
        with self.assertRaises(yamlmini.YamlError):
            yamlmini.load("a: 1\na: 2\n")

    def test_golden_yaml_reads_like_json_of_it(self):
        path = os.path.join(REFERENCE, "kfp-v2-goldens", "metrics_visualization_v2.yaml")
        with open(path, encoding="utf-8") as f:
            doc = yamlmini.load(f.read())
        command = doc["deploymentSpec"]["executors"]["exec-digit-classification"]["container"]["command"]
        self.assertTrue(command[2].startswith("\nif ! [ -x \"$(command -v pip)\" ]; then\n"))
        self.assertIn("'kfp==2.14.6' '--no-deps'", command[2])

    def test_proto_reader(self):
        defs = protoschema.load([os.path.join(IR_DIR, "pipeline_spec.proto")])
        task = defs["ml_pipelines.PipelineTaskSpec"]
        self.assertIn("trigger_policy", task["properties"])
        self.assertIn("iterator", task["x-oneofs"])
        self.assertEqual(defs["ml_pipelines.PipelineSpec"]["properties"]["deployment_spec"],
                         {"$ref": "#/definitions/google.protobuf.Struct"})

    def test_cron(self):
        cron.parse("0 0 6 * * *")
        cron.parse("0 */5 * * * ?")
        cron.parse("@every 1h30m")
        cron.parse("0 6 * * *", five_fields_ok=True)
        for bad in ("0 6 * * *", "* * * *", "61 * * * * *", "0 0 25 * * *", "@often"):
            with self.subTest(cron=bad), self.assertRaises(cron.CronError):
                cron.parse(bad)

    def test_artifact_extraction(self):
        import runs
        data = runs.tgz("mlpipeline-metrics.json", b'{"metrics": []}')
        self.assertEqual(uiserver.extract(data), b'{"metrics": []}')
        self.assertEqual(uiserver.extract(b"plain"), b"plain")


# ---------------------------------------------------------------------------
# The server: contract enforcement over HTTP
# ---------------------------------------------------------------------------

class HttpContractTest(ServerTest):
    def test_unknown_field_refused(self):
        body = self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {"display_name": "x", "colour": 1}),
                                400, 3, 'unknown field "colour"')
        self.assertEqual(body["message"], 'proto: (line 1:23): unknown field "colour"')
        self.assertError(self.server.request("POST", "/apis/v2beta1/experiments", {"display_name": "e", "owner": "me"}),
                         400, 3, 'unknown field "owner"')
        self.assertError(self.server.request("POST", "/apis/v1beta1/experiments", {"name": "e", "display_name": "x"}),
                         400, 3, 'unknown field "display_name"')

    def test_wrong_json_types_and_enums(self):
        self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns",
                                             {"display_name": "j", "mode": "ON"}),
                         400, 3, 'invalid value for enum field mode: "ON"')
        self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns",
                                             {"display_name": "j", "no_catchup": "yes"}),
                         400, 3, 'invalid value for bool field noCatchup: "yes"')
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={"page_size": "many"}),
                         400, 3, "type mismatch, parameter: page_size")

    def test_unknown_paths_and_methods(self):
        self.assertEqual(self.assertError(self.server.request("GET", "/apis/v2beta1/teapots"), 404, 5)["message"],
                         "Not Found")
        self.assertError(self.server.request("GET", "/nothing/here"), 404, 5)
        self.assertError(self.server.request("PATCH", "/apis/v2beta1/runs/x"), 501, 12, "Method Not Allowed")

    def test_not_found_reads_like_kfp(self):
        body = self.assertError(self.server.request("GET", "/apis/v2beta1/runs/missing"), 404, 5,
                                "Failed to get a run", "Run missing not found.")
        self.assertEqual(body["details"][0]["@type"], "type.googleapis.com/api.Error")

    def test_healthz(self):
        health = self.server.ok("GET", "/apis/v2beta1/healthz")
        self.assertEqual(health["pipeline_store"], "database")
        self.assertIs(health["multi_user"], False)  # written by hand in KFP's main.go: false is kept
        self.assertIn("commit_sha", self.server.ok("GET", "/apis/v1beta1/healthz"))


class AuthTest(ServerTest):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.token_file = os.path.join(cls.tmp.name, "token")
        with open(cls.token_file, "w") as f:
            f.write("first-token\n")
        cls.server_args = ("--token-file", cls.token_file)
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.tmp.cleanup()

    def setUp(self):
        super().setUp()
        self.write_token("first-token")
        self.server.token = "first-token"

    def write_token(self, token):
        with open(self.token_file, "w") as f:
            f.write(token + "\n")

    def test_missing_and_wrong_tokens_are_unauthenticated(self):
        body = self.assertError(self.server.request("GET", "/apis/v2beta1/runs", token=False), 401, 16,
                                "Unauthenticated:")
        self.assertIn("no Authorization header", body["message"])
        self.server.token = "guess"
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs"), 401, 16, "Unauthenticated:")
        self.assertError(self.server.request("GET", "/apis/v1beta1/healthz", headers={"Authorization": "Basic eDp5"},
                                             token=False), 401, 16)
        self.server.token = "first-token"
        self.server.ok("GET", "/apis/v2beta1/runs")

    def test_ui_endpoints_need_the_token_too(self):
        status, text, _ = self.server.request("GET", "/k8s/pod/logs", query={"podname": "x"}, token=False)
        self.assertEqual(status, 401)
        self.assertIn("Unauthenticated", text)
        status, _, _ = self.server.request("GET", "/artifacts/get", query={"source": "minio"}, token=False)
        self.assertEqual(status, 401)
        self.assertEqual(self.server.test_call("GET", "requests")[0], 200)  # /_test/ needs none

    def test_token_rotation_is_read_per_request(self):
        self.server.ok("GET", "/apis/v2beta1/experiments")
        self.write_token("second-token")
        self.assertError(self.server.request("GET", "/apis/v2beta1/experiments"), 401, 16)
        self.server.token = "second-token"
        self.server.ok("GET", "/apis/v2beta1/experiments")

    def test_expired_token_until_the_file_changes(self):
        self.assertEqual(self.server.test_call("POST", "expire-token")[0], 200)
        self.assertError(self.server.request("GET", "/apis/v2beta1/experiments"), 401, 16)
        self.write_token("first-token")  # the same token written again is still expired
        self.assertError(self.server.request("GET", "/apis/v2beta1/experiments"), 401, 16)
        self.write_token("refreshed")
        self.server.token = "refreshed"
        self.server.ok("GET", "/apis/v2beta1/experiments")

    def test_request_log_hides_the_token(self):
        self.server.ok("GET", "/apis/v2beta1/runs", query={"page_size": 5}, headers={"X-Trace": "t1"})
        self.server.request("GET", "/apis/v2beta1/runs", token=False)
        log = self.server.test_call("GET", "requests")[1]["requests"]
        self.assertEqual(len(log), 2)
        first = log[0]
        self.assertEqual((first["method"], first["path"], first["query"], first["status"]),
                         ("GET", "/apis/v2beta1/runs", {"page_size": ["5"]}, 200))
        self.assertEqual(first["authorization"], {"present": True, "scheme": "Bearer"})
        self.assertEqual(first["headers"]["X-Trace"], "t1")
        self.assertNotIn("first-token", json.dumps(log))
        self.assertEqual(log[1]["authorization"], {"present": False, "scheme": None})
        self.assertEqual(log[1]["status"], 401)


class FaultTest(ServerTest):
    def test_drop_closes_connections_without_an_answer(self):
        self.assertEqual(self.server.test_call("POST", "drop", count=2)[1], {"pending_drops": 2})
        for _ in range(2):
            with self.assertRaises((http.client.RemoteDisconnected, ConnectionResetError, http.client.BadStatusLine)):
                self.server.request("GET", "/apis/v2beta1/healthz")
        self.server.ok("GET", "/apis/v2beta1/healthz")
        log = self.server.test_call("GET", "requests")[1]["requests"]
        self.assertEqual([e["dropped"] for e in log], [True, True, False])

    def test_request_log_bodies(self):
        self.server.request("POST", "/apis/v2beta1/experiments", {"display_name": "logged"})
        entry = self.server.test_call("GET", "requests")[1]["requests"][0]
        self.assertEqual(json.loads(entry["body"]), {"display_name": "logged"})
        self.assertEqual(entry["status"], 200)

    def test_reset(self):
        self.server.ok("POST", "/apis/v2beta1/experiments", {"display_name": "gone"})
        self.server.test_call("POST", "drop", count=5)
        self.server.test_call("POST", "reset")
        self.assertEqual(self.server.test_call("GET", "requests")[1]["requests"], [])
        names = [e["display_name"] for e in self.server.ok("GET", "/apis/v2beta1/experiments")["experiments"]]
        self.assertEqual(names, ["Default"])  # and no drop is pending any more

    def test_unknown_test_endpoint(self):
        self.assertEqual(self.server.test_call("POST", "explode")[0], 404)
        self.assertEqual(self.server.test_call("GET", "drop")[0], 405)


# ---------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------

class PipelineTest(ServerTest):
    def test_upload_yaml_json_and_argo(self):
        with open(os.path.join(REFERENCE, "kfp-v2-goldens", "two_step_pipeline.yaml"), "rb") as f:
            status, p, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "two_step_pipeline.yaml", f.read(),
                                              query={"description": "from yaml"})
        self.assertEqual(status, 200, p)
        self.assertEqual((p["name"], p["display_name"], p["description"]),
                         ("two_step_pipeline", "two_step_pipeline", "from yaml"))
        status, p2, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "linear.json",
                                           json.dumps(fixtures.linear()), query={"display_name": "Linear"})
        self.assertEqual((status, p2["name"], p2["display_name"]), (200, "Linear", "Linear"))
        status, p3, _ = self.server.upload("/apis/v1beta1/pipelines/upload", "v1.yaml", fixtures.V1_WORKFLOW,
                                           query={"name": "argo-one"})
        self.assertEqual(status, 200, p3)
        self.assertEqual(p3["parameters"], [{"name": "message", "value": "hello"}])
        self.assertEqual(p3["default_version"]["resource_references"][0]["key"], {"type": "PIPELINE", "id": p3["id"]})
        versions = self.server.ok("GET", f"/apis/v2beta1/pipelines/{p['pipeline_id']}/versions")["pipeline_versions"]
        self.assertEqual(len(versions), 1)
        self.assertEqual(versions[0]["pipeline_spec"]["pipelineInfo"]["name"], "simple-two-step-pipeline")

    def test_upload_packages(self):
        spec = json.dumps(fixtures.linear()).encode()
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            info = tarfile.TarInfo("pipeline.yaml")
            info.size = len(spec)
            tar.addfile(info, io.BytesIO(spec))
        status, p, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "pkg.tar.gz", buffer.getvalue())
        self.assertEqual((status, p["name"]), (200, "pkg"))

    def test_malformed_uploads_are_refused(self):
        status, body, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "bad.yaml", "pipelineInfo: {name: x}\n"
                                                                                           "root: {}\nschemaVersion: 2.0.0\n")
        self.assertEqual(status, 400)
        self.assertEqual(set(body), {"error_message", "error_details"})
        self.assertIn("schema version 2.1.0", body["error_message"])
        bad = fixtures.linear()
        bad["root"]["dag"]["tasks"]["produce"]["cachingOption"] = {}
        status, body, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "bad.json", json.dumps(bad))
        self.assertEqual(status, 400)
        self.assertIn('unknown field "cachingOption"', body["error_message"])
        status, body, _ = self.server.request("POST", "/apis/v2beta1/pipelines/upload", raw=b"x",
                                              content_type="text/plain")
        self.assertEqual((status, body["error_message"]), (400, "Failed to read pipeline from file"))
        status, body, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "x.txt", "hello")
        self.assertEqual(status, 400)

    def test_upload_version_names_and_duplicates(self):
        p = self.server.upload("/apis/v2beta1/pipelines/upload", "p.json", json.dumps(fixtures.linear()),
                               query={"name": "dup"})[1]
        status, body, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "p.json", json.dumps(fixtures.linear()),
                                             query={"name": "dup"})
        self.assertEqual(status, 409)
        status, v, _ = self.server.upload("/apis/v2beta1/pipelines/upload_version", "v2.json",
                                          json.dumps(fixtures.branches()),
                                          query={"pipelineid": p["pipeline_id"], "name": "v2"})
        self.assertEqual((status, v["name"], v["pipeline_id"]), (200, "v2", p["pipeline_id"]))
        status, body, _ = self.server.upload("/apis/v2beta1/pipelines/upload_version", "v2.json",
                                             json.dumps(fixtures.branches()), query={"name": "nowhere"})
        self.assertEqual((status, body["error_message"]), (400, "Failed to create a pipeline version"))

    def test_get_by_name_delete_and_cascade(self):
        p = self.server.upload("/apis/v2beta1/pipelines/upload", "p.json", json.dumps(fixtures.linear()),
                               query={"name": "named"})[1]
        self.assertEqual(self.server.ok("GET", "/apis/v2beta1/pipelines/names/named")["pipeline_id"], p["pipeline_id"])
        self.assertEqual(self.server.ok("GET", "/apis/v1beta1/namespaces/-/pipelines/named")["id"], p["pipeline_id"])
        self.assertError(self.server.request("DELETE", f"/apis/v2beta1/pipelines/{p['pipeline_id']}"), 400, 9,
                         "has 1 version")
        self.server.ok("DELETE", f"/apis/v2beta1/pipelines/{p['pipeline_id']}", query={"cascade": "true"})
        self.assertError(self.server.request("GET", f"/apis/v2beta1/pipelines/{p['pipeline_id']}"), 404, 5)

    def test_create_pipeline_by_json_and_template(self):
        p = self.server.ok("POST", "/apis/v2beta1/pipelines", {"display_name": "Empty one", "description": "d"})
        self.assertEqual(p["name"], "Empty one")
        self.assertError(self.server.request("POST", "/apis/v2beta1/pipelines", {"description": "no name"}), 400, 3)
        v1 = self.server.upload("/apis/v1beta1/pipelines/upload", "wf.yaml", fixtures.V1_WORKFLOW)[1]
        template = self.server.ok("GET", f"/apis/v1beta1/pipelines/{v1['id']}/templates")["template"]
        self.assertIn("kind: Workflow", template)

    def test_paging_pipelines(self):
        for i in range(5):
            self.server.ok("POST", "/apis/v2beta1/pipelines", {"name": f"p{i}"})
        first = self.server.ok("GET", "/apis/v2beta1/pipelines", query={"page_size": 2, "sort_by": "name desc"})
        self.assertEqual([p["name"] for p in first["pipelines"]], ["p4", "p3"])
        self.assertEqual(first["total_size"], 5)
        second = self.server.ok("GET", "/apis/v2beta1/pipelines",
                                query={"page_size": 2, "page_token": first["next_page_token"]})
        self.assertEqual([p["name"] for p in second["pipelines"]], ["p2", "p1"])
        third = self.server.ok("GET", "/apis/v2beta1/pipelines",
                               query={"page_size": 2, "page_token": second["next_page_token"]})
        self.assertEqual([p["name"] for p in third["pipelines"]], ["p0"])
        self.assertNotIn("next_page_token", third)


class ExperimentTest(ServerTest):
    def test_default_experiment_exists(self):
        listed = self.server.ok("GET", "/apis/v2beta1/experiments")
        self.assertEqual([e["display_name"] for e in listed["experiments"]], ["Default"])
        v1 = self.server.ok("GET", "/apis/v1beta1/experiments")["experiments"][0]
        self.assertEqual((v1["name"], v1["storage_state"]), ("Default", "STORAGESTATE_AVAILABLE"))

    def test_lifecycle(self):
        e = self.server.ok("POST", "/apis/v2beta1/experiments", {"display_name": "exp", "description": "d"})
        self.assertEqual(e["storage_state"], "AVAILABLE")
        self.assertError(self.server.request("POST", "/apis/v2beta1/experiments", {"display_name": "exp"}),
                         409, 6, "already exists")
        run = self.create_run(fixtures.linear(), experiment_id=e["experiment_id"])
        self.server.ok("POST", f"/apis/v2beta1/experiments/{e['experiment_id']}:archive")
        self.assertEqual(self.server.ok("GET", f"/apis/v2beta1/experiments/{e['experiment_id']}")["storage_state"],
                         "ARCHIVED")
        self.assertEqual(self.server.ok("GET", f"/apis/v2beta1/runs/{run['run_id']}")["storage_state"], "ARCHIVED")
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {
            "display_name": "late", "pipeline_spec": fixtures.linear(), "experiment_id": e["experiment_id"]}),
            400, 3, "archived")
        self.server.ok("POST", f"/apis/v2beta1/experiments/{e['experiment_id']}:unarchive")
        self.server.ok("DELETE", f"/apis/v2beta1/experiments/{e['experiment_id']}")
        self.assertError(self.server.request("GET", f"/apis/v2beta1/experiments/{e['experiment_id']}"), 404, 5)
        self.assertError(self.server.request("GET", f"/apis/v2beta1/runs/{run['run_id']}"), 404, 5)

    def test_v1_experiments(self):
        e = self.server.ok("POST", "/apis/v1beta1/experiments", {"name": "old"})
        self.assertEqual(self.server.ok("GET", f"/apis/v1beta1/experiments/{e['id']}")["name"], "old")
        self.server.ok("POST", f"/apis/v1beta1/experiments/{e['id']}:archive")
        self.assertEqual(self.server.ok("GET", f"/apis/v1beta1/experiments/{e['id']}")["storage_state"],
                         "STORAGESTATE_ARCHIVED")


# ---------------------------------------------------------------------------
# Runs
# ---------------------------------------------------------------------------

class RunCreateTest(ServerTest):
    def test_inline_spec_and_platform_spec_wrapper(self):
        run = self.create_run(fixtures.linear(), "plain")
        self.assertEqual(run["state"], "PENDING")
        self.assertEqual(run["finished_at"], "1970-01-01T00:00:00Z")
        self.assertEqual(run["pipeline_spec"]["pipelineInfo"]["name"], "linear-pipeline")
        wrapped = self.create_run({"pipeline_spec": fixtures.linear(), "platform_spec": fixtures.platform_spec()},
                                  "wrapped", service_account="runner")
        self.assertIn("platform_spec", wrapped["pipeline_spec"])
        self.assertEqual(wrapped["service_account"], "runner")
        self.assertEqual(self.watch(wrapped["run_id"])[-1]["state"], "SUCCEEDED")

    def test_pipeline_version_reference(self):
        p = self.server.upload("/apis/v2beta1/pipelines/upload", "p.json", json.dumps(fixtures.linear()))[1]
        run = self.server.ok("POST", "/apis/v2beta1/runs", {"display_name": "by ref", "pipeline_version_reference": {
            "pipeline_id": p["pipeline_id"]}})
        self.assertEqual(run["pipeline_version_reference"]["pipeline_id"], p["pipeline_id"])
        self.assertIn("pipeline_version_id", run["pipeline_version_reference"])
        self.assertNotIn("pipeline_spec", run)
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {
            "display_name": "x", "pipeline_version_reference": {"pipeline_id": "nope"}}), 404, 5,
            "Pipeline nope not found")

    def test_exactly_one_source(self):
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {"display_name": "none"}), 400, 3,
                         "Failed to create a new run", "Pipeline spec source is missing")
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {
            "display_name": "both", "pipeline_spec": fixtures.linear(),
            "pipeline_version_reference": {"pipeline_id": "p"}}), 400, 3, "oneof")
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {"pipeline_spec": fixtures.linear()}),
                         400, 3, "The run name is empty")

    def test_parameters_are_checked_against_the_root_inputs(self):
        spec = fixtures.typed_inputs()
        self.create_run(spec, params={"count": 3})
        self.create_run(spec, params={"count": 3.0, "name": "n", "flag": True, "items": [1, 2]})
        cases = [({"count": 1, "colour": "red"}, "parameter(s) provided are not required by pipeline: colour"),
                 ({"count": "3"}, "input parameter count requires type double or integer"),
                 ({"count": 1, "flag": "true"}, "input parameter flag requires type bool"),
                 ({"count": 1, "items": "[1]"}, "input parameter items requires type list"),
                 ({}, "parameter count is not optional, yet has neither default value nor user provided value")]
        for params, fragment in cases:
            with self.subTest(params=params):
                body = self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {
                    "display_name": "x", "pipeline_spec": spec, "runtime_config": {"parameters": params}}),
                    400, 3, fragment)
                self.assertTrue(body["message"].startswith("Failed to create a new run: "), body["message"])

    def test_malformed_inline_spec(self):
        bad = fixtures.linear()
        bad["deploymentSpec"] = {"executors": {}}
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {"display_name": "x", "pipeline_spec": bad}),
                         400, 3, "is not in deploymentSpec.executors")

    def test_argo_template_through_v2(self):
        wf = yamlmini.load(fixtures.V1_WORKFLOW)
        run = self.create_run(wf, params={"message": "hey"})
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {
            "display_name": "x", "pipeline_spec": wf, "runtime_config": {"parameters": {"nope": "1"}}}),
            400, 3, "Unrecognized input parameter: nope")
        self.assertEqual(self.watch(run["run_id"])[-1]["state"], "SUCCEEDED")


class RunProgressTest(ServerTest):
    def test_states_advance_one_step_per_get(self):
        run = self.create_run(fixtures.linear(), params={"text": "hello"})
        rid = run["run_id"]
        states = []
        for _ in range(5):
            got = self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
            tasks = self.tasks(got)
            states.append((got["state"], {n: t["state"] for n, t in tasks.items() if n != "root"}))
        self.assertEqual(states, [
            ("RUNNING", {}),
            ("RUNNING", {"produce": "RUNNING"}),
            ("RUNNING", {"produce": "SUCCEEDED", "consume": "RUNNING"}),
            ("SUCCEEDED", {"produce": "SUCCEEDED", "consume": "SUCCEEDED"}),
            ("SUCCEEDED", {"produce": "SUCCEEDED", "consume": "SUCCEEDED"}),
        ])
        final = self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
        self.assertNotEqual(final["finished_at"], "1970-01-01T00:00:00Z")
        self.assertEqual([h["state"] for h in final["state_history"]], ["PENDING", "RUNNING", "SUCCEEDED"])

    def test_task_details_shape(self):
        run = self.create_run(fixtures.linear())
        final = self.watch(run["run_id"])[-1]
        tasks = self.tasks(final)
        self.assertEqual(set(tasks), {"root", "produce", "consume"})
        produce = tasks["produce"]
        self.assertEqual(produce["run_id"], run["run_id"])
        self.assertEqual(produce["parent_task_id"], tasks["root"]["task_id"])
        for key in ("task_id", "create_time", "start_time", "end_time", "execution_id", "pod_name", "executor_detail"):
            self.assertIn(key, produce)
        pods = [c["pod_name"] for c in produce["child_tasks"]]
        self.assertEqual(len(pods), 2)
        self.assertIn("-system-container-driver-", pods[0])
        self.assertIn("-system-container-impl-", pods[1])
        self.assertEqual(produce["pod_name"], pods[1])
        self.assertEqual(produce["executor_detail"]["main_job"], pods[1])
        root_children = [c.get("task_id") for c in tasks["root"]["child_tasks"]]
        self.assertIn(produce["task_id"], root_children)

    def test_conditions_skip(self):
        final = self.watch(self.create_run(fixtures.branches())["run_id"])[-1]
        tasks = self.tasks(final)
        self.assertEqual(final["state"], "SUCCEEDED")
        self.assertEqual(tasks["condition-1"]["state"], "SUCCEEDED")
        self.assertEqual(tasks["print-heads"]["state"], "SUCCEEDED")
        self.assertEqual(tasks["condition-2"]["state"], "SKIPPED")
        self.assertEqual(tasks["condition-3"]["state"], "SKIPPED")
        self.assertNotIn("print-tails", tasks)
        final = self.watch(self.create_run(fixtures.branches(), params={"run_extra": True})["run_id"])[-1]
        self.assertEqual(self.tasks(final)["print-extra"]["state"], "SUCCEEDED")

    def test_loops_over_literals_and_parameters(self):
        final = self.watch(self.create_run(fixtures.loops(), params={"names": ["x", "y", "z", "w"]})["run_id"])[-1]
        details = final["run_details"]["task_details"]
        names = [t["display_name"] for t in details]
        self.assertEqual(sorted(n for n in names if n.startswith("for-loop-1(")),
                         ["for-loop-1(0:1)", "for-loop-1(1:2)", "for-loop-1(2:3)"])
        self.assertEqual(len([n for n in names if n.startswith("for-loop-2(")]), 4)
        self.assertEqual(names.count("show-number"), 3)
        self.assertEqual(names.count("show-name"), 4)
        self.assertTrue(all(t["state"] == "SUCCEEDED" for t in details))

    def test_exit_handler_runs_after_a_failure(self):
        seen = self.watch(self.create_run(fixtures.exit_handler())["run_id"])
        final = seen[-1]
        tasks = self.tasks(final)
        self.assertEqual(final["state"], "FAILED")
        self.assertEqual(tasks["work"]["state"], "FAILED")
        self.assertEqual(tasks["exit-handler-1"]["state"], "FAILED")
        self.assertEqual(tasks["cleanup"]["state"], "SUCCEEDED")
        self.assertGreater(tasks["cleanup"]["start_time"], tasks["work"]["start_time"])

    def test_failed_dependency_stops_the_rest(self):
        final = self.watch(self.create_run(fixtures.flaky("fail"))["run_id"])[-1]
        tasks = self.tasks(final)
        self.assertEqual((final["state"], tasks["flaky"]["state"]), ("FAILED", "FAILED"))
        self.assertNotIn("after", tasks)

    def test_terminate(self):
        run = self.create_run(fixtures.slow(10))
        rid = run["run_id"]
        self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
        self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
        self.server.ok("POST", f"/apis/v2beta1/runs/{rid}:terminate")
        first = self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
        self.assertEqual(first["state"], "CANCELING")
        self.assertEqual(self.tasks(first)["slow"]["state"], "CANCELING")
        second = self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
        self.assertEqual(second["state"], "CANCELED")
        self.assertEqual(self.tasks(second)["slow"]["state"], "CANCELED")
        v1 = self.server.ok("GET", f"/apis/v1beta1/runs/{rid}")
        self.assertEqual(v1["run"]["status"], "Failed")

    def test_retry_only_failed_runs_and_failed_tasks_run_again(self):
        ok = self.create_run(fixtures.linear())
        self.watch(ok["run_id"])
        self.assertError(self.server.request("POST", f"/apis/v2beta1/runs/{ok['run_id']}:retry"), 409, 10,
                         "Workflow must be Failed/Error to retry")
        run = self.create_run(fixtures.flaky("fail-once"))
        failed = self.watch(run["run_id"])[-1]
        self.assertEqual(failed["state"], "FAILED")
        first_id = self.tasks(failed)["first"]["task_id"]
        self.server.ok("POST", f"/apis/v2beta1/runs/{run['run_id']}:retry")
        again = self.server.ok("GET", f"/apis/v2beta1/runs/{run['run_id']}")
        self.assertEqual(again["state"], "RUNNING")
        self.assertEqual(self.tasks(again)["flaky"]["state"], "RUNNING")
        final = self.watch(run["run_id"])[-1]
        tasks = self.tasks(final)
        self.assertEqual(final["state"], "SUCCEEDED")
        self.assertEqual(tasks["first"]["task_id"], first_id)  # the succeeded task was kept
        self.assertEqual(tasks["after"]["state"], "SUCCEEDED")

    def test_task_retry_policy(self):
        final = self.watch(self.create_run(fixtures.flaky("fail-once", retries=2))["run_id"])[-1]
        flaky = self.tasks(final)["flaky"]
        self.assertEqual((final["state"], flaky["state"]), ("SUCCEEDED", "SUCCEEDED"))
        self.assertEqual(len(flaky["executor_detail"]["failed_main_jobs"]), 1)

    def test_archive_unarchive_delete(self):
        rid = self.create_run(fixtures.linear())["run_id"]
        self.server.ok("POST", f"/apis/v2beta1/runs/{rid}:archive")
        self.assertEqual(self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")["storage_state"], "ARCHIVED")
        self.assertEqual(self.server.ok("GET", f"/apis/v1beta1/runs/{rid}")["run"]["storage_state"],
                         "STORAGESTATE_ARCHIVED")
        self.server.ok("POST", f"/apis/v2beta1/runs/{rid}:unarchive")
        self.assertNotIn("storage_state", self.server.ok("GET", f"/apis/v1beta1/runs/{rid}")["run"])
        self.server.ok("DELETE", f"/apis/v2beta1/runs/{rid}")
        self.assertError(self.server.request("GET", f"/apis/v2beta1/runs/{rid}"), 404, 5)

    def test_advance_without_get(self):
        rid = self.create_run(fixtures.linear())["run_id"]
        status, body, _ = self.server.test_call("POST", "advance", run_id=rid, steps=2)
        self.assertEqual((status, body["state"], body["steps"]), (200, "RUNNING", 2))
        status, body, _ = self.server.test_call("POST", "advance", run_id=rid, steps=100)
        self.assertEqual((body["state"], body["steps"]), ("SUCCEEDED", 2))
        self.assertEqual(self.server.test_call("POST", "advance", run_id="nope")[0], 404)


class RunListTest(ServerTest):
    def setUp(self):
        super().setUp()
        self.exp = self.server.ok("POST", "/apis/v2beta1/experiments", {"display_name": "listing"})["experiment_id"]
        self.ids = []
        for name in ("alpha", "beta", "alphabet", "gamma", "delta"):
            # every list call moves every listed run on: only alpha can end soon
            spec = fixtures.linear() if name == "alpha" else fixtures.slow(1000)
            self.ids.append(self.create_run(spec, name, experiment_id=self.exp if name != "delta" else None)["run_id"])

    def list(self, version="v2beta1", **query):
        return self.server.ok("GET", f"/apis/{version}/runs", query=query)

    def filter(self, *predicates):
        return json.dumps({"predicates": list(predicates)})

    def test_filters(self):
        eq = self.list(filter=self.filter({"key": "display_name", "operation": "EQUALS", "string_value": "alpha"}))
        self.assertEqual([r["display_name"] for r in eq["runs"]], ["alpha"])
        sub = self.list(filter=self.filter({"key": "display_name", "operation": "IS_SUBSTRING", "string_value": "alp"}))
        self.assertEqual(sorted(r["display_name"] for r in sub["runs"]), ["alpha", "alphabet"])
        in_exp = self.list(experiment_id=self.exp)
        self.assertEqual(in_exp["total_size"], 4)
        by_key = self.list(filter=self.filter({"key": "experiment_id", "operation": "EQUALS",
                                               "string_value": self.exp}))
        self.assertEqual(by_key["total_size"], 4)
        self.server.test_call("POST", "advance", run_id=self.ids[0], steps=10)
        done = self.list(filter=self.filter({"key": "state", "operation": "EQUALS", "string_value": "SUCCEEDED"}))
        self.assertEqual([r["display_name"] for r in done["runs"]], ["alpha"])
        v1 = self.list("v1beta1", filter=json.dumps({"predicates": [
            {"key": "name", "op": "EQUALS", "string_value": "beta"}]}))
        self.assertEqual([r["name"] for r in v1["runs"]], ["beta"])

    def test_bad_filters_and_sorts(self):
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={"filter": "{nope"}), 400, 3,
                         "failed to parse valid filter")
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={"filter": self.filter(
            {"key": "display_name", "op": "EQUALS", "string_value": "a"})}), 400, 3, 'unknown field "op"')
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={"sort_by": "colour"}), 400, 3,
                         "Invalid sorting field")
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={"sort_by": "created_at sideways"}),
                         400, 3, "invalid sort by format")
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={"page_size": -1}), 400, 3,
                         "The page size should be greater than 0")
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={"page_token": "garbage"}), 400, 3,
                         "Invalid package token")

    def test_paging_with_opaque_tokens_and_sort(self):
        names = []
        token = None
        for _ in range(5):
            query = {"page_size": 2, "sort_by": "created_at desc"}
            if token:
                query["page_token"] = token
            page = self.list(**query)
            self.assertEqual(page["total_size"], 5)
            names += [r["display_name"] for r in page["runs"]]
            token = page.get("next_page_token")
            if not token:
                break
        self.assertEqual(names, ["delta", "gamma", "alphabet", "beta", "alpha"])
        first = self.list(page_size=2, sort_by="created_at desc")
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs", query={
            "page_size": 2, "page_token": first["next_page_token"], "sort_by": "display_name"}), 400, 3,
            "page token does not match")
        ascending = self.list(sort_by="display_name")
        self.assertEqual([r["display_name"] for r in ascending["runs"]],
                         ["alpha", "alphabet", "beta", "delta", "gamma"])

    def test_empty_results_are_empty_objects(self):
        none = self.list(filter=self.filter({"key": "display_name", "operation": "EQUALS", "string_value": "zzz"}))
        self.assertEqual(none, {})

    def test_v1_list_by_experiment(self):
        runs = self.list("v1beta1", **{"resource_reference_key.type": "EXPERIMENT",
                                       "resource_reference_key.id": self.exp})
        self.assertEqual(runs["total_size"], 4)
        self.assertTrue(all(r["status"] in ("Pending", "Running") for r in runs["runs"]))


class V1RunTest(ServerTest):
    def create(self, manifest=fixtures.V1_WORKFLOW, params=None):
        body = {"name": "v1 run", "pipeline_spec": {"workflow_manifest": manifest,
                                                    "parameters": params or [{"name": "message", "value": "hi"}]}}
        return self.server.ok("POST", "/apis/v1beta1/runs", body)

    def manifest(self, detail):
        return json.loads(detail["pipeline_runtime"]["workflow_manifest"])

    def test_workflow_manifest_over_the_run_life(self):
        detail = self.create()
        rid = detail["run"]["id"]
        self.assertEqual(detail["run"]["status"], "Pending")
        seen = self.watch(rid, version="v1beta1")
        final = seen[-1]
        self.assertEqual(final["run"]["status"], "Succeeded")
        wf = self.manifest(final)
        self.assertEqual((wf["apiVersion"], wf["kind"], wf["status"]["phase"]),
                         ("argoproj.io/v1alpha1", "Workflow", "Succeeded"))
        nodes = {n["displayName"]: n for n in wf["status"]["nodes"].values()}
        root = nodes[wf["metadata"]["name"]]
        self.assertEqual((root["type"], root["id"]), ("DAG", wf["metadata"]["name"]))
        self.assertEqual(nodes["train"]["type"], "Pod")
        self.assertEqual(nodes["train"]["boundaryID"], root["id"])
        self.assertEqual(nodes["only-if-tails"]["type"], "Skipped")
        self.assertIn("evaluated false", nodes["only-if-tails"]["message"])
        self.assertEqual(nodes["flaky"]["type"], "Retry")
        self.assertEqual((nodes["flaky(0)"]["phase"], nodes["flaky(1)"]["phase"]), ("Failed", "Succeeded"))
        self.assertEqual(nodes["fan-out"]["type"], "TaskGroup")
        self.assertEqual(sorted(n for n in nodes if n.startswith("fan-out(")), ["fan-out(0:a)", "fan-out(1:b)"])
        self.assertEqual(nodes[f"{wf['metadata']['name']}.onExit"]["phase"], "Succeeded")
        self.assertIn(nodes["flaky"]["id"], nodes["train"]["children"])
        artifacts = {a["name"]: a for a in nodes["train"]["outputs"]["artifacts"]}
        self.assertTrue(artifacts["mlpipeline-metrics"]["s3"]["key"].endswith("/mlpipeline-metrics.tgz"))
        self.assertEqual(nodes["train"]["outputs"]["parameters"], [{"name": "coin", "value": "heads"}])
        self.assertEqual(final["run"]["metrics"], [{"name": "accuracy", "node_id": nodes["train"]["id"],
                                                    "number_value": 0.93, "format": "PERCENTAGE"}])
        # the first answers show the run moving
        phases = [self.manifest(d)["status"]["phase"] for d in seen]
        self.assertEqual(phases[0], "Running")

    def test_mlpipeline_artifacts_through_the_ui_server(self):
        rid = self.create()["run"]["id"]
        final = self.watch(rid, version="v1beta1")[-1]
        nodes = {n["displayName"]: n for n in self.manifest(final)["status"]["nodes"].values()}
        keys = {a["name"]: a["s3"] for a in nodes["train"]["outputs"]["artifacts"]}
        status, data, headers = self.server.request("GET", "/artifacts/get", query={
            "source": "minio", "bucket": keys["mlpipeline-metrics"]["bucket"], "key": keys["mlpipeline-metrics"]["key"]})
        self.assertEqual(status, 200)
        metrics = json.loads(data)
        self.assertEqual(metrics, {"metrics": [{"name": "accuracy", "numberValue": 0.93, "format": "PERCENTAGE"}]})
        status, peek, _ = self.server.request("GET", "/artifacts/get", query={
            "source": "minio", "bucket": "mlpipeline", "key": keys["mlpipeline-ui-metadata"]["key"], "peek": 11})
        self.assertEqual(peek, b'{"outputs":'[:11])
        ui = json.loads(self.server.request("GET", "/artifacts/get", query={
            "source": "minio", "bucket": "mlpipeline", "key": keys["mlpipeline-ui-metadata"]["key"]})[1])
        self.assertEqual([o["type"] for o in ui["outputs"]], ["markdown", "table"])
        status, log, _ = self.server.request("GET", "/artifacts/get", query={
            "source": "minio", "bucket": "mlpipeline", "key": keys["main-logs"]["key"]})
        self.assertIn(b"[train]", log)

    def test_steps_templates(self):
        """The shape of the captured coinflip runtime: Steps, StepGroups, a Skipped step."""
        rid = self.server.ok("POST", "/apis/v1beta1/runs", {
            "name": "steps", "pipeline_spec": {"workflow_manifest": fixtures.STEPS_WORKFLOW}})["run"]["id"]
        wf = self.manifest(self.watch(rid, version="v1beta1")[-1])
        nodes = {n["name"][len(wf["metadata"]["name"]):]: n for n in wf["status"]["nodes"].values()}
        self.assertEqual({k: n["type"] for k, n in nodes.items()},
                         {"": "Steps", "[0]": "StepGroup", "[0].flip-coin": "Pod", "[1]": "StepGroup",
                          "[1].heads": "Pod", "[1].tails": "Skipped"})
        self.assertEqual(nodes["[1].tails"]["message"], "when 'heads == tails' evaluated false")
        self.assertEqual(nodes["[0].flip-coin"]["children"], [nodes["[1]"]["id"]])
        self.assertEqual(nodes["[1].heads"]["boundaryID"], nodes[""]["id"])
        self.assertNotIn("templateName", nodes["[0]"])

    def test_failure_and_v1_retry(self):
        rid = self.create(fixtures.v1_failing_workflow())["run"]["id"]
        final = self.watch(rid, version="v1beta1")[-1]
        self.assertEqual(final["run"]["status"], "Failed")
        nodes = {n["displayName"]: n for n in self.manifest(final)["status"]["nodes"].values()}
        self.assertEqual((nodes["flaky"]["phase"], nodes["flaky"]["message"]), ("Failed", "Error (exit code 1)"))
        self.assertEqual(nodes["flaky"]["outputs"]["exitCode"], "1")
        self.server.ok("POST", f"/apis/v1beta1/runs/{rid}/retry")
        self.assertEqual(self.server.ok("GET", f"/apis/v1beta1/runs/{rid}")["run"]["status"], "Running")

    def test_v1_create_validation(self):
        self.assertError(self.server.request("POST", "/apis/v1beta1/runs", {"name": "x"}), 400, 3,
                         "Please specify a pipeline")
        self.assertError(self.server.request("POST", "/apis/v1beta1/runs", {"name": "x", "pipeline_spec": {
            "workflow_manifest": fixtures.V1_WORKFLOW, "parameters": [{"name": "nope", "value": "1"}]}}),
            400, 3, "Unrecognized input parameter: nope")
        self.assertError(self.server.request("POST", "/apis/v1beta1/runs", {"name": "x", "pipeline_spec": {
            "workflow_manifest": fixtures.V1_WORKFLOW, "pipeline_id": "p"}}), 400, 3, "Please don't specify")

    def test_v1_run_of_a_v2_pipeline_version(self):
        p = self.server.upload("/apis/v2beta1/pipelines/upload", "l.json", json.dumps(fixtures.linear()))[1]
        version = self.server.ok("GET", f"/apis/v2beta1/pipelines/{p['pipeline_id']}/versions")["pipeline_versions"][0]
        detail = self.server.ok("POST", "/apis/v1beta1/runs", {
            "name": "mixed", "pipeline_spec": {"runtime_config": {"parameters": {"text": "v"}}},
            "resource_references": [{"key": {"type": "PIPELINE_VERSION", "id": version["pipeline_version_id"]},
                                     "relationship": "CREATOR"}]})
        final = self.watch(detail["run"]["id"], version="v1beta1")[-1]
        wf = self.manifest(final)
        self.assertEqual(wf["status"]["phase"], "Succeeded")
        self.assertEqual(sorted(n["displayName"] for n in wf["status"]["nodes"].values()),
                         ["consume", "produce", "root"])
        v2 = self.server.ok("GET", f"/apis/v2beta1/runs/{detail['run']['id']}")
        self.assertEqual(v2["state"], "SUCCEEDED")


class RecurringRunTest(ServerTest):
    def body(self, **extra):
        body = {"display_name": "nightly", "pipeline_spec": fixtures.linear(), "max_concurrency": "1",
                "mode": "ENABLE", "trigger": {"cron_schedule": {"cron": "0 0 2 * * *",
                                                                "start_time": "2026-01-02T00:00:00Z"}}}
        body.update(extra)
        return body

    def test_create_get_list_enable_disable_delete(self):
        job = self.server.ok("POST", "/apis/v2beta1/recurringruns", self.body(no_catchup=True))
        self.assertEqual((job["status"], job["mode"], job["max_concurrency"], job["no_catchup"]),
                         ("ENABLED", "ENABLE", "1", True))
        self.assertEqual(job["trigger"]["cron_schedule"]["start_time"], "2026-01-02T00:00:00Z")
        jid = job["recurring_run_id"]
        self.server.ok("POST", f"/apis/v2beta1/recurringruns/{jid}:disable")
        self.assertEqual(self.server.ok("GET", f"/apis/v2beta1/recurringruns/{jid}")["status"], "DISABLED")
        self.server.ok("POST", f"/apis/v2beta1/recurringruns/{jid}:enable")
        listed = self.server.ok("GET", "/apis/v2beta1/recurringruns")
        self.assertEqual([j["recurring_run_id"] for j in listed["recurringRuns"]], [jid])
        periodic = self.server.ok("POST", "/apis/v2beta1/recurringruns", self.body(
            display_name="hourly", trigger={"periodic_schedule": {"interval_second": 3600}}, mode="DISABLE"))
        self.assertEqual((periodic["trigger"]["periodic_schedule"]["interval_second"], periodic["status"]),
                         ("3600", "DISABLED"))
        self.server.ok("DELETE", f"/apis/v2beta1/recurringruns/{jid}")
        self.assertError(self.server.request("GET", f"/apis/v2beta1/recurringruns/{jid}"), 404, 5)

    def test_five_field_cron_is_refused(self):
        body = self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns", self.body(
            trigger={"cron_schedule": {"cron": "0 2 * * *"}})), 400, 3, "Schedule cron is not a supported format")
        self.assertIn("seconds first", body["message"])
        self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns", self.body(
            trigger={"cron_schedule": {"cron": "0 0 25 * * *"}})), 400, 3, "above maximum")

    def test_schedule_limits(self):
        for value in (0, 11):
            with self.subTest(max_concurrency=value):
                self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns",
                                                     self.body(max_concurrency=value)),
                                 400, 3, f"at least 1 and at most 10. Received {value}")
        body = self.body()
        del body["max_concurrency"]
        self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns", body), 400, 3, "Received 0")
        self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns", self.body(
            trigger={"periodic_schedule": {"interval_second": "0"}})), 400, 3, "invalid period schedule interval 0")
        self.assertError(self.server.request("POST", "/apis/v2beta1/recurringruns", self.body(
            runtime_config={"parameters": {"unknown": 1}})), 400, 3, "not required by pipeline")

    def test_trigger_creates_a_run(self):
        jid = self.server.ok("POST", "/apis/v2beta1/recurringruns", self.body())["recurring_run_id"]
        status, body, _ = self.server.test_call("POST", "trigger", recurring_run_id=jid)
        self.assertEqual(status, 200)
        run = self.server.ok("GET", f"/apis/v2beta1/runs/{body['run_id']}")
        self.assertEqual(run["recurring_run_id"], jid)
        filtered = self.server.ok("GET", "/apis/v2beta1/runs", query={"filter": json.dumps({"predicates": [
            {"key": "recurring_run_id", "operation": "EQUALS", "string_value": jid}]})})
        self.assertEqual(filtered["total_size"], 1)

    def test_v1_jobs(self):
        body = {"name": "v1 job", "max_concurrency": 2, "enabled": True,
                "pipeline_spec": {"workflow_manifest": fixtures.V1_WORKFLOW},
                "trigger": {"cron_schedule": {"cron": "0 30 * * * *"}}}
        job = self.server.ok("POST", "/apis/v1beta1/jobs", body)
        self.assertEqual((job["enabled"], job["mode"], job["max_concurrency"]), (True, "ENABLED", "2"))
        self.server.ok("POST", f"/apis/v1beta1/jobs/{job['id']}/disable")
        self.assertNotIn("enabled", self.server.ok("GET", f"/apis/v1beta1/jobs/{job['id']}"))
        bad = dict(body, max_concurrency=20)
        self.assertError(self.server.request("POST", "/apis/v1beta1/jobs", bad), 400, 3,
                         "The max concurrency of the job is out of range. Support 1-10. Received 20.")
        bad = dict(body, trigger={"cron_schedule": {"cron": "*/5 * * * *"}})
        self.assertError(self.server.request("POST", "/apis/v1beta1/jobs", bad), 400, 3, "Schedule cron")
        self.assertEqual(self.server.ok("GET", "/apis/v1beta1/jobs")["total_size"], 1)
        self.server.ok("DELETE", f"/apis/v1beta1/jobs/{job['id']}")


class LenientCronTest(ServerTest):
    server_args = ("--lenient-cron",)

    def test_five_fields_accepted_as_kfp_does(self):
        self.server.ok("POST", "/apis/v2beta1/recurringruns", {
            "display_name": "unix", "pipeline_spec": fixtures.linear(), "max_concurrency": 1, "mode": "ENABLE",
            "trigger": {"cron_schedule": {"cron": "0 2 * * *"}}})


# ---------------------------------------------------------------------------
# The UI server's endpoints
# ---------------------------------------------------------------------------

class UiEndpointTest(ServerTest):
    def test_pod_logs_grow_while_the_task_runs(self):
        run = self.create_run(fixtures.slow(3))
        rid = run["run_id"]
        self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
        running = self.server.ok("GET", f"/apis/v2beta1/runs/{rid}")
        pod = self.tasks(running)["slow"]["pod_name"]
        status, first, headers = self.server.request("GET", "/k8s/pod/logs", query={
            "podname": pod, "runid": rid, "podnamespace": "kubeflow"})
        self.assertEqual(status, 200)
        self.assertTrue(headers["Content-Type"].startswith("text/plain"))
        self.assertIn("[slow] started in pod " + pod, first)
        second = self.server.request("GET", "/k8s/pod/logs", query={"podname": pod, "runid": rid})[1]
        self.assertTrue(second.startswith(first))
        self.assertGreater(len(second.splitlines()), len(first.splitlines()))
        self.watch(rid)
        done = self.server.request("GET", "/k8s/pod/logs", query={"podname": pod})[1]
        self.assertIn("[slow] done", done)
        self.assertTrue(all("[slow]" in line for line in done.splitlines()))

    def test_pod_log_errors(self):
        self.assertEqual(self.server.request("GET", "/k8s/pod/logs")[:2], (400, "podname argument is required"))
        status, text, _ = self.server.request("GET", "/k8s/pod/logs", query={"podname": "nobody-abc-1"})
        self.assertEqual(status, 500)
        self.assertIn("Could not get main container logs", text)
        rid = self.create_run(fixtures.linear())["run_id"]
        wf = json.loads(self.server.ok("GET", f"/apis/v1beta1/runs/{rid}")["pipeline_runtime"]["workflow_manifest"])
        status, text, _ = self.server.request("GET", "/k8s/pod/logs", query={
            "podname": f"{wf['metadata']['name']}-system-container-impl-1"})
        self.assertEqual((status, text), (404, "pod not found"))

    def test_v2_metrics_artifacts(self):
        rid = self.create_run(fixtures.metrics())["run_id"]
        final = self.watch(rid)[-1]
        outputs = self.tasks(final)["evaluate"]["outputs"]
        self.assertEqual(sorted(outputs), ["classification", "metrics", "model"])
        listed = {a["name"]: a for a in self.server.test_call("GET", "artifacts", run_id=rid)[1]["artifacts"]}
        self.assertEqual(listed["metrics"]["artifact_id"], outputs["metrics"]["artifact_ids"][0])
        self.assertTrue(listed["metrics"]["uri"].startswith(f"minio://mlpipeline/v2/artifacts/metrics/{rid}/evaluate/"))
        metrics = json.loads(self.server.request("GET", "/artifacts/get", query={
            "source": "minio", "bucket": listed["metrics"]["bucket"], "key": listed["metrics"]["key"]})[1])
        self.assertEqual(metrics, {"accuracy": 0.93, "loss": 0.2})
        classification = json.loads(self.server.request("GET", "/artifacts/get", query={
            "source": "minio", "bucket": "mlpipeline", "key": listed["classification"]["key"]})[1])
        self.assertEqual(classification["confusionMatrix"]["annotationSpecs"][0], {"displayName": "cat"})
        self.assertEqual(len(classification["confidenceMetrics"]), 3)

    def test_artifact_errors(self):
        for query, status, text in (({}, 500, "Storage source is missing from artifact request"),
                                    ({"source": "ftp", "bucket": "b", "key": "k"}, 500, "Unknown storage source"),
                                    ({"source": "minio", "key": "k"}, 500, "Storage bucket is missing"),
                                    ({"source": "minio", "bucket": "b"}, 500, "Storage key is missing"),
                                    ({"source": "minio", "bucket": "b", "key": "k"}, 500,
                                     "Failed to get object in bucket b at path k")):
            with self.subTest(query=query):
                got = self.server.request("GET", "/artifacts/get", query=query)
                self.assertEqual(got[0], status)
                self.assertIn(text, got[1])


# ---------------------------------------------------------------------------
# Multi-user
# ---------------------------------------------------------------------------

class MultiUserTest(ServerTest):
    server_args = ("--namespace-mode", "--grant", "alice@example.com=team-a", "--grant", "bob@example.com=team-b")

    def as_user(self, user):
        self.server.headers = {"kubeflow-userid": f"accounts.google.com:{user}"} if user else {}

    def tearDown(self):
        self.as_user(None)

    def test_namespace_and_identity_are_required(self):
        self.as_user("alice@example.com")
        self.assertError(self.server.request("GET", "/apis/v2beta1/experiments"), 400, 3,
                         "An experiment cannot have an empty namespace in multi-user mode")
        self.assertError(self.server.request("POST", "/apis/v2beta1/experiments", {"display_name": "e"}), 400, 3,
                         "empty namespace")
        self.assertError(self.server.request("GET", "/apis/v2beta1/runs"), 400, 3, "empty namespace")
        self.assertError(self.server.request("GET", "/apis/v1beta1/runs"), 400, 3,
                         "ListRuns must filter by resource reference in multi-user mode.")
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {
            "display_name": "r", "pipeline_spec": fixtures.linear()}), 400, 3,
            "Experiment id can not be empty in multi-user mode")
        self.as_user(None)
        self.assertError(self.server.request("GET", "/apis/v2beta1/experiments", query={"namespace": "team-a"}),
                         401, 16, "User identity is empty")

    def test_access_is_per_namespace(self):
        self.as_user("alice@example.com")
        self.assertError(self.server.request("GET", "/apis/v2beta1/experiments", query={"namespace": "team-b"}),
                         403, 7, "User 'alice@example.com' is not authorized")
        ea = self.server.ok("POST", "/apis/v2beta1/experiments", {"display_name": "a", "namespace": "team-a"})
        self.assertEqual(ea["namespace"], "team-a")
        ra = self.create_run(fixtures.linear(), "alice run", experiment_id=ea["experiment_id"])
        self.as_user("bob@example.com")
        eb = self.server.ok("POST", "/apis/v2beta1/experiments", {"display_name": "a", "namespace": "team-b"})
        self.create_run(fixtures.linear(), "bob run", experiment_id=eb["experiment_id"])
        self.assertError(self.server.request("GET", f"/apis/v2beta1/runs/{ra['run_id']}"), 403, 7)
        bobs = self.server.ok("GET", "/apis/v2beta1/runs", query={"namespace": "team-b"})
        self.assertEqual([r["display_name"] for r in bobs["runs"]], ["bob run"])
        self.as_user("alice@example.com")
        alices = self.server.ok("GET", "/apis/v1beta1/runs", query={"resource_reference_key.type": "NAMESPACE",
                                                                     "resource_reference_key.id": "team-a"})
        self.assertEqual([r["name"] for r in alices["runs"]], ["alice run"])
        exps = self.server.ok("GET", "/apis/v1beta1/experiments", query={"resource_reference_key.type": "NAMESPACE",
                                                                          "resource_reference_key.id": "team-a"})
        self.assertEqual(exps["experiments"][0]["resource_references"][0]["key"],
                         {"type": "NAMESPACE", "id": "team-a"})

    def test_pipelines_are_per_namespace_or_shared(self):
        self.as_user("alice@example.com")
        status, private, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "p.json",
                                                json.dumps(fixtures.linear()), query={"namespace": "team-a"})
        self.assertEqual((status, private["namespace"]), (200, "team-a"))
        status, body, _ = self.server.upload("/apis/v2beta1/pipelines/upload", "p.json",
                                             json.dumps(fixtures.linear()), query={"namespace": "team-b"})
        self.assertEqual(status, 400)
        self.assertIn("pipeline upload denied", body["error_message"])
        self.as_user("bob@example.com")
        eb = self.server.ok("POST", "/apis/v2beta1/experiments", {"display_name": "b", "namespace": "team-b"})
        self.assertError(self.server.request("POST", "/apis/v2beta1/runs", {
            "display_name": "steal", "experiment_id": eb["experiment_id"],
            "pipeline_version_reference": {"pipeline_id": private["pipeline_id"]}}), 403, 7)
        self.assertEqual(self.server.ok("GET", "/apis/v2beta1/pipelines", query={"namespace": "team-b"}), {})

    def test_ui_endpoints_in_multi_user_mode(self):
        self.as_user("alice@example.com")
        self.assertEqual(self.server.request("GET", "/k8s/pod/logs", query={"podname": "x"})[0], 422)
        self.assertEqual(self.server.request("GET", "/k8s/pod/logs", query={"podname": "x", "podnamespace": "team-b"})[:2],
                         (403, "Access denied to namespace"))
        self.assertEqual(self.server.request("GET", "/artifacts/get", query={"source": "minio", "bucket": "b",
                                                                              "key": "k"})[0], 400)
        self.as_user(None)
        self.assertEqual(self.server.request("GET", "/artifacts/get", query={"namespace": "team-a"})[0], 401)

    def test_healthz_says_multi_user(self):
        self.assertTrue(self.server.ok("GET", "/apis/v2beta1/healthz")["multi_user"])


# ---------------------------------------------------------------------------
# The response self-check over whole run lives, and restarts
# ---------------------------------------------------------------------------

class SelfCheckTest(ServerTest):
    """The server runs with --check-responses (it answers 500 when an answer
    of its own breaks the Swagger); here every answer is checked again."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = contract.Contract(SWAGGER)

    def checked(self, method, path, op_id, version, body=None, **kwargs):
        status, value, _ = self.server.request(method, path, body, **kwargs)
        self.assertEqual(status, 200, value)
        op = self.contract.find(op_id, version)
        self.assertEqual(contract.check_output(value, op.response_schema(200), op.definitions), [], path)
        return value

    def test_v2_run_whole_life(self):
        run = self.checked("POST", "/apis/v2beta1/runs", "RunService_CreateRun", "v2beta1",
                           {"display_name": "all", "pipeline_spec": fixtures.everything()})
        states = set()
        for _ in range(40):
            got = self.checked("GET", f"/apis/v2beta1/runs/{run['run_id']}", "RunService_GetRun", "v2beta1")
            states.update(t["state"] for t in got.get("run_details", {}).get("task_details", []))
            self.checked("GET", "/apis/v2beta1/runs", "RunService_ListRuns", "v2beta1")
            if got["state"] in TERMINAL:
                break
        self.assertEqual(got["state"], "FAILED")  # the exit handler's body fails on purpose
        self.assertTrue({"RUNNING", "SUCCEEDED", "SKIPPED", "FAILED"} <= states, states)
        self.checked("POST", f"/apis/v2beta1/runs/{run['run_id']}:retry", "RunService_RetryRun", "v2beta1")
        self.checked("GET", f"/apis/v1beta1/runs/{run['run_id']}", "RunService_GetRunV1", "v1beta1")

    def test_v1_run_whole_life(self):
        detail = self.checked("POST", "/apis/v1beta1/runs", "RunService_CreateRunV1", "v1beta1",
                              {"name": "v1", "pipeline_spec": {"workflow_manifest": fixtures.V1_WORKFLOW}})
        rid = detail["run"]["id"]
        for _ in range(40):
            got = self.checked("GET", f"/apis/v1beta1/runs/{rid}", "RunService_GetRunV1", "v1beta1")
            self.checked("GET", "/apis/v1beta1/runs", "RunService_ListRunsV1", "v1beta1")
            if got["run"]["status"] in ("Succeeded", "Failed"):
                break
        self.assertEqual(got["run"]["status"], "Succeeded")
        self.checked("GET", f"/apis/v2beta1/runs/{rid}", "RunService_GetRun", "v2beta1")

    def test_other_resources(self):
        pipeline = self.server.upload("/apis/v2beta1/pipelines/upload", "e.json", json.dumps(fixtures.everything()))[1]
        for path, op_id, version in (
                ("/apis/v2beta1/pipelines", "PipelineService_ListPipelines", "v2beta1"),
                (f"/apis/v2beta1/pipelines/{pipeline['pipeline_id']}/versions", "PipelineService_ListPipelineVersions",
                 "v2beta1"),
                ("/apis/v1beta1/pipelines", "PipelineService_ListPipelinesV1", "v1beta1"),
                ("/apis/v2beta1/experiments", "ExperimentService_ListExperiments", "v2beta1"),
                ("/apis/v1beta1/experiments", "ExperimentService_ListExperimentsV1", "v1beta1"),
                ("/apis/v2beta1/healthz", "HealthzService_GetHealthz", "v2beta1")):
            with self.subTest(path=path):
                self.checked("GET", path, op_id, version)
        self.checked("POST", "/apis/v2beta1/recurringruns", "RecurringRunService_CreateRecurringRun", "v2beta1",
                     {"display_name": "j", "pipeline_version_reference": {"pipeline_id": pipeline["pipeline_id"]},
                      "max_concurrency": 1, "mode": "ENABLE", "trigger": {"cron_schedule": {"cron": "0 0 * * * *"}}})
        self.checked("GET", "/apis/v2beta1/recurringruns", "RecurringRunService_ListRecurringRuns", "v2beta1")
        self.checked("GET", "/apis/v1beta1/jobs", "JobService_ListJobs", "v1beta1")

    def test_every_v2_golden_runs_to_the_end(self):
        for path in sorted(glob.glob(os.path.join(REFERENCE, "kfp-v2-goldens", "*.yaml"))):
            with self.subTest(golden=os.path.basename(path)):
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                docs = yamlmini.load_all(text)
                spec = docs[0] if len(docs) == 1 else {"pipeline_spec": docs[0], "platform_spec": docs[1]}
                template = specs.load_template(text)
                params = {}
                for name, p in template.root_inputs().items():
                    if "default_value" not in p and not p.get("is_optional"):
                        params[name] = {"STRING": "s", "NUMBER_INTEGER": 1, "NUMBER_DOUBLE": 1.5, "BOOLEAN": True,
                                        "LIST": ["a"], "STRUCT": {"k": "v"}}[p["parameter_type"]]
                run = self.create_run(spec, os.path.basename(path), params=params)
                seen = self.watch(run["run_id"], limit=80)
                op = self.contract.find("RunService_GetRun", "v2beta1")
                for answer in seen:
                    self.assertEqual(contract.check_output(answer, op.response_schema(200), op.definitions), [])
                self.assertIn(seen[-1]["state"], ("SUCCEEDED", "FAILED"))


class StateFileTest(unittest.TestCase):
    def test_state_survives_a_restart(self):
        with tempfile.TemporaryDirectory() as tmp:
            state = os.path.join(tmp, "state.jsonl")
            server = Server("--state-file", state)
            try:
                run = server.ok("POST", "/apis/v2beta1/runs", {"display_name": "kept",
                                                               "pipeline_spec": fixtures.linear()})
                first = server.ok("GET", f"/apis/v2beta1/runs/{run['run_id']}")
            finally:
                server.stop()
            server = Server("--state-file", state)
            try:
                again = server.ok("GET", f"/apis/v2beta1/runs/{run['run_id']}")
                self.assertEqual(again["display_name"], "kept")
                self.assertEqual(again["created_at"], first["created_at"])
                self.assertEqual(again["state_history"], first["state_history"])
                # the replayed GET moved it as the first one did; this GET one step more
                self.assertEqual(ServerTest.tasks(first), {"root": ServerTest.tasks(first)["root"]})
                self.assertEqual(ServerTest.tasks(again)["produce"]["state"], "RUNNING")
            finally:
                server.stop()


class ProcessTest(unittest.TestCase):
    def test_sigterm_stops_the_server(self):
        server = Server()
        server.ok("GET", "/apis/v2beta1/healthz")
        started = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        self.assertEqual(server.proc.wait(timeout=10), 0)
        self.assertLess(time.monotonic() - started, 10)
        server.stop()

    def test_prints_one_line(self):
        server = Server()
        server.stop()
        self.assertEqual(server.proc.returncode, 0)


if __name__ == "__main__":
    unittest.main()
