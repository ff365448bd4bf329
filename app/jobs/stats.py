"""The read-only aggregate queries behind /metrics (app.observability.metrics): what the job
table says at scrape time, so every replica and worker reports the same figures. Each query
returns one row per kind and status (or per running job), never one per job ever run."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Float, case, cast, func, select
from sqlalchemy.orm import Session

from app.db.tables import JobRecord
from app.db.types import utcnow
from app.jobs.states import JobStatus


@dataclass(frozen=True)
class Durations:
    """Finished jobs of one kind and status: how many took at most each bound (cumulative, in
    the order of the bounds given), how many in all, and their total seconds."""

    kind: str
    status: str
    at_most: list[int]
    count: int
    total_s: float


@dataclass(frozen=True)
class RunningJob:
    id: str
    kind: str
    progress: dict[str, Any]


def _seconds(session: Session) -> ColumnElement[float]:
    """finished_at - started_at in seconds, in this database's dialect."""
    start, end = JobRecord.started_at, JobRecord.finished_at
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    # SQLite keeps timestamps as text that julianday() reads (days, as a float).
    return (func.julianday(end) - func.julianday(start)) * 86400.0


class JobStats:
    def __init__(self, session: Session) -> None:
        self.session = session

    def counts(self) -> list[tuple[str, str, int]]:
        """(kind, status, jobs) for every pair that has a job."""
        query = select(JobRecord.kind, JobRecord.status, func.count()).group_by(
            JobRecord.kind, JobRecord.status
        )
        return [(kind, status, int(n)) for kind, status, n in self.session.execute(query)]

    def durations(self, bounds: Sequence[float]) -> list[Durations]:
        """From first start to end, of the jobs that started and finished."""
        seconds = _seconds(self.session)
        query = (
            select(
                JobRecord.kind,
                JobRecord.status,
                func.count(),
                func.coalesce(func.sum(seconds), 0.0),
                *(func.sum(case((seconds <= bound, 1), else_=0)) for bound in bounds),
            )
            .where(JobRecord.started_at.is_not(None), JobRecord.finished_at.is_not(None))
            .group_by(JobRecord.kind, JobRecord.status)
        )
        return [
            Durations(
                kind=row[0],
                status=row[1],
                count=int(row[2]),
                total_s=float(row[3]),
                at_most=[int(n or 0) for n in row[4:]],
            )
            for row in self.session.execute(query)
        ]

    def running(self) -> list[RunningJob]:
        """Jobs running under a live lease (a dead worker's job is not reported as running on)
        that have reported progress."""
        query = select(JobRecord.id, JobRecord.kind, JobRecord.progress).where(
            JobRecord.status == JobStatus.RUNNING.value,
            JobRecord.lease_expires_at > utcnow(),
            JobRecord.progress.is_not(None),
        )
        return [
            RunningJob(id=job_id, kind=kind, progress=progress)
            for job_id, kind, progress in self.session.execute(query)
            if isinstance(progress, dict)
        ]
