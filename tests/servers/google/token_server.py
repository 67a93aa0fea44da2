#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A loopback stand-in for Google's OAuth 2.0 token endpoint, for tests.

It checks grants the way https://oauth2.googleapis.com/token does and answers
in Google's shapes, so a client that works against it sends what Google
accepts:

  * JWT-bearer grant (service-account keys): the assertion's RS256 signature is
    verified with the account's public key (RSA done here with the standard
    library only, independent of the OpenSSL that signed it), then iss, kid,
    aud (this endpoint's own URL), and the iat/exp window (at most an hour,
    not in the future, not expired). `scope` gives an access token,
    `target_audience` an ID token.
  * refresh_token grant (authorized_user ADC files): client_id, client_secret
    and refresh_token must match.

Every request is appended to --log as one JSON line, in the shape of the
captures in tests/reference/backends/google-auth/ (path, ctype, form) plus the
form's field order, the User-Agent and the decoded JWT header and claims, so a
test can compare what different clients sent.

Usage: token_server.py --config CONFIG.json --log REQUESTS.jsonl [--max-seconds N] [--issued TOKENS]
CONFIG.json: {"service_accounts": [{"client_email", "kid", "public_key_pem"}],
              "authorized_users": [{"client_id", "client_secret", "refresh_token"}],
              "expires_in": 3599}
POST /control with a JSON object changes "expires_in" while running.
Listens on 127.0.0.1, port 0 (the system picks); prints "listening on PORT"
once ready. Stops by itself after --max-seconds, or when stdin closes.
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

# DER DigestInfo prefix for SHA-256 (RFC 8017 section 9.2, note 1).
SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
RSA_ENCRYPTION_OID = bytes.fromhex("2a864886f70d010101")
CLOCK_SKEW = 300  # what Google tolerates between its clock and the client's
MAX_LIFETIME = 3600

SHORT_LIVED = ("Invalid JWT: Token must be a short-lived token (60 minutes) and in a "
               "reasonable timeframe. Check your iat and exp values in the JWT claim.")


def b64url_decode(text):
    text = text.rstrip("=")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def der_item(buf, pos):
    """(tag, start of contents, end of contents) of the DER item at pos."""
    tag = buf[pos]
    length = buf[pos + 1]
    pos += 2
    if length & 0x80:
        count = length & 0x7F
        length = int.from_bytes(buf[pos:pos + count], "big")
        pos += count
    return tag, pos, pos + length


def rsa_public_numbers(pem):
    """(n, e) from a SubjectPublicKeyInfo ("PUBLIC KEY") or PKCS#1 ("RSA PUBLIC KEY") PEM."""
    lines = pem.strip().splitlines()
    der = base64.b64decode("".join(l for l in lines if not l.startswith("-----")))
    if "BEGIN PUBLIC KEY" in lines[0]:
        tag, start, _ = der_item(der, 0)
        assert tag == 0x30, "SubjectPublicKeyInfo is a SEQUENCE"
        tag, alg_start, alg_end = der_item(der, start)
        assert tag == 0x30 and RSA_ENCRYPTION_OID in der[alg_start:alg_end], "not an RSA key"
        tag, bits_start, bits_end = der_item(der, alg_end)
        assert tag == 0x03 and der[bits_start] == 0, "BIT STRING without unused bits"
        der = der[bits_start + 1:bits_end]
    tag, start, _ = der_item(der, 0)
    assert tag == 0x30, "RSAPublicKey is a SEQUENCE"
    tag, n_start, n_end = der_item(der, start)
    tag, e_start, e_end = der_item(der, n_end)
    return int.from_bytes(der[n_start:n_end], "big"), int.from_bytes(der[e_start:e_end], "big")


def rs256_verify(numbers, data, signature):
    """RSASSA-PKCS1-v1_5 verification with SHA-256 (RFC 8017 section 8.2.2)."""
    n, e = numbers
    k = (n.bit_length() + 7) // 8
    if len(signature) != k:
        return False
    s = int.from_bytes(signature, "big")
    if s >= n:
        return False
    em = pow(s, e, n).to_bytes(k, "big")
    t = SHA256_DIGEST_INFO + hashlib.sha256(data).digest()
    expected = b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t
    return hmac.compare_digest(em, expected)


