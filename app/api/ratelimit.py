"""Per-caller rate limit on /v1: a token bucket per API key (by its fingerprint), or per client
IP for requests without a valid key, checked by a pure-ASGI middleware before auth and before
the body is read.

The buckets live in this process's memory: each worker process (and each replica) counts on
its own, so N processes let a caller through N times the configured rate."""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from fastapi.security.utils import get_authorization_scheme_param
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.auth import key_fingerprint, key_matches
from app.api.limits import route_path
from app.config import Settings
from app.errors import RateLimited, problem_response

MAX_KEYS = 100_000  # buckets kept at most; past it the least recently used go first


class TokenBuckets:
    """A bucket per key holding up to `burst` tokens, refilled at `per_minute / 60` a second; a
    request takes one. Thread-safe. Memory is one entry per active key: a bucket idle long
    enough to be full again is dropped (a fresh one is the same), and at most `max_keys` are
    kept, so a flood of new callers costs bounded memory (their oldest buckets are forgotten)."""

    def __init__(
        self,
        per_minute: int,
        burst: int,
        max_keys: int = MAX_KEYS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if per_minute <= 0 or burst <= 0:
            raise ValueError("per_minute and burst must be positive")
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_keys = max_keys
        self._clock = clock
        self._refill_s = self.burst / self.rate  # an idle bucket is full again after this
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key: tokens, at
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """Take a token: 0.0 if there was one, else the seconds until there will be."""
        with self._lock:
            now = self._clock()
            tokens, at = self._buckets.pop(key, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / self.rate
            self._evict(now)
            self._buckets[key] = (tokens, now)  # most recently used last
            return wait

    def _evict(self, now: float) -> None:
        # Least recently used first: once the first is recent, so are all after it.
        while self._buckets:
            oldest, (_, at) = next(iter(self._buckets.items()))
            if now - at < self._refill_s and len(self._buckets) < self.max_keys:
                return
            del self._buckets[oldest]

    def __len__(self) -> int:
        return len(self._buckets)


def caller_of(settings: Settings, scope: Scope) -> str:
    """The bucket's key: the API key's fingerprint when it is valid, else the client's IP: the
    socket's peer, or what a proxy in `forwarded_allow_ips` says (app.api.forwarded sets it)."""
    if settings.auth_enabled:
        scheme, key = get_authorization_scheme_param(Headers(scope=scope).get("authorization"))
        if scheme.lower() == "bearer" and key and key_matches(key, settings.api_key_hashes):
            return key_fingerprint(key)
    client = scope.get("client")
    return f"ip:{client[0] if client else 'unknown'}"


def is_limited(path: str) -> bool:
    """Only the API is limited: health checks, the docs and the OpenAPI document are not."""
    return path == "/v1" or path.startswith("/v1/")


class RateLimit:
    """Answers 429 `rate-limited` (problem+json, with Retry-After in whole seconds) to a caller
    over its rate. `rate_limit_per_minute` or `rate_limit_burst` of 0 turns it off."""

    def __init__(self, app: ASGIApp, settings: Callable[[], Settings]) -> None:
        self.app = app
        self.settings = settings
        self._buckets: TokenBuckets | None = None
        self._built = False

    def buckets(self, settings: Settings) -> TokenBuckets | None:
        if not self._built:  # on the event loop: no other request runs between check and set
            per_minute, burst = settings.rate_limit_per_minute, settings.rate_limit_burst
            self._buckets = TokenBuckets(per_minute, burst) if per_minute and burst else None
            self._built = True
        return self._buckets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not is_limited(route_path(scope)):
            await self.app(scope, receive, send)
            return
        settings = self.settings()
        buckets = self.buckets(settings)
        wait = buckets.take(caller_of(settings, scope)) if buckets is not None else 0.0
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = max(1, math.ceil(wait))
        error = RateLimited(
            f"over {settings.rate_limit_per_minute} requests a minute (bursts of "
            f"{settings.rate_limit_burst}); retry in {retry_after} s",
            retry_after,
        )
        response = problem_response(
            error.status,
            error.code,
            error.title,
            error.detail,
            scope["path"],
            headers=error.response_headers(),
        )
        await response(scope, receive, send)
