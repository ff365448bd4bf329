"""Per-project quotas: the one table of them, each project's limits, and the refusal.

An operator sets a project's limits (PATCH /v1/projects/{id}); a quota the project does not set
takes the server's default (RESNET_STUDIO_QUOTA_<NAME>). A limit of 0 means no limit. Each
quota is counted where its resource is made: jobs at submit (app.jobs.service), event streams
when one opens (app.jobs.http), requests per minute before the body is read
(app.api.ratelimit), stored bytes where files are kept."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from app.config import Settings
from app.db.tables import ProjectRecord
from app.errors import QuotaExceeded


class Quota(StrEnum):
    ACTIVE_JOBS = "active_jobs"
    STORED_BYTES = "stored_bytes"
    OPEN_STREAMS = "open_streams"
    REQUESTS_PER_MINUTE = "requests_per_minute"


@dataclass(frozen=True)
class QuotaInfo:
    description: str
    setting: str  # the Settings field holding the server's default


QUOTAS: dict[Quota, QuotaInfo] = {
    Quota.ACTIVE_JOBS: QuotaInfo("Jobs queued or running.", "quota_active_jobs"),
    Quota.STORED_BYTES: QuotaInfo(
        "Bytes the project's datasets keep in the service's storage (uploads, their images).",
        "quota_stored_bytes",
    ),
    Quota.OPEN_STREAMS: QuotaInfo("Event streams open at once.", "quota_open_streams"),
    Quota.REQUESTS_PER_MINUTE: QuotaInfo(
        "Requests a minute, from all of the project's keys.", "quota_requests_per_minute"
    ),
}


def default_limit(settings: Settings, quota: Quota) -> int:
    limit: int = getattr(settings, QUOTAS[quota].setting)
    return limit


def limit_of(session: Session, settings: Settings, project_id: str, quota: Quota) -> int:
    """The project's limit for a quota; 0 for none."""
    project = session.get(ProjectRecord, project_id)
    own = (project.quotas or {}).get(quota.value) if project is not None else None
    return int(own) if own is not None else default_limit(settings, quota)


def check(quota: Quota, limit: int, used: int, wanted: int = 1) -> None:
    """Refuse when taking `wanted` more would go over the limit (0: no limit)."""
    if limit and used + wanted > limit:
        raise QuotaExceeded(
            f"The project's {quota.value} quota is {limit} and {used} are in use; "
            f"{QUOTAS[quota].description} Wait for some to finish, or ask an operator to raise "
            "the quota."
        )
