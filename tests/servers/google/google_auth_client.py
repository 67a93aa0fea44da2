#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Google's own Python auth library (Debian's python3-google-auth) driven by
tst_googleauth, to compare Pipewright's grants and JWTs with it. Only ever
pointed at loopback servers: each mode below gets its token URI from the test.

  check                          exit 0 when google-auth and requests import, else 3
  access KEYFILE SCOPE           service_account.Credentials(...).refresh()
  idtoken KEYFILE AUDIENCE       service_account.IDTokenCredentials(...).refresh()
  user ADCFILE TOKEN_URI         oauth2.credentials.Credentials(...).refresh()
                                 (google-auth 1.5 ignores an ADC file's token_uri,
                                 so the test passes its loopback one)
  verify JWT CERTFILE AUDIENCE   google.auth.jwt.decode with {kid: certificate};
                                 prints the header and claims
  verifykey JWT PUBFILE AUDIENCE google.auth.jwt.decode with the bare public key
                                 (needs google-auth's cryptography backend; exit 4 without it)
  adc                            google.auth.default(): prints the account it found

Prints one JSON object on success; exits non-zero with the library's error otherwise.
"""

import json
import sys


def main(argv):
    mode = argv[1]
    try:
        import google.auth
        import google.auth.jwt
        import google.auth.transport.requests
        import google.oauth2.credentials
        import google.oauth2.service_account
        import requests  # noqa: F401 (the transport needs it)
    except ImportError as e:
        print("missing: %s (Debian: python3-google-auth python3-requests)" % e, file=sys.stderr)
        return 3
    if mode == "check":
        return 0
    if mode == "access":
        credentials = google.oauth2.service_account.Credentials.from_service_account_file(
            argv[2], scopes=[argv[3]])
        credentials.refresh(google.auth.transport.requests.Request())
        print(json.dumps({"valid": credentials.valid, "expiry": str(credentials.expiry)}))
        return 0
    if mode == "idtoken":
        credentials = google.oauth2.service_account.IDTokenCredentials.from_service_account_file(
            argv[2], target_audience=argv[3])
        credentials.refresh(google.auth.transport.requests.Request())
        print(json.dumps({"valid": credentials.valid, "expiry": str(credentials.expiry)}))
        return 0
    if mode == "user":
        with open(argv[2], encoding="utf-8") as f:
            info = json.load(f)
        credentials = google.oauth2.credentials.Credentials(
            None, refresh_token=info["refresh_token"], token_uri=argv[3],
            client_id=info["client_id"], client_secret=info["client_secret"])
        credentials.refresh(google.auth.transport.requests.Request())
        print(json.dumps({"valid": credentials.valid, "expiry": str(credentials.expiry)}))
        return 0
    if mode in ("verify", "verifykey"):
        token = argv[2]
        with open(argv[3], encoding="utf-8") as f:
            pem = f.read()
        if mode == "verifykey":
            from google.auth.crypt import rsa
            if not rsa.RSAVerifier.__module__.endswith("_cryptography_rsa"):
                print("google-auth's pure-Python RSA backend reads only PKCS#1 public keys", file=sys.stderr)
                return 4
            certs = pem
        else:
            certs = {google.auth.jwt.decode_header(token)["kid"]: pem}
        claims = google.auth.jwt.decode(token, certs=certs, audience=argv[4])
        print(json.dumps({"header": google.auth.jwt.decode_header(token), "claims": claims}))
        return 0
    if mode == "adc":
        credentials, project = google.auth.default()
        print(json.dumps({"email": getattr(credentials, "service_account_email", None),
                          "client_id": getattr(credentials, "client_id", None), "project": project}))
        return 0
    print("unknown mode " + mode, file=sys.stderr)
    return 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as e:  # the library's own error text is what the test wants to see
        print("%s: %s" % (type(e).__name__, e), file=sys.stderr)
        sys.exit(1)
