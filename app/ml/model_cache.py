"""Loaded models kept in memory: a small LRU, each model loaded once however many threads ask.

Generic over what is kept (the service keeps `app.ml.predict.TrainedModel`s) and ignorant of
where a model comes from: the caller hands `get` the function that loads it, so this engine
module needs no storage, database or web code."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

M = TypeVar("M")


class ModelCache(Generic[M]):
    """At most `capacity` models, the least recently used evicted first."""

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self._models: OrderedDict[str, M] = OrderedDict()
        self._lock = threading.Lock()
        # One lock per model being loaded: requests for the same model wait for the first
        # load instead of loading it again, while other models load (and hit) in parallel.
        self._loading: dict[str, threading.Lock] = {}

    def get(self, key: str, load: Callable[[], M]) -> M:
        """The model cached under `key`, else `load()`'s, kept. A failed load keeps nothing,
        so the next request tries again."""
        with self._lock:
            if key in self._models:
                self._models.move_to_end(key)
                return self._models[key]
            loading = self._loading.setdefault(key, threading.Lock())
        with loading:
            with self._lock:
                if key in self._models:  # loaded by the thread this one waited for
                    return self._models[key]
            try:
                model = load()
            except BaseException:
                with self._lock:
                    self._loading.pop(key, None)
                raise
            with self._lock:
                # Kept before its loading lock goes, so no thread arriving now loads it again.
                self._models[key] = model
                while len(self._models) > self.capacity:
                    self._models.popitem(last=False)
                self._loading.pop(key, None)
            return model

    def evict(self, key: str) -> None:
        with self._lock:
            self._models.pop(key, None)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._models

    def __len__(self) -> int:
        with self._lock:
            return len(self._models)
