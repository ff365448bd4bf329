"""ORM tables. ("Model" is the ML word here, so rows are *Record classes.)"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.db.types import UtcDateTime, utcnow


class Base(DeclarativeBase):
    pass


class ModelRecord(Base):
    __tablename__ = "models"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    architecture: Mapped[str] = mapped_column(String(64))
    family: Mapped[str] = mapped_column(String(16))
    pretrained: Mapped[bool] = mapped_column(Boolean)
    zero_init_residual: Mapped[bool] = mapped_column(Boolean)
    memory_efficient: Mapped[bool] = mapped_column(Boolean)
    weights_name: Mapped[str | None] = mapped_column(String(100))
    weights_file: Mapped[str | None] = mapped_column(String(200))
    weights_sha256: Mapped[str | None] = mapped_column(String(64))
    num_classes: Mapped[int | None] = mapped_column(Integer)
    storage_uri: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    tags: Mapped[list[ModelTagRecord]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ModelTagRecord.tag"
    )

    __table_args__ = (
        Index("ix_models_created", "created_at", "id"),
        Index("ix_models_status", "status"),
        Index("ix_models_architecture", "architecture"),
    )


class ModelTagRecord(Base):
    __tablename__ = "model_tags"

    model_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("models.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(64), primary_key=True)

    __table_args__ = (Index("ix_model_tags_tag", "tag"),)
