"""CORS for browser callers: Starlette's CORSMiddleware with the origins of `cors_origins`.
Without origins (the default) requests pass untouched and no CORS header is ever sent."""

from __future__ import annotations

from collections.abc import Callable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from app.config import Settings

ALLOWED_METHODS = ["GET", "POST", "DELETE"]
ALLOWED_HEADERS = ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-ID"]
# What a page may read of a response: its request id, and when to retry after a 429.
EXPOSED_HEADERS = ["X-Request-ID", "Retry-After"]


class Cors:
    """Built on the first request, since the settings are known only once the app has started.
    Keys go in the Authorization header, never in cookies, so credentials are not allowed."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings
        self._inner: ASGIApp | None = None

    def inner(self) -> ASGIApp:
        if self._inner is None:  # on the event loop: no other request runs between check and set
            origins = self.settings().cors_origins
            self._inner = (
                CORSMiddleware(
                    self.app,
                    allow_origins=origins,
                    allow_methods=ALLOWED_METHODS,
                    allow_headers=ALLOWED_HEADERS,
                    expose_headers=EXPOSED_HEADERS,
                    max_age=600,
                )
                if origins
                else self.app
            )
        return self._inner

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.inner()(scope, receive, send)
