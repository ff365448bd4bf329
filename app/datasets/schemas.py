from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from app.api.fields import Float, Text


class SourceFormat(StrEnum):
    AUTO = "auto"
    FOLDER = "folder"
    ARCHIVE = "archive"
    MANIFEST_CSV = "manifest-csv"
    MANIFEST_JSONL = "manifest-jsonl"


class DatasetStatus(StrEnum):
    INDEXING = "indexing"
    READY = "ready"
    FAILED = "failed"


class DatasetCreate(BaseModel):
    """Register an image directory (Azure's Convert to Image Directory)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"source_uri": "file:///srv/resnet-studio/data/sources/shapes", "name": "shapes"}
            ]
        },
    )

    source_uri: Text = Field(
        min_length=6,
        max_length=2048,
        description="file:// or s3:// URI of a class-folder tree, an archive (.zip, .tar, "
        ".tar.gz/.tgz, .tar.bz2), a manifest (.csv path,label or .jsonl source-ref/class), or a "
        "flat folder of unlabelled images.",
        examples=["s3://my-bucket/pets/", "file:///data/sources/pets.zip"],
    )
    format: SourceFormat = Field(SourceFormat.AUTO, description="auto: from the URI's ending.")
    name: Text | None = Field(None, min_length=1, max_length=200)
    description: Text | None = Field(None, max_length=4000)


class ImageStats(BaseModel):
    count: int
    min_width: int
    max_width: int
    mean_width: float
    min_height: int
    max_height: int
    mean_height: float


class IndexingProgress(BaseModel):
    phase: str | None = None
    done: int | None = None
    total: int | None = None
    percent: float | None = None


class DatasetError(BaseModel):
    code: str
    message: str


class DatasetLinks(BaseModel):
    self: str
    images: str
    skipped: str


class Dataset(BaseModel):
    id: str
    name: str | None
    description: str | None
    status: DatasetStatus
    source_uri: str
    source_format: SourceFormat
    labelled: bool | None
    classes: list[str] | None = Field(description="Sorted; a class's index is its position.")
    class_counts: dict[str, int] | None
    image_count: int | None
    skipped_count: int | None
    stored_bytes: int | None = Field(
        description="Bytes this dataset keeps in the service's storage: an uploaded archive, "
        "the images kept from an archive, its snapshot. Null for datasets indexed before it "
        "was recorded."
    )
    image_stats: ImageStats | None
    parent_id: str | None = Field(description="The dataset this one was split from.")
    progress: IndexingProgress | None = Field(description="While indexing.")
    error: DatasetError | None
    created_at: datetime
    updated_at: datetime
    links: DatasetLinks


class SplitRequest(BaseModel):
    """Azure's Split Image Directory, with a settable seed."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"fraction": 0.8, "seed": 42}]}
    )

    fraction: Float = Field(0.9, gt=0, lt=1, description="Share of images in the first output.")
    seed: StrictInt = Field(42, ge=0, le=2**32 - 1)
    first_name: Text | None = Field(None, min_length=1, max_length=200)
    second_name: Text | None = Field(None, min_length=1, max_length=200)


class SplitResult(BaseModel):
    first: Dataset
    second: Dataset


class DatasetImage(BaseModel):
    uri: str
    label: str | None
    width: int
    height: int
    size: int


class SkippedFile(BaseModel):
    path: str
    reason: str = Field(
        description="unsupported-extension, unreadable, truncated, not-an-image, "
        "too-many-pixels, format-mismatch, decoder-crashed, decode-timeout"
    )
    message: str


class ImagePage(BaseModel):
    items: list[DatasetImage]
    total: int
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class SkippedPage(BaseModel):
    items: list[SkippedFile]
    total: int
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )
