"""The indexing job: read a source, validate every image, record an immutable snapshot."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.datasets.archive import ArchiveLimits, ArchiveRejected, safe_extract
from app.datasets.job import IndexResult, IndexSpec
from app.datasets.layout import LayoutError, discover, discover_keys
from app.datasets.manifest import ManifestError, parse_manifest, resolve_ref
from app.datasets.probe import probe_many
from app.datasets.schemas import DatasetStatus, SourceFormat
from app.datasets.snapshot import (
    IndexRow,
    dataset_prefix,
    stored_bytes,
    summarise,
    write_snapshot,
)
from app.datasets.sources import (
    ObjectCache,
    ObjectRef,
    SourceAccess,
    SourceNotAllowed,
    child_uri,
)
from app.db.tables import DatasetRecord, JobRecord
from app.db.types import utcnow
from app.jobs.context import JobContext
from app.jobs.errors import JobFailed, LeaseLost
from app.jobs.kinds import JobKind, Pool
from app.jobs.states import JobStatus
from app.ml.images import ImageInfo, is_supported_name
from app.storage import ObjectNotFound, StorageError

MAX_MANIFEST_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Candidate:
    ref: ObjectRef
    label: str | None
    display: str  # the path a user recognises, for skipped-file reports


class Indexer:
    """Finds the images of a source (folder, archive, manifest) and validates each one. Archive
    contents are extracted into `files_prefix` of the service's storage."""

    def __init__(
        self, ctx: JobContext[Any], work: Path, uri: str, fmt: SourceFormat, files_prefix: str
    ) -> None:
        self.ctx = ctx
        self.work = work
        self.settings = ctx.settings
        self.access = SourceAccess(ctx.settings)
        self.cache = ObjectCache(ctx.settings.resolved_cache_dir / "objects", self.access)
        self.uri = uri
        self.fmt = fmt
        self.files_prefix = files_prefix
        self.skipped: list[dict[str, Any]] = []

    def collect(self) -> list[IndexRow]:
        """Every readable image (the unreadable ones are in `skipped`, with the reason)."""
        fmt = self.fmt
        try:
            if fmt is SourceFormat.ARCHIVE:
                candidates = self._from_archive()
            elif fmt is SourceFormat.FOLDER:
                candidates = self._from_folder(self.uri)
            else:
                manifest = "csv" if fmt is SourceFormat.MANIFEST_CSV else "jsonl"
                candidates = self._from_manifest(manifest)
        except (ArchiveRejected, LayoutError, ManifestError, SourceNotAllowed) as exc:
            raise JobFailed(_code(exc), str(exc)) from None
        rows = self._validate(candidates)
        if not rows:
            reasons = sorted({s["reason"] for s in self.skipped})
            raise JobFailed(
                "no-images",
                f"no readable images in {self.uri} "
                f"({len(self.skipped)} files skipped: {', '.join(reasons)})",
            )
        labelled = {r.label is not None for r in rows}
        if len(labelled) > 1:
            raise JobFailed("mixed-labels", "some images have labels and some do not")
        return rows

    # -- sources ----------------------------------------------------------------------------
    def _from_folder(self, uri: str) -> list[Candidate]:
        try:
            infos = {i.key: i for i in self.access.list_folder(uri)}
        except ObjectNotFound:
            infos = {}
        if not infos:
            raise JobFailed("source-empty", f"nothing found at {uri}")
        layout = discover_keys(sorted(infos))
        self._skip_all(layout.skipped)
        return self._allowed(
            [
                Candidate(
                    ObjectRef(child_uri(uri, key), infos[key].size, infos[key].etag), label, key
                )
                for key, label in layout.entries
            ]
        )

    def _from_archive(self) -> list[Candidate]:
        ref = self._head(self.uri, what="archive")
        archive = self.cache.fetch(ref)
        extracted = self.work / "extracted"
        safe_extract(
            archive,
            extracted,
            ArchiveLimits(
                max_entries=self.settings.archive_max_entries,
                max_total_bytes=self.settings.archive_max_total_bytes,
                max_ratio=self.settings.archive_max_ratio,
                max_entry_bytes=self.settings.archive_max_entry_bytes,
            ),
        )
        layout = discover(extracted)
        self._skip_all(layout.skipped)
        # The images move into the dataset's own folder, so the snapshot outlives the archive.
        prefix = self.files_prefix
        store = self.ctx.store
        with ThreadPoolExecutor(16) as pool:
            list(
                pool.map(lambda e: store.put_file(prefix + e[0], extracted / e[0]), layout.entries)
            )
        infos = {i.key[len(prefix) :]: i for i in store.list(prefix)}
        return self._allowed(
            [
                Candidate(
                    ObjectRef(store.uri_for(prefix + rel), infos[rel].size, infos[rel].etag),
                    label,
                    rel,
                )
                for rel, label in layout.entries
            ]
        )

    def keep_only(self, rows: list[IndexRow]) -> None:
        """Delete from the dataset's own files every one that is not one of its images (those
        that failed validation), and their cached copies: they would be kept, and counted
        against the dataset's storage, for nothing."""
        if self.fmt is not SourceFormat.ARCHIVE:
            return  # the images stay where the user keeps them; nothing was copied
        kept = {row.uri for row in rows}
        store = self.ctx.store
        for info in store.list(self.files_prefix):
            uri = store.uri_for(info.key)
            if uri not in kept:
                store.delete(info.key)
                if store.local_path(info.key) is None:
                    self.cache.path_for(ObjectRef(uri, info.size, info.etag)).unlink(
                        missing_ok=True
                    )

    def _allowed(self, candidates: list[Candidate]) -> list[Candidate]:
        """Skip the files the source rules refuse (a name that decodes to '..', say)."""
        kept = []
        for candidate in candidates:
            try:
                self.access.check_allowed(candidate.ref.uri)
            except SourceNotAllowed as exc:
                self._skip(candidate.display, "invalid-key", str(exc))
            else:
                kept.append(candidate)
        return kept

    def _from_manifest(self, fmt: str) -> list[Candidate]:
        ref = self._head(self.uri, what="manifest")
        if ref.size > MAX_MANIFEST_BYTES:
            raise JobFailed(
                "manifest-too-large", f"the manifest is over {MAX_MANIFEST_BYTES} bytes"
            )
        text = self.cache.fetch(ref).read_text(encoding="utf-8-sig")
        rows = parse_manifest(text, fmt)  # type: ignore[arg-type]
        if not rows:
            raise JobFailed("no-images", f"the manifest {self.uri} lists no images")

        def head_row(row: Any) -> Candidate | None:
            uri = resolve_ref(self.uri, row.ref)
            if not is_supported_name(uri):
                self._skip(row.ref, "unsupported-extension", f"row {row.row}: not an image type")
                return None
            try:
                found = self.access.head(uri)
            except SourceNotAllowed as exc:
                raise JobFailed("source-not-allowed", f"manifest row {row.row}: {exc}") from None
            except ObjectNotFound:
                raise JobFailed(
                    "manifest-row-missing",
                    f"manifest row {row.row}: {row.ref} ({uri}) does not exist",
                ) from None
            return Candidate(found, row.label, row.ref)

        with ThreadPoolExecutor(16) as pool:
            return [c for c in pool.map(head_row, rows) if c is not None]

    def _head(self, uri: str, what: str) -> ObjectRef:
        try:
            return self.access.head(uri)
        except ObjectNotFound:
            raise JobFailed("source-missing", f"no {what} at {uri}") from None

    # -- validation -------------------------------------------------------------------------
    def _validate(self, candidates: list[Candidate]) -> list[IndexRow]:
        def reporter(phase: str) -> Callable[[int, int], None]:
            def report(done: int, total: int) -> None:
                percent = round(100 * done / max(total, 1), 1)
                self.ctx.progress(phase=phase, done=done, total=total, percent=percent)

            return report

        reporter("downloading")(0, len(candidates))
        paths = self.cache.fetch_many([c.ref for c in candidates], reporter("downloading"))
        self.ctx.set_sub_status("validating")
        results = probe_many(
            paths,
            max_pixels=self.settings.max_image_pixels,
            timeout_s=self.settings.image_decode_timeout_s,
            workers=max(os.cpu_count() or 1, 1),
            on_progress=reporter("validating"),
        )
        rows = []
        for candidate, result in zip(candidates, results, strict=True):
            if isinstance(result, ImageInfo):
                rows.append(
                    IndexRow(
                        uri=candidate.ref.uri,
                        label=candidate.label,
                        size=candidate.ref.size,
                        etag=candidate.ref.etag,
                        width=result.width,
                        height=result.height,
                    )
                )
            else:
                self._skip(candidate.display, result.reason, result.message)
        return rows

    def _skip(self, path: str, reason: str, message: str) -> None:
        self.skipped.append({"path": path, "reason": reason, "message": message})

    def _skip_all(self, skipped: list[Any]) -> None:
        for path, reason, message in skipped:
            self._skip(path, reason, message)


