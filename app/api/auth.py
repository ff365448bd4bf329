"""Who is calling, in which project, with which role: every /v1 request's `Caller`.

Three kinds of caller:
- an operator key (its SHA-256 in RESNET_STUDIO_API_KEY_HASHES): manages projects and acts in
  any project, the one named by `X-Project-Id` (the default project without it);
- a project key (POST /v1/projects/{id}/api-keys): acts in its own project with its role;
- anyone, on a server without keys (loopback development): an operator in the default project,
  so everything behaves as it did before projects existed.

The request's database session is scoped to the caller's project (app.db.tenancy), so another
project's resources answer 404 exactly as missing ones do."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.tables import DEFAULT_PROJECT, ApiKeyRecord, ProjectRecord
from app.db.types import utcnow
from app.errors import Forbidden, NotFound, Unauthorized

PROJECT_HEADER = "X-Project-Id"


class Role(StrEnum):
    """What a key may do, each role including the ones before it."""

    READER = "reader"  # GET only
    WRITER = "writer"  # also create, cancel, delete
    ADMIN = "admin"  # also the project's API keys
    OPERATOR = "operator"  # also projects, in any project (RESNET_STUDIO_API_KEY_HASHES)

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


# The roles a project key may have; operators are named by the server's settings only.
KEY_ROLES = (Role.READER, Role.WRITER, Role.ADMIN)


@dataclass(frozen=True)
class Caller:
    identity: str  # in logs, rate limits and the audit log: a fingerprint, never the key
    project_id: str
    role: Role
    key_id: str | None = None  # a project key's id; None for an operator or without keys

    def require(self, needed: Role, what: str) -> None:
        if not self.role.allows(needed):
            raise Forbidden(
                f"{what} needs a key with the {needed} role; this key is a {self.role}."
            )


def hash_key(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def key_matches(presented: str, hashes: list[str]) -> bool:
    """Compare the presented key's SHA-256 with every stored hash in constant time, and without
    stopping at the first match, so timing says nothing about which or how many keys exist."""
    digest = hash_key(presented)
    matched = False
    for stored in hashes:
        matched |= hmac.compare_digest(digest, stored)
    return matched


def key_fingerprint(key: str) -> str:
    """A caller's identity in logs and rate limits: a short hash, never the key itself."""
    return "key:" + hash_key(key)[:12]


def _usable(record: ApiKeyRecord, now: datetime) -> bool:
    return record.revoked_at is None and (record.expires_at is None or record.expires_at > now)


def project_key(session: Session, secret: str) -> ApiKeyRecord | None:
    """The live project key with this secret. The lookup is by the secret's SHA-256: a hash of a
    random 256-bit secret, so an index lookup leaks nothing a timing attack could use."""
    record = session.scalar(select(ApiKeyRecord).where(ApiKeyRecord.key_hash == hash_key(secret)))
    return record if record is not None and _usable(record, utcnow()) else None


def _project_exists(session: Session, project_id: str) -> bool:
    return session.get(ProjectRecord, project_id) is not None


def resolve_caller(
    session: Session, settings: Settings, secret: str | None, project_header: str | None
) -> Caller:
    if not settings.auth_enabled:
        return _operator(session, "anonymous", project_header)
    if secret is None:
        raise Unauthorized("Send an API key as 'Authorization: Bearer <key>'.")
    if key_matches(secret, settings.api_key_hashes):
        return _operator(session, key_fingerprint(secret), project_header)
    record = project_key(session, secret)
    if record is None:
        raise Unauthorized(
            "The API key is not valid for this server (unknown, expired or revoked)."
        )
    if project_header is not None and project_header != record.project_id:
        raise Forbidden(
            f"This key belongs to project {record.project_id!r}; drop the {PROJECT_HEADER} header "
            "or send that project's id."
        )
    return Caller(key_fingerprint(secret), record.project_id, Role(record.role), record.id)


def _operator(session: Session, identity: str, project_header: str | None) -> Caller:
    project = project_header or DEFAULT_PROJECT
    if project_header is not None and not _project_exists(session, project):
        raise NotFound(f"No project {project!r} ({PROJECT_HEADER}); GET /v1/projects lists them.")
    return Caller(identity, project, Role.OPERATOR)
