"""How many long-lived responses (event streams) each caller holds open: a counter per caller,
capped, so one caller cannot pin an unbounded number of connections and polling tasks. In this
process's memory, like the rate limit's buckets: N processes allow N times the cap."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class StreamSlots:
    def __init__(self, per_caller: int) -> None:
        self.per_caller = per_caller
        self._open: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def hold(self, caller: str, limit: int | None = None) -> Iterator[bool]:
        """Yields whether the caller got a slot; a slot it got is freed on leaving. `limit`
        replaces `per_caller` for this caller (a project's quota; 0: no limit)."""
        cap = self.per_caller if limit is None else limit
        with self._lock:
            granted = not cap or self._open.get(caller, 0) < cap
            if granted:
                self._open[caller] = self._open.get(caller, 0) + 1
        try:
            yield granted
        finally:
            if granted:
                with self._lock:
                    self._open[caller] -= 1
                    if not self._open[caller]:
                        del self._open[caller]  # memory follows the callers with open streams

    def open_for(self, caller: str) -> int:
        with self._lock:
            return self._open.get(caller, 0)
