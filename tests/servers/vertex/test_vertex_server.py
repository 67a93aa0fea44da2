# SPDX-License-Identifier: Apache-2.0
"""Tests of the loopback Vertex AI / Cloud Logging / Cloud Storage server.

python3 -m unittest discover -s tests/servers/vertex -v
Reference data from $PW_REFERENCE_DIR (default tests/reference).
The official Node client test runs when $PW_VERTEX_NODE_PREFIX names a folder
where run_official_client.sh may install it (npm), else it is skipped.
"""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
KFP = os.path.join(os.path.dirname(HERE), "kfp")
sys.path.insert(0, KFP)
import fixtures  # noqa: E402  (../kfp)
import yamlmini  # noqa: E402  (../kfp)

REFERENCE = os.environ.get("PW_REFERENCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference"))
CAPTURE = os.path.join(REFERENCE, "backends", "google-auth", "vertex_nodejs_client_rest_requests.jsonl")
TOKEN = "ya29.test-token"
PARENT = "projects/pipewright-test/locations/us-central1"
V1 = f"/v1/{PARENT}"
EPOCH = "2024-05-01T00:00:00Z"


class Server:
    """The server in a subprocess on a free port."""

    def __init__(self, *args, token_file=None):
        cmd = [sys.executable, os.path.join(HERE, "vertex_server.py"), "--proto-dir",
               os.path.join(REFERENCE, "backends", "vertex"), "--ir-dir", os.path.join(REFERENCE, "kfp-ir"),
               "--port", "0", "--check-responses", "--epoch", EPOCH]
        if token_file:
            cmd += ["--token-file", token_file]
        self.proc = subprocess.Popen(cmd + list(args), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("listening on "):
            raise RuntimeError("server did not start: " + line + self.proc.stderr.read())
        self.port = int(line.split()[-1])
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        errors = self.proc.stderr.read()
        self.proc.stdout.close()
        self.proc.stderr.close()
        return errors

    def request(self, method, path, body=None, query=None, token=TOKEN, headers=None, raw=None,
                content_type="application/json"):
        url = self.base + path
        if query:
            url += ("&" if "?" in path else "?") + urllib.parse.urlencode(query, doseq=True)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None and content_type:
            request.add_header("Content-Type", content_type)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for k, v in (headers or {}).items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def json(self, method, path, body=None, **kwargs):
        status, data, _ = self.request(method, path, body, **kwargs)
        try:
            return status, json.loads(data)
        except ValueError:
            return status, data.decode("utf-8", "replace")


def job_body(spec=None, params=None, root="gs://pipewright-bucket/runs", **extra):
    body = {"displayName": "test job", "pipelineSpec": spec if spec is not None else fixtures.linear(),
            "runtimeConfig": {"gcsOutputDirectory": root}}
    if params is not None:
        body["runtimeConfig"]["parameterValues"] = params
    body.update(extra)
    return body


class ServerTest(unittest.TestCase):
    server_args = ()
    token_file = True

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp()
        cls.tokens = os.path.join(cls.tmp, "tokens")
        with open(cls.tokens, "w") as f:
            f.write(TOKEN + "\n")
        cls.server = Server(*cls.server_args, token_file=cls.tokens if cls.token_file else None)

    @classmethod
    def tearDownClass(cls):
        errors = cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)
        if "self-check failed" in errors or "Traceback" in errors:
            raise AssertionError("server stderr:\n" + errors)

    def setUp(self):
        self.server.request("POST", "/_test/reset")

    def call(self, method, path, body=None, **kwargs):
        return self.server.json(method, path, body, **kwargs)

    def ok(self, method, path, body=None, **kwargs):
        status, answer = self.call(method, path, body, **kwargs)
        self.assertEqual(status, 200, answer)
        return answer

    def error(self, method, path, body=None, status=400, **kwargs):
        got, answer = self.call(method, path, body, **kwargs)
        self.assertEqual(got, status, answer)
        return answer["error"]

    def create(self, body=None, job_id=None):
        query = {"pipelineJobId": job_id} if job_id else None
        return self.ok("POST", f"{V1}/pipelineJobs", body or job_body(), query=query)

    def run_to_end(self, name, limit=60):
        job = None
        for _ in range(limit):
            job = self.ok("GET", f"/v1/{name}")
            if job["state"] in ("PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED", "PIPELINE_STATE_CANCELLED"):
                return job
        self.fail(f"{name} did not finish: {job['state']}")

    def tasks(self, job):
        return {t["taskName"]: t for t in job["jobDetail"]["taskDetails"]}


class NodeCaptureTest(ServerTest):
    """The requests Google's Node client sent are accepted as they were sent."""

    def test_replay_capture(self):
        with open(CAPTURE, encoding="utf-8") as f:
            captured = [json.loads(line) for line in f if line.strip()]
        self.assertEqual([c["method"] for c in captured], ["POST", "GET", "POST", "GET"])
        with open(self.tokens, "a") as f:
            f.write(captured[0]["auth"].split(" ", 1)[1] + "\n")
        for c in captured:
            headers = {"Authorization": c["auth"], "x-goog-api-client": c["xgoog"]}
            status, data, _ = self.server.request(c["method"], c["path"], raw=c["body"].encode() if c["body"] else None,
                                                  token=None, headers=headers, content_type=c["ctype"])
            self.assertTrue(200 <= status < 300, f"{c['method']} {c['path']}: {status} {data[:500]}")
            answer = json.loads(data)
            if c["method"] == "GET" and "pipelineJobs/" in c["path"]:
                self.assertIsInstance(answer["state"], int)  # $alt=json;enum-encoding=int
        log = self.ok("GET", "/_test/requests")["requests"]
        self.assertEqual([e["status"] for e in log], [200, 200, 200, 200])


