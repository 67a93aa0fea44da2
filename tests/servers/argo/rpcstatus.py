# SPDX-License-Identifier: Apache-2.0
"""The Argo Server's error model. Its gateway is grpc-gateway v1 with
runtime.DefaultHTTPProtoErrorHandler and a marshaler that is Go's
encoding/json, so an error is the google.rpc.Status as encoding/json writes
it: {"code": N, "message": "..."} (details only when there are some), with
the HTTP status grpc-gateway v1's HTTPStatusFromCode maps N to."""

OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, \
    PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, \
    UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED = range(17)

# grpc-gateway v1 runtime.HTTPStatusFromCode (v1 maps Canceled to 408, not 499)
HTTP_STATUS = {
    OK: 200, CANCELLED: 408, UNKNOWN: 500, INVALID_ARGUMENT: 400, DEADLINE_EXCEEDED: 504,
    NOT_FOUND: 404, ALREADY_EXISTS: 409, PERMISSION_DENIED: 403, RESOURCE_EXHAUSTED: 429,
    FAILED_PRECONDITION: 400, ABORTED: 409, OUT_OF_RANGE: 400, UNIMPLEMENTED: 501,
    INTERNAL: 500, UNAVAILABLE: 503, DATA_LOSS: 500, UNAUTHENTICATED: 401,
}

# The gatekeeper's answer when no token fits an auth mode (server/auth/gatekeeper.go)
TOKEN_NOT_VALID = "token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/"


class ApiError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def http_status(self):
        return HTTP_STATUS.get(self.code, 500)

    def body(self):
        return {"code": self.code, "message": self.message}


def invalid(message):
    return ApiError(INVALID_ARGUMENT, message)


def not_found(resource, name):
    """A Kubernetes NotFound as the server passes it on (ToStatusError keeps the text)."""
    return ApiError(NOT_FOUND, f'{resource}.argoproj.io "{name}" not found')


def already_exists(resource, name):
    return ApiError(ALREADY_EXISTS, f'{resource}.argoproj.io "{name}" already exists')


def kube_invalid(kind, name, causes):
    """A Kubernetes 422 Invalid (the object failed the API server's validation):
    ToStatusError maps 422 (>= 400, no exact entry) to InvalidArgument."""
    shown = name or ""
    return ApiError(INVALID_ARGUMENT, f'{kind}.argoproj.io "{shown}" is invalid: ' + ", ".join(causes))
