#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A loopback KFP deployment for testing KFP clients: the API server
(/apis/v1beta1, /apis/v2beta1) checked against the published Swagger, plus
the UI server's /k8s/pod/logs and /artifacts/get. See README.md.

usage: kfp_server.py --swagger-dir DIR [--port 0] [--token-file FILE]
                     [--namespace-mode [--grant USER=NS[,NS...]]...]
                     [--state-file FILE] [--check-responses] [--epoch SECONDS]
                     [--lenient-cron] [--manual-steps] [--ir-dir DIR] [--verbose]

Prints "listening on PORT" once ready; stops on SIGTERM.
"""
import argparse
import base64
import email.parser
import email.policy
import http.server
import json
import os
import signal
import socketserver
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import contract  # noqa: E402
import specs  # noqa: E402
from api import Api, Request  # noqa: E402
from errors import ApiError, INTERNAL, NOT_FOUND, UploadError, unauthenticated  # noqa: E402
from store import Store  # noqa: E402
from uiserver import UiServer  # noqa: E402

PROTECTED = ("/apis/", "/k8s/", "/artifacts/")
FETCHED_URLS = {  # operationId -> where its body names a pipeline package URL
    "PipelineService_CreatePipelineAndVersion": ("pipeline_version", "package_url", "pipeline_url"),
    "PipelineService_CreatePipelineVersion": ("package_url", "pipeline_url"),
    "PipelineService_CreatePipelineV1": ("url", "pipeline_url"),
    "PipelineService_CreatePipelineVersionV1": ("package_url", "pipeline_url"),
}


class Response:
    def __init__(self, status, body, content_type="application/json"):
        self.status = status
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.content_type = content_type


class KfpTestServer:
    """Everything but the sockets: auth, faults, routing, the request log."""

    def __init__(self, options):
        self.options = options
        self.contract = contract.Contract(options.swagger_dir)
        specs.IRSchema.load(options.ir_dir)
        grants = {}
        for grant in options.grant or []:
            user, _, namespaces = grant.partition("=")
            grants.setdefault(user, set()).update(n for n in namespaces.split(",") if n)
        self.store = Store(options.epoch, options.namespace_mode)
        self.api = Api(self.store, self.contract, options.namespace_mode, grants, options.lenient_cron,
                       options.manual_steps)
        self.ui = UiServer(self.store, self.api)
        self.faults_lock = threading.Lock()
        self.requests = []
        self.drop_count = 0
        self.expired_token = None
        self.state_file = options.state_file
        self.order_lock = threading.Lock()  # --state-file: record in the order applied
        if self.state_file:
            self._replay()

    # -- the request log and faults ------------------------------------
    def log_request(self, method, path, query, headers, body):
        auth = None
        shown = {}
        for name, value in headers.items():
            if name.lower() == "authorization":
                auth = value
            else:
                shown[name] = value
        scheme = auth.split(" ", 1)[0] if auth else None
        entry = {"seq": len(self.requests) + 1, "method": method, "path": path, "query": query, "headers": shown,
                 "authorization": {"present": auth is not None, "scheme": scheme}, "status": None, "dropped": False}
        if body:
            try:
                entry["body"] = body.decode("utf-8")
            except UnicodeDecodeError:
                entry["body"] = base64.b64encode(body).decode()
                entry["body_encoding"] = "base64"
        else:
            entry["body"] = None
        with self.faults_lock:
            self.requests.append(entry)
        return entry

    def take_drop(self):
        with self.faults_lock:
            if self.drop_count > 0:
                self.drop_count -= 1
                return True
            return False

    # -- auth -----------------------------------------------------------
    def current_token(self):
        try:
            with open(self.options.token_file, encoding="utf-8") as f:
                return f.read().strip()
        except OSError:
            return None

    def check_token(self, headers):
        """None when the request may pass, else the ApiError to answer."""
        if not self.options.token_file:
            return None
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        if not value:
            return unauthenticated("Request header error: there is no Authorization header with a Bearer token",
                                   "Failed to authenticate: no credentials")
        if not value.startswith("Bearer "):
            return unauthenticated("Request header error: the Authorization header does not start with the "
                                   "expected prefix 'Bearer '", "Failed to authenticate: unsupported scheme")
        token = self.current_token()
        presented = value[len("Bearer "):].strip()
        if token is None or presented != token or token == self.expired_token:
            return unauthenticated("Failed to authenticate token review", "Review.Status.Authenticated is false")
        return None

    # -- requests -------------------------------------------------------
    def handle(self, method, path, query, headers, body, replaying=False):
        """The Response for one request (never raises)."""
        op = None
        try:
            if path.startswith(PROTECTED) and not replaying:
                error = self.check_token(headers)
                if error is not None:
                    if path.startswith("/apis/"):
                        return Response(error.http_status, error.body()), False
                    return Response(401, error.message, "text/plain; charset=utf-8"), False
            if path == "/k8s/pod/logs":
                with self.store.lock:
                    r = self.ui.pod_logs(query, headers)
                return Response(r.status, r.body, r.content_type), True
            if path == "/artifacts/get":
                with self.store.lock:
                    r = self.ui.artifact(query, headers)
                return Response(r.status, r.body, r.content_type), True
            op, path_params = self.contract.match(method, path)
            params = self.contract.parameters(op, path_params, query)
            files = {}
            decoded = None
            if "multipart/form-data" in op.consumes:
                files = parse_multipart(headers, body)
            else:
                decoded = self.contract.decode_body(op, body)
            prefetched = self._prefetch(op, decoded) if not replaying else {}
            request = Request(op, params, decoded, headers, files, prefetched)
            with self.store.lock:
                status, payload = self.api.handle(request)
            response = Response(status, payload)
        except ApiError as e:
            response = Response(e.http_status, e.body())
        except UploadError as e:
            response = Response(e.status, e.body())
        except Exception as e:  # a bug here must not look like a KFP answer
            traceback.print_exc()
            error = ApiError(INTERNAL, f"test KFP server bug: {type(e).__name__}: {e}", gateway=True)
            response = Response(500, error.body())
        if self.options.check_responses and path.startswith("/apis/"):
            response = self._self_check(op, path, response)
        return response, True

    def _prefetch(self, op, body):
        where = FETCHED_URLS.get(op.operation_id)
        if not where or not isinstance(body, dict):
            return {}
        value = body
        for key in where:
            value = value.get(key) if isinstance(value, dict) else None
        if not value or not str(value).startswith(("http://", "https://")):
            return {}
        try:
            with urllib.request.urlopen(value, timeout=10) as f:
                return {value: f.read()}
        except (urllib.error.URLError, OSError, ValueError) as e:
            return {value: e}

    def _self_check(self, op, path, response):
        """--check-responses: the answer must fit the Swagger's schema for it."""
        try:
            body = json.loads(response.body)
        except ValueError:
            problems = ["the body is not JSON"]
        else:
            if op is None:
                schema, defs = {"$ref": "#/definitions/googleRpcStatus"}, self.contract.definitions
            elif response.status != 200 and "multipart/form-data" in op.consumes:
                schema, defs = contract.UPLOAD_ERROR_SCHEMA, op.definitions
            else:
                schema, defs = op.response_schema(response.status), op.definitions
                if response.status != 200:
                    schema = {"$ref": "#/definitions/googleRpcStatus"}
                    defs = self.contract.definitions
            problems = contract.check_output(body, schema, defs)
        if not problems:
            return response
        message = f"response self-check failed for {path} (status {response.status}): " + "; ".join(problems[:10])
        print(message, file=sys.stderr, flush=True)
        error = ApiError(INTERNAL, message, gateway=True)
        return Response(500, error.body())

    # -- /_test/ --------------------------------------------------------
    def test_endpoint(self, method, path, query):
        def arg(name, default=None):
            return (query.get(name) or [default])[0]

        name = path[len("/_test/"):]
        routes = {"expire-token": "POST", "drop": "POST", "advance": "POST", "requests": "GET", "reset": "POST",
                  "artifacts": "GET", "trigger": "POST"}
        if name not in routes:
            return Response(404, ApiError(NOT_FOUND, f"no test endpoint {path}", gateway=True).body())
        if method != routes[name]:
            return Response(405, {"error": f"{path} takes {routes[name]}"})
        try:
            if name == "requests":
                with self.faults_lock:
                    return Response(200, {"requests": list(self.requests)})
            if name == "expire-token":
                token = self.current_token()
                if token is None:
                    return Response(400, {"error": "no --token-file, or it cannot be read"})
                self.expired_token = token
                return Response(200, {"expired": True})
            if name == "drop":
                count = int(arg("count", "1"))
                with self.faults_lock:
                    self.drop_count += max(0, count)
                    return Response(200, {"pending_drops": self.drop_count})
            with self.store.lock:
                result = self._test_state_change(name, arg)
            if self.state_file and result.status == 200:
                self._record("POST", path, query, {}, b"")
            return result
        except ValueError as e:
            return Response(400, {"error": str(e)})
        except ApiError as e:
            return Response(e.http_status, e.body())

    def _test_state_change(self, name, arg):
        if name == "reset":
            self.store.reset()
            with self.faults_lock:
                self.requests.clear()
                self.drop_count = 0
                self.expired_token = None
            if self.state_file:
                self._start_state_file()
            return Response(200, {"reset": True})
        if name == "advance":
            run = self.store.run(arg("run_id", ""))
            steps = int(arg("steps", "1"))
            if not 0 <= steps <= 100000:
                raise ValueError("steps must be between 0 and 100000")
            taken = 0
            while taken < steps and run.execution.step():
                taken += 1
            return Response(200, {"run_id": run.id, "state": run.execution.state, "steps": taken})
        if name == "artifacts":
            run = self.store.run(arg("run_id", ""))
            return Response(200, {"run_id": run.id, "artifacts": run.execution.artifacts()})
        if name == "trigger":
            r = self.api.trigger_job(arg("recurring_run_id", ""))
            return Response(200, {"run_id": r.id})
        raise ValueError(name)

    # -- --state-file: the state is a function of the requests ----------
    def _start_state_file(self):
        with open(self.state_file, "w", encoding="utf-8") as f:
            f.write(json.dumps({"kfp_test_server_state": 1, "epoch": self.options.epoch}) + "\n")

    def _record(self, method, path, query, headers, body):
        kept = {k: v for k, v in headers.items() if k.lower() in ("kubeflow-userid", "content-type")}
        with open(self.state_file, "a", encoding="utf-8") as f:
            f.write(json.dumps({"method": method, "path": path, "query": query, "headers": kept,
                                "body": base64.b64encode(body or b"").decode()}) + "\n")

    def _replay(self):
        if not os.path.exists(self.state_file) or os.path.getsize(self.state_file) == 0:
            self._start_state_file()
            return
        with open(self.state_file, encoding="utf-8") as f:
            lines = [json.loads(line) for line in f if line.strip()]
        header = lines[0] if lines else {}
        if header.get("kfp_test_server_state") != 1:
            raise SystemExit(f"{self.state_file} is not a state file of this server")
        self.options.epoch = header["epoch"]
        self.store.epoch = header["epoch"]
        self.store.reset()
        for entry in lines[1:]:
            body = base64.b64decode(entry["body"])
            if entry["path"].startswith("/_test/"):
                name = entry["path"][len("/_test/"):]
                with self.store.lock:
                    self._test_state_change(name, lambda n, d=None, q=entry["query"]: (q.get(n) or [d])[0])
            else:
                self.handle(entry["method"], entry["path"], entry["query"], entry["headers"], body, replaying=True)


