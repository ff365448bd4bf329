"""All SQL for datasets."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.keyset import newest_first
from app.db.tables import DatasetRecord, JobRecord


class DatasetRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: DatasetRecord) -> DatasetRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, dataset_id: str) -> DatasetRecord | None:
        return self.session.get(DatasetRecord, dataset_id)

    def job(self, record: DatasetRecord) -> JobRecord | None:
        return self.session.get(JobRecord, record.job_id) if record.job_id else None

    def children(self, dataset_id: str) -> list[DatasetRecord]:
        query = select(DatasetRecord).where(DatasetRecord.parent_id == dataset_id)
        return list(self.session.scalars(query))

    def list(
        self, *, limit: int, after: tuple[datetime, str] | None, status: str | None
    ) -> list[DatasetRecord]:
        query = newest_first(select(DatasetRecord), DatasetRecord, after)
        if status is not None:
            query = query.where(DatasetRecord.status == status)
        return list(self.session.scalars(query.limit(limit)))

    def delete(self, record: DatasetRecord) -> None:
        self.session.delete(record)
        self.session.flush()