class AuthTest(ServerTest):
    def test_missing_token(self):
        status, answer = self.call("GET", f"{V1}/pipelineJobs", token=None)
        self.assertEqual(status, 401)
        error = answer["error"]
        self.assertEqual(error["status"], "UNAUTHENTICATED")
        self.assertTrue(error["message"].startswith("Request is missing required authentication credential."))
        self.assertEqual(error["details"][0]["reason"], "CREDENTIALS_MISSING")
        self.assertEqual(error["details"][0]["metadata"]["method"],
                         "google.cloud.aiplatform.v1.PipelineService.ListPipelineJobs")

    def test_wrong_token_and_header(self):
        status, data, headers = self.server.request("GET", f"{V1}/pipelineJobs", token="ya29.other")
        error = json.loads(data)["error"]
        self.assertEqual((status, error["code"], error["status"]), (401, 401, "UNAUTHENTICATED"))
        self.assertTrue(error["message"].startswith("Request had invalid authentication credentials."))
        self.assertIn('error="invalid_token"', headers["WWW-Authenticate"])
        status, _, _ = self.server.request("GET", f"{V1}/pipelineJobs", token=None,
                                           headers={"Authorization": f"Basic {TOKEN}"})
        self.assertEqual(status, 401)

    def test_token_file_is_read_per_request_and_expiry(self):
        self.error("GET", f"{V1}/pipelineJobs", token="ya29.rotated", status=401)
        with open(self.tokens, "a") as f:
            f.write("ya29.rotated\n")
        self.ok("GET", f"{V1}/pipelineJobs", token="ya29.rotated")
        self.ok("POST", "/_test/expire-token", query={"token": "ya29.rotated"})
        error = self.error("GET", f"{V1}/pipelineJobs", token="ya29.rotated", status=401)
        self.assertEqual(error["details"][0]["reason"], "ACCESS_TOKEN_EXPIRED")
        self.ok("GET", f"{V1}/pipelineJobs")  # the other token still works

    def test_logging_and_storage_need_tokens_too(self):
        error = self.error("POST", "/v2/entries:list", {"resourceNames": ["projects/p"]}, token=None, status=401)
        self.assertEqual(error["details"][0]["metadata"]["service"], "logging.googleapis.com")
        status, answer = self.call("GET", "/storage/v1/b/x/o", token="nope")
        self.assertEqual(status, 401)
        self.assertEqual(answer["error"]["errors"][0]["reason"], "authError")
        self.assertEqual(answer["error"]["message"], "Invalid Credentials")

    def test_user_project_header(self):
        self.ok("GET", f"{V1}/pipelineJobs", headers={"x-goog-user-project": "pipewright-test"})
        error = self.error("GET", f"{V1}/pipelineJobs", headers={"x-goog-user-project": "Bad Project!"})
        self.assertEqual(error["details"][0]["reason"], "USER_PROJECT_INVALID")

    def test_token_server_grant_end_to_end(self):
        """A token from the loopback Google token endpoint (refresh-token grant) opens the Vertex API."""
        config = os.path.join(self.tmp, "token-config.json")
        with open(config, "w") as f:
            json.dump({"authorized_users": [{"client_id": "cid", "client_secret": "secret",
                                             "refresh_token": "1//refresh"}], "expires_in": 3599}, f)
        proc = subprocess.Popen([sys.executable, os.path.join(os.path.dirname(HERE), "google", "token_server.py"),
                                 "--config", config, "--log", os.path.join(self.tmp, "grants.jsonl"),
                                 "--max-seconds", "120"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            port = int(proc.stdout.readline().split()[-1])
            form = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": "cid",
                                           "client_secret": "secret", "refresh_token": "1//refresh"}).encode()
            request = urllib.request.Request(f"http://127.0.0.1:{port}/token", data=form, method="POST", headers={
                "Content-Type": "application/x-www-form-urlencoded"})
            with urllib.request.urlopen(request, timeout=30) as r:
                granted = json.loads(r.read())["access_token"]
        finally:
            proc.stdin.close()
            proc.wait(timeout=10)
            proc.stdout.close()
        self.error("GET", f"{V1}/pipelineJobs", token=granted, status=401)
        with open(self.tokens, "a") as f:
            f.write(granted + "\n")   # what a test does with each token the grant hands out
        self.ok("GET", f"{V1}/pipelineJobs", token=granted)


