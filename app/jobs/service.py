"""Submitting, reading and cancelling jobs: shared by every resource that runs as a job."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.api import quotas
from app.api.pagination import Page, decode_cursor, decode_position, encode_position, page_of
from app.api.quotas import Quota
from app.config import Settings
from app.db.tables import JobRecord
from app.db.tenancy import project_of
from app.db.types import utcnow
from app.errors import ApiError, NotFound
from app.jobs.kinds import JobKind, SpecT
from app.jobs.repository import JobRepository
from app.jobs.schemas import JobError, LogLine, LogPage, Transition
from app.jobs.states import JobStatus
from app.observability.context import current_request_id


class IdempotencyConflict(ApiError):
    status, code, title = 422, "idempotency-key-reused", "Idempotency-Key reused with another body"


def request_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def submit(
    session: Session,
    kind: JobKind[SpecT, Any],
    spec: SpecT,
    *,
    settings: Settings,
    max_runtime_seconds: int | None = None,
    max_attempts: int,
    model_id: str | None = None,
    dataset_id: str | None = None,
    idempotency_key: str | None = None,
    body_for_key: dict[str, Any] | None = None,
    request_id: str | None = None,
) -> tuple[JobRecord, bool]:
    """Record a queued job; the runner picks it up after the commit. With an idempotency key,
    a repeat of the same request returns the original job (second value False), and a new
    keyed job is committed here, before the caller's own commit. The job keeps `request_id`
    (default: the X-Request-ID of the request being served), so its log lines name it."""
    repo = JobRepository(session)
    spec_json = spec.model_dump(mode="json")
    digest = request_hash(body_for_key if body_for_key is not None else spec_json)
    if idempotency_key is not None:
        existing = repo.by_idempotency_key(kind.name, idempotency_key)
        if existing is not None:
            return _same_request(existing, digest), False
    project = project_of(session)
    if project is not None:
        limit = quotas.limit_of(session, settings, project, Quota.ACTIVE_JOBS)
        quotas.check(Quota.ACTIVE_JOBS, limit, repo.count_active())
    now = utcnow()
    job = JobRecord(
        id=str(uuid.uuid4()),
        kind=kind.name,
        status=JobStatus.QUEUED.value,
        spec=spec_json,
        spec_version=kind.version,
        max_runtime_seconds=max_runtime_seconds,
        transitions=[{"status": JobStatus.QUEUED.value, "at": now.isoformat()}],
        attempts=0,
        max_attempts=max_attempts,
        cancel_requested=False,
        model_id=model_id,
        dataset_id=dataset_id,
        idempotency_key=idempotency_key,
        request_hash=digest,
        request_id=request_id or current_request_id(),
        created_at=now,
        updated_at=now,
    )
    if idempotency_key is None:
        return repo.add(job), True
    # The keyed row commits at once, ending this request's transaction: concurrent twins then
    # wait on the unique index only for this insert, never for a whole request (whose commit
    # may need a server thread that the waiting twins hold). Submitting is the request's last
    # write, so nothing else is pending; one connection per request keeps the pool sufficient.
    session.add(job)
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        existing = repo.by_idempotency_key(kind.name, idempotency_key)
        assert existing is not None
        return _same_request(existing, digest), False
    return job, True


def _same_request(job: JobRecord, digest: str) -> JobRecord:
    if job.request_hash != digest:
        raise IdempotencyConflict(
            "This Idempotency-Key was already used for a different request body; "
            "use a new key for a new request."
        )
    return job


def get(session: Session, kind: JobKind[Any, Any], job_id: str, noun: str) -> JobRecord:
    job = JobRepository(session).get(job_id)
    if job is None or job.kind != kind.name:
        raise NotFound(f"No {noun} with id {job_id!r}.")
    return job


def cancel(session: Session, kind: JobKind[Any, Any], job: JobRecord) -> JobRecord:
    """Queued: cancelled at once. Running: asked to stop at its next step (it saves its state
    and ends `cancelled`). Finished: unchanged, since a terminal status never changes."""
    repo = JobRepository(session)
    if job.status == JobStatus.QUEUED and repo.cancel_if_queued(job):
        session.refresh(job)
        kind.end(session, job)
    elif job.status == JobStatus.RUNNING:
        repo.request_cancel(job.id)
        session.refresh(job)
    return job


T = TypeVar("T")


def page(
    session: Session,
    kind: JobKind[Any, Any],
    *,
    limit: int,
    cursor: str | None,
    status: JobStatus | None,
    model_id: str | None,
    to_item: Callable[[JobRecord], T],
) -> Page[T]:
    """A page of one kind's jobs, newest first, filtered by status and model."""
    rows = JobRepository(session).list(
        kind=kind.name,
        limit=limit + 1,
        after=decode_cursor(cursor) if cursor else None,
        status=status.value if status else None,
        model_id=model_id,
    )
    return page_of(rows, limit, to_item)


def log_page(session: Session, job: JobRecord, cursor: str | None, limit: int) -> LogPage:
    """A job's log lines after the cursor's; a page with none keeps the cursor, so a caller
    following a running job polls with it for newer lines."""
    after = decode_position(cursor)
    events = JobRepository(session).events(job.id, after_id=after, types=["log"], limit=limit)
    items = [
        LogLine(
            id=e.id,
            at=e.created_at,
            attempt=e.attempt,
            level=e.data.get("level", "info"),
            message=e.data.get("message", ""),
        )
        for e in events
    ]
    return LogPage(items=items, next_cursor=encode_position(items[-1].id if items else after))


def error_of(job: JobRecord) -> JobError | None:
    if not job.error_code:
        return None
    return JobError(code=job.error_code, message=job.error_message or "")


def transitions_of(job: JobRecord) -> list[Transition]:
    return [Transition.model_validate(t) for t in job.transitions]


def waiting_reason(session: Session, job: JobRecord) -> str | None:
    if job.status != JobStatus.QUEUED:
        return None
    if job.waiting_reason:
        return job.waiting_reason
    ahead = JobRepository(session).queue_position(job)
    return f"waiting for a free worker slot ({ahead} queued ahead)"
