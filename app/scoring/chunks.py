"""Scoring one part of the input: fetch, decode, transform and predict, with every image that
cannot be read reported as an error row instead of failing the job."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from app.datasets.snapshot import IndexRow
from app.datasets.sources import ObjectCache, ObjectRef
from app.ml.images import ImageRejected, open_rgb
from app.ml.predict import TrainedModel, predict_tensors
from app.storage import ObjectChanged, ObjectNotFound

Item = tuple[int, torch.Tensor | None, str | None]


class _Images(Dataset[Item]):
    """(position, tensor) per image, or (position, None, why) when it cannot be decoded."""

    def __init__(self, paths: list[Path | None], model: TrainedModel, max_pixels: int) -> None:
        self.paths, self.transform, self.max_pixels = paths, model.transform, max_pixels

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> Item:
        path = self.paths[index]
        if path is None:
            return index, None, "missing"
        try:
            return index, self.transform(open_rgb(path, self.max_pixels)), None
        except ImageRejected as exc:
            return index, None, f"{exc.reason}: {exc.message}"
        except (OSError, ValueError) as exc:
            return index, None, f"unreadable: {exc}"


def _collate(items: list[Item]) -> tuple[list[int], torch.Tensor | None, list[tuple[int, str]]]:
    good = [(i, t) for i, t, _ in items if t is not None]
    bad = [(i, why or "unreadable") for i, t, why in items if t is None]
    batch = torch.stack([t for _, t in good]) if good else None
    return [i for i, _ in good], batch, bad


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
) -> ScoredChunk:
    failed: dict[int, str] = {}
    paths = _fetch(cache, rows, failed)
    loader = DataLoader(
        _Images(paths, model, max_pixels),
        batch_size=batch_size,
        num_workers=workers,
        collate_fn=_collate,
    )
    order: list[int] = []
    outputs: list[torch.Tensor] = []
    for positions, batch, bad in loader:
        failed.update({i: why for i, why in bad if i not in failed})
        if batch is not None:
            order += positions
            outputs.append(predict_tensors(model, batch))
    probabilities = (
        torch.cat(outputs).numpy() if outputs else np.zeros((0, len(model.class_names)), np.float32)
    )
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
