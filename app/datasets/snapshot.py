"""A registered dataset's snapshot in storage: `datasets/<id>/index.jsonl` (one image a line:
uri, label, size, etag, width, height) and `skipped.jsonl` (path, reason, message)."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from app.datasets.job import Summary
from app.datasets.schemas import ImageStats
from app.storage import ObjectNotFound, ObjectStore

INDEX = "index.jsonl"
SKIPPED = "skipped.jsonl"


def dataset_prefix(dataset_id: str) -> str:
    return f"datasets/{dataset_id}/"


@dataclass(frozen=True)
class IndexRow:
    uri: str
    label: str | None
    size: int
    etag: str
    width: int
    height: int


def _dump(rows: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, sort_keys=True) + "\n" for r in rows).encode()


def write_snapshot(
    store: ObjectStore, dataset_id: str, rows: list[IndexRow], skipped: list[dict[str, Any]]
) -> None:
    prefix = dataset_prefix(dataset_id)
    store.put_bytes(prefix + SKIPPED, _dump(skipped))
    store.put_bytes(prefix + INDEX, _dump([asdict(r) for r in rows]))


def stored_bytes(store: ObjectStore, dataset_id: str) -> int:
    """The bytes the dataset keeps in the service's storage: its snapshot and, for an archive,
    its images and the archive itself when it was uploaded."""
    return sum(info.size for info in store.list(dataset_prefix(dataset_id)))


def read_index(store: ObjectStore, dataset_id: str) -> list[IndexRow]:
    raw = store.get_bytes(dataset_prefix(dataset_id) + INDEX)
    return [IndexRow(**json.loads(line)) for line in raw.decode().splitlines() if line]


def read_skipped(store: ObjectStore, dataset_id: str) -> list[dict[str, Any]]:
    try:
        raw = store.get_bytes(dataset_prefix(dataset_id) + SKIPPED)
    except ObjectNotFound:
        return []
    return [json.loads(line) for line in raw.decode().splitlines() if line]


def summarise(rows: list[IndexRow]) -> Summary:
    """Counts, classes in a stable (sorted) order and size statistics for a set of rows."""
    labels = [r.label for r in rows]
    labelled = all(label is not None for label in labels)
    classes = sorted({label for label in labels if label is not None}) if labelled else None
    tally = Counter(labels)
    counts = {c: tally[c] for c in classes} if classes is not None else None
    widths, heights = [r.width for r in rows], [r.height for r in rows]
    stats = None
    if rows:
        stats = ImageStats(
            count=len(rows),
            min_width=min(widths),
            max_width=max(widths),
            mean_width=round(sum(widths) / len(rows), 2),
            min_height=min(heights),
            max_height=max(heights),
            mean_height=round(sum(heights) / len(rows), 2),
        )
    return Summary(
        image_count=len(rows),
        labelled=labelled,
        classes=classes,
        class_counts=counts,
        image_stats=stats,
    )
