"""All SQL for jobs. Every write by a worker is guarded by the lease token it was given, so a
worker that lost its lease (it stalled, another worker took over) changes nothing."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from app.db.keyset import newest_first
from app.db.tables import JobEventRecord, JobRecord
from app.db.tenancy import ALL_PROJECTS
from app.db.types import utcnow
from app.jobs.states import JobStatus, transition_values


@dataclass(frozen=True)
class Claim:
    job_id: str
    kind: str
    token: str
    attempt: int


class JobRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, job: JobRecord) -> JobRecord:
        self.session.add(job)
        self.session.flush()
        return job

    def get(self, job_id: str) -> JobRecord | None:
        return self.session.get(JobRecord, job_id)

    def by_idempotency_key(self, kind: str, key: str) -> JobRecord | None:
        query = select(JobRecord).where(JobRecord.kind == kind, JobRecord.idempotency_key == key)
        return self.session.scalars(query).first()

    def count_active(self) -> int:
        """Jobs queued or running (in the session's project, app.db.tenancy)."""
        active = [JobStatus.QUEUED.value, JobStatus.RUNNING.value]
        query = select(func.count()).select_from(JobRecord).where(JobRecord.status.in_(active))
        return int(self.session.scalar(query) or 0)

    def _guarded(self, job_id: str, *where: Any, **values: Any) -> bool:
        result = self.session.execute(
            update(JobRecord).where(JobRecord.id == job_id, *where).values(**values)
        )
        return bool(getattr(result, "rowcount", 0) == 1)

    def claim_next(self, kinds: list[str], owner: str, lease_s: float) -> Claim | None:
        """Take the oldest queued job of these kinds, or one whose worker stopped heartbeating."""
        now = utcnow()
        claimable = or_(
            JobRecord.status == JobStatus.QUEUED.value,
            and_(JobRecord.status == JobStatus.RUNNING.value, JobRecord.lease_expires_at < now),
        )
        candidates = self.session.execute(
            select(
                JobRecord.id,
                JobRecord.kind,
                JobRecord.status,
                JobRecord.lease_token,
                JobRecord.attempts,
                JobRecord.max_attempts,
                JobRecord.transitions,
            )
            .where(JobRecord.kind.in_(kinds), claimable)
            .order_by(JobRecord.created_at, JobRecord.id)
            .limit(10)
        ).all()
        for job in candidates:
            same = (
                JobRecord.status == job.status,
                claimable,
                JobRecord.lease_token.is_(None)
                if job.lease_token is None
                else JobRecord.lease_token == job.lease_token,
            )
            if job.attempts >= job.max_attempts:
                # Its last attempt died without a word: give up, saying so.
                self._guarded(
                    job.id,
                    *same,
                    error_code="attempts-exhausted",
                    error_message=f"the worker stopped {job.attempts} times; giving up",
                    **transition_values(job.status, job.transitions, JobStatus.FAILED, now),
                )
                continue
            token = str(uuid.uuid4())
            values = (
                {}
                if job.status == JobStatus.RUNNING.value
                else transition_values(job.status, job.transitions, JobStatus.RUNNING, now)
            )
            if self._guarded(
                job.id,
                *same,
                **values,
                lease_token=token,
                lease_owner=owner,
                lease_expires_at=now + timedelta(seconds=lease_s),
                attempts=job.attempts + 1,
                waiting_reason=None,
                started_at=func.coalesce(JobRecord.started_at, now),
            ):
                return Claim(job.id, job.kind, token, job.attempts + 1)
        return None

    def renew_lease(self, job_id: str, token: str, lease_s: float) -> bool:
        """Extend the lease held by `token`; False when the token no longer owns the job."""
        expires = utcnow() + timedelta(seconds=lease_s)
        return self._guarded(job_id, JobRecord.lease_token == token, lease_expires_at=expires)

    def heartbeat(
        self,
        job_id: str,
        token: str,
        lease_s: float,
        progress: dict[str, Any] | None,
        sub_status: str | None,
    ) -> tuple[bool, bool]:
        """Renew the lease; returns (still ours, cancel requested)."""
        values: dict[str, Any] = {"lease_expires_at": utcnow() + timedelta(seconds=lease_s)}
        if progress is not None:
            values["progress"] = progress
        if sub_status is not None:
            values["sub_status"] = sub_status
        ours = self._guarded(job_id, JobRecord.lease_token == token, **values)
        if not ours:
            return False, False
        cancel = self.session.scalar(
            select(JobRecord.cancel_requested).where(JobRecord.id == job_id)
        )
        return True, bool(cancel)

    def finish(
        self,
        job_id: str,
        token: str,
        to: JobStatus,
        *,
        result: dict[str, Any] | None = None,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> JobRecord | None:
        """End the attempt holding `token`: a terminal status, or back to the queue for a retry.
        Returns the updated row, or None when the token no longer owns the job."""
        job = self.session.get(JobRecord, job_id, populate_existing=True)
        if job is None or job.lease_token != token or job.status != JobStatus.RUNNING.value:
            return None
        values = transition_values(job.status, job.transitions, to, utcnow())
        if result is not None:
            values["result"] = result
        if to is JobStatus.QUEUED:
            values["waiting_reason"] = error_message
        elif error_code is not None or error_message is not None:
            values |= {"error_code": error_code, "error_message": error_message}
        if not self._guarded(
            job_id,
            JobRecord.lease_token == token,
            JobRecord.status == JobStatus.RUNNING.value,
            **values,
        ):
            return None
        self.session.refresh(job)
        return job

    def cancel_if_queued(self, job: JobRecord) -> bool:
        values = transition_values(job.status, job.transitions, JobStatus.CANCELLED, utcnow())
        return self._guarded(
            job.id, JobRecord.status == JobStatus.QUEUED.value, **values, cancel_requested=True
        )

    def request_cancel(self, job_id: str) -> None:
        self._guarded(job_id, JobRecord.status == JobStatus.RUNNING.value, cancel_requested=True)

    def add_event(
        self, job_id: str, attempt: int, type_: str, data: dict[str, Any], token: str | None = None
    ) -> bool:
        if (
            token is not None
            and self.session.scalar(select(JobRecord.lease_token).where(JobRecord.id == job_id))
            != token
        ):
            return False
        self.session.add(JobEventRecord(job_id=job_id, attempt=attempt, type=type_, data=data))
        self.session.flush()
        return True

    def events(
        self, job_id: str, after_id: int = 0, types: list[str] | None = None, limit: int = 1000
    ) -> list[JobEventRecord]:
        query = select(JobEventRecord).where(
            JobEventRecord.job_id == job_id, JobEventRecord.id > after_id
        )
        if types:
            query = query.where(JobEventRecord.type.in_(types))
        return list(self.session.scalars(query.order_by(JobEventRecord.id).limit(limit)))

    def count_running(self, kinds: list[str]) -> int:
        return len(
            self.session.scalars(
                select(JobRecord.id).where(
                    JobRecord.kind.in_(kinds), JobRecord.status == JobStatus.RUNNING.value
                )
            ).all()
        )

    def queue_position(self, job: JobRecord) -> int:
        """Jobs of its kind queued before it, in every project: they share the workers (a
        count only, as /metrics shows the queue's depth)."""
        query = (
            select(func.count())
            .select_from(JobRecord)
            .where(
                JobRecord.kind == job.kind,
                JobRecord.status == JobStatus.QUEUED.value,
                JobRecord.created_at < job.created_at,
            )
            .execution_options(**ALL_PROJECTS)
        )
        return int(self.session.scalar(query) or 0)

    def list(
        self,
        *,
        kind: str,
        limit: int,
        after: tuple[datetime, str] | None,
        status: str | None = None,
        model_id: str | None = None,
    ) -> list[JobRecord]:
        query = newest_first(select(JobRecord).where(JobRecord.kind == kind), JobRecord, after)
        if status is not None:
            query = query.where(JobRecord.status == status)
        if model_id is not None:
            query = query.where(JobRecord.model_id == model_id)
        return list(self.session.scalars(query.limit(limit)))
