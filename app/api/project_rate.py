"""The requests_per_minute quota: every project's requests in the last minute, counted through
the `limits` library, in Redis when RESNET_STUDIO_REDIS_URL is set (so every replica and worker
process draws on one budget) and in this process's memory otherwise.

A moving window: a request is let in when fewer than the limit came in the 60 seconds before
it, so no boundary between minutes lets a burst of twice the limit through."""

from __future__ import annotations

import logging

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.errors import QuotaExceeded

log = logging.getLogger(__name__)

NAMESPACE = "resnet-studio:project-requests"


class ProjectRequestRate:
    def __init__(self, redis_url: str | None) -> None:
        self.shared = redis_url is not None
        self._limiter = MovingWindowRateLimiter(storage_from_string(redis_url or "memory://"))

    def take(self, project_id: str, limit: int) -> None:
        """Count one request; QuotaExceeded when the project already had `limit` this minute.
        When Redis cannot be reached the request is let in, and the server log says so: an
        outage of the counter must not become an outage of the API."""
        if not limit:
            return
        item = RateLimitItemPerMinute(limit)
        try:
            allowed = self._limiter.hit(item, NAMESPACE, project_id)
        except Exception:  # redis' connection and timeout errors; the limiter names no base
            log.warning("the request quota could not be counted (Redis)", exc_info=True)
            return
        if not allowed:
            raise QuotaExceeded(
                f"The project's requests_per_minute quota is {limit} and {limit} came in the "
                "last minute; slow down, or ask an operator to raise the quota."
            )

    def used(self, project_id: str, limit: int) -> int | None:
        """Requests in the last minute (None without a limit: nothing is counted then)."""
        if not limit:
            return None
        try:
            stats = self._limiter.get_window_stats(
                RateLimitItemPerMinute(limit), NAMESPACE, project_id
            )
        except Exception:
            log.warning("the request quota could not be read (Redis)", exc_info=True)
            return None
        return limit - stats.remaining
