#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A loopback Argo Server for testing Argo clients: the REST API of
argo_workflows_swagger.json, strict where the contract is, with workflows
that move one step each time they are observed. See README.md.

usage: argo_server.py --swagger FILE --schema FILE [--port 0] [--host 127.0.0.1]
                      [--token-file FILE] [--version v3.5.8] [--check-responses]
                      [--epoch SECONDS] [--strict-int-or-string] [--manual-steps] [--verbose]

Prints "listening on PORT" once ready; stops on SIGTERM, or when the
process that started it goes away.
"""
import argparse
import base64
import http.server
import json
import os
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

import argoapi  # noqa: E402
import gateway  # noqa: E402
import podlogs  # noqa: E402
import wfschema  # noqa: E402
from argostate import State  # noqa: E402
from rpcstatus import ApiError, INTERNAL, TOKEN_NOT_VALID, UNAUTHENTICATED  # noqa: E402

LOG_OPERATIONS = ("WorkflowService_WorkflowLogs", "WorkflowService_PodLogs")
MIME = {".json": "application/json", ".html": "text/html; charset=utf-8", ".txt": "text/plain; charset=utf-8"}


class Response:
    def __init__(self, status, body, content_type="application/json", headers=None):
        self.status = status
        if isinstance(body, (dict, list)) or body is None and content_type == "application/json":
            body = json.dumps(body, separators=(",", ":"))
        self.body = body.encode("utf-8") if isinstance(body, str) else body
        self.content_type = content_type
        self.headers = headers or {}


def text_error(status, reason):
    """net/http's http.Error, as the artifact handlers answer."""
    return Response(status, reason + "\n", "text/plain; charset=utf-8", {"X-Content-Type-Options": "nosniff"})


class LogStream:
    """A log call that passed every check: the handler streams it."""

    def __init__(self, op, run, request):
        self.op = op
        self.run = run
        self.request = request