class State:
    def __init__(self, config, log_path, issued_path=None):
        self.lock = threading.Lock()
        self.issued_path = issued_path
        self.accounts = {}
        for account in config.get("service_accounts", []):
            self.accounts[account["client_email"]] = {
                "kid": account.get("kid"),
                "numbers": rsa_public_numbers(account["public_key_pem"]),
            }
        self.users = config.get("authorized_users", [])
        self.expires_in = int(config.get("expires_in", 3599))
        self.log_path = log_path
        self.issued = 0

    def next_serial(self):
        with self.lock:
            self.issued += 1
            return self.issued

    def access_token(self, prefix):
        """A new access token; with --issued it is also appended there, so a
        resource server reading that file (the Vertex test server's
        --token-file) accepts exactly what this endpoint handed out."""
        token = "%s-%d-%s" % (prefix, self.next_serial(), os.urandom(6).hex())
        if self.issued_path:
            with self.lock:
                with open(self.issued_path, "a", encoding="utf-8") as f:
                    f.write(token + "\n")
        return token

    def record(self, entry):
        with self.lock:
            with open(self.log_path, "a", encoding="utf-8") as log:
                log.write(json.dumps(entry) + "\n")


class GrantError(Exception):
    def __init__(self, status, error, description):
        super().__init__(description)
        self.status, self.error, self.description = status, error, description


def check_assertion(state, assertion, expected_aud):
    """The claims of a valid assertion, else GrantError in Google's words."""
    parts = assertion.split(".")
    if len(parts) != 3:
        raise GrantError(400, "invalid_grant", "Invalid JWT Signature.")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except ValueError:
        raise GrantError(400, "invalid_grant", "Invalid JWT Signature.")
    if header.get("alg") != "RS256":
        raise GrantError(400, "invalid_grant", "Invalid JWT Signature.")
    account = state.accounts.get(claims.get("iss"))
    if account is None:
        raise GrantError(400, "invalid_grant", "Invalid grant: account not found")
    if "kid" in header and header["kid"] != account["kid"]:
        raise GrantError(400, "invalid_grant", "Invalid JWT Signature.")
    signed = (parts[0] + "." + parts[1]).encode("ascii")
    if not rs256_verify(account["numbers"], signed, signature):
        raise GrantError(400, "invalid_grant", "Invalid JWT Signature.")
    if claims.get("aud") != expected_aud:
        raise GrantError(400, "invalid_grant",
                         "Invalid JWT: Failed audience check. The right audience is " + expected_aud)
    now = time.time()
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int):
        raise GrantError(400, "invalid_grant", SHORT_LIVED)
    if iat > now + CLOCK_SKEW or exp < now - CLOCK_SKEW or exp <= iat or exp - iat > MAX_LIFETIME:
        raise GrantError(400, "invalid_grant", SHORT_LIVED)
    return header, claims


def make_id_token(state, claims):
    """A token shaped like the ID tokens Google issues. Its signature is random
    bytes: clients take tokens from the endpoint over TLS and do not verify them
    (nor do Google's libraries in id_token_jwt_grant)."""
    now = int(time.time())
    header = {"alg": "RS256", "kid": "loopback-google-key", "typ": "JWT"}
    payload = {
        "aud": claims["target_audience"],
        "azp": "1000000000000000" + str(state.next_serial()),
        "email": claims["iss"],
        "email_verified": True,
        "exp": now + state.expires_in,
        "iat": now,
        "iss": "https://accounts.google.com",
        "sub": "100000000000000000000",
    }
    return ".".join([b64url_encode(json.dumps(header).encode()), b64url_encode(json.dumps(payload).encode()),
                     b64url_encode(os.urandom(256))])


