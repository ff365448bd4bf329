"""X-Request-ID: taken from the caller when it is sound, else made here; kept in a context
variable for the logs, problem documents and jobs of the request, and sent back on every
response. A pure-ASGI middleware, so streamed responses (Server-Sent Events) pass untouched."""

from __future__ import annotations

import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.context import REQUEST_ID_HEADER, request_id_var

MAX_REQUEST_ID = 128


def is_valid_request_id(value: str) -> bool:
    """Printable ASCII (space to tilde), 1 to 128 characters: safe in a header and a log line."""
    return 0 < len(value) <= MAX_REQUEST_ID and all(" " <= c <= "~" for c in value)


def request_id_for(scope: Scope) -> str:
    given = Headers(scope=scope).get(REQUEST_ID_HEADER)
    if given is not None and is_valid_request_id(given):
        return given
    return uuid.uuid4().hex


class RequestId:
    """Outermost of the app's middleware, so every response carries the id, the refusals of the
    limits included. The context variable is set for the rest of the request's task and not
    reset: the 500 handler runs after this middleware has returned (Starlette's
    ServerErrorMiddleware sits outside it) and still needs it; each request is its own task, so
    no value outlives its request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_for(scope)
        request_id_var.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        await self.app(scope, receive, send_with_id)
