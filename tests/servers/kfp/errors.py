# SPDX-License-Identifier: Apache-2.0
"""KFP's error model: a gRPC status code, a message built like the API server's
wrapped Go errors, and the HTTP status grpc-gateway maps the code to."""

OK, CANCELLED, UNKNOWN, INVALID_ARGUMENT, DEADLINE_EXCEEDED, NOT_FOUND, ALREADY_EXISTS, \
    PERMISSION_DENIED, RESOURCE_EXHAUSTED, FAILED_PRECONDITION, ABORTED, OUT_OF_RANGE, \
    UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS, UNAUTHENTICATED = range(17)

# grpc-gateway's runtime.HTTPStatusFromCode
HTTP_STATUS = {
    OK: 200, CANCELLED: 499, UNKNOWN: 500, INVALID_ARGUMENT: 400, DEADLINE_EXCEEDED: 504,
    NOT_FOUND: 404, ALREADY_EXISTS: 409, PERMISSION_DENIED: 403, RESOURCE_EXHAUSTED: 429,
    FAILED_PRECONDITION: 400, ABORTED: 409, OUT_OF_RANGE: 400, UNIMPLEMENTED: 501,
    INTERNAL: 500, UNAVAILABLE: 503, DATA_LOSS: 500, UNAUTHENTICATED: 401,
}


class ApiError(Exception):
    """An error answered as {"error", "code", "message", "details"}.

    `message` is what the API server puts in the status (its wrapped internal
    error); `external` is the short user message KFP also sends in the
    api.Error detail. Gateway-level errors (routing, JSON decoding) carry no
    detail, as grpc-gateway sends none for them.
    """

    def __init__(self, code, message, external=None, gateway=False):
        super().__init__(message)
        self.code = code
        self.message = message
        self.external = external if external is not None else message
        self.gateway = gateway

    @property
    def http_status(self):
        return HTTP_STATUS.get(self.code, 500)

    def wrap(self, prefix):
        """Like util.Wrap: the message gains a prefix, the code stays."""
        return ApiError(self.code, f"{prefix}: {self.message}", self.external, self.gateway)

    def body(self):
        details = []
        if not self.gateway:
            details.append({"@type": "type.googleapis.com/api.Error",
                            "error_message": self.external, "error_details": self.message})
        return {"error": self.message, "code": self.code, "message": self.message, "details": details}


def invalid_input(message):
    return ApiError(INVALID_ARGUMENT, f"Invalid input error: {message}", message)


def invalid_input_details(message, cause):
    """util.NewInvalidInputErrorWithDetails(cause, message)."""
    return ApiError(INVALID_ARGUMENT, f"InvalidInputError: {message}: {cause}", message)


def not_found(resource_type, name):
    external = f"{resource_type} {name} not found."
    return ApiError(NOT_FOUND, f"ResourceNotFoundError: {external}", external)


def already_exists(message):
    return ApiError(ALREADY_EXISTS, f"Already exist error: {message}", message)


def bad_request(message, cause):
    """util.NewBadRequestError: gRPC ABORTED, HTTP 409."""
    return ApiError(ABORTED, f"BadRequestError: {message}: {cause}", message)


def failed_precondition(message):
    return ApiError(FAILED_PRECONDITION, f"FailedPreconditionError: {message}", message)


def unauthenticated(message, cause=None):
    text = f"Unauthenticated: {message}" + (f": {cause}" if cause else "")
    return ApiError(UNAUTHENTICATED, text, message)


def permission_denied(message):
    return ApiError(PERMISSION_DENIED, f"PermissionDenied: {message}: Unauthorized access", message)


def internal(message):
    return ApiError(INTERNAL, f"InternalServerError: {message}", "Internal Server Error")


class UploadError(Exception):
    """The pipeline upload handler's own error body: {"error_message", "error_details"}
    (it writes JSON by hand, not through grpc-gateway)."""

    def __init__(self, status, message, details=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details if details is not None else message

    def body(self):
        return {"error_message": self.message, "error_details": self.details}