def grant(state, form, expected_aud):
    """(status, JSON answer) for one token request."""
    grant_type = form.get("grant_type", [""])[0]
    if grant_type == "urn:ietf:params:oauth:grant-type:jwt-bearer":
        _, claims = check_assertion(state, form.get("assertion", [""])[0], expected_aud)
        if claims.get("target_audience"):
            return 200, {"id_token": make_id_token(state, claims)}
        if claims.get("scope"):
            return 200, {"access_token": state.access_token("ya29.c.loopback"),
                         "expires_in": state.expires_in, "token_type": "Bearer"}
        raise GrantError(400, "invalid_scope", "Invalid OAuth scope or ID token audience provided.")
    if grant_type == "refresh_token":
        client_id = form.get("client_id", [""])[0]
        client_secret = form.get("client_secret", [""])[0]
        users = [u for u in state.users if u["client_id"] == client_id]
        if not users or not hmac.compare_digest(users[0]["client_secret"], client_secret):
            raise GrantError(401, "invalid_client", "Unauthorized")
        if not hmac.compare_digest(users[0]["refresh_token"], form.get("refresh_token", [""])[0]):
            raise GrantError(400, "invalid_grant", "Token has been expired or revoked.")
        return 200, {"access_token": state.access_token("ya29.a0loopback"),
                     "expires_in": state.expires_in,
                     "scope": "https://www.googleapis.com/auth/cloud-platform openid",
                     "token_type": "Bearer"}
    raise GrantError(400, "unsupported_grant_type", "Invalid grant_type: " + grant_type)


def make_handler(state):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # the request log is --log; stderr stays quiet
            pass

        def answer(self, status, body):
            data = json.dumps(body).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")
            self.send_header("Pragma", "no-cache")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            self.answer(404, {"error": "not_found", "error_description": "POST to /token"})

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8", "replace")
            if self.path == "/control":
                settings = json.loads(raw or "{}")
                if "expires_in" in settings:
                    state.expires_in = int(settings["expires_in"])
                self.answer(200, {"expires_in": state.expires_in})
                return
            ctype = self.headers.get("Content-Type", "")
            form = urllib.parse.parse_qs(raw, keep_blank_values=True)
            entry = {"path": self.path, "ctype": ctype, "form": form,
                     "order": [k for k, _ in urllib.parse.parse_qsl(raw, keep_blank_values=True)],
                     "user_agent": self.headers.get("User-Agent", "")}
            if "assertion" in form:
                try:
                    head, payload, _ = form["assertion"][0].split(".")
                    entry["jwt_header"] = json.loads(b64url_decode(head))
                    entry["jwt_claims"] = json.loads(b64url_decode(payload))
                    entry["jwt_padded"] = "=" in head + payload
                except ValueError:
                    pass
            if self.path != "/token":
                status, body = 404, {"error": "not_found", "error_description": "No such endpoint: " + self.path}
            elif ctype.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
                status, body = 400, {"error": "invalid_request",
                                     "error_description": "Invalid Content-Type: " + ctype}
            else:
                expected_aud = "http://127.0.0.1:%d/token" % self.server.server_address[1]
                try:
                    status, body = grant(state, form, expected_aud)
                except GrantError as e:
                    status, body = e.status, {"error": e.error, "error_description": e.description}
            entry["status"] = status
            entry["answer"] = sorted(body)
            state.record(entry)
            self.answer(status, body)

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--max-seconds", type=float, default=600)
    parser.add_argument("--issued", help="append every access token handed out to this file")
    args = parser.parse_args()
    with open(args.config, encoding="utf-8") as f:
        state = State(json.load(f), args.log, args.issued)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    threading.Timer(args.max_seconds, server.shutdown).start()

    def watch_stdin():  # the test closing our stdin (or dying) stops us
        try:
            sys.stdin.read()
        finally:
            server.shutdown()

    threading.Thread(target=watch_stdin, daemon=True).start()
    print("listening on %d" % server.server_address[1], flush=True)
    server.serve_forever()
    os._exit(0)  # the max-seconds timer thread is not a daemon


if __name__ == "__main__":
    main()
