"""Rules for datasets: registering (as an indexing job), reading, splitting, deleting."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.api.pagination import Page, decode_cursor, decode_position, encode_position, page_of
from app.config import Settings
from app.datasets.job import IndexSpec
from app.datasets.repository import DatasetRepository
from app.datasets.schemas import (
    Dataset,
    DatasetCreate,
    DatasetError,
    DatasetImage,
    DatasetLinks,
    DatasetStatus,
    ImagePage,
    ImageStats,
    IndexingProgress,
    SkippedFile,
    SkippedPage,
    SourceFormat,
    SplitRequest,
)
from app.datasets.snapshot import (
    IndexRow,
    dataset_prefix,
    read_index,
    read_skipped,
    stored_bytes,
    summarise,
    write_snapshot,
)
from app.datasets.sources import SourceAccess, SourceNotAllowed
from app.datasets.split import SplitError, stratified_split
from app.datasets.tasks import INDEXING
from app.db.tables import DatasetRecord, JobRecord
from app.db.tenancy import ALL_PROJECTS
from app.db.types import utcnow
from app.errors import Conflict, InvalidRequest, NotFound
from app.jobs import service as jobs
from app.storage import ObjectStore

ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2")


def detect_format(uri: str) -> SourceFormat:
    name = PurePosixPath(uri.rstrip("/")).name.lower()
    if name.endswith(ARCHIVE_SUFFIXES):
        return SourceFormat.ARCHIVE
    if name.endswith(".csv"):
        return SourceFormat.MANIFEST_CSV
    if name.endswith((".jsonl", ".manifest")):
        return SourceFormat.MANIFEST_JSONL
    return SourceFormat.FOLDER


def to_schema(record: DatasetRecord, job: JobRecord | None = None) -> Dataset:
    progress = None
    if record.status == DatasetStatus.INDEXING and job is not None:
        raw = job.progress or {}
        progress = IndexingProgress(
            phase=raw.get("phase") or job.sub_status or job.status,
            done=raw.get("done"),
            total=raw.get("total"),
            percent=raw.get("percent"),
        )
    error = None
    if record.error_code:
        error = DatasetError(code=record.error_code, message=record.error_message or "")
    base = f"/v1/datasets/{record.id}"
    return Dataset(
        id=record.id,
        name=record.name,
        description=record.description,
        status=DatasetStatus(record.status),
        source_uri=record.source_uri,
        source_format=SourceFormat(record.source_format),
        labelled=record.labelled,
        classes=record.classes,
        class_counts=record.class_counts,
        image_count=record.image_count,
        skipped_count=record.skipped_count,
        stored_bytes=record.stored_bytes,
        image_stats=ImageStats(**record.image_stats) if record.image_stats else None,
        parent_id=record.parent_id,
        progress=progress,
        error=error,
        created_at=record.created_at,
        updated_at=record.updated_at,
        links=DatasetLinks(self=base, images=f"{base}/images", skipped=f"{base}/skipped"),
    )


def register(
    session: Session,
    settings: Settings,
    store: ObjectStore,
    body: DatasetCreate,
    dataset_id: str | None = None,
) -> DatasetRecord:
    """Record the dataset and queue its indexing job, in one transaction."""
    try:
        SourceAccess(settings).check_allowed(body.source_uri)
    except (SourceNotAllowed, ValueError) as exc:
        raise InvalidRequest(f"source_uri: {exc}") from None
    fmt = detect_format(body.source_uri) if body.format is SourceFormat.AUTO else body.format
    dataset_id = dataset_id or str(uuid.uuid4())
    job, _ = jobs.submit(
        session,
        INDEXING,
        IndexSpec(dataset_id=dataset_id, source_uri=body.source_uri, format=fmt),
        settings=settings,
        max_attempts=settings.job_max_attempts,
        dataset_id=dataset_id,
    )
    now = utcnow()
    record = DatasetRecord(
        id=dataset_id,
        name=body.name,
        description=body.description,
        status=DatasetStatus.INDEXING.value,
        source_uri=body.source_uri,
        source_format=fmt.value,
        job_id=job.id,
        storage_uri=store.uri_for(dataset_prefix(dataset_id).rstrip("/")),
        stored_bytes=0,  # nothing yet (an upload records its archive's size)
        created_at=now,
        updated_at=now,
    )
    return DatasetRepository(session).add(record)


def get(session: Session, dataset_id: str) -> DatasetRecord:
    record = DatasetRepository(session).get(dataset_id)
    if record is None:
        raise NotFound(f"No dataset with id {dataset_id!r}.")
    return record


def read(session: Session, dataset_id: str) -> Dataset:
    record = get(session, dataset_id)
    return to_schema(record, DatasetRepository(session).job(record))


def list_datasets(
    session: Session, *, limit: int, cursor: str | None, status: DatasetStatus | None
) -> Page[Dataset]:
    repo = DatasetRepository(session)
    rows = repo.list(
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        status=status.value if status else None,
    )
    return page_of(rows, limit, lambda r: to_schema(r, repo.job(r)))


def ready(session: Session, dataset_id: str) -> DatasetRecord:
    record = get(session, dataset_id)
    if record.status != DatasetStatus.READY:
        raise Conflict(f"Dataset {dataset_id} is {record.status}, not ready.")
    return record


def split(
    session: Session, store: ObjectStore, dataset_id: str, body: SplitRequest
) -> tuple[DatasetRecord, DatasetRecord]:
    parent = ready(session, dataset_id)
    rows = read_index(store, parent.id)
    try:
        first, second = stratified_split([r.label for r in rows], body.fraction, body.seed)
    except SplitError as exc:
        raise InvalidRequest(str(exc)) from None
    base = parent.name or parent.id[:8]
    names = (
        body.first_name or f"{base} ({body.fraction:g})",
        body.second_name or f"{base} ({1 - body.fraction:g})",
    )
    made = []
    for name, indices in zip(names, (first, second), strict=True):
        part = [rows[i] for i in indices]
        made.append(_derived(session, store, parent, name, part, body))
    return made[0], made[1]


def _derived(
    session: Session,
    store: ObjectStore,
    parent: DatasetRecord,
    name: str,
    rows: list[IndexRow],
    body: SplitRequest,
) -> DatasetRecord:
    """A ready dataset holding `rows` of `parent` (the same images, its own snapshot)."""
    dataset_id = str(uuid.uuid4())
    write_snapshot(store, dataset_id, rows, [])
    summary = summarise(rows)
    now = utcnow()
    return DatasetRepository(session).add(
        DatasetRecord(
            id=dataset_id,
            name=name,
            description=f"split of {parent.id} (fraction {body.fraction}, seed {body.seed})",
            status=DatasetStatus.READY.value,
            source_uri=parent.source_uri,
            source_format=parent.source_format,
            parent_id=parent.id,
            skipped_count=0,
            labelled=summary.labelled,
            classes=summary.classes,
            class_counts=summary.class_counts,
            image_count=summary.image_count,
            image_stats=summary.image_stats.model_dump() if summary.image_stats else None,
            storage_uri=store.uri_for(dataset_prefix(dataset_id).rstrip("/")),
            stored_bytes=stored_bytes(store, dataset_id),  # its snapshot: the images are shared
            created_at=now,
            updated_at=now,
        )
    )


def delete(session: Session, store: ObjectStore, dataset_id: str) -> None:
    record = get(session, dataset_id)
    repo = DatasetRepository(session)
    if record.status == DatasetStatus.INDEXING:
        raise Conflict("The dataset is still being indexed; delete it once indexing has ended.")
    children = repo.children(record.id)
    if children and record.source_format == SourceFormat.ARCHIVE:
        ids = ", ".join(c.id for c in children)
        raise Conflict(f"Splits of this dataset use its extracted files; delete them first: {ids}")
    store.delete_prefix(dataset_prefix(record.id))
    repo.delete(record)


def _next_cursor(start: int, limit: int, total: int) -> str | None:
    return encode_position(start + limit) if start + limit < total else None


def images(
    session: Session, store: ObjectStore, dataset_id: str, limit: int, cursor: str | None
) -> ImagePage:
    start = decode_position(cursor)
    rows = read_index(store, ready(session, dataset_id).id)
    items = [
        DatasetImage(uri=r.uri, label=r.label, width=r.width, height=r.height, size=r.size)
        for r in rows[start : start + limit]
    ]
    return ImagePage(
        items=items, total=len(rows), next_cursor=_next_cursor(start, limit, len(rows))
    )


def skipped(
    session: Session, store: ObjectStore, dataset_id: str, limit: int, cursor: str | None
) -> SkippedPage:
    start = decode_position(cursor)
    record = get(session, dataset_id)
    if record.status == DatasetStatus.INDEXING:
        raise Conflict("The dataset is still being indexed.")
    rows = read_skipped(store, record.id)
    return SkippedPage(
        items=[SkippedFile(**r) for r in rows[start : start + limit]],
        total=len(rows),
        next_cursor=_next_cursor(start, limit, len(rows)),
    )


def stored_bytes_in_project(session: Session, project_id: str) -> int:
    """What a project's datasets keep in storage (uploads, extracted images, indexes): the usage
    its stored_bytes quota counts. Models and scoring output are not counted yet."""
    query = select(func.coalesce(func.sum(DatasetRecord.stored_bytes), 0)).where(
        DatasetRecord.project_id == project_id
    )
    return int(session.scalar(query.execution_options(**ALL_PROJECTS)) or 0)
