"""ORM tables. ("Model" is the ML word here, so rows are *Record classes.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from app.db.types import UtcDateTime, utcnow


class Base(DeclarativeBase):
    pass


# Databases made before projects existed migrate into this one; without API keys (loopback
# development) every request acts in it.
DEFAULT_PROJECT = "default"


class ProjectRecord(Base):
    """A tenant: every model, dataset, transform and job belongs to exactly one project."""

    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    # Limits set by an operator, by quota name (app.projects.quotas); absent: the server's default.
    quotas: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_projects_created", "created_at", "id"),)


class ApiKeyRecord(Base):
    """A project's API key. Only the SHA-256 of the secret is kept; the secret is shown once."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("projects.id", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # reader | writer | admin
    key_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_api_keys_hash", "key_hash", unique=True),
        Index("ix_api_keys_project", "project_id", "created_at", "id"),
    )


class AuditEventRecord(Base):
    """One write request and how it ended: who, in which project, on what, with which outcome."""

    __tablename__ = "audit_events"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    project_id: Mapped[str] = mapped_column(String(36))
    key_id: Mapped[str | None] = mapped_column(String(36))  # null: an operator key or no keys
    caller: Mapped[str] = mapped_column(String(64))  # the key's fingerprint, never the key
    method: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(200))  # the route's path template
    resource_id: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[int] = mapped_column(Integer)  # the HTTP status it was answered with
    request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index("ix_audit_events_project", "project_id", "created_at", "id"),)


class ProjectOwned:
    """A resource that belongs to a project. app.db.tenancy filters every query on such a table
    by the session's project, and stamps new rows with it."""

    project_id: Mapped[str] = mapped_column(
        String(36),
        ForeignKey("projects.id"),
        default=DEFAULT_PROJECT,
        server_default=DEFAULT_PROJECT,
        index=True,
    )


class ModelRecord(ProjectOwned, Base):
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
    class_names: Mapped[list[str] | None] = mapped_column(JSON)
    training_job_id: Mapped[str | None] = mapped_column(String(36))
    metrics: Mapped[dict[str, Any] | None] = mapped_column(JSON)
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


class TransformRecord(ProjectOwned, Base):
    """An image transformation (Init Image Transformation); `spec` is app.ml.transforms' dict."""

    __tablename__ = "transforms"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index("ix_transforms_created", "created_at", "id"),)


class DatasetRecord(ProjectOwned, Base):
    """A registered image directory: an immutable snapshot once `status` is ready."""

    __tablename__ = "datasets"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))  # indexing | ready | failed
    source_uri: Mapped[str] = mapped_column(String(2048))
    source_format: Mapped[str] = mapped_column(String(32))
    labelled: Mapped[bool | None] = mapped_column(Boolean)
    parent_id: Mapped[str | None] = mapped_column(String(36))  # the dataset a split came from
    job_id: Mapped[str | None] = mapped_column(String(36))
    image_count: Mapped[int | None] = mapped_column(Integer)
    skipped_count: Mapped[int | None] = mapped_column(Integer)
    classes: Mapped[list[str] | None] = mapped_column(JSON)  # sorted; index = class id
    class_counts: Mapped[dict[str, int] | None] = mapped_column(JSON)
    image_stats: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    storage_uri: Mapped[str] = mapped_column(String(1024))  # its folder: index, files, skipped
    # The bytes kept in that folder (an uploaded archive from the start; once indexed, the
    # snapshot and the images kept too), for storage quotas. Null: indexed before it was kept.
    stored_bytes: Mapped[int | None] = mapped_column(BigInteger)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (Index("ix_datasets_created", "created_at", "id"),)


class JobRecord(ProjectOwned, Base):
    """A unit of background work (dataset indexing, training, scoring) and its state machine.

    `lease_token` changes on every claim: a worker may write only while it holds the token, so a
    stale worker that wakes up after its lease was taken over cannot overwrite the new attempt."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))
    sub_status: Mapped[str | None] = mapped_column(String(32))
    waiting_reason: Mapped[str | None] = mapped_column(String(200))
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)  # the kind's typed spec, as JSON
    spec_version: Mapped[int] = mapped_column(
        Integer, default=1, server_default="1"
    )  # the kind's spec version
    # Read by the runner, which knows no kind's spec: the one setting every kind shares.
    max_runtime_seconds: Mapped[int | None] = mapped_column(Integer)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    progress: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Where the job can resume from (written only by the attempt holding the lease).
    checkpoint: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    transitions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    lease_token: Mapped[str | None] = mapped_column(String(36))
    lease_owner: Mapped[str | None] = mapped_column(String(200))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    model_id: Mapped[str | None] = mapped_column(String(36))
    dataset_id: Mapped[str | None] = mapped_column(String(36))
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    request_hash: Mapped[str | None] = mapped_column(String(64))
    # The X-Request-ID of the request that created the job, so its own log lines name it.
    request_id: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_jobs_claim", "status", "kind", "created_at"),
        Index("ix_jobs_created", "created_at", "id"),
        # An Idempotency-Key means something only within its project.
        Index("ix_jobs_idempotency", "project_id", "kind", "idempotency_key", unique=True),
    )


class JobEventRecord(Base):
    """What a job said as it ran: log lines, progress and per-epoch metrics, in order."""

    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(36), ForeignKey("jobs.id", ondelete="CASCADE"))
    attempt: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))  # log | progress | metrics | status
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    __table_args__ = (Index("ix_job_events_job", "job_id", "id"),)