class ArgoTestServer:
    """Everything but the sockets: auth, faults, the request log, dispatch."""

    def __init__(self, options):
        self.options = options
        version = gateway.parse_version(options.version)
        if version is None:
            raise SystemExit(f"--version wants vMAJOR.MINOR.PATCH, not {options.version!r}")
        self.gateway = gateway.Gateway(options.swagger, version, options.strict_int_or_string)
        self.schema = wfschema.WorkflowSchema(options.schema, version, options.strict_int_or_string)
        self.state = State(options.epoch, version, options.manual_steps)
        self.api = argoapi.Api(self.state, self.schema, options.version)
        self.faults_lock = threading.Lock()
        self.requests = []
        self.drop_count = 0
        self.expired_token = None

    # -- the request log and faults ------------------------------------
    def log_request(self, method, path, query, headers, body):
        auth = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
        shown = {k: v for k, v in headers.items() if k.lower() != "authorization"}
        entry = {"method": method, "path": path, "query": query, "headers": shown,
                 "authorization": {"present": auth is not None, "scheme": auth.split(" ", 1)[0] if auth else None},
                 "status": None, "dropped": False}
        try:
            entry["body"] = body.decode("utf-8") if body else None
        except UnicodeDecodeError:
            entry["body"] = base64.b64encode(body).decode()
            entry["body_encoding"] = "base64"
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
    def current_token(self):
        try:
            with open(self.options.token_file, encoding="utf-8") as f:
                return f.read().strip()
        except OSError:
            return None

    def check_token(self, headers):
        """None when the request may pass, else the ApiError to answer. With
        client (and SSO) auth modes a request without "Bearer ..."/"Basic ..."
        fits no mode; a token the cluster refuses is "Unauthorized"."""
        if not self.options.token_file:
            return None
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), "")
        if not value.startswith(("Bearer ", "Basic ")):
            return ApiError(UNAUTHENTICATED, TOKEN_NOT_VALID)
        token = self.current_token()
        if not value.startswith("Bearer ") or token is None or value[len("Bearer "):] != token \
                or token == self.expired_token:
            return ApiError(UNAUTHENTICATED, "Unauthorized")
        return None

    # -- /api/ ----------------------------------------------------------
    def handle_api(self, method, path, query, headers, body):
        """A Response, or a LogStream for the handler to write."""
        op = None
        partial = False
        try:
            op, path_params = self.gateway.match(method, path)
            params = self.gateway.parameters(op, path_params, query)
            decoded = self._decode(op, body)
            error = self.check_token(headers)
            if error is not None:
                raise error
            if op.operation_id in LOG_OPERATIONS:
                return self._log_stream(op, params, headers)
            partial = bool(params.get("fields"))
            with self.state.lock:
                answer = self.api.call(op.operation_id, params, decoded)
            response = Response(200, answer, headers={"Grpc-Metadata-Content-Type": "application/grpc"})
        except ApiError as e:
            headers_out = {"Grpc-Metadata-Content-Type": "application/grpc"} if op is not None else {}
            response = Response(e.http_status, e.body(), headers=headers_out)
        except Exception as e:  # a bug here must not look like an Argo answer
            traceback.print_exc()
            response = Response(500, ApiError(INTERNAL, f"test Argo server bug: {type(e).__name__}: {e}").body())
        if self.options.check_responses:
            response = self._self_check(op, path, response, partial)
        return response

    def _decode(self, op, body):
        """The body as the gateway decodes it. A create or lint call without
        its wrapper field decodes to an empty request in Go (the unknown
        fields are dropped), which its handler then refuses."""
        wrapper = argoapi.WRAPPERS.get(op.operation_id)
        if wrapper and body and body.strip():
            value = gateway.parse_json(body.decode("utf-8", errors="replace"))
            if isinstance(value, dict) and wrapper[0].lower() not in {k.lower() for k in value}:
                return {}
        return self.gateway.decode_body(op, body)

    def _log_stream(self, op, params, headers):
        with self.state.lock:
            run = self.state.workflow(params["namespace"], params["name"])
        accept = next((v for k, v in headers.items() if k.lower() == "accept"), "")
        return LogStream(op, run, podlogs.LogRequest(params, accept))

    def _self_check(self, op, path, response, partial):
        try:
            body = json.loads(response.body)
        except ValueError:
            problems = ["the body is not JSON"]
        else:
            problems = self.gateway.check_response(op, response.status, body, partial)
        if not problems:
            return response
        message = f"response self-check failed for {path} (status {response.status}): " + "; ".join(problems[:10])
        print(message, file=sys.stderr, flush=True)
        return Response(500, ApiError(INTERNAL, message).body())

    def check_log_entry(self, op, frame):
        if not self.options.check_responses:
            return True
        problems = self.gateway.check_response(op, 200, frame)
        if problems:
            print(f"response self-check failed for a log entry: {'; '.join(problems)}", file=sys.stderr, flush=True)
        return not problems

    # -- /artifact-files/ and /artifacts/ (plain HTTP handlers) ----------
    def handle_artifact(self, path, headers):
        parts = path.split("/")
        if path.startswith("/artifact-files/"):
            # /artifact-files/{ns}/{workflows|archived-workflows}/{id}/{nodeId}/{outputs|inputs}/{name}[/{file...}]
            if len(parts) < 8:
                return text_error(400, "Bad Request")
            namespace, discriminator, ident, node_id, direction, name = parts[2:8]
            extra = "/".join(parts[8:])
            if direction not in ("outputs", "inputs"):
                return text_error(400, "Bad Request")
        else:
            # /artifacts/{ns}/{name}/{nodeId}/{artifactName}
            if len(parts) != 6:
                return text_error(400, "Bad Request")
            namespace, ident, node_id, name = parts[2:6]
            discriminator, direction, extra = "workflows", "outputs", ""
        if self.check_token(headers) is not None:
            return text_error(401, "Unauthorized")
        if discriminator == "archived-workflows":
            return text_error(500, "Internal Server Error")  # no workflow archive here
        if discriminator != "workflows":
            return text_error(400, "Bad Request")
        with self.state.lock:
            run = self.state.workflows.get((urllib.parse.unquote(namespace), urllib.parse.unquote(ident)))
            where = run.artifact(urllib.parse.unquote(node_id), urllib.parse.unquote(name)) \
                if run is not None and direction == "outputs" else None
            if where is None:
                return text_error(500, "Internal Server Error")
            bucket, key = where
            if extra:
                key = f"{key}/{extra}"
            data = self.state.objects.get((bucket, key))
        if data is None:
            return text_error(404, "Not Found")
        base = key.rsplit("/", 1)[-1]
        ext = os.path.splitext(base)[1]
        return Response(200, data, MIME.get(ext, ""), {
            "Content-Disposition": f'filename="{base}"',
            "Content-Security-Policy": "sandbox; base-uri 'none'; default-src 'none'; img-src 'self'; "
                                       "style-src 'self' 'unsafe-inline'",
            "X-Frame-Options": "SAMEORIGIN"})

    # -- /_test/ --------------------------------------------------------
    def test_endpoint(self, method, path, query):
        def arg(name, default=None):
            return (query.get(name) or [default])[0]

        name = path[len("/_test/"):]
        routes = {"expire-token": "POST", "drop": "POST", "advance": "POST", "requests": "GET", "reset": "POST",
                  "trigger-cron": "POST", "artifacts": "GET"}
        if name not in routes:
            return Response(404, {"error": f"no test endpoint {path}"})
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
                with self.faults_lock:
                    self.drop_count += max(0, int(arg("count", "1")))
                    return Response(200, {"pending_drops": self.drop_count})
            if name == "reset":
                with self.state.lock:
                    self.state.reset()
                    self.state.changed.notify_all()
                with self.faults_lock:
                    self.requests.clear()
                    self.drop_count = 0
                    self.expired_token = None
                return Response(200, {"reset": True})
            with self.state.lock:
                return self._test_state(name, arg)
        except ValueError as e:
            return Response(400, {"error": str(e)})
        except ApiError as e:
            return Response(e.http_status, e.body())

    def _test_state(self, name, arg):
        namespace, wf_name = arg("namespace", ""), arg("name", "")
        if name == "advance":
            run = self.state.workflow(namespace, wf_name)
            steps = int(arg("steps", "1"))
            if not 0 <= steps <= 100000:
                raise ValueError("steps must be between 0 and 100000")
            taken = 0
            while taken < steps and run.step():
                taken += 1
            self.state.changed.notify_all()
            return Response(200, {"namespace": namespace, "name": wf_name, "phase": run.phase(), "steps": taken})
        if name == "trigger-cron":
            run, reason = self.state.trigger_cron(namespace, wf_name)
            self.state.changed.notify_all()
            return Response(200, {"workflow": run.name if run else None, **({"skipped": reason} if reason else {})})
        if name == "artifacts":
            run = self.state.workflow(namespace, wf_name)
            out = []
            for node_id, entry in sorted(run.nodes().items()):
                for a in ((entry.get("outputs") or {}).get("artifacts")) or []:
                    s3 = a.get("s3") or {}
                    out.append({"nodeId": node_id, "displayName": entry.get("displayName"), "name": a["name"],
                                "bucket": s3.get("bucket"), "key": s3.get("key"),
                                "stored": (s3.get("bucket"), s3.get("key")) in self.state.objects})
            return Response(200, {"artifacts": out})
        raise ValueError(name)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "argo-test-server"
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
        path = urllib.parse.unquote(url.path) if not url.path.startswith("/artifact") else url.path
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        body = self._body()
        headers = {k: v for k, v in self.headers.items()}
        if path.startswith("/_test/"):
            self._send(app.test_endpoint(self.command, path, query))
            return
        entry = app.log_request(self.command, url.path, query, headers, body)
        if app.take_drop():
            entry["dropped"] = True
            self.close_connection = True
            return
        if path.startswith("/api/"):
            response = app.handle_api(self.command, path, query, headers, body)
        elif path.startswith(("/artifact-files/", "/artifacts/")) and self.command == "GET":
            response = app.handle_artifact(url.path, headers)
        else:
            response = text_error(404, "404 page not found")
        if isinstance(response, LogStream):
            entry["status"] = 200
            self._stream(response)
        else:
            entry["status"] = response.status
            self._send(response)

    def _send(self, response):
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    def _chunk(self, data):
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _stream(self, stream):
        """Writes the log entries; with follow, the workflow moves one step after
        each write (with --manual-steps: waits for /_test/advance instead)."""
        app = self.server.app
        state = app.state
        request = stream.request
        cursor = podlogs.Cursor(request)
        grow = not state.manual_steps
        self.send_response(200)
        self.send_header("Content-Type", request.content_type)
        self.send_header("Grpc-Metadata-Content-Type", "application/grpc")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            with state.lock:
                state.observe(stream.run)  # reading the log observes the workflow
                entries = cursor.next_entries(stream.run, grow=grow)
            idle = 0
            last = False
            for _ in range(podlogs.MAX_FOLLOW_STEPS):
                for entry in entries:
                    if not app.check_log_entry(stream.op, {"result": entry}):
                        raise BrokenPipeError("self-check")
                    self._chunk(request.frame(entry))
                if not request.follow or last:
                    break
                with state.lock:
                    if state.workflows.get((stream.run.namespace, stream.run.name)) is not stream.run:
                        break
                    if cursor.finished(stream.run):
                        # It may have finished while we wrote: what it logged meanwhile goes out first.
                        entries = cursor.next_entries(stream.run, grow=grow)
                        last = True
                        continue
                    if not state.manual_steps:
                        stream.run.step()
                    entries = cursor.next_entries(stream.run, grow=grow)
                    if state.manual_steps and not entries:  # nothing new yet: wait for an advance
                        idle = 0 if state.changed.wait(timeout=podlogs.MANUAL_WAIT_SECONDS) else idle + 1
                        if idle >= podlogs.MANUAL_IDLE_WAITS:
                            break  # nobody moved it for a long time: end the stream
                        entries = cursor.next_entries(stream.run, grow=grow)
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = do_HEAD = _dispatch


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(argv=None):
    reference = os.environ.get("PW_REFERENCE_DIR", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "reference"))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--swagger", default=os.path.join(reference, "backends/argo/argo_workflows_swagger.json"),
                        help="the Argo Server's swagger.json")
    parser.add_argument("--schema", default=os.path.join(reference, "argo/workflow.schema.json"),
                        help="Argo's JSON schema of Workflow and CronWorkflow objects")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--token-file", help="require 'Authorization: Bearer <this file's content>'")
    parser.add_argument("--version", default="v3.5.8", help="what /api/v1/version answers (and which fields exist)")
    parser.add_argument("--check-responses", action="store_true", help="check every /api/ answer against the Swagger")
    parser.add_argument("--epoch", type=int, default=None, help="virtual clock start, seconds (default: now)")
    parser.add_argument("--strict-int-or-string", action="store_true",
                        help="refuse numbers where the schema says string (IntOrString, Quantity, parameter values)")
    parser.add_argument("--manual-steps", action="store_true",
                        help="workflows move only on POST /_test/advance, not as they are read")
    parser.add_argument("--verbose", action="store_true")
    options = parser.parse_args(argv)
    if options.epoch is None:
        options.epoch = int(time.time())
    app = ArgoTestServer(options)
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