class TranscodingTest(ServerTest):
    def test_unknown_url_is_the_front_end_404_page(self):
        status, data, headers = self.server.request("GET", "/v1/projects/p/locations/us-central1/pipelinejobs")
        self.assertEqual(status, 404)
        self.assertIn("text/html", headers["Content-Type"])
        self.assertIn(b"was not found on this server", data)
        status, _, _ = self.server.request("GET", f"{V1}/pipelineJobs/x:cancel")
        self.assertEqual(status, 404)
        status, _, _ = self.server.request("PUT", f"{V1}/pipelineJobs/x")
        self.assertEqual(status, 404)

    def test_unserved_method(self):
        error = self.error("GET", f"{V1}/trainingPipelines", status=501)
        self.assertEqual(error["status"], "UNIMPLEMENTED")

    def test_unknown_field(self):
        body = job_body()
        body["colour"] = "red"
        error = self.error("POST", f"{V1}/pipelineJobs", body)
        message = "Invalid JSON payload received. Unknown name \"colour\" at 'pipeline_job': Cannot find field."
        self.assertEqual(error, {"code": 400, "message": message, "status": "INVALID_ARGUMENT", "details": [
            {"@type": "type.googleapis.com/google.rpc.BadRequest",
             "fieldViolations": [{"field": "pipeline_job", "description": message}]}]})
        body = job_body()
        body["runtimeConfig"]["pipelineRoot"] = "gs://x"
        error = self.error("POST", f"{V1}/pipelineJobs", body)
        self.assertIn("Unknown name \"pipelineRoot\" at 'pipeline_job.runtime_config'", error["message"])
        error = self.error("POST", f"{V1}/pipelineJobs/x:cancel", {"force": True})
        self.assertEqual(error["message"], "Invalid JSON payload received. Unknown name \"force\": Cannot find field.")

    def test_wrong_json_types(self):
        cases = [({"displayName": 5}, "Invalid value at 'pipeline_job.display_name' (TYPE_STRING), 5"),
                 ({"labels": ["a"]}, "Invalid value at 'pipeline_job.labels' "
                                     "(type.googleapis.com/google.cloud.aiplatform.v1.PipelineJob.LabelsEntry), [\"a\"]"),
                 ({"displayName": ["a"]}, "Invalid JSON payload received. Unknown name \"displayName\" at "
                                          "'pipeline_job': Proto field is not repeating, cannot start list."),
                 ({"preflightValidations": "yes"}, "Invalid value at 'pipeline_job.preflight_validations' "
                                                   "(TYPE_BOOL), \"yes\""),
                 ({"runtimeConfig": {"gcsOutputDirectory": "gs://b/r", "failurePolicy": "FAIL_FAST"}},
                  "Invalid value at 'pipeline_job.runtime_config.failure_policy' "
                  "(type.googleapis.com/google.cloud.aiplatform.v1.PipelineFailurePolicy), \"FAIL_FAST\""),
                 ({"runtimeConfig": "gs://b"}, "Invalid value at 'pipeline_job.runtime_config' "
                                               "(type.googleapis.com/google.cloud.aiplatform.v1.PipelineJob."
                                               "RuntimeConfig), \"gs://b\""),
                 ({"pipelineSpec": "{}"}, "Invalid value at 'pipeline_job.pipeline_spec' "
                                          "(type.googleapis.com/google.protobuf.Struct), \"{}\"")]
        for extra, message in cases:
            body = job_body()
            body.update(extra)
            error = self.error("POST", f"{V1}/pipelineJobs", body)
            self.assertEqual(error["message"], message)

    def test_syntax_error_and_duplicates(self):
        error = self.error("POST", f"{V1}/pipelineJobs", raw=b'{"displayName": }')
        self.assertTrue(error["message"].startswith("Invalid JSON payload received. Unexpected token."), error)
        error = self.error("POST", f"{V1}/pipelineJobs", raw=b'{"displayName": "a", "display_name": "b"}')
        self.assertIn("Duplicate name", error["message"])

    def test_accepted_forms(self):
        """proto names, enum numbers, int64 as numbers, null for unset, output-only fields ignored."""
        body = job_body()
        body["runtime_config"] = body.pop("runtimeConfig")
        body["runtime_config"]["failure_policy"] = 2
        body.update({"state": "PIPELINE_STATE_SUCCEEDED", "createTime": "2020-01-01T00:00:00Z", "network": None,
                     "name": "projects/x/locations/y/pipelineJobs/z"})
        job = self.create(body, "forms")
        self.assertEqual(job["state"], "PIPELINE_STATE_PENDING")
        self.assertEqual(job["runtimeConfig"]["failurePolicy"], "PIPELINE_FAILURE_POLICY_FAIL_FAST")
        self.assertTrue(job["name"].endswith("/pipelineJobs/forms"))
        self.assertNotEqual(job["createTime"], "2020-01-01T00:00:00Z")

    def test_query_parameters(self):
        error = self.error("GET", f"{V1}/pipelineJobs", query={"colour": "red"})
        self.assertEqual(error["message"], "Invalid JSON payload received. Unknown name \"colour\": Cannot bind "
                                           "query parameter. Field 'colour' could not be found in request message.")
        error = self.error("GET", f"{V1}/pipelineJobs", query={"pageSize": "ten"})
        self.assertEqual(error["message"], "Invalid value at 'page_size' (TYPE_INT32), \"ten\"")
        self.ok("GET", f"{V1}/pipelineJobs", query={"page_size": "10", "$alt": "json", "prettyPrint": "false"})
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(), query={"pipelineJob": "x"})
        self.assertIn("Cannot bind query parameter", error["message"])
        error = self.error("POST", f"{V1}/pipelineJobs/x:cancel", {}, query={"name": "y"})
        self.assertIn("Cannot bind query parameter", error["message"])
        error = self.error("GET", f"{V1}/pipelineJobs", query={"$alt": "proto"})
        self.assertIn("$alt", error["message"])

    def test_form_body_is_read_as_query_parameters(self):
        """`curl -d '{...}'` without a JSON content type: ESF reads the body as parameters."""
        error = self.error("POST", f"{V1}/pipelineJobs", raw=json.dumps(job_body()).encode(),
                           content_type="application/x-www-form-urlencoded")
        self.assertIn("Cannot bind query parameter", error["message"])

    def test_enum_encoding_int(self):
        job = self.create(job_id="ints")
        got = self.ok("GET", f"/v1/{job['name']}", query={"$alt": "json;enum-encoding=int"})
        self.assertEqual(got["state"], 3)
        self.assertEqual(got["jobDetail"]["taskDetails"][0]["state"], 2)
        self.assertEqual(self.ok("GET", f"/v1/{job['name']}")["state"], "PIPELINE_STATE_RUNNING")


