"""Scoring one part of the input: fetch, decode, transform and predict, with every image that
cannot be read reported as an error row instead of failing the job."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app.datasets.snapshot import IndexRow
from app.datasets.sources import ObjectCache, ObjectRef
from app.ml.fastpath import DataPath, predict_files
from app.ml.predict import TrainedModel
from app.storage import ObjectChanged, ObjectNotFound


@dataclass
class ScoredChunk:
    ids: list[str] = field(default_factory=list)
    categories: list[str | None] | None = None
    probabilities: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    errors: list[dict[str, Any]] = field(default_factory=list)
    true_indices: list[int] = field(default_factory=list)  # labelled rows of known classes
    known_probabilities: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))


def _fetch(cache: ObjectCache, rows: list[IndexRow], errors: dict[int, str]) -> list[Path | None]:
    paths: list[Path | None] = []
    for n, row in enumerate(rows):
        try:
            paths.append(cache.fetch(ObjectRef(row.uri, row.size, row.etag)))
        except ObjectChanged:
            errors[n] = "changed: the file changed since the dataset was registered"
            paths.append(None)
        except ObjectNotFound:
            errors[n] = "missing: the file no longer exists"
            paths.append(None)
    return paths


def score_chunk(
    model: TrainedModel,
    rows: list[IndexRow],
    cache: ObjectCache,
    batch_size: int,
    labelled: bool,
    max_pixels: int = 89_478_485,
    workers: int = 0,
    data_path: DataPath = "auto",
) -> ScoredChunk:
    """Decode and predict on the model's device: nvJPEG and GPU transforms on CUDA, PIL with the
    decoding of the next batch overlapping the model on the CPU (app.ml.fastpath)."""
    failed: dict[int, str] = {}
    paths = _fetch(cache, rows, failed)
    predicted = predict_files(
        model, paths, batch_size, max_pixels=max_pixels, workers=workers, data_path=data_path
    )
    failed.update({i: why for i, why in predicted.failures.items() if i not in failed})
    order = predicted.positions
    probabilities = predicted.probabilities.numpy()
    scored = ScoredChunk(ids=[rows[i].uri for i in order], probabilities=probabilities)
    scored.errors = [
        {"id": rows[i].uri, "reason": why.split(":")[0], "message": why}
        for i, why in sorted(failed.items())
    ]
    if labelled:
        scored.categories = [rows[i].label for i in order]
        index = {name: c for c, name in enumerate(model.class_names)}
        known = [n for n, i in enumerate(order) if rows[i].label in index]
        scored.true_indices = [index[rows[order[n]].label or ""] for n in known]
        scored.known_probabilities = probabilities[known]
    return scored
