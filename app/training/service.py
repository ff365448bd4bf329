"""Rules for training jobs: what may be trained on what, and how a job reads to a caller."""

from __future__ import annotations

import math
import uuid
from typing import Any

from sqlalchemy.orm import Session

from app.api.pagination import Page
from app.config import Settings
from app.datasets import service as datasets
from app.datasets.schemas import DatasetStatus
from app.db.tables import DatasetRecord, JobRecord, TransformRecord
from app.errors import ApiError, InvalidRequest
from app.jobs import service as jobs
from app.jobs.repository import JobRepository
from app.jobs.states import JobStatus
from app.ml.engine import StopReason
from app.ml.transforms import TransformSpec, output_size
from app.models import service as models
from app.models.schemas import ModelStatus
from app.training.job import TrainingResult, TrainingSpec
from app.training.schemas import (
    EpochMetrics,
    MetricsList,
    SubStatus,
    TrainingJob,
    TrainingJobCreate,
    TrainingJobLinks,
    TrainingProgress,
)
from app.training.tasks import TRAINING

DEFAULT_VALIDATION_FRACTION = 0.1


def _referenced_dataset(session: Session, dataset_id: str, role: str) -> DatasetRecord:
    try:
        record = datasets.get(session, dataset_id)
    except ApiError:
        raise InvalidRequest(f"{role} {dataset_id!r} does not exist") from None
    if record.status != DatasetStatus.READY:
        raise InvalidRequest(f"{role} {dataset_id} is {record.status}; wait until it is ready")
    if not record.labelled:
        raise InvalidRequest(
            f"{role} {dataset_id} has no labels; training needs class folders "
            "or a manifest with labels"
        )
    return record


def _check_model(session: Session, model_id: str) -> None:
    try:
        model = models.get_model(session, model_id)
    except ApiError:
        raise InvalidRequest(f"model_id {model_id!r} does not exist") from None
    if model.status != ModelStatus.UNTRAINED:
        raise InvalidRequest(
            f"model {model_id} is {model.status}; train an untrained model (POST /v1/models)"
        )


def _training_images(train: DatasetRecord, fraction: float | None) -> int:
    counts = train.class_counts or {}
    if fraction is None:
        return sum(counts.values())
    small = {c: n for c, n in counts.items() if n < 2}
    if small:
        listed = ", ".join(f"{c} ({n})" for c, n in sorted(small.items()))
        raise InvalidRequest(
            f"validation_fraction needs at least 2 images in every class to "
            f"keep one on each side; too few: {listed}"
        )
    # Each class keeps at least one image for validation (see app.datasets.split).
    return sum(max(1, min(n - 1, n - math.ceil(n * fraction))) for n in counts.values())


def _transform_spec(session: Session, transform_id: str | None) -> dict[str, Any] | None:
    if transform_id is None:
        return None
    record = session.get(TransformRecord, transform_id)
    if record is None:
        raise InvalidRequest(f"transform_id {transform_id!r} does not exist")
    spec = TransformSpec.from_dict(record.spec)
    if output_size(spec, "train") is None:
        raise InvalidRequest(
            f"transform {transform_id} gives images of varying sizes; "
            "enable a crop so batches can be formed"
        )
    return record.spec


