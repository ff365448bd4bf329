"""All SQL for models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.db.tables import ModelRecord, ModelTagRecord


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
        query = select(ModelRecord).order_by(ModelRecord.created_at.desc(), ModelRecord.id.desc())
        if status is not None:
            query = query.where(ModelRecord.status == status)
        if architecture is not None:
            query = query.where(ModelRecord.architecture == architecture)
        if tag is not None:
            query = query.where(
                ModelRecord.id.in_(select(ModelTagRecord.model_id).where(ModelTagRecord.tag == tag))
            )
        if after is not None:
            created, id_ = after
            query = query.where(
                or_(
                    ModelRecord.created_at < created,
                    and_(ModelRecord.created_at == created, ModelRecord.id < id_),
                )
            )
        return list(self.session.scalars(query.limit(limit)))

    def delete(self, record: ModelRecord) -> None:
        self.session.delete(record)
        self.session.flush()