class CreateRulesTest(ServerTest):
    def test_gcs_output_directory_required(self):
        body = job_body()
        del body["runtimeConfig"]["gcsOutputDirectory"]
        error = self.error("POST", f"{V1}/pipelineJobs", body)
        self.assertEqual(error["message"], "List of found errors:\t1.Field: pipeline_job.runtime_config."
                                           "gcs_output_directory; Message: gcs_output_directory is empty.\t")
        self.assertEqual(error["details"][0]["fieldViolations"],
                         [{"field": "pipeline_job.runtime_config.gcs_output_directory",
                           "description": "gcs_output_directory is empty."}])
        body["runtimeConfig"]["gcsOutputDirectory"] = "/local/dir"
        error = self.error("POST", f"{V1}/pipelineJobs", body)
        self.assertIn("Invalid Cloud Storage URI", error["message"])

    def test_location_and_project(self):
        error = self.error("POST", "/v1/projects/pipewright-test/locations/europe-west4/pipelineJobs", job_body())
        self.assertIn("europe-west4-aiplatform.googleapis.com", error["message"])
        job = self.create(job_id="numbered")
        number = job["name"].split("/")[1]
        self.assertTrue(number.isdigit() and len(number) == 12, job["name"])
        self.ok("GET", f"/v1/projects/{number}/locations/us-central1/pipelineJobs/numbered")
        self.ok("GET", f"{V1}/pipelineJobs/numbered")
        self.assertEqual(job["serviceAccount"], f"{number}-compute@developer.gserviceaccount.com")
        self.assertIn("vertex-ai-pipelines-run-billing-id", job["labels"])

    def test_job_id_rules(self):
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(), query={"pipelineJobId": "Bad_ID"})
        self.assertIn("pipeline_job_id", error["message"])
        self.create(job_id="twice")
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(), query={"pipelineJobId": "twice"}, status=409)
        self.assertEqual(error["status"], "ALREADY_EXISTS")
        generated = self.create()["name"].rsplit("/", 1)[1]
        self.assertTrue(generated.isdigit(), generated)

    def test_labels_and_formats(self):
        for extra in ({"labels": {"Team": "x"}}, {"labels": {"team": "X Y"}}, {"serviceAccount": "nobody"},
                      {"network": "default"}):
            error = self.error("POST", f"{V1}/pipelineJobs", job_body(**extra))
            self.assertTrue(error["message"].startswith("List of found errors:"), error)
        self.create(job_body(labels={"team": "ml", "env": "prod"}, network="projects/1/global/networks/n",
                             serviceAccount="sa@p.iam.gserviceaccount.com"))

    def test_pipeline_spec_strict(self):
        spec = fixtures.linear()
        spec["root"]["dag"]["tasks"]["produce"]["colour"] = "red"
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(spec))
        self.assertEqual(error["details"][0]["fieldViolations"][0]["field"], "pipeline_job.pipeline_spec")
        self.assertIn("Unknown name \"colour\" at 'pipeline_spec.root.dag.tasks[\"produce\"]'", error["message"])
        for change, text in ((lambda s: s.update(schemaVersion="3.0.0"), "unsupported schemaVersion"),
                             (lambda s: s["pipelineInfo"].update(name="Linear Pipeline"), "must match"),
                             (lambda s: s["root"]["dag"]["tasks"]["produce"]["componentRef"].update(name="comp-x"),
                              "comp-x"),
                             (lambda s: s.pop("pipelineInfo"), "pipelineInfo.name is empty"),
                             (lambda s: s["root"]["dag"]["tasks"]["consume"].update(dependentTasks=["nope"]),
                              "nope")):
            spec = fixtures.linear()
            change(spec)
            error = self.error("POST", f"{V1}/pipelineJobs", job_body(spec))
            self.assertIn(text, error["message"])

    def test_parameters_against_root_inputs(self):
        spec = fixtures.Spec("typed", {"n": {"parameterType": "NUMBER_INTEGER"},
                                       "rate": {"parameterType": "NUMBER_DOUBLE", "defaultValue": 0.5},
                                       "flag": {"parameterType": "BOOLEAN", "isOptional": True}})
        spec.container("noop")
        spec.root("noop", fixtures.task("comp-noop"))
        spec = spec.build()
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(spec, {"n": 3, "extra": 1}))
        self.assertIn("The pipeline parameter extra is not found in the pipeline job input definitions.",
                      error["message"])
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(spec, {"n": 1.5}))
        self.assertIn("The value of the pipeline parameter n must be an integer", error["message"])
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(spec, {"n": 1, "flag": "yes"}))
        self.assertIn("parameter flag", error["message"])
        error = self.error("POST", f"{V1}/pipelineJobs", job_body(spec, {}))
        self.assertIn("The pipeline parameter n is required", error["message"])
        self.create(job_body(spec, {"n": 4}))
        legacy = job_body(spec)
        legacy["runtimeConfig"]["parameters"] = {"n": {"intValue": "4"}}
        self.create(legacy)

    def test_template_uri_is_not_fetched(self):
        body = job_body()
        del body["pipelineSpec"]
        body["templateUri"] = "https://us-central1-kfp.pkg.dev/p/repo/pipe/v1"
        self.assertEqual(self.error("POST", f"{V1}/pipelineJobs", body, status=501)["status"], "UNIMPLEMENTED")

    def test_every_sdk_golden_is_accepted_and_runs(self):
        folder = os.path.join(REFERENCE, "kfp-v2-goldens")
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                docs = [d for d in yamlmini.load_all(f.read()) if d]
            spec = next(d for d in docs if "pipelineInfo" in d)
            params = {}
            for pname, p in ((spec.get("root") or {}).get("inputDefinitions") or {}).get("parameters", {}).items():
                if "defaultValue" not in p and not p.get("isOptional"):
                    params[pname] = {"STRING": "x", "NUMBER_INTEGER": 1, "NUMBER_DOUBLE": 1.0, "BOOLEAN": True,
                                     "LIST": [], "STRUCT": {}}[p["parameterType"]]
            with self.subTest(golden=name):
                job = self.create(job_body(json.loads(json.dumps(spec)), params))
                done = self.run_to_end(job["name"], 200)
                self.assertIn(done["state"], ("PIPELINE_STATE_SUCCEEDED", "PIPELINE_STATE_FAILED"))