def _code(exc: Exception) -> str:
    return {
        ArchiveRejected: "archive-rejected",
        LayoutError: "no-images",
        ManifestError: "manifest-invalid",
        SourceNotAllowed: "source-not-allowed",
    }[type(exc)]


def run(ctx: JobContext[IndexSpec]) -> IndexResult:
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="index-", dir=ctx.settings.data_dir))
    try:
        spec = ctx.spec
        indexer = Indexer(
            ctx,
            work,
            spec.source_uri,
            spec.format,
            files_prefix=dataset_prefix(spec.dataset_id) + "files/",
        )
        ctx.set_sub_status("staging_data")
        try:
            rows = indexer.collect()
            indexer.keep_only(rows)
        except LeaseLost:
            raise  # another attempt owns the dataset's folder now: leave it alone
        except Exception:
            # What this attempt extracted is of no use (a retry extracts again), and would
            # otherwise stay in storage for a dataset that has no images.
            with contextlib.suppress(StorageError):  # not in place of the reason it failed
                ctx.store.delete_prefix(indexer.files_prefix)
            raise
        ctx.set_sub_status("uploading")
        write_snapshot(ctx.store, spec.dataset_id, rows, indexer.skipped)
        return IndexResult(
            **summarise(rows).model_dump(),
            skipped_count=len(indexer.skipped),
            stored_bytes=stored_bytes(ctx.store, spec.dataset_id),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


def on_index_end(session: Session, job: JobRecord) -> None:
    """Called in the transaction that ends an indexing job: the dataset follows the job."""
    record = session.get(DatasetRecord, job.dataset_id)
    if record is None:
        return
    result = INDEXING.result_of(job) if job.status == JobStatus.SUCCEEDED else None
    if result is not None:
        record.status = DatasetStatus.READY.value
        record.labelled = result.labelled
        record.classes = result.classes
        record.class_counts = result.class_counts
        record.image_count = result.image_count
        record.image_stats = result.image_stats.model_dump() if result.image_stats else None
        record.skipped_count = result.skipped_count
        record.stored_bytes = result.stored_bytes
    else:
        record.status = DatasetStatus.FAILED.value
        record.error_code = job.error_code or job.status
        record.error_message = job.error_message or f"indexing was {job.status}"
    record.updated_at = utcnow()


INDEXING = JobKind(
    "dataset-index", Pool.LIGHT, IndexSpec, IndexResult, body=run, on_end=on_index_end
)
