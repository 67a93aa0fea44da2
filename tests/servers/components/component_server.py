#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A web server for remote KFP components, on loopback, for one test.

    component_server.py DIR [--tls CERT.pem KEY.pem]

Serves the files under DIR at their relative paths (GET only) on 127.0.0.1,
over plain HTTP (Pipewright fetches http:// only from loopback hosts) or,
with --tls, over HTTPS with that certificate. Prints "listening on PORT" first. GET /_test/requests answers
{"requests": [path, ...]}: the paths asked for, oldest first.
"""
import http.server
import json
import os
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    root = "."
    seen = []
    lock = threading.Lock()

    def do_GET(self):
        if self.path == "/_test/requests":
            with self.lock:
                body = json.dumps({"requests": list(self.seen)}).encode()
            return self.answer(200, body, "application/json")
        with self.lock:
            self.seen.append(self.path)
        relative = self.path.split("?", 1)[0].lstrip("/")
        full = os.path.realpath(os.path.join(self.root, relative))
        if not full.startswith(os.path.realpath(self.root) + os.sep) or not os.path.isfile(full):
            return self.answer(404, b"not found\n", "text/plain")
        with open(full, "rb") as f:
            self.answer(200, f.read(), "text/yaml")

    def answer(self, status, body, kind):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    Handler.root = sys.argv[1] if len(sys.argv) > 1 else "."
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if len(sys.argv) == 5 and sys.argv[2] == "--tls":
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print("listening on %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
