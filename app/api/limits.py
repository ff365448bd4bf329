"""Request body limits: one table of per-route caps, enforced by a pure-ASGI middleware before the
body reaches a route. A declared Content-Length over the cap is refused without reading a byte; a
body without one (chunked) is counted as it streams and stopped at the first chunk past the cap,
so nothing over the limit is ever buffered."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.datastructures import Headers
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import PayloadTooLarge, problem_response

MULTIPART_SLACK = 1024**2  # boundaries and part headers around an uploaded file


@dataclass(frozen=True)
class RouteBodyLimit:
    """A route that legitimately takes more (or less) than `max_request_bytes`."""

    method: str
    path: str  # the route's template, as declared on its router
    setting: str  # the Settings field holding the cap
    advice: str  # what to do instead, for the 413's detail
    slack: int = 0  # framing around the capped content
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_path(self.path)[0])

    def cap(self, settings: Settings) -> int:
        value: int = getattr(settings, self.setting)
        return value + self.slack


# Every route whose body cap is not `max_request_bytes`, in one place.
ROUTE_BODY_LIMITS = (
    RouteBodyLimit(
        "POST",
        "/v1/datasets/upload",
        "max_upload_bytes",
        "put the archive in storage and register it by URI (POST /v1/datasets)",
        slack=MULTIPART_SLACK,
    ),
    RouteBodyLimit(
        "POST",
        "/v1/models/{model_id}/predict",
        "predict_max_bytes",
        "send fewer or smaller images, or score them with a scoring job (POST /v1/scoring-jobs)",
    ),
)
DEFAULT_ADVICE = "send a smaller body; put large data in storage and pass its URI"


def route_path(scope: Scope) -> str:
    """The path the routes see: without the root path a proxy may have put in front."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root + "/") else path


def body_limit(settings: Settings, method: str, path: str) -> tuple[int, str]:
    """The body cap of a request, in bytes, and what to do when it is over."""
    for route in ROUTE_BODY_LIMITS:
        if route.method == method and route.pattern.match(path):
            return route.cap(settings), route.advice
    return settings.max_request_bytes, DEFAULT_ADVICE


class _BodyTooLarge(Exception):
    pass


class BodySizeLimit:
    """Answers 413 `payload-too-large` (problem+json) to a body over its route's cap."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, advice = body_limit(self.settings(), scope["method"], route_path(scope))
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await _refuse(scope, receive, send, limit, advice)
            return

        received = 0
        exceeded = False
        started = False

        async def counted() -> Message:
            nonlocal received, exceeded
            if exceeded:
                raise _BodyTooLarge
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    exceeded = True
                    raise _BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the route's answer to a body cut short (a 400, say) is replaced below
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _refuse(scope, receive, send, limit, advice)


async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int, advice: str) -> None:
    error = PayloadTooLarge(f"the request body is over this route's {limit} bytes; {advice}")
    # The rest of the body is never read, so the connection cannot carry another request.
    response = problem_response(
        error.status,
        error.code,
        error.title,
        error.detail,
        scope["path"],
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)