class JobProgressTest(ServerTest):
    def test_linear_job_steps_per_observation(self):
        job = self.create(job_body(params={"text": "hello"}), "linear")
        self.assertEqual(job["state"], "PIPELINE_STATE_PENDING")
        self.assertNotIn("startTime", job)
        self.assertNotIn("jobDetail", job)
        states = []
        while True:
            got = self.ok("GET", f"/v1/{job['name']}")
            states.append((got["state"], {t["taskName"]: t["state"] for t in got["jobDetail"]["taskDetails"]}))
            if got["state"] == "PIPELINE_STATE_SUCCEEDED":
                break
        self.assertEqual(states[0], ("PIPELINE_STATE_RUNNING", {"linear-pipeline": "RUNNING"}))
        self.assertEqual(states[1][1]["produce"], "RUNNING")
        self.assertEqual(states[-1][1], {"linear-pipeline": "SUCCEEDED", "produce": "SUCCEEDED",
                                         "consume": "SUCCEEDED"})
        tasks = self.tasks(got)
        root = tasks["linear-pipeline"]
        self.assertNotIn("parentTaskId", root)
        self.assertEqual(tasks["produce"]["parentTaskId"], root["taskId"])
        self.assertTrue(all(t["taskId"].isdigit() for t in tasks.values()))
        main_job = tasks["produce"]["executorDetail"]["containerDetail"]["mainJob"]
        number = job["name"].split("/")[1]
        self.assertRegex(main_job, rf"^projects/{number}/locations/us-central1/customJobs/\d+$")
        self.assertEqual(tasks["produce"]["execution"]["metadata"], {"input:text": "hello", "output:Output": "made"})
        self.assertEqual([s["state"] for s in tasks["produce"]["pipelineTaskStatus"]],
                         ["PENDING", "RUNNING", "SUCCEEDED"])
        for key in ("createTime", "startTime", "endTime", "updateTime"):
            self.assertIn(key, got)
        self.assertLessEqual(got["startTime"], got["endTime"])
        self.assertEqual(tasks["consume"]["taskUniqueName"], "consume")

    def test_artifacts_in_cloud_storage(self):
        job = self.create(job_body(fixtures.metrics(), root="gs://pipewright-bucket/runs/"), "metrics")
        done = self.run_to_end(job["name"])
        task = self.tasks(done)["evaluate"]
        number = job["name"].split("/")[1]
        uri = task["outputs"]["metrics"]["artifacts"][0]["uri"]
        self.assertEqual(uri, f"gs://pipewright-bucket/runs/{number}/metrics/evaluate_{task['taskId']}/metrics")
        self.assertEqual(task["outputs"]["metrics"]["artifacts"][0]["schemaTitle"], "system.Metrics")
        key = uri[len("gs://pipewright-bucket/"):]
        status, data, headers = self.server.request(
            "GET", f"/storage/v1/b/pipewright-bucket/o/{urllib.parse.quote(key, safe='')}", query={"alt": "media"})
        self.assertEqual(status, 200)
        self.assertEqual(json.loads(data), {"accuracy": 0.93, "loss": 0.2})
        self.assertIn("crc32c=", headers["x-goog-hash"])
        meta = self.ok("GET", f"/storage/v1/b/pipewright-bucket/o/{urllib.parse.quote(key, safe='')}")
        self.assertEqual((meta["kind"], meta["name"], meta["size"]), ("storage#object", key, str(len(data))))
        classification = task["outputs"]["classification"]["artifacts"][0]["uri"][len("gs://pipewright-bucket/"):]
        status, data, _ = self.server.request(
            "GET", f"/storage/v1/b/pipewright-bucket/o/{urllib.parse.quote(classification, safe='')}",
            query={"alt": "media"})
        self.assertEqual(status, 200)
        self.assertIn("confusionMatrix", json.loads(data))
        listed = self.ok("GET", "/storage/v1/b/pipewright-bucket/o",
                         query={"prefix": f"runs/{number}/metrics/", "delimiter": "/"})
        self.assertEqual(listed["prefixes"], [f"runs/{number}/metrics/evaluate_{task['taskId']}/"])
        listed = self.ok("GET", "/storage/v1/b/pipewright-bucket/o", query={"prefix": f"runs/{number}/"})
        names = sorted(i["name"].rsplit("/", 1)[1] for i in listed["items"])
        self.assertEqual(names, ["classification", "executor_output.json", "metrics", "model"])
        paged = self.ok("GET", "/storage/v1/b/pipewright-bucket/o", query={"prefix": "runs/", "maxResults": "2"})
        self.assertEqual(len(paged["items"]), 2)
        rest = self.ok("GET", "/storage/v1/b/pipewright-bucket/o", query={"prefix": "runs/",
                                                                          "pageToken": paged["nextPageToken"]})
        self.assertEqual(len(rest["items"]), 2)
        objects = self.ok("GET", "/_test/objects", query={"job": "metrics"})["objects"]
        self.assertEqual(len(objects), 4)

    def test_storage_errors(self):
        self.create(job_body(fixtures.metrics()), "m")
        status, data, _ = self.server.request("GET", "/storage/v1/b/pipewright-bucket/o/runs/x", query={"alt": "media"})
        self.assertEqual(status, 404)  # slashes in an object name must be %2F
        error = self.error("GET", "/storage/v1/b/pipewright-bucket/o/runs%2Fnothing", status=404)
        self.assertEqual(error, {"code": 404, "message": "No such object: pipewright-bucket/runs/nothing",
                                 "errors": [{"message": "No such object: pipewright-bucket/runs/nothing",
                                             "domain": "global", "reason": "notFound"}]})
        error = self.error("GET", "/storage/v1/b/other-bucket/o", status=404)
        self.assertEqual(error["message"], "The specified bucket does not exist.")

    def test_failure_and_failure_policies(self):
        spec = fixtures.Spec("fails")
        spec.container("bad", command="exit 1 # pipewright-test:fail")
        spec.container("slow", command="echo pipewright-test:steps=3")
        spec.container("after-bad", command="echo never")
        spec.container("after-slow", command="echo later")
        spec.root("bad", fixtures.task("comp-bad"))
        spec.root("slow", fixtures.task("comp-slow"))
        spec.root("after-bad", fixtures.task("comp-after-bad", deps=["bad"]))
        spec.root("after-slow", fixtures.task("comp-after-slow", deps=["slow"]))
        spec = spec.build()
        slow_job = self.run_to_end(self.create(job_body(spec), "fail-slow")["name"])
        tasks = self.tasks(slow_job)
        self.assertEqual(slow_job["state"], "PIPELINE_STATE_FAILED")
        self.assertEqual(tasks["after-slow"]["state"], "SUCCEEDED")  # FAIL_SLOW: independent work goes on
        self.assertNotIn("after-bad", tasks)
        self.assertEqual(tasks["bad"]["state"], "FAILED")
        self.assertIn("exited with a non-zero status of 1", tasks["bad"]["error"]["message"])
        self.assertIn("The DAG failed because some tasks failed. The failed tasks are: [bad].",
                      slow_job["error"]["message"])
        body = job_body(spec)
        body["runtimeConfig"]["failurePolicy"] = "PIPELINE_FAILURE_POLICY_FAIL_FAST"
        fast_job = self.run_to_end(self.create(body, "fail-fast")["name"])
        self.assertNotIn("after-slow", self.tasks(fast_job))

    def test_conditions_loops_and_retries(self):
        done = self.run_to_end(self.create(job_body(fixtures.branches()), "branches")["name"])
        states = {t["taskName"]: t["state"] for t in done["jobDetail"]["taskDetails"]}
        self.assertEqual(states["condition-2"], "NOT_TRIGGERED")
        self.assertEqual(states["print-heads"], "SUCCEEDED")
        done = self.run_to_end(self.create(job_body(fixtures.loops()), "loops")["name"])
        shown = [t for t in done["jobDetail"]["taskDetails"] if t["taskName"] == "show-number"]
        self.assertEqual(len(shown), 3)
        self.assertEqual(len({t["parentTaskId"] for t in shown}), 3)
        done = self.run_to_end(self.create(job_body(fixtures.flaky(retries=2)), "flaky")["name"])
        flaky = self.tasks(done)["flaky"]
        self.assertEqual(flaky["state"], "SUCCEEDED")
        self.assertEqual(len(flaky["executorDetail"]["containerDetail"]["failedMainJobs"]), 1)

    def test_cancel_and_delete(self):
        job = self.create(job_body(fixtures.slow(5)), "slow")
        self.ok("GET", f"/v1/{job['name']}")
        self.ok("GET", f"/v1/{job['name']}")
        error = self.error("DELETE", f"/v1/{job['name']}")
        self.assertEqual(error["status"], "FAILED_PRECONDITION")
        self.assertEqual(self.ok("POST", f"/v1/{job['name']}:cancel", {}), {})
        got = self.ok("GET", f"/v1/{job['name']}")
        self.assertEqual(got["state"], "PIPELINE_STATE_CANCELLING")
        self.assertEqual(self.tasks(got)["slow"]["state"], "CANCELLING")
        got = self.ok("GET", f"/v1/{job['name']}")
        self.assertEqual(got["state"], "PIPELINE_STATE_CANCELLED")
        self.assertEqual(got["error"]["code"], 1)
        self.assertEqual(self.tasks(got)["slow"]["state"], "CANCELLED")
        error = self.error("POST", f"/v1/{job['name']}:cancel", {})
        self.assertEqual(error["status"], "FAILED_PRECONDITION")
        op = self.ok("DELETE", f"/v1/{job['name']}")
        self.assertNotIn("done", op)
        self.assertEqual(op["metadata"]["@type"], "type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata")
        self.error("GET", f"/v1/{job['name']}", status=404)
        done = self.ok("GET", f"/ui/{op['name']}")
        self.assertEqual((done["done"], done["response"]["@type"]),
                         (True, "type.googleapis.com/google.protobuf.Empty"))
        self.assertTrue(self.ok("GET", f"/v1/{op['name']}")["done"])
        self.error("GET", f"/v1/{op['name']}-missing", status=404)

    def test_test_endpoints(self):
        job = self.create(job_body(fixtures.slow(3)), "adv")
        moved = self.ok("POST", "/_test/advance", query={"job": "adv", "steps": "100"})
        self.assertEqual(moved["state"], "PIPELINE_STATE_SUCCEEDED")
        log = self.ok("GET", "/_test/requests")["requests"]
        self.assertEqual(log[-1]["authorization"], {"present": True, "scheme": "Bearer"})
        self.assertNotIn("Authorization", log[-1]["headers"])
        self.assertEqual(log[-1]["rpc"], "google.cloud.aiplatform.v1.PipelineService.CreatePipelineJob")
        self.ok("POST", "/_test/drop", query={"count": "1"})
        with self.assertRaises(Exception):
            self.server.request("GET", f"/v1/{job['name']}")
        self.ok("GET", f"/v1/{job['name']}")