def submit(
    session: Session, settings: Settings, body: TrainingJobCreate, idempotency_key: str | None
) -> JobRecord:
    if body.batch_size > settings.max_batch_size:
        raise InvalidRequest(
            f"batch_size {body.batch_size} is over this server's max_batch_size "
            f"({settings.max_batch_size}); lower it"
        )
    _check_model(session, body.model_id)
    train = _referenced_dataset(session, body.train_dataset_id, "train_dataset_id")
    fraction = body.validation_fraction
    if body.validation_dataset_id is not None:
        val = _referenced_dataset(session, body.validation_dataset_id, "validation_dataset_id")
        missing = sorted(set(val.classes or []) - set(train.classes or []))
        if missing:
            raise InvalidRequest(
                f"validation classes missing from the training set: {', '.join(missing)}"
            )
    elif fraction is None:
        fraction = DEFAULT_VALIDATION_FRACTION
    images = _training_images(train, fraction)
    if body.batch_size > images:
        raise InvalidRequest(
            f"batch_size {body.batch_size} is larger than the training set "
            f"({images} images); lower it"
        )
    spec = TrainingSpec(
        model_id=body.model_id,
        train_dataset_id=train.id,
        validation_dataset_id=body.validation_dataset_id,
        validation_fraction=fraction,
        transform_id=body.transform_id,
        transform=_transform_spec(session, body.transform_id),
        hyperparameters=body.hyperparameters(),
        name=body.name,
        tags=body.tags,
        trained_model_id=str(uuid.uuid4()),
    )
    job, _ = jobs.submit(
        session,
        TRAINING,
        spec,
        settings=settings,
        max_runtime_seconds=body.max_runtime_seconds,
        max_attempts=settings.job_max_attempts,
        model_id=body.model_id,
        dataset_id=train.id,
        idempotency_key=idempotency_key,
        body_for_key=body.model_dump(mode="json"),
    )
    return job


def _stop_reason(job: JobRecord, result: TrainingResult | None) -> StopReason | None:
    """The engine's reason when training ended; a job cancelled before it could say is
    cancelled too (a failed job has none: its error says why)."""
    if result is not None:
        return StopReason(result.stop_reason)
    return StopReason.CANCELLED if job.status == JobStatus.CANCELLED else None


def to_schema(session: Session, job: JobRecord) -> TrainingJob:
    spec, result = TRAINING.spec_of(job), TRAINING.result_of(job)
    raw = job.progress or {}
    base = f"/v1/training-jobs/{job.id}"
    succeeded = result is not None and job.status == JobStatus.SUCCEEDED
    trained = result.trained_model_id if result is not None and succeeded else None
    return TrainingJob(
        id=job.id,
        status=JobStatus(job.status),
        sub_status=SubStatus(job.sub_status) if job.sub_status in set(SubStatus) else None,
        waiting_reason=jobs.waiting_reason(session, job),
        progress=TrainingProgress(**{k: raw.get(k) for k in TrainingProgress.model_fields})
        if raw
        else None,
        model_id=spec.model_id,
        train_dataset_id=spec.train_dataset_id,
        validation_dataset_id=spec.validation_dataset_id,
        validation_fraction=spec.validation_fraction,
        transform_id=spec.transform_id,
        **spec.hyperparameters.model_dump(),
        name=spec.name,
        tags=spec.tags,
        attempts=job.attempts,
        max_attempts=job.max_attempts,
        cancel_requested=job.cancel_requested,
        trained_model_id=trained,
        best_epoch=result.best_epoch if result else None,
        stop_reason=_stop_reason(job, result),
        error=jobs.error_of(job),
        transitions=jobs.transitions_of(job),
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        links=TrainingJobLinks(
            self=base,
            metrics=f"{base}/metrics",
            logs=f"{base}/logs",
            events=f"{base}/events",
            cancel=f"{base}/cancel",
            trained_model=f"/v1/models/{trained}" if trained else None,
        ),
    )


def get(session: Session, job_id: str) -> JobRecord:
    return jobs.get(session, TRAINING, job_id, "training job")


def cancel(session: Session, job_id: str) -> JobRecord:
    return jobs.cancel(session, TRAINING, get(session, job_id))


def list_jobs(
    session: Session,
    *,
    limit: int,
    cursor: str | None,
    status: JobStatus | None,
    model_id: str | None,
) -> Page[TrainingJob]:
    return jobs.page(
        session,
        TRAINING,
        limit=limit,
        cursor=cursor,
        status=status,
        model_id=model_id,
        to_item=lambda job: to_schema(session, job),
    )


def metrics(session: Session, job_id: str) -> MetricsList:
    job = get(session, job_id)
    by_epoch: dict[int, EpochMetrics] = {}
    for event in JobRepository(session).events(job.id, types=["metrics"], limit=100_000):
        row = EpochMetrics.model_validate(event.data)
        by_epoch[row.epoch] = row  # a resumed attempt may repeat an epoch: the latest wins
    return MetricsList(items=[by_epoch[e] for e in sorted(by_epoch)])