def parse_multipart(headers, body):
    """{field name: (filename, bytes)} of a multipart/form-data body."""
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if "multipart/form-data" not in content_type:
        return {}
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + (body or b""))
    files = {}
    if not message.is_multipart():
        return files
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name:
            files[name] = (part.get_filename() or "", part.get_payload(decode=True) or b"")
    return files


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kfp-test-server"
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
        path = url.path
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        body = self._body()
        headers = {k: v for k, v in self.headers.items()}
        if path.startswith("/_test/"):
            self._send(app.test_endpoint(self.command, path, query))
            return
        entry = app.log_request(self.command, path, query, headers, body)
        if app.take_drop():
            entry["dropped"] = True
            self.close_connection = True
            return
        if app.state_file:
            with app.order_lock:
                response, reached = app.handle(self.command, path, query, headers, body)
                if reached and not path.startswith("/artifacts/"):
                    app._record(self.command, path, query, headers, body)
        else:
            response, _ = app.handle(self.command, path, query, headers, body)
        entry["status"] = response.status
        self._send(response)

    def _send(self, response):
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = do_HEAD = _dispatch


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def parse_epoch(text):
    if text is None:
        return int(time.time())
    if text.isdigit():
        return int(text)
    seconds = contract.parse_timestamp(text)
    if seconds is None:
        raise argparse.ArgumentTypeError(f"--epoch wants seconds or an RFC 3339 time, not {text!r}")
    return int(seconds)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--swagger-dir", required=True, help="folder with the KFP *.swagger.json files")
    parser.add_argument("--ir-dir", help="folder with pipeline_spec.proto (default: ../kfp-ir next to the swagger)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token-file", help="require 'Authorization: Bearer <this file's content>'")
    parser.add_argument("--namespace-mode", action="store_true", help="multi-user KFP: namespaces and kubeflow-userid")
    parser.add_argument("--grant", action="append", metavar="USER=NS[,NS]",
                        help="multi-user: namespaces USER may use (without any --grant, every user may use all)")
    parser.add_argument("--state-file", help="keep the state across restarts (the requests are replayed)")
    parser.add_argument("--check-responses", action="store_true", help="check every /apis/ answer against the Swagger")
    parser.add_argument("--epoch", type=parse_epoch, default=None, help="virtual clock start (default: now)")
    parser.add_argument("--lenient-cron", action="store_true", help="accept five-field cron as KFP does (seconds first)")
    parser.add_argument("--manual-steps", action="store_true",
                        help="runs move only on POST /_test/advance, not as they are read")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args(argv)
    if options.epoch is None:
        options.epoch = int(time.time())
    if not options.ir_dir:
        options.ir_dir = os.path.join(os.path.dirname(os.path.abspath(options.swagger_dir)), "kfp-ir")
    app = KfpTestServer(options)
    server = ThreadingServer((options.host, options.port), Handler)
    server.app = app

    def stop(signum, frame):
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    # A test that crashed cannot stop its server: leave with the parent.
    parent = os.getppid()

    def watch_parent():
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