class ListTest(ServerTest):
    def setUp(self):
        super().setUp()
        for i, (labels, fail) in enumerate(([{"env": "prod"}, False], [{"env": "dev"}, True], [{}, False])):
            spec = fixtures.exit_handler(fail=fail)
            self.create(job_body(spec, displayName=f"job {i}", labels=labels), f"job-{i}")

    def names(self, **query):
        answer = self.ok("GET", f"{V1}/pipelineJobs", query=query)
        return [j["name"].rsplit("/", 1)[1] for j in answer.get("pipelineJobs", [])], answer

    def test_filters(self):
        for _ in range(8):
            self.names()
        self.assertEqual(self.names(filter='display_name="job 1"')[0], ["job-1"])
        self.assertEqual(self.names(filter='labels.env="prod"')[0], ["job-0"])
        self.assertEqual(sorted(self.names(filter='labels.env:*')[0]), ["job-0", "job-1"])
        self.assertEqual(self.names(filter='state="PIPELINE_STATE_FAILED"')[0], ["job-1"])
        # AIP-160: OR binds tighter than AND
        self.assertEqual(self.names(filter='labels.env="dev" AND display_name="job 1" OR display_name="job 2"')[0],
                         ["job-1"])
        self.assertEqual(sorted(self.names(filter='NOT labels.env="prod"')[0]), ["job-1", "job-2"])
        self.assertEqual(self.names(filter='display_name:"job*" AND pipeline_job_user_id="job-2"')[0], ["job-2"])
        self.assertEqual(len(self.names(filter='create_time>"2024-01-01T00:00:00Z"')[0]), 3)
        for bad, text in (('display_name="x" AND', "syntax error"), ("colour=\"red\"", "unsupported field"),
                          ('state="DONE"', "invalid value"), ('state:"PIPELINE_STATE_FAILED"', "operator"),
                          ('create_time>"yesterday"', "invalid timestamp"), ('"free text"', "syntax error")):
            error = self.error("GET", f"{V1}/pipelineJobs", query={"filter": bad})
            self.assertIn(text, error["message"])

    def test_order_pages_and_mask(self):
        self.assertEqual(self.names()[0], ["job-2", "job-1", "job-0"])   # create_time desc by default
        self.assertEqual(self.names(orderBy="create_time")[0], ["job-0", "job-1", "job-2"])
        first, answer = self.names(pageSize="2", orderBy="create_time")
        self.assertEqual(first, ["job-0", "job-1"])
        second, last = self.names(pageSize="2", orderBy="create_time", pageToken=answer["nextPageToken"])
        self.assertEqual(second, ["job-2"])
        self.assertNotIn("nextPageToken", last)
        error = self.error("GET", f"{V1}/pipelineJobs", query={"pageToken": answer["nextPageToken"]})
        self.assertIn("different filter or order_by", error["message"])
        self.error("GET", f"{V1}/pipelineJobs", query={"pageToken": "garbage"})
        self.error("GET", f"{V1}/pipelineJobs", query={"orderBy": "display_name"})
        self.error("GET", f"{V1}/pipelineJobs", query={"pageSize": "-1"})
        masked = self.ok("GET", f"{V1}/pipelineJobs", query={"readMask": "state,displayName"})["pipelineJobs"][0]
        self.assertEqual(sorted(masked), ["displayName", "name", "state"])
        self.assertEqual(self.ok("GET", "/v1/projects/other-project/locations/us-central1/pipelineJobs"), {})


