"""Rules for scoring jobs: what may be scored, how a job reads, its outputs and evaluation."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from itertools import islice
from typing import Any, BinaryIO

from sqlalchemy.orm import Session

from app.api.pagination import Page, decode_position, encode_position
from app.config import Settings
from app.datasets import service as datasets
from app.datasets.schemas import DatasetStatus
from app.datasets.sources import SourceAccess, SourceNotAllowed
from app.db.tables import JobRecord
from app.errors import ApiError, Conflict, InvalidRequest
from app.jobs import service as jobs
from app.jobs.states import JobStatus
from app.ml import metrics
from app.models import service as models
from app.models.schemas import ModelStatus
from app.scoring import writers
from app.scoring.job import ScoringResult, ScoringSpec
from app.scoring.schemas import (
    Comparison,
    Differences,
    Evaluation,
    ScoredImage,
    ScoringFailure,
    ScoringJob,
    ScoringJobCreate,
    ScoringJobLinks,
    ScoringOutput,
    ScoringProgress,
)
from app.scoring.tasks import SCORING
from app.serving.schemas import LabelProbability
from app.storage import ObjectStore

MAX_DOWNLOAD_BYTES = 512 * 1024**2


def _check_uri(settings: Settings, uri: str, role: str, *, write: bool = False) -> None:
    try:
        SourceAccess(settings).check_allowed(uri, write=write)
    except (SourceNotAllowed, ValueError) as exc:
        raise InvalidRequest(f"{role}: {exc}") from None


def submit(
    session: Session, settings: Settings, body: ScoringJobCreate, idempotency_key: str | None
) -> JobRecord:
    if body.batch_size is not None and body.batch_size > settings.max_batch_size:
        raise InvalidRequest(
            f"batch_size {body.batch_size} is over this server's max_batch_size "
            f"({settings.max_batch_size}); lower it"
        )
    try:
        model = models.get_model(session, body.model_id)
    except ApiError:
        raise InvalidRequest(f"model_id {body.model_id!r} does not exist") from None
    if model.status != ModelStatus.TRAINED or not model.num_classes:
        raise InvalidRequest(
            f"model {body.model_id} is {model.status}; score with a trained "
            "model (POST /v1/training-jobs makes one)"
        )
    if body.top_k > model.num_classes:
        raise InvalidRequest(
            f"top_k {body.top_k} is more than the model's {model.num_classes} classes"
        )
    if body.dataset_id is not None:
        try:
            dataset = datasets.get(session, body.dataset_id)
        except ApiError:
            raise InvalidRequest(f"dataset_id {body.dataset_id!r} does not exist") from None
        if dataset.status != DatasetStatus.READY:
            raise InvalidRequest(f"dataset {dataset.id} is {dataset.status}, not ready")
    if body.input_uri is not None:
        _check_uri(settings, body.input_uri, "input_uri")
    if body.output_uri is not None:
        _check_uri(settings, body.output_uri, "output_uri", write=True)
    spec = ScoringSpec.model_validate(body.model_dump(exclude={"max_runtime_seconds"}))
    job, _ = jobs.submit(
        session,
        SCORING,
        spec,
        settings=settings,
        max_runtime_seconds=body.max_runtime_seconds,
        max_attempts=settings.job_max_attempts,
        model_id=body.model_id,
        dataset_id=body.dataset_id,
        idempotency_key=idempotency_key,
        body_for_key=body.model_dump(mode="json"),
    )
    return job


def to_schema(session: Session, job: JobRecord) -> ScoringJob:
    spec, result = SCORING.spec_of(job), SCORING.result_of(job)
    base = f"/v1/scoring-jobs/{job.id}"
    output = None
    if job.status == JobStatus.SUCCEEDED and result is not None:
        output = ScoringOutput(
            predictions_uri=result.predictions_uri,
            errors_uri=result.errors_uri,
            images_scored=result.images_scored,
            images_failed=result.images_failed,
            evaluation=result.evaluation is not None,
        )
    raw = job.progress or {}
    return ScoringJob(
        id=job.id,
        status=JobStatus(job.status),
        sub_status=job.sub_status,
        waiting_reason=jobs.waiting_reason(session, job),
        progress=ScoringProgress(**{k: raw.get(k) for k in ScoringProgress.model_fields})
        if raw
        else None,
        model_id=spec.model_id,
        dataset_id=spec.dataset_id,
        input_uri=spec.input_uri,
        output_format=spec.output_format,
        top_k=spec.top_k,
        confidence_threshold=spec.confidence_threshold,
        batch_size=spec.batch_size,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        cancel_requested=job.cancel_requested,
        output=output,
        error=jobs.error_of(job),
        transitions=jobs.transitions_of(job),
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        links=ScoringJobLinks(
            self=base,
            output=f"{base}/output",
            output_rows=f"{base}/output/rows",
            errors=f"{base}/errors",
            error_rows=f"{base}/errors/rows",
            evaluation=f"{base}/evaluation",
            logs=f"{base}/logs",
            events=f"{base}/events",
            cancel=f"{base}/cancel",
        ),
    )


def get(session: Session, job_id: str) -> JobRecord:
    return jobs.get(session, SCORING, job_id, "scoring job")


def cancel(session: Session, job_id: str) -> JobRecord:
    return jobs.cancel(session, SCORING, get(session, job_id))


def list_jobs(
    session: Session,
    *,
    limit: int,
    cursor: str | None,
    status: JobStatus | None,
    model_id: str | None,
) -> Page[ScoringJob]:
    return jobs.page(
        session,
        SCORING,
        limit=limit,
        cursor=cursor,
        status=status,
        model_id=model_id,
        to_item=lambda job: to_schema(session, job),
    )


def _finished(session: Session, job_id: str) -> ScoringResult:
    job = get(session, job_id)
    result = SCORING.result_of(job)
    if job.status != JobStatus.SUCCEEDED or result is None:
        raise Conflict(
            f"Scoring job {job_id} is {job.status}; its output exists once it has succeeded."
        )
    return result


def _evaluation(session: Session, job_id: str) -> dict[str, Any]:
    result = _finished(session, job_id)
    if result.evaluation is None:
        raise Conflict(f"Scoring job {job_id} had no labels, so there is no evaluation.")
    return result.evaluation


def evaluation(session: Session, job_id: str) -> Evaluation:
    return Evaluation.model_validate(_evaluation(session, job_id))


class OutputFile(StrEnum):
    """The files a finished scoring job offers for download."""

    PREDICTIONS = "predictions"
    ERRORS = "errors"
    CONFUSION_MATRIX = "confusion matrix"

    def uri_in(self, result: ScoringResult) -> str | None:
        if self is OutputFile.PREDICTIONS:
            return result.predictions_uri
        if self is OutputFile.ERRORS:
            return result.errors_uri
        return result.confusion_matrix_uri


def _result_file(settings: Settings, uri: str) -> tuple[ObjectStore, str]:
    """Where a finished job's file is, to read it back (output roots are not sources)."""
    try:
        return SourceAccess(settings).locate_output(uri)
    except SourceNotAllowed:
        raise Conflict(
            "The file is no longer where this server may read it (the output roots changed, "
            "or the file was replaced by a link); run the job again."
        ) from None


