"""All SQL for image transformations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db.keyset import newest_first
from app.db.tables import TransformRecord


class TransformRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, record: TransformRecord) -> TransformRecord:
        self.session.add(record)
        self.session.flush()
        return record

    def get(self, transform_id: str) -> TransformRecord | None:
        return self.session.get(TransformRecord, transform_id)

    def list(
        self, *, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[TransformRecord]:
        """Newest first; `after` is the (created_at, id) of the last row of the previous page."""
        query = newest_first(select(TransformRecord), TransformRecord, after)
        return list(self.session.scalars(query.limit(limit)))

    def delete(self, record: TransformRecord) -> None:
        self.session.delete(record)
        self.session.flush()
