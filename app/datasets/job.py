"""The indexing job's typed spec and result: what registering a dataset asks of its job, and
the summary the job hands back for the dataset's record."""

from __future__ import annotations

from pydantic import BaseModel

from app.datasets.schemas import ImageStats, SourceFormat


class IndexSpec(BaseModel):
    dataset_id: str
    source_uri: str
    format: SourceFormat  # never `auto`: detected at submit


class Summary(BaseModel):
    """Counts, classes (sorted) and size statistics of a set of images."""

    image_count: int
    labelled: bool
    classes: list[str] | None
    class_counts: dict[str, int] | None
    image_stats: ImageStats | None


class IndexResult(Summary):
    skipped_count: int
    # Everything under the dataset's folder once indexed (snapshot, kept images, an uploaded
    # archive). None in results recorded before this figure existed.
    stored_bytes: int | None = None
