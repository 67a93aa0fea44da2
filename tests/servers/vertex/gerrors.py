# SPDX-License-Identifier: Apache-2.0
"""Google's error answers: the google.rpc.Status JSON that Vertex AI and
Cloud Logging send ({"error": {"code", "message", "status", "details"}}),
Vertex's own "List of found errors" validation text, Cloud Storage's older
{"error": {"code", "message", "errors": [...]}} shape, and the HTML page
Google's front end answers for a URL no API serves."""
import html

CODES = {"OK": 0, "CANCELLED": 1, "UNKNOWN": 2, "INVALID_ARGUMENT": 3, "DEADLINE_EXCEEDED": 4, "NOT_FOUND": 5,
         "ALREADY_EXISTS": 6, "PERMISSION_DENIED": 7, "RESOURCE_EXHAUSTED": 8, "FAILED_PRECONDITION": 9,
         "ABORTED": 10, "OUT_OF_RANGE": 11, "UNIMPLEMENTED": 12, "INTERNAL": 13, "UNAVAILABLE": 14,
         "DATA_LOSS": 15, "UNAUTHENTICATED": 16}
HTTP_STATUS = {"CANCELLED": 499, "UNKNOWN": 500, "INVALID_ARGUMENT": 400, "DEADLINE_EXCEEDED": 504, "NOT_FOUND": 404,
               "ALREADY_EXISTS": 409, "PERMISSION_DENIED": 403, "RESOURCE_EXHAUSTED": 429,
               "FAILED_PRECONDITION": 400, "ABORTED": 409, "OUT_OF_RANGE": 400, "UNIMPLEMENTED": 501,
               "INTERNAL": 500, "UNAVAILABLE": 503, "DATA_LOSS": 500, "UNAUTHENTICATED": 401}

BAD_REQUEST = "type.googleapis.com/google.rpc.BadRequest"
ERROR_INFO = "type.googleapis.com/google.rpc.ErrorInfo"
INVALID_CREDENTIALS = ("Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                       "or other valid authentication credential. See "
                       "https://developers.google.com/identity/sign-in/web/devconsole-project.")
MISSING_CREDENTIALS = ("Request is missing required authentication credential. Expected OAuth 2 access token, login "
                       "cookie or other valid authentication credential. See "
                       "https://developers.google.com/identity/sign-in/web/devconsole-project.")


class GoogleError(Exception):
    """An error answered as google.rpc.Status JSON."""

    def __init__(self, status, message, details=None, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details or []
        self.headers = headers or {}

    @property
    def http_status(self):
        return HTTP_STATUS.get(self.status, 500)

    @property
    def code(self):
        return CODES[self.status]

    def body(self):
        error = {"code": self.http_status, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def bad_request(message, violations):
    """INVALID_ARGUMENT with a google.rpc.BadRequest: violations are (field or None, description)."""
    field_violations = []
    for field, description in violations:
        entry = {"field": field} if field else {}
        entry["description"] = description
        field_violations.append(entry)
    return GoogleError("INVALID_ARGUMENT", message, [{"@type": BAD_REQUEST, "fieldViolations": field_violations}])


def invalid_json(text, field=None):
    """ESF's JSON transcoding errors: "Invalid JSON payload received. ..." and "Invalid value at ..."."""
    return bad_request(text, [(field, text)])


def found_errors(violations):
    """Vertex's request validation: 'List of found errors:\\t1.Field: f; Message: m.\\t' plus a BadRequest."""
    text = "List of found errors:\t" + "".join(f"{i}.Field: {field}; Message: {message}\t"
                                                for i, (field, message) in enumerate(violations, 1))
    return bad_request(text, violations)


def not_found(message):
    return GoogleError("NOT_FOUND", message)


def failed_precondition(message):
    return GoogleError("FAILED_PRECONDITION", message)


def unauthenticated(reason, service, method):
    """401 as Google's front end answers a missing, invalid or expired access token."""
    message = MISSING_CREDENTIALS if reason == "CREDENTIALS_MISSING" else INVALID_CREDENTIALS
    detail = {"@type": ERROR_INFO, "reason": reason, "domain": "googleapis.com",
              "metadata": {"service": service, "method": method}}
    challenge = 'Bearer realm="https://accounts.google.com/"'
    if reason != "CREDENTIALS_MISSING":
        challenge += ', error="invalid_token"'
    return GoogleError("UNAUTHENTICATED", message, [detail], {"WWW-Authenticate": challenge})


class StorageError(Exception):
    """Cloud Storage JSON API errors: {"error": {"code", "message", "errors": [{message, domain, reason}]}}."""

    def __init__(self, http_status, message, reason, extra=None, headers=None):
        super().__init__(message)
        self.http_status = http_status
        self.message = message
        self.reason = reason
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self):
        item = {"message": self.message, "domain": "global", "reason": self.reason}
        item.update(self.extra)
        return {"error": {"code": self.http_status, "message": self.message, "errors": [item]}}


def storage_unauthenticated(present):
    if not present:
        return StorageError(401, "Anonymous caller does not have storage.objects.get access to the Google Cloud "
                                 "Storage object. Permission 'storage.objects.get' denied on resource (or it may "
                                 "not exist).", "required", {"locationType": "header", "location": "Authorization"},
                            {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/"'})
    return StorageError(401, "Invalid Credentials", "authError", {"locationType": "header", "location": "Authorization"},
                        {"WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'})


def front_end_404(path):
    """Google's front end for a URL that no API method serves (HTML, not JSON)."""
    return ("<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
            "  <meta name=viewport content=\"initial-scale=1, minimum-scale=1, width=device-width\">\n"
            "  <title>Error 404 (Not Found)!!1</title>\n"
            "  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>\n"
            "  <p><b>404.</b> <ins>That\u2019s an error.</ins>\n"
            f"  <p>The requested URL <code>{html.escape(path)}</code> was not found on this server.  "
            "<ins>That\u2019s all we know.</ins>\n")