class LoggingTest(ServerTest):
    def entries(self, filter_text, **extra):
        body = {"resourceNames": ["projects/pipewright-test"], "filter": filter_text}
        body.update(extra)
        return self.ok("POST", "/v2/entries:list", body)

    def test_task_logs_by_custom_job(self):
        job = self.create(job_body(fixtures.flaky("fail")), "logs")
        done = self.run_to_end(job["name"])
        custom_job = self.tasks(done)["flaky"]["executorDetail"]["containerDetail"]["mainJob"].rsplit("/", 1)[1]
        answer = self.entries(f'resource.type="ml_job" AND resource.labels.job_id="{custom_job}"',
                              orderBy="timestamp asc")
        entries = answer["entries"]
        self.assertEqual(entries[0]["jsonPayload"]["message"], "Waiting for job to be provisioned.")
        texts = [e.get("textPayload") for e in entries[1:]]
        self.assertTrue(any("failing on purpose" in t for t in texts), texts)
        self.assertEqual({e["resource"]["labels"]["job_id"] for e in entries}, {custom_job})
        self.assertEqual(entries[1]["logName"], "projects/pipewright-test/logs/workerpool0-0")
        self.assertIn("ERROR", {e["severity"] for e in entries})
        errors = self.entries(f'resource.labels.job_id="{custom_job}" severity>=ERROR')["entries"]
        self.assertTrue(errors and all(e["severity"] == "ERROR" for e in errors))
        page = self.entries(f'resource.labels.job_id="{custom_job}"', pageSize=2)
        self.assertEqual(len(page["entries"]), 2)
        rest = self.entries(f'resource.labels.job_id="{custom_job}"', pageSize=2, pageToken=page["nextPageToken"])
        self.assertEqual(rest["entries"][0]["insertId"], entries[2]["insertId"])
        newest = self.entries(f'resource.labels.job_id="{custom_job}"', orderBy="timestamp desc")["entries"]
        self.assertEqual(newest[0]["insertId"], entries[-1]["insertId"])
        self.assertEqual(self.entries('resource.labels.job_id="0"'), {})

    def test_running_task_log_grows_per_read(self):
        job = self.create(job_body(fixtures.slow(5)), "growing")
        for _ in range(2):
            self.ok("GET", f"/v1/{job['name']}")
        got = self.ok("GET", f"/v1/{job['name']}")
        custom_job = self.tasks(got)["slow"]["executorDetail"]["containerDetail"]["mainJob"].rsplit("/", 1)[1]
        first = len(self.entries(f'resource.labels.job_id="{custom_job}"')["entries"])
        second = len(self.entries(f'resource.labels.job_id="{custom_job}"')["entries"])
        self.assertEqual(second, first + 1)

    def test_request_rules(self):
        error = self.error("POST", "/v2/entries:list", {"resourceNames": ["projects/p"], "filter": 'resource.type="'})
        self.assertTrue(error["message"].startswith("Unparseable filter: syntax error at line 1, column"), error)
        error = self.error("POST", "/v2/entries:list", {"resourceNames": ["projects/p"], "filter": "a = b )"})
        self.assertIn("token ')'", error["message"])
        self.assertIn("only \"timestamp asc\"", self.error("POST", "/v2/entries:list", {
            "resourceNames": ["projects/p"], "orderBy": "severity"})["message"])
        self.assertIn("1000", self.error("POST", "/v2/entries:list", {"resourceNames": ["projects/p"],
                                                                        "pageSize": 1001})["message"])
        self.assertIn("resource_names", self.error("POST", "/v2/entries:list", {"filter": ""})["message"])
        self.assertIn("Invalid resource name", self.error("POST", "/v2/entries:list", {
            "resourceNames": ["my-project"]})["message"])
        error = self.error("POST", "/v2/entries:list", {"resourceNames": ["projects/p"], "limit": 5})
        self.assertEqual(error["message"], "Invalid JSON payload received. Unknown name \"limit\": Cannot find field.")
        self.ok("POST", "/v2/entries:list", {"resource_names": ["projects/p"], "page_size": "5"})
        status, _, _ = self.server.request("GET", "/v2/entries:list")
        self.assertEqual(status, 404)


