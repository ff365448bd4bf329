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


class InvalidRequest(ApiError):
    """A well-formed request that asks for something this server cannot do."""

    status, code, title = 422, "invalid-request", "Invalid request"


class ValidationFailed(ApiError):
    """Raised by FastAPI itself for a body, path or query that does not fit the schema."""

    status, code, title = 422, "validation-failed", "Request validation failed"


class WeightsUnavailable(ApiError):
    status, code, title = 422, "weights-unavailable", "Pretrained weights are not available"


class DatabaseUnavailable(ApiError):
    status, code, title = 503, "database-unavailable", "The database is unavailable"


class StorageUnavailable(ApiError):
    status, code, title = 503, "storage-unavailable", "Object storage is unavailable"


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
    log.warning("storage failure on %s %s: %s", request.method, request.url.path, exc)
    return problem_response(
        StorageUnavailable.status,
        StorageUnavailable.code,
        StorageUnavailable.title,
        f"{exc}. Nothing was changed; retry later.",
        request.url.path,
    )


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    code, title = _HTTP_CODES.get(exc.status_code, ("http-error", "HTTP error"))
    return problem_response(
        exc.status_code,
        code,
        title,
        str(exc.detail),
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
