"""Job statuses and the one function that moves a job between them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def terminal(self) -> bool:
        return self in TERMINAL


TERMINAL = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED})

ALLOWED: dict[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELLED, JobStatus.FAILED}),
    # running -> queued: an infrastructure failure sends the job back for another attempt.
    JobStatus.RUNNING: frozenset({JobStatus.QUEUED, *TERMINAL}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
}


class IllegalTransition(RuntimeError):
    pass


def transition_values(
    current: str, transitions: list[dict[str, Any]] | None, to: JobStatus, now: datetime
) -> dict[str, Any]:
    """The column values that move a job from `current` to `to`: the one place a status changes.

    Callers apply them in an UPDATE guarded by the status (and lease token) they read, so two
    writers can never both move the same job; a terminal status never changes."""
    if to not in ALLOWED[JobStatus(current)]:
        raise IllegalTransition(f"{current} -> {to} is not allowed")
    values: dict[str, Any] = {
        "status": to.value,
        "transitions": [*(transitions or []), {"status": to.value, "at": now.isoformat()}],
        "updated_at": now,
    }
    if to.terminal:
        values |= {
            "finished_at": now,
            "lease_token": None,
            "lease_expires_at": None,
            "sub_status": None,
            "waiting_reason": None,
        }
    if to is JobStatus.QUEUED:
        values |= {
            "lease_token": None,
            "lease_expires_at": None,
            "lease_owner": None,
            "sub_status": None,
        }
    return values
