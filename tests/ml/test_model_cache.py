"""The loaded-model cache: bounded, least recently used out first, each model loaded once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.ml.model_cache import ModelCache


def test_the_least_recently_used_model_is_evicted_first() -> None:
    cache: ModelCache[str] = ModelCache(2)
    cache.get("a", lambda: "A")
    cache.get("b", lambda: "B")
    assert cache.get("a", lambda: "reloaded") == "A"  # a is now the most recent
    cache.get("c", lambda: "C")
    assert "b" not in cache and "a" in cache and "c" in cache and len(cache) == 2


def test_a_model_asked_for_by_many_threads_at_once_is_loaded_once() -> None:
    cache: ModelCache[object] = ModelCache(2)
    loads = 0
    counting = threading.Lock()

    def load() -> object:
        nonlocal loads
        with counting:
            loads += 1
        time.sleep(0.05)  # long enough for every thread to arrive while it loads
        return object()

    with ThreadPoolExecutor(16) as pool:
        got = list(pool.map(lambda _: cache.get("m", load), range(16)))
    assert loads == 1 and all(g is got[0] for g in got)


def test_a_failed_load_keeps_nothing_and_the_next_request_loads_again() -> None:
    cache: ModelCache[str] = ModelCache(1)

    def broken() -> str:
        raise OSError("storage down")

    with pytest.raises(OSError):
        cache.get("m", broken)
    assert "m" not in cache
    assert cache.get("m", lambda: "M") == "M"


def test_an_evicted_model_is_loaded_again() -> None:
    cache: ModelCache[str] = ModelCache(1)
    cache.get("m", lambda: "old")
    cache.evict("m")
    assert cache.get("m", lambda: "new") == "new"
