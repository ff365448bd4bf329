"""A deadline on receiving a request's body, enforced by a pure-ASGI middleware: a client that
trickles its body holds a connection (and the request's task) only so long, then gets 408
`request-timeout` and the connection is closed.

The body has `request_body_timeout_s` from when the app first asks for it, plus one second per
`request_body_min_rate` bytes that have arrived (Apache mod_reqtimeout's `body=30,MinRate=...`):
a 2 GiB upload at a sound pace is never cut, a trickle is cut after about the timeout. Once the
last part of the body has arrived, the app's `receive` is its own again: waiting on it for a
disconnect (an event stream does) has no deadline. Headers are the server's to time
(app.api.protocol)."""

from __future__ import annotations

import logging
from collections.abc import Callable

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.config import Settings
from app.errors import RequestTimeout, problem_response

log = logging.getLogger(__name__)


class _BodyTooSlow(Exception):
    pass


class BodyDeadline:
    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = self.settings()
        timeout, min_rate = settings.request_body_timeout_s, settings.request_body_min_rate
        started_at: float | None = None
        received = 0
        complete = expired = responded = False

        async def timed() -> Message:
            nonlocal started_at, received, complete, expired
            if complete:
                return await receive()
            if expired:
                raise _BodyTooSlow
            now = anyio.current_time()
            started_at = now if started_at is None else started_at
            extension = received / min_rate if min_rate else 0.0
            try:
                with anyio.fail_after(max(0.0, started_at + timeout + extension - now)):
                    message = await receive()
            except TimeoutError:
                expired = True
                raise _BodyTooSlow from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                complete = not message.get("more_body", False)
            else:
                complete = True  # a disconnect: nothing more will come
            return message

        async def guarded(message: Message) -> None:
            nonlocal responded
            if expired:
                return  # the route's answer to a body cut short (a 400, say) is replaced below
            responded = responded or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, timed, guarded)
        except Exception:
            if not expired:
                raise
        if expired and not responded:
            log.warning(
                "%s %s: the body did not arrive in time (%d bytes received); closed",
                scope["method"],
                scope["path"],
                received,
            )
            await _refuse(scope, receive, send, timeout, min_rate)


async def _refuse(scope: Scope, receive: Receive, send: Send, seconds: float, rate: int) -> None:
    pace = f", and one more second per {rate} bytes received" if rate else ""
    error = RequestTimeout(
        f"the request body did not arrive within {seconds:g} s{pace}; send it without pauses, "
        "or put large data in storage and pass its URI"
    )
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
