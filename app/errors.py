"""One error hierarchy and one renderer: every 4xx/5xx leaves as application/problem+json (RFC 9457)
with a stable machine-readable `code` (and `type` built from it)."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.observability.context import REQUEST_ID_HEADER, current_request_id
from app.storage.base import StorageError

log = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_TYPE_PREFIX = "urn:resnet-studio:problem:"
# Python's JSON parser raises RecursionError past about a thousand levels of nesting; no body of
# this API nests more than a few, so such a body is the caller's to fix, not a server failure.
JSON_TOO_DEEP = "the JSON body is nested too deeply to parse; send the fields this route documents"


class FieldError(BaseModel):
    loc: list[str | int] = Field(
        description="Where the bad value is, e.g. ['body', 'architecture']."
    )
    msg: str
    type: str


class Problem(BaseModel):
    """An RFC 9457 problem document."""

    type: str = Field(description="A URN naming the problem type; stable across releases.")
    title: str
    status: int
    detail: str = Field(description="What went wrong and what to do about it.")
    instance: str | None = Field(None, description="The request path that failed.")
    code: str = Field(description="The problem type's short code, e.g. 'not-found'.")
    errors: list[FieldError] | None = Field(None, description="Per-field errors, for 422s.")
    request_id: str | None = Field(
        None, description="The request's X-Request-ID (the caller's or one made by the server)."
    )


class ApiError(Exception):
    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal-error"
    title: ClassVar[str] = "Internal server error"
    headers: ClassVar[dict[str, str] | None] = None
    # Response headers worth declaring in the OpenAPI: name -> what it says.
    documented_headers: ClassVar[dict[str, str]] = {}

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def response_headers(self) -> dict[str, str] | None:
        return self.headers


class NotFound(ApiError):
    status, code, title = 404, "not-found", "Resource not found"


class Unauthorized(ApiError):
    status, code, title = 401, "unauthorized", "Missing or invalid API key"
    headers: ClassVar[dict[str, str] | None] = {"WWW-Authenticate": "Bearer"}


class Forbidden(ApiError):
    """A valid key whose role does not allow the request (a reader asking to write, say)."""

    status, code, title = 403, "forbidden", "The API key's role does not allow this"


class Conflict(ApiError):
    status, code, title = 409, "conflict", "The resource is not in a state that allows this"


class MalformedBody(ApiError):
    """FastAPI's and Starlette's 400 for a body they cannot parse at all (JSON that is not UTF-8,
    a broken multipart body). app.openapi declares it on every operation that takes a body."""

    status, code, title = 400, "malformed-body", "The request body could not be parsed"


class UnsupportedMediaType(ApiError):
    """A body in a media type the route does not take (a JSON route sent a form, say)."""

    status, code, title = 415, "unsupported-media-type", "Unsupported media type"


class PayloadTooLarge(ApiError):
    status, code, title = 413, "payload-too-large", "Request body too large"


class RateLimited(ApiError):
    status, code, title = 429, "rate-limited", "Too many requests"
    documented_headers: ClassVar[dict[str, str]] = {
        "Retry-After": "Whole seconds to wait before the next request is let in."
    }

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s

    def response_headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after_s)}


class QuotaExceeded(ApiError):
    """A request that would take a project over one of its quotas (app.projects.quotas)."""

    status, code, title = 429, "quota-exceeded", "Over the project's quota"


class TooManyStreams(ApiError):
    """A caller holding `max_streams_per_caller` event streams open asks for one more."""

    status, code, title = 429, "too-many-streams", "Too many open event streams"


class RequestTimeout(ApiError):
    """A request whose body (or request line and headers) arrived too slowly."""

    status, code, title = 408, "request-timeout", "The request arrived too slowly"


class LoopbackOnly(ApiError):
    """A server without API keys serves only connections to a loopback address."""

    status, code, title = 403, "loopback-only", "Only local connections are served"


class InvalidRequest(ApiError):
    """A well-formed request that asks for something this server cannot do."""

    status, code, title = 422, "invalid-request", "Invalid request"


class ValidationFailed(ApiError):
    """Raised by FastAPI itself for a body, path or query that does not fit the schema."""

    status, code, title = 422, "validation-failed", "Request validation failed"


class WeightsUnavailable(ApiError):
    status, code, title = 422, "weights-unavailable", "Pretrained weights are not available"


class DecodeTimeout(ApiError):
    """Predict's images were not decoded in time: slow images, or every decode thread busy."""

    status, code, title = 503, "decode-timeout", "The images were not decoded in time"
    headers: ClassVar[dict[str, str] | None] = {"Retry-After": "5"}
    documented_headers: ClassVar[dict[str, str]] = {
        "Retry-After": "Whole seconds to wait before retrying."
    }


class DatabaseUnavailable(ApiError):
    status, code, title = 503, "database-unavailable", "The database is unavailable"