def output_file(
    session: Session, settings: Settings, job_id: str, which: OutputFile
) -> tuple[bytes, str]:
    """The bytes of a finished job's predictions, errors or confusion-matrix file."""
    result = _finished(session, job_id)
    uri = which.uri_in(result)
    if uri is None:
        raise Conflict(f"Scoring job {job_id} has no {which.value} file.")
    store, key = _result_file(settings, uri)
    if store.head(key).size > MAX_DOWNLOAD_BYTES:
        raise Conflict(f"The file is over {MAX_DOWNLOAD_BYTES} bytes: read it from {uri}.")
    return store.get_bytes(key), uri


def comparison(session: Session, first_id: str, second_id: str) -> Comparison:
    first = metrics.Evaluation.from_dict(_evaluation(session, first_id))
    second = metrics.Evaluation.from_dict(_evaluation(session, second_id))
    try:
        differences = metrics.compare(first, second)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    return Comparison(
        first_job_id=first_id,
        second_job_id=second_id,
        differences=Differences.model_validate(differences),
    )


@contextmanager
def _open_file(store: ObjectStore, key: str, uri: str) -> Iterator[BinaryIO]:
    """A file to read rows from: the local file itself, streaming, or the object's bytes (up to
    the download cap) from a remote store."""
    path = store.local_path(key)
    if path is not None:
        with path.open("rb") as source:
            yield source
        return
    if store.head(key).size > MAX_DOWNLOAD_BYTES:
        raise Conflict(f"The file is over {MAX_DOWNLOAD_BYTES} bytes: read it from {uri}.")
    yield io.BytesIO(store.get_bytes(key))


def _rows(
    session: Session,
    settings: Settings,
    job_id: str,
    which: OutputFile,
    cursor: str | None,
    limit: int,
) -> tuple[list[dict[str, Any]], str | None]:
    """One page of a finished job's predictions or errors file, decoded from its format."""
    start = decode_position(cursor)
    result = _finished(session, job_id)
    fmt = SCORING.spec_of(get(session, job_id)).output_format
    uri = which.uri_in(result)
    if uri is None:
        raise Conflict(f"Scoring job {job_id} has no {which.value} file.")
    store, key = _result_file(settings, uri)
    with _open_file(store, key, uri) as source:
        rows = list(islice(writers.decode(source, fmt), start, start + limit + 1))
    more = len(rows) > limit
    return rows[:limit], encode_position(start + limit) if more else None


def _scored_image(row: dict[str, Any]) -> ScoredImage:
    prefix = writers.PROBABILITY_PREFIX
    top = []
    for i in range(1, len(row) + 1):
        label, probability = writers.top_columns(i)
        if label not in row:
            break
        top.append(LabelProbability(label=row[label], probability=row[probability]))
    return ScoredImage(
        id=row["id"],
        category=row.get("category"),
        scored_label=row["Scored Labels"],
        probabilities={k.removeprefix(prefix): v for k, v in row.items() if k.startswith(prefix)},
        top_k=top,
        below_threshold=row.get("Below Threshold"),
    )


def output_rows(
    session: Session, settings: Settings, job_id: str, cursor: str | None, limit: int
) -> Page[ScoredImage]:
    rows, next_cursor = _rows(session, settings, job_id, OutputFile.PREDICTIONS, cursor, limit)
    return Page[ScoredImage](items=[_scored_image(r) for r in rows], next_cursor=next_cursor)


def error_rows(
    session: Session, settings: Settings, job_id: str, cursor: str | None, limit: int
) -> Page[ScoringFailure]:
    rows, next_cursor = _rows(session, settings, job_id, OutputFile.ERRORS, cursor, limit)
    return Page[ScoringFailure](
        items=[ScoringFailure.model_validate(r) for r in rows], next_cursor=next_cursor
    )
