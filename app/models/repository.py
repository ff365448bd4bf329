"""All SQL for models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.keyset import newest_first
from app.db.tables import JobRecord, ModelRecord, ModelTagRecord
from app.jobs.states import JobStatus


class ModelRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: ModelRecord) -> ModelRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, model_id: str) -> ModelRecord | None:
        return self.session.get(ModelRecord, model_id)

    def list(
        self,
        *,
        limit: int,
        after: tuple[datetime, str] | None = None,
        status: str | None = None,
        architecture: str | None = None,
        tag: str | None = None,
    ) -> list[ModelRecord]:
        """Newest first; `after` is the (created_at, id) of the last row of the previous page."""
        query = newest_first(select(ModelRecord), ModelRecord, after)
        if status is not None:
            query = query.where(ModelRecord.status == status)
        if architecture is not None:
            query = query.where(ModelRecord.architecture == architecture)
        if tag is not None:
            query = query.where(
                ModelRecord.id.in_(select(ModelTagRecord.model_id).where(ModelTagRecord.tag == tag))
            )
        return list(self.session.scalars(query.limit(limit)))

    def active_jobs(self, model_id: str) -> tuple[str, ...]:
        query = select(JobRecord.id).where(
            JobRecord.model_id == model_id,
            JobRecord.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
        )
        return tuple(self.session.scalars(query))

    def delete(self, record: ModelRecord) -> None:
        self.session.delete(record)
        self.session.flush()