class StorageUnavailable(ApiError):
    status, code, title = 503, "storage-unavailable", "Object storage is unavailable"


# What a caller is told of a storage failure, wherever it surfaces (a response, a job's error):
# the failure's own text stays in the server log.
STORAGE_UNAVAILABLE = (
    "Object storage is unreachable or refused the operation; nothing was changed. Try again "
    "later; if it persists, give the operator this request id."
)


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str | None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        type=PROBLEM_TYPE_PREFIX + code,
        title=title,
        status=status,
        detail=detail,
        instance=instance,
        code=code,
        errors=errors,
        request_id=current_request_id(),
    )
    if body.request_id is not None:
        # Also set by app.observability.requests on every response, except the 500s rendered
        # outside it (by Starlette's ServerErrorMiddleware): those get it here.
        headers = {REQUEST_ID_HEADER: body.request_id, **(headers or {})}
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def problem_responses(*errors: type[ApiError]) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` entry for a route that can raise these errors."""
    out: dict[int | str, dict[str, Any]] = {}
    if any(e.status == 422 for e in errors) and ValidationFailed not in errors:
        errors = (ValidationFailed, *errors)
    for error in errors:
        entry = out.setdefault(error.status, {"model": Problem, "description": ""})
        titles = [t for t in entry["description"].split(" | ") if t]
        entry["description"] = " | ".join([*titles, f"{error.title} (`{error.code}`)"])
        for name, what in error.documented_headers.items():
            header = {"description": what, "schema": {"type": "string"}}
            entry.setdefault("headers", {})[name] = header
    return out


_HTTP_CODES = {
    400: (MalformedBody.code, MalformedBody.title),
    404: (NotFound.code, NotFound.title),
    405: ("method-not-allowed", "Method not allowed"),
    413: (PayloadTooLarge.code, PayloadTooLarge.title),
    415: (UnsupportedMediaType.code, UnsupportedMediaType.title),
}


def _validation_errors(exc: RequestValidationError) -> list[FieldError]:
    return [
        FieldError(
            loc=[str(p) if not isinstance(p, int) else p for p in e["loc"]],
            msg=e["msg"],
            type=e["type"],
        )
        for e in exc.errors()
    ]


async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
    return problem_response(
        exc.status,
        exc.code,
        exc.title,
        exc.detail,
        request.url.path,
        headers=exc.response_headers(),
    )


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = _validation_errors(exc)
    summary = "; ".join(f"{'.'.join(map(str, e.loc))}: {e.msg}" for e in errors[:5])
    return problem_response(
        ValidationFailed.status,
        ValidationFailed.code,
        ValidationFailed.title,
        f"Fix these fields and retry: {summary}",
        request.url.path,
        errors,
    )


async def _storage(request: Request, exc: StorageError) -> JSONResponse:
    # The error's text names the endpoint, bucket and paths (and botocore's credential
    # errors): it goes to the server log, under this request's id, and never to the caller.
    log.warning("storage failure on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(
        StorageUnavailable.status,
        StorageUnavailable.code,
        StorageUnavailable.title,
        STORAGE_UNAVAILABLE,
        request.url.path,
    )


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code, title = _HTTP_CODES.get(exc.status_code, ("http-error", "HTTP error"))
    # FastAPI's 400 for a body its parser gave up on says only "There was an error parsing the
    # body"; its cause says what the caller should fix.
    too_deep = exc.status_code == 400 and isinstance(exc.__cause__, RecursionError)
    return problem_response(
        exc.status_code,
        code,
        title,
        JSON_TOO_DEEP if too_deep else str(exc.detail),
        request.url.path,
        headers=getattr(exc, "headers", None),
    )


async def _database(request: Request, exc: Exception) -> JSONResponse:
    # The database is overloaded or unreachable: the caller should retry, not report a bug.
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(
        DatabaseUnavailable.status,
        DatabaseUnavailable.code,
        DatabaseUnavailable.title,
        "The database is busy or unreachable; nothing was changed. Retry shortly.",
        request.url.path,
        headers={"Retry-After": "1"},
    )


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return problem_response(
        ApiError.status,
        ApiError.code,
        ApiError.title,
        "The server failed unexpectedly; the error was logged.",
        request.url.path,
    )


# Which handler renders which exception: every error a caller can meet is a problem document.
_HANDLERS: list[tuple[type[Exception], Any]] = [
    (ApiError, _api_error),
    (RequestValidationError, _validation),
    (StorageError, _storage),
    (StarletteHTTPException, _http),
    (SQLAlchemyTimeoutError, _database),
    (OperationalError, _database),
    (Exception, _unexpected),
]


def install_error_handlers(app: FastAPI) -> None:
    for exc_type, handler in _HANDLERS:
        app.add_exception_handler(exc_type, handler)
