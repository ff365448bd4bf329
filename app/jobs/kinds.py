"""The registry of job kinds: what runs a job and what its end means for its resources.

Bodies are named by dotted path so a job's process imports only what its kind needs."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from app.db.tables import JobRecord
    from app.jobs.context import JobContext


class Pool(StrEnum):
    """Light work (indexing) runs beside the accelerated work (training, scoring)."""

    LIGHT = "light"
    ACCELERATED = "accelerated"


@dataclass(frozen=True)
class JobKind:
    name: str
    pool: Pool
    body: str  # "module:function", called in the job's process as body(ctx) -> result dict
    on_end: str | None = None  # "module:function", called as on_end(session, job) in the same
    # transaction that makes the job terminal, so a job and its resources never disagree

    def load_body(self) -> Callable[[JobContext], dict[str, Any]]:
        return _load(self.body)  # type: ignore[no-any-return]

    def end(self, session: Session, job: JobRecord) -> None:
        if self.on_end is not None:
            _load(self.on_end)(session, job)


def _load(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    KINDS[kind.name] = kind
    return kind


def kinds_in(pool: Pool) -> list[str]:
    return [k.name for k in KINDS.values() if k.pool is pool]


def load_builtin_kinds() -> None:
    """Import the modules that register the service's kinds (kept out of import time)."""
    for module in ("app.jobs.builtin",):
        importlib.import_module(module)
