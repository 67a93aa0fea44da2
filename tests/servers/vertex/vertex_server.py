#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A loopback stand-in for the Google services a Vertex AI Pipelines client
talks to, strict about their published contract: Vertex AI v1 (PipelineJobs,
Schedules, operations), Cloud Logging v2 (entries:list) and the Cloud Storage
JSON API v1 (reading what tasks wrote), all behind OAuth2 bearer tokens.
See README.md.

usage: vertex_server.py --proto-dir DIR --ir-dir DIR [--port 0] [--token-file F]
                        [--check-responses] [--location L]... [--epoch T] [--manual-steps] [--verbose]

Prints "listening on PORT" once ready; stops on SIGTERM or when its parent exits.
"""
import argparse
import base64
import http.server
import json
import os
import re
import signal
import socketserver
import sys
import threading
import time
import traceback
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import cloud_logging  # noqa: E402
import cloud_storage  # noqa: E402
import esf  # noqa: E402
import gerrors  # noqa: E402
import vertex_api  # noqa: E402
import vertex_protos  # noqa: E402
from world import World  # noqa: E402

# google.longrunning.Operations.GetOperation as aiplatform's service config binds it (the
# official clients poll the /ui/ binding, /v1/ is the additional one)
OPERATION_PATH = re.compile(r"^/(?:ui|v1)/(projects/[^/]+/locations/[^/]+/operations/[^/:]+)$")
USER_PROJECT = re.compile(r"^([a-z][-a-z0-9]{4,28}[a-z0-9]|\d{6,20})$")
ENUM_INTS = "json;enum-encoding=int"
GCS_OBJECT_KEYS = {"kind", "id", "selfLink", "mediaLink", "name", "bucket", "generation", "metageneration",
                   "contentType", "storageClass", "size", "md5Hash", "crc32c", "etag", "timeCreated", "updated",
                   "timeStorageClassUpdated", "timeFinalized"}


class Response:
    def __init__(self, status, body, content_type="application/json; charset=UTF-8", headers=None):
        self.status = status
        if isinstance(body, (dict, list)):
            body = json.dumps(body, indent=2)
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.content_type = content_type
        self.headers = headers or {}


class VertexTestServer:
    """Everything but the sockets: auth, routing, faults, the request log."""

    def __init__(self, options):
        self.options = options
        self.contract = vertex_protos.Contract(options.proto_dir, options.ir_dir)
        self.transcoder = esf.Transcoder(self.contract)
        self.world = World(options.epoch, options.location[0])
        self.vertex = vertex_api.VertexApi(self.world, self.transcoder, options.location, options.manual_steps)
        self.logging = cloud_logging.LoggingApi(self.world, self.transcoder)
        self.port = 0
        self.storage = cloud_storage.StorageApi(self.world, lambda: f"http://127.0.0.1:{self.port}")
        self.faults_lock = threading.Lock()
        self.requests = []
        self.drop_count = 0
        self.expired = set()

    # -- the request log and faults ------------------------------------
    def log_request(self, method, path, query, headers, body):
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        entry = {"seq": 0, "method": method, "path": path, "query": query,
                 "headers": {k: v for k, v in headers.items() if k.lower() != "authorization"},
                 "authorization": {"present": auth is not None, "scheme": auth.split(" ", 1)[0] if auth else None},
                 "status": None, "dropped": False, "rpc": None}
        try:
            entry["body"] = body.decode("utf-8") if body else None
        except UnicodeDecodeError:
            entry["body"], entry["body_encoding"] = base64.b64encode(body).decode(), "base64"
        with self.faults_lock:
            entry["seq"] = len(self.requests) + 1
            self.requests.append(entry)
        return entry

    def take_drop(self):
        with self.faults_lock:
            if self.drop_count > 0:
                self.drop_count -= 1
                return True
            return False

    # -- auth -----------------------------------------------------------
    def valid_tokens(self):
        if not self.options.token_file:
            return None
        try:
            with open(self.options.token_file, encoding="utf-8") as f:
                return {line.strip() for line in f if line.strip() and not line.startswith("#")}
        except OSError:
            return set()

    def auth_problem(self, headers, query):
        """None when the request may pass, else the reason Google would give."""
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        token = None
        if value is not None:
            scheme, _, token = value.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                return "ACCESS_TOKEN_TYPE_UNSUPPORTED"
            token = token.strip()
        elif query.get("access_token"):
            token = query["access_token"][-1]
        if token is None:
            return "CREDENTIALS_MISSING"
        valid = self.valid_tokens()
        if token in self.expired:
            return "ACCESS_TOKEN_EXPIRED"
        if valid is not None and token not in valid:
            return "ACCESS_TOKEN_TYPE_UNSUPPORTED"
        return None

    # -- requests -------------------------------------------------------
    def handle(self, method, raw_path, query, headers, body, entry):
        try:
            if raw_path.startswith(("/storage/v1/", "/download/storage/v1/")):
                return self._storage(method, raw_path, query, headers)
            if raw_path.startswith(("/v1/", "/ui/")) or raw_path == "/v2/entries:list":
                return self._google_api(method, raw_path, query, headers, body, entry)
            return Response(404, gerrors.front_end_404(raw_path), "text/html; charset=UTF-8")
        except Exception as e:  # a bug here must not look like a Google answer
            traceback.print_exc()
            error = gerrors.GoogleError("INTERNAL", f"test Vertex server bug: {type(e).__name__}: {e}")
            return Response(500, error.body())

    def _google_api(self, method, raw_path, query, headers, body, entry):
        is_logging = raw_path.startswith("/v2/")
        route = None
        operation = OPERATION_PATH.match(raw_path) if method == "GET" else None
        if is_logging:
            if method != "POST":
                return Response(404, gerrors.front_end_404(raw_path), "text/html; charset=UTF-8")
            service, rpc = "logging.googleapis.com", "google.logging.v2.LoggingServiceV2.ListLogEntries"
        elif operation:
            service, rpc = "aiplatform.googleapis.com", "google.longrunning.Operations.GetOperation"
        else:
            route = self.transcoder.route(method, raw_path) if raw_path.startswith("/v1/") else None
            if route is None:
                return Response(404, gerrors.front_end_404(raw_path), "text/html; charset=UTF-8")
            service, rpc = "aiplatform.googleapis.com", route.rule.full_method
        entry["rpc"] = rpc
        try:
            reason = self.auth_problem(headers, query)
            if reason:
                raise gerrors.unauthenticated(reason, service, rpc)
            user_project = next((v for k, v in headers.items() if k.lower() == "x-goog-user-project"), None)
            if user_project is not None and not USER_PROJECT.match(user_project):
                raise gerrors.GoogleError("INVALID_ARGUMENT", "User project specified in the request is invalid.", [
                    {"@type": gerrors.ERROR_INFO, "reason": "USER_PROJECT_INVALID", "domain": "googleapis.com",
                     "metadata": {"service": service, "consumer": f"projects/{user_project}"}}])
            alt = (query.get("$alt") or query.get("alt") or ["json"])[-1]
            if alt not in ("json", ENUM_INTS):
                raise gerrors.bad_request(f"Invalid value for $alt: {alt!r} (this server answers json and "
                                          f"{ENUM_INTS}).", [("$alt", alt)])
            content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
            with self.world.lock:
                if is_logging:
                    if any(name not in esf.SYSTEM_PARAMETERS for name in query):
                        name = next(n for n in query if n not in esf.SYSTEM_PARAMETERS)
                        raise esf._unbindable(name)
                    text = body.decode("utf-8", "replace") if body else ""
                    request = self.transcoder.decode_text(text, cloud_logging.REQUEST, "") if text.strip() else {}
                    type_name, answer = cloud_logging.RESPONSE, self.logging.list_entries(request)
                elif operation:
                    for name in query:
                        if name not in esf.SYSTEM_PARAMETERS:
                            raise esf._unbindable(name)
                    name = urllib.parse.unquote(operation.group(1))
                    self.vertex._parent("/".join(name.split("/")[:4]))
                    type_name, answer = "google.longrunning.Operation", self.vertex.get_operation(name)
                else:
                    request = self.transcoder.request(route, query, body, content_type)
                    type_name, answer = self.vertex.handle(route.rule.rpc, request)
            if self.options.check_responses:
                problems = self.transcoder.check(answer, type_name)
                if problems:
                    return self._self_check_failed(raw_path, 200, problems)
            return Response(200, self.transcoder.encode(answer, type_name, alt == ENUM_INTS))
        except gerrors.GoogleError as e:
            return Response(e.http_status, e.body(), headers=e.headers)

    def _storage(self, method, raw_path, query, headers):
        try:
            value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
            reason = self.auth_problem(headers, query)
            if reason:
                raise gerrors.storage_unauthenticated(value is not None or bool(query.get("access_token")))
            with self.world.lock:
                answer = self.storage.handle(method, raw_path, query)
            response = Response(answer.status, answer.body, answer.content_type, answer.headers)
            if self.options.check_responses and answer.content_type.startswith("application/json") and \
                    answer.status == 200 and "alt=media" not in raw_path and (query.get("alt") or ["json"])[-1] == "json":
                problems = _check_storage(json.loads(answer.body))
                if problems:
                    return self._self_check_failed(raw_path, answer.status, problems)
            return response
        except gerrors.StorageError as e:
            return Response(e.http_status, e.body(), headers=e.headers)

    def _self_check_failed(self, path, status, problems):
        message = f"response self-check failed for {path} (status {status}): " + "; ".join(problems[:10])
        print(message, file=sys.stderr, flush=True)
        return Response(500, gerrors.GoogleError("INTERNAL", message).body())

    # -- /_test/ --------------------------------------------------------
    def test_endpoint(self, method, path, query):
        def arg(name, default=None):
            return (query.get(name) or [default])[0]

        name = path[len("/_test/"):]
        routes = {"expire-token": "POST", "drop": "POST", "advance": "POST", "requests": "GET", "reset": "POST",
                  "objects": "GET", "clock": "POST", "trigger": "POST"}
        if name not in routes:
            return Response(404, {"error": f"no test endpoint {path}"})
        if method != routes[name]:
            return Response(405, {"error": f"{path} takes {routes[name]}"})
        try:
            if name == "requests":
                with self.faults_lock:
                    return Response(200, {"requests": list(self.requests)})
            if name == "expire-token":
                token = arg("token")
                tokens = {token} if token else (self.valid_tokens() or set())
                if not tokens:
                    return Response(400, {"error": "name a token (?token=) or start with --token-file"})
                self.expired.update(tokens)
                return Response(200, {"expired": len(tokens)})
            if name == "drop":
                with self.faults_lock:
                    self.drop_count += max(0, int(arg("count", "1")))
                    return Response(200, {"pending_drops": self.drop_count})
            with self.world.lock:
                return self._test_state(name, arg)
        except ValueError as e:
            return Response(400, {"error": str(e)})
        except gerrors.GoogleError as e:
            return Response(e.http_status, e.body())

    def _test_state(self, name, arg):
        if name == "reset":
            self.world.reset()
            with self.faults_lock:
                self.requests.clear()
                self.drop_count = 0
                self.expired.clear()
            return Response(200, {"reset": True})
        if name == "advance":
            job = self._find_job(arg("job", ""))
            steps = int(arg("steps", "1"))
            if not 0 <= steps <= 100000:
                raise ValueError("steps must be between 0 and 100000")
            taken = 0
            while taken < steps and job.step():
                taken += 1
            return Response(200, {"name": job.name, "state": job.state, "steps": taken})
        if name == "objects":
            wanted = arg("job")
            objects = [{"bucket": o.bucket, "name": o.name, "uri": f"gs://{o.bucket}/{o.name}", "size": len(o.data),
                        "contentType": o.content_type, "task": o.task, "job": o.job}
                       for (_, _), o in sorted(self.world.objects.items()) if not wanted or o.job == wanted]
            return Response(200, {"objects": objects})
        if name == "clock":
            seconds = int(arg("advance", "0"))
            if not 0 <= seconds <= 10 * 366 * 86400:
                raise ValueError("advance must be between 0 and ten years of seconds")
            self.world.clock.tick(seconds)
            before = set(self.world.jobs)
            self.vertex.fire_schedules()
            started = [self.world.jobs[k].name for k in self.world.jobs if k not in before]
            return Response(200, {"now": esf.rfc3339(self.world.clock.now()), "started": started})
        if name == "trigger":
            wanted = arg("schedule", "")
            schedule = next((s for s in self.world.schedules.values() if wanted in (s.name, s.id)), None)
            if schedule is None:
                raise ValueError(f"no schedule {wanted!r}")
            job = schedule.trigger(self.vertex.scheduled_job)
            return Response(200, {"job": job.name if job else None})
        raise ValueError(name)

    def _find_job(self, wanted):
        for job in self.world.jobs.values():
            if wanted in (job.name, job.id):
                return job
        raise ValueError(f"no pipeline job {wanted!r}")


def _check_storage(body):
    problems = []
    objects = body.get("items", []) if body.get("kind") == "storage#objects" else [body]
    for obj in objects:
        for key in obj:
            if key not in GCS_OBJECT_KEYS:
                problems.append(f"unknown storage#object field {key!r}")
        for key in ("generation", "size", "metageneration"):
            if key in obj and not str(obj[key]).isdigit():
                problems.append(f"{key} must be a decimal string")
    return problems


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""

    def log_message(self, fmt, *args):
        if self.server.app.options.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), fmt % args))

    def _body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _dispatch(self):
        app = self.server.app
        url = urllib.parse.urlsplit(self.path)
        raw_path = url.path
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        body = self._body()
        headers = {k: v for k, v in self.headers.items()}
        if raw_path.startswith("/_test/"):
            self._send(app.test_endpoint(self.command, raw_path, query))
            return
        entry = app.log_request(self.command, raw_path, query, headers, body)
        if app.take_drop():
            entry["dropped"] = True
            self.close_connection = True
            return
        response = app.handle(self.command, raw_path, query, headers, body, entry)
        entry["status"] = response.status
        self._send(response)

    def _send(self, response):
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Vary", "Origin, X-Origin, Referer")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = do_HEAD = _dispatch


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def parse_epoch(text):
    if text.isdigit():
        return int(text)
    seconds = esf.parse_timestamp(text)
    if seconds is None:
        raise argparse.ArgumentTypeError(f"--epoch wants seconds or an RFC 3339 time, not {text!r}")
    return int(seconds)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--proto-dir", required=True, help="folder with the Vertex AI v1 .proto files")
    parser.add_argument("--ir-dir", required=True, help="folder with the KFP IR's pipeline_spec.proto")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token-file", help="valid access tokens, one a line (read per request)")
    parser.add_argument("--location", action="append", help="the Vertex region(s) this endpoint serves "
                                                            "(default us-central1)")
    parser.add_argument("--check-responses", action="store_true", help="check every answer against the protos")
    parser.add_argument("--epoch", type=parse_epoch, default=None, help="virtual clock start (default: now)")
    parser.add_argument("--manual-steps", action="store_true",
                        help="jobs move only on POST /_test/advance, not as they are read")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args(argv)
    options.location = options.location or ["us-central1"]
    if options.epoch is None:
        options.epoch = int(time.time())
    app = VertexTestServer(options)
    server = ThreadingServer((options.host, options.port), Handler)
    server.app = app
    app.port = server.server_address[1]

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    parent = os.getppid()

    def watch_parent():  # a test that crashed cannot stop its server: leave with the parent
        while os.getppid() == parent:
            time.sleep(0.5)
        stop(None, None)

    threading.Thread(target=watch_parent, daemon=True).start()
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
