"""Projects and their API keys, as callers send and see them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from app.api.auth import Role
from app.api.fields import Text
from app.api.quotas import Quota

PROJECT_ID = r"^[a-z0-9][a-z0-9-]{0,35}$"


class QuotaLimits(BaseModel):
    """A project's own limits; a quota left out (or null) takes the server's default, and 0
    means no limit."""

    model_config = ConfigDict(extra="forbid")

    active_jobs: StrictInt | None = Field(None, ge=0, description="Jobs queued or running.")
    stored_bytes: StrictInt | None = Field(
        None, ge=0, description="Bytes kept in the service's storage."
    )
    open_streams: StrictInt | None = Field(None, ge=0, description="Event streams open at once.")
    requests_per_minute: StrictInt | None = Field(
        None, ge=0, description="Requests a minute, across all of the project's keys."
    )


class ProjectCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"id": "vision-team", "name": "Vision team", "quotas": {"active_jobs": 4}}]
        },
    )

    id: str | None = Field(
        None,
        pattern=PROJECT_ID,
        description="Lowercase letters, digits and '-', up to 36; default: a new UUID.",
    )
    name: Text = Field(min_length=1, max_length=200)
    description: Text | None = Field(None, max_length=10_000)
    quotas: QuotaLimits = Field(default_factory=QuotaLimits)


class ProjectUpdate(BaseModel):
    """Fields to change; a quota set to null goes back to the server's default."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"quotas": {"active_jobs": 8}}]}
    )

    name: Text | None = Field(None, min_length=1, max_length=200)
    description: Text | None = Field(None, max_length=10_000)
    quotas: QuotaLimits | None = None


class QuotaUsage(BaseModel):
    limit: int = Field(description="0: no limit.")
    used: int | None = Field(description="Null where this server does not count it.")
    project_default: bool = Field(description="Whether the limit is the server's default.")


class Project(BaseModel):
    id: str
    name: str
    description: str | None
    quotas: dict[Quota, QuotaUsage] = Field(description="Each quota's limit and usage.")
    created_at: datetime
    updated_at: datetime


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"name": "ci-pipeline", "role": "writer"}]},
    )

    name: Text = Field(min_length=1, max_length=200)
    role: Role = Field(description="reader, writer or admin.")
    expires_at: datetime | None = Field(None, description="RFC 3339; default: never.")


class ApiKey(BaseModel):
    id: str
    project_id: str
    name: str
    role: Role
    expires_at: datetime | None
    revoked_at: datetime | None
    created_at: datetime


class ApiKeyCreated(ApiKey):
    secret: str = Field(
        description="The key, to send as `Authorization: Bearer <secret>`. Shown only once: "
        "the server keeps only its hash."
    )


class AuditEvent(BaseModel):
    id: str
    project_id: str
    key_id: str | None = Field(description="The project key; null for an operator.")
    caller: str = Field(description="The key's fingerprint (never the key).")
    method: str
    route: str = Field(description="The route's path template.")
    resource_id: str | None
    status: int = Field(description="The HTTP status the request was answered with.")
    request_id: str | None
    created_at: datetime
