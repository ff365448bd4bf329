"""Rules for projects and their keys: who may manage them, and what each project uses."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.api import quotas
from app.api.auth import Caller, Role, hash_key
from app.api.pagination import Page, decode_cursor, page_of
from app.api.project_rate import ProjectRequestRate
from app.api.quotas import QUOTAS, Quota
from app.api.streams import StreamSlots
from app.config import Settings
from app.datasets import service as datasets
from app.db.keyset import newest_first
from app.db.tables import (
    DEFAULT_PROJECT,
    ApiKeyRecord,
    AuditEventRecord,
    DatasetRecord,
    JobRecord,
    ModelRecord,
    ProjectRecord,
    TransformRecord,
)
from app.db.tenancy import ALL_PROJECTS
from app.db.types import utcnow
from app.errors import Conflict, InvalidRequest, NotFound
from app.jobs.states import JobStatus
from app.projects.schemas import (
    ApiKey,
    ApiKeyCreate,
    ApiKeyCreated,
    AuditEvent,
    Project,
    ProjectCreate,
    ProjectUpdate,
    QuotaUsage,
)

SECRET_PREFIX = "rsk_"  # noqa: S105 - a prefix that makes a leaked key easy to recognise
OwnedTable = type[ModelRecord] | type[DatasetRecord] | type[TransformRecord] | type[JobRecord]


@dataclass(frozen=True)
class Counters:
    """The usage this process counts outside the database."""

    streams: StreamSlots
    requests: ProjectRequestRate


OWNED: tuple[OwnedTable, ...] = (ModelRecord, DatasetRecord, TransformRecord, JobRecord)


def _visible(session: Session, caller: Caller, project_id: str) -> ProjectRecord:
    """A project the caller may see: any for an operator, else only its own (another project
    is 'not found', exactly like a missing one)."""
    record = session.get(ProjectRecord, project_id)
    if record is None or (caller.role is not Role.OPERATOR and project_id != caller.project_id):
        raise NotFound(f"No project {project_id!r}.")
    return record


def create_project(session: Session, caller: Caller, body: ProjectCreate) -> ProjectRecord:
    caller.require(Role.OPERATOR, "Creating a project")
    project_id = body.id or str(uuid.uuid4())
    if session.get(ProjectRecord, project_id) is not None:
        raise Conflict(f"Project {project_id!r} exists already; choose another id.")
    record = ProjectRecord(
        id=project_id,
        name=body.name,
        description=body.description,
        quotas=body.quotas.model_dump(exclude_none=True),
    )
    session.add(record)
    session.flush()
    return record


def list_projects(
    session: Session, caller: Caller, *, limit: int, cursor: str | None
) -> list[ProjectRecord]:
    caller.require(Role.OPERATOR, "Listing projects")
    after = decode_cursor(cursor) if cursor else None
    query = newest_first(select(ProjectRecord), ProjectRecord, after).limit(limit + 1)
    return list(session.scalars(query))


def get_project(session: Session, caller: Caller, project_id: str) -> ProjectRecord:
    return _visible(session, caller, project_id)


def update_project(
    session: Session, caller: Caller, project_id: str, body: ProjectUpdate
) -> ProjectRecord:
    caller.require(Role.OPERATOR, "Changing a project")
    record = _visible(session, caller, project_id)
    if body.name is not None:
        record.name = body.name
    if "description" in body.model_fields_set:
        record.description = body.description
    if body.quotas is not None:
        merged = dict(record.quotas or {})
        for name in body.quotas.model_fields_set:
            value = getattr(body.quotas, name)
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        record.quotas = merged
    record.updated_at = utcnow()
    session.flush()
    return record


def delete_project(session: Session, caller: Caller, project_id: str) -> None:
    """Only an empty project goes: deleting one never deletes a model or dataset by surprise."""
    caller.require(Role.OPERATOR, "Deleting a project")
    record = _visible(session, caller, project_id)
    if project_id == DEFAULT_PROJECT:
        raise Conflict("The default project cannot be deleted.")
    held = {table.__tablename__: _count(session, table, project_id) for table in OWNED}
    held = {name: n for name, n in held.items() if n}
    if held:
        listed = ", ".join(f"{n} {name}" for name, n in held.items())
        raise Conflict(f"Project {project_id!r} still holds {listed}; delete them first.")
    session.delete(record)
    session.flush()


def _count(
    session: Session,
    table: type[ModelRecord] | type[DatasetRecord] | type[TransformRecord] | type[JobRecord],
    project_id: str,
    *where: ColumnElement[bool],
) -> int:
    query = select(func.count()).select_from(table).where(table.project_id == project_id, *where)
    return int(session.scalar(query.execution_options(**ALL_PROJECTS)) or 0)


def usage(
    session: Session, settings: Settings, record: ProjectRecord, counters: Counters
) -> dict[Quota, QuotaUsage]:
    limits = {quota: quotas.limit_of(session, settings, record.id, quota) for quota in QUOTAS}
    active = [JobStatus.QUEUED.value, JobStatus.RUNNING.value]
    used: dict[Quota, int | None] = {
        Quota.ACTIVE_JOBS: _count(session, JobRecord, record.id, JobRecord.status.in_(active)),
        Quota.STORED_BYTES: datasets.stored_bytes_in_project(session, record.id),
        Quota.OPEN_STREAMS: counters.streams.open_for(record.id),  # in this process
        Quota.REQUESTS_PER_MINUTE: counters.requests.used(
            record.id, limits[Quota.REQUESTS_PER_MINUTE]
        ),
    }
    own = record.quotas or {}
    return {
        quota: QuotaUsage(
            limit=limits[quota],
            used=used[quota],
            project_default=quota.value not in own,
        )
        for quota in QUOTAS
    }


def to_schema(
    session: Session, settings: Settings, record: ProjectRecord, counters: Counters
) -> Project:
    return Project(
        id=record.id,
        name=record.name,
        description=record.description,
        quotas=usage(session, settings, record, counters),
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def page(
    session: Session,
    settings: Settings,
    records: list[ProjectRecord],
    limit: int,
    counters: Counters,
) -> Page[Project]:
    return page_of(records, limit, lambda r: to_schema(session, settings, r, counters))


# API keys


def _key_admin(session: Session, caller: Caller, project_id: str, what: str) -> ProjectRecord:
    record = _visible(session, caller, project_id)
    caller.require(Role.ADMIN, what)
    return record


def create_key(
    session: Session, caller: Caller, project_id: str, body: ApiKeyCreate
) -> ApiKeyCreated:
    _key_admin(session, caller, project_id, "Making an API key")
    if body.role is Role.OPERATOR:
        raise InvalidRequest(
            "role: a project key is a reader, writer or admin; operator keys are set in the "
            "server's RESNET_STUDIO_API_KEY_HASHES"
        )
    if body.expires_at is not None and _aware(body.expires_at) <= utcnow():
        raise InvalidRequest("expires_at is in the past; give a time to come (RFC 3339)")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    record = ApiKeyRecord(
        id=str(uuid.uuid4()),
        project_id=project_id,
        name=body.name,
        role=body.role.value,
        key_hash=hash_key(secret),
        expires_at=_aware(body.expires_at) if body.expires_at else None,
    )
    session.add(record)
    session.flush()
    return ApiKeyCreated(**key_schema(record).model_dump(), secret=secret)


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise InvalidRequest("expires_at needs a time zone, e.g. 2027-01-01T00:00:00Z")
    return when


def list_keys(
    session: Session, caller: Caller, project_id: str, *, limit: int, cursor: str | None
) -> Page[ApiKey]:
    _key_admin(session, caller, project_id, "Listing API keys")
    after = decode_cursor(cursor) if cursor else None
    query = newest_first(
        select(ApiKeyRecord).where(ApiKeyRecord.project_id == project_id), ApiKeyRecord, after
    )
    return page_of(list(session.scalars(query.limit(limit + 1))), limit, key_schema)


def revoke_key(session: Session, caller: Caller, key_id: str) -> None:
    record = session.get(ApiKeyRecord, key_id)
    if record is None or (
        caller.role is not Role.OPERATOR and record.project_id != caller.project_id
    ):
        raise NotFound(f"No API key {key_id!r}.")
    caller.require(Role.ADMIN, "Revoking an API key")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
        session.flush()


def key_schema(record: ApiKeyRecord) -> ApiKey:
    return ApiKey(
        id=record.id,
        project_id=record.project_id,
        name=record.name,
        role=Role(record.role),
        expires_at=record.expires_at,
        revoked_at=record.revoked_at,
        created_at=record.created_at,
    )


# The audit log


def audit_events(
    session: Session, caller: Caller, *, limit: int, cursor: str | None
) -> Page[AuditEvent]:
    """The caller's project's writes, newest first: for its admins, and operators."""
    caller.require(Role.ADMIN, "Reading the audit log")
    after = decode_cursor(cursor) if cursor else None
    query = newest_first(
        select(AuditEventRecord).where(AuditEventRecord.project_id == caller.project_id),
        AuditEventRecord,
        after,
    )
    rows = list(session.scalars(query.limit(limit + 1)))
    return page_of(rows, limit, lambda r: AuditEvent.model_validate(r, from_attributes=True))