class ScheduleTest(ServerTest):
    def schedule(self, **extra):
        body = {"displayName": "nightly", "cron": "TZ=Asia/Tokyo 0 6 * * *", "maxConcurrentRunCount": "1",
                "createPipelineJobRequest": {"parent": PARENT, "pipelineJob": job_body(fixtures.slow(2))}}
        body.update(extra)
        return body

    def test_create_and_next_run_time(self):
        schedule = self.ok("POST", f"{V1}/schedules", self.schedule())
        self.assertEqual(schedule["state"], "ACTIVE")
        self.assertEqual(schedule["nextRunTime"], "2024-05-01T21:00:00Z")   # 06:00 in Tokyo
        self.assertEqual(schedule["cron"], "TZ=Asia/Tokyo 0 6 * * *")
        self.assertEqual(schedule["maxConcurrentRunCount"], "1")
        self.assertNotIn("startedRunCount", schedule)
        self.assertEqual(self.ok("GET", f"/v1/{schedule['name']}")["name"], schedule["name"])
        utc = self.ok("POST", f"{V1}/schedules", self.schedule(cron="30 1 * * 1"))
        self.assertEqual(utc["nextRunTime"], "2024-05-06T01:30:00Z")   # the next Monday, UTC

    def test_create_rules(self):
        cases = [({"cron": "TZ=Mars/Olympus 0 6 * * *"}, "schedule.cron"),
                 ({"cron": "0 0 6 * * *"}, "expected 5 fields"),
                 ({"cron": "TZAsia/Tokyo 0 6 * * *"}, "schedule.cron"),
                 ({"displayName": ""}, "display_name is empty"),
                 ({"maxConcurrentRunCount": 0}, "max_concurrent_run_count"),
                 ({"startTime": "2024-06-01T00:00:00Z", "endTime": "2024-05-20T00:00:00Z"}, "end_time"),
                 ({"createPipelineJobRequest": {"parent": "projects/other/locations/us-central1",
                                                "pipelineJob": job_body()}}, "parent"),
                 ({"createPipelineJobRequest": {"parent": PARENT, "pipelineJob": job_body(),
                                                "pipelineJobId": "fixed"}}, "User-specified ID is not supported")]
        for extra, text in cases:
            with self.subTest(extra=extra):
                error = self.error("POST", f"{V1}/schedules", self.schedule(**extra))
                self.assertIn(text, error["message"])
        body = self.schedule()
        del body["createPipelineJobRequest"]["pipelineJob"]["runtimeConfig"]["gcsOutputDirectory"]
        error = self.error("POST", f"{V1}/schedules", body)
        self.assertIn("pipeline_job.runtime_config.gcs_output_directory; Message: gcs_output_directory is empty.",
                      error["message"])
        body = self.schedule()
        del body["cron"]
        self.assertIn("schedule.cron", self.error("POST", f"{V1}/schedules", body)["message"])
        body = self.schedule(colour="red")
        self.assertIn("Unknown name \"colour\" at 'schedule'", self.error("POST", f"{V1}/schedules", body)["message"])

    def test_runs_on_the_virtual_clock(self):
        schedule = self.ok("POST", f"{V1}/schedules", self.schedule(maxRunCount="2"))
        self.assertEqual(self.ok("POST", "/_test/clock", query={"advance": "3600"})["started"], [])
        started = self.ok("POST", "/_test/clock", query={"advance": str(21 * 3600)})["started"]
        self.assertEqual(len(started), 1)
        self.assertTrue(started[0].endswith("/pipelineJobs/slow-20240501210000"), started)
        job = self.ok("GET", f"/v1/{started[0]}")
        self.assertEqual(job["scheduleName"], schedule["name"])
        got = self.ok("GET", f"/v1/{schedule['name']}")
        self.assertEqual(got["startedRunCount"], "1")
        self.assertEqual(got["lastScheduledRunResponse"], {"scheduledRunTime": "2024-05-01T21:00:00Z",
                                                           "runResponse": started[0]})
        self.assertEqual(got["nextRunTime"], "2024-05-02T21:00:00Z")
        # the first run is still active and maxConcurrentRunCount is 1: the next one is skipped
        self.assertEqual(self.ok("POST", "/_test/clock", query={"advance": str(86400)})["started"], [])
        self.run_to_end(started[0])
        started = self.ok("POST", "/_test/clock", query={"advance": str(86400)})["started"]
        self.assertEqual(len(started), 1)
        got = self.ok("GET", f"/v1/{schedule['name']}")
        self.assertEqual((got["state"], got["startedRunCount"]), ("COMPLETED", "2"))
        self.assertNotIn("nextRunTime", got)
        error = self.error("POST", f"/v1/{schedule['name']}:pause", {})
        self.assertEqual(error["status"], "FAILED_PRECONDITION")

    def test_queueing(self):
        schedule = self.ok("POST", f"{V1}/schedules", self.schedule(allowQueueing=True, cron="0 * * * *"))
        first = self.ok("POST", "/_test/clock", query={"advance": "3600"})["started"]
        self.assertEqual(len(first), 1)
        self.assertEqual(self.ok("POST", "/_test/clock", query={"advance": "3600"})["started"], [])
        self.run_to_end(first[0])
        self.assertEqual(len(self.ok("POST", "/_test/clock", query={"advance": "60"})["started"]), 1)
        self.assertTrue(self.ok("POST", "/_test/trigger", query={"schedule": schedule["name"]}).get("job") is None)

    def test_pause_resume_update_list_delete(self):
        schedule = self.ok("POST", f"{V1}/schedules", self.schedule())
        name = schedule["name"]
        self.assertEqual(self.ok("POST", f"/v1/{name}:pause", {}), {})
        paused = self.ok("GET", f"/v1/{name}")
        self.assertEqual(paused["state"], "PAUSED")
        self.assertIn("lastPauseTime", paused)
        self.assertEqual(self.ok("POST", "/_test/clock", query={"advance": str(2 * 86400)})["started"], [])
        self.error("POST", f"/v1/{name}:pause", {})
        self.ok("POST", f"/v1/{name}:resume", {"catchUp": False})
        resumed = self.ok("GET", f"/v1/{name}")
        self.assertEqual(resumed["state"], "ACTIVE")
        self.assertGreater(resumed["nextRunTime"], "2024-05-03T00:00:00Z")
        self.error("POST", f"/v1/{name}:resume", {})
        updated = self.ok("PATCH", f"/v1/{name}", {"displayName": "renamed", "cron": "TZ=Europe/Paris 0 7 * * *"},
                          query={"updateMask": "displayName,cron"})
        self.assertEqual((updated["displayName"], updated["cron"]), ("renamed", "TZ=Europe/Paris 0 7 * * *"))
        self.error("PATCH", f"/v1/{name}", {"displayName": "x"})   # no updateMask
        self.ok("POST", f"{V1}/schedules", self.schedule(displayName="other"))
        listed = self.ok("GET", f"{V1}/schedules", query={"filter": 'display_name="renamed"'})["schedules"]
        self.assertEqual([s["name"] for s in listed], [name])
        self.assertEqual(len(self.ok("GET", f"{V1}/schedules", query={"filter": "state=\"ACTIVE\""})["schedules"]), 2)
        self.assertEqual(len(self.ok("GET", f"{V1}/schedules",
                                     query={"filter": "create_pipeline_job_request:*"})["schedules"]), 2)
        op = self.ok("DELETE", f"/v1/{name}")
        self.assertTrue(op["name"].split("/")[-2] == "operations")
        self.error("GET", f"/v1/{name}", status=404)


class NodeClientTest(unittest.TestCase):
    """Google's own Node client (REST fallback) against the server; needs npm."""

    def test_official_client(self):
        prefix = os.environ.get("PW_VERTEX_NODE_PREFIX")
        if not prefix or not shutil.which("node") or not shutil.which("npm"):
            self.skipTest("set PW_VERTEX_NODE_PREFIX (a scratch folder for npm) to run Google's Node client")
        script = os.path.join(HERE, "node_client", "run_official_client.sh")
        result = subprocess.run(["bash", script, prefix], capture_output=True, text=True, timeout=900)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        calls = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
        self.assertTrue(calls and all(c["ok"] for c in calls), result.stdout)


if __name__ == "__main__":
    unittest.main()
