"""What a job body sees while it runs: its typed spec, storage, progress reporting,
checkpoints, cancel.

A heartbeat thread renews the lease; if the lease is lost (another worker took over) or the
runner that started this process died, the process stops without writing anything more."""

from __future__ import annotations

import logging
import math
import os
import re
import sys
import threading
import time
from typing import Any, Generic
from urllib.parse import unquote, urlparse

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.jobs.errors import LeaseLost
from app.jobs.kinds import SpecT
from app.jobs.repository import Claim, JobRepository
from app.storage import ObjectStore

log = logging.getLogger(__name__)

LOST_LEASE_EXIT = 75  # EX_TEMPFAIL


def json_safe(value: Any) -> Any:
    """NaN and infinities become null: JSON has no such numbers (PostgreSQL refuses them)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def in_callers_terms(message: str, store: ObjectStore) -> str:
    """A job's error message without the service's own storage root: a key below the root
    (`uploads/<id>/cat/1.png`) is what the caller can act on; the root (an absolute server path,
    a bucket) is the server's business. Caller-supplied URIs are the caller's own and stay."""
    root = store.root_uri.rstrip("/")
    roots = [root]
    if root.startswith("file://"):  # an OSError's text names the path, not the URI
        roots.append(unquote(urlparse(root).path))
    for place in roots:
        if place.rstrip(":/") in ("", "file", "s3"):
            continue  # a store at '/' has no root to take out
        # The root itself, not a longer name that starts with it (a bucket `data-2` of `data`).
        message = re.sub(
            re.escape(place) + r"(/|(?![\w.%-]))",
            lambda m: "" if m.group(1) else "the service's storage",
            message,
        )
    return message


def gpu_memory_allocated() -> int | None:
    """The bytes this process holds on its GPU, once the job has put anything there; never
    starts CUDA itself (a job that has not imported torch reports nothing)."""
    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_initialized():
        return None
    return int(torch.cuda.memory_allocated())


class JobContext(Generic[SpecT]):
    def __init__(
        self,
        claim: Claim,
        spec: SpecT,
        checkpoint: dict[str, Any] | None,
        settings: Settings,
        sessions: sessionmaker[Session],
        store: ObjectStore,
        request_id: str | None = None,
    ) -> None:
        self.job_id = claim.job_id
        self.request_id = request_id  # the X-Request-ID that created the job
        self.attempt = claim.attempt
        self.spec = spec
        self.checkpoint = checkpoint
        self.settings = settings
        self.store = store
        self._claim = claim
        self._sessions = sessions
        self._lease_s = settings.job_lease_s
        self._lock = threading.Lock()
        self._progress: dict[str, Any] | None = None
        self._sub_status: str | None = None
        self._cancel = threading.Event()
        self._lost = threading.Event()
        self._stop = threading.Event()
        self._parent = os.getppid()
        self._last_progress_event = 0.0
        self._thread = threading.Thread(target=self._heartbeat_loop, daemon=True, name="heartbeat")

    # -- what bodies call -------------------------------------------------------------------
    @property
    def attempt_prefix(self) -> str:
        """Storage prefix for this attempt's files: a stale attempt never overwrites a newer one."""
        return f"jobs/{self.job_id}/attempt-{self.attempt}/"

    def cancel_requested(self) -> bool:
        self._raise_if_lost()
        return self._cancel.is_set()

    def progress(self, **fields: Any) -> None:
        self._raise_if_lost()
        memory = gpu_memory_allocated()
        if memory is not None:  # read by /metrics, beside the images/s a body reports
            fields = {**fields, "gpu_memory_allocated_bytes": memory}
        with self._lock:
            self._progress = json_safe(fields)
        now = time.monotonic()
        if now - self._last_progress_event >= self.settings.job_progress_event_s:
            # Progress reaches readers at most once a second (the job row and an event), not
            # only at the heartbeat, which may be several seconds apart.
            self._last_progress_event = now
            self._flush()
            self._event("progress", fields)

    def set_sub_status(self, sub_status: str) -> None:
        with self._lock:
            self._sub_status = sub_status
        self._flush()
        self._event("status", {"sub_status": sub_status})

    def log(self, message: str, level: str = "info") -> None:
        line = {"level": level, "message": message}
        if self.request_id is not None:
            line["request_id"] = self.request_id
        self._event("log", line)

    def metrics(self, values: dict[str, Any]) -> None:
        self._event("metrics", values)

    def save_checkpoint(self, state: dict[str, Any]) -> None:
        """Record where the job can resume from; only while this attempt holds the lease."""
        from sqlalchemy import update

        from app.db.tables import JobRecord

        with self._sessions.begin() as session:
            result = session.execute(
                update(JobRecord)
                .where(JobRecord.id == self.job_id, JobRecord.lease_token == self._claim.token)
                .values(checkpoint=state)
            )
            if getattr(result, "rowcount", 0) != 1:
                self._lost.set()
        self.checkpoint = state
        self._raise_if_lost()

    # -- plumbing ---------------------------------------------------------------------------
    def _raise_if_lost(self) -> None:
        if self._lost.is_set():
            raise LeaseLost(f"job {self.job_id} attempt {self.attempt} lost its lease")

    def _event(self, type_: str, data: dict[str, Any]) -> None:
        data = json_safe(data)
        with self._sessions.begin() as session:
            if not JobRepository(session).add_event(
                self.job_id, self.attempt, type_, data, token=self._claim.token
            ):
                self._lost.set()
        self._raise_if_lost()

    def _flush(self) -> None:
        with self._lock:
            progress, sub_status = self._progress, self._sub_status
        with self._sessions.begin() as session:
            ours, cancel = JobRepository(session).heartbeat(
                self.job_id, self._claim.token, self._lease_s, progress, sub_status
            )
        if not ours:
            self._lost.set()
        elif cancel:
            self._cancel.set()

    def _heartbeat_loop(self) -> None:
        while not self._stop.wait(self._lease_s / 3):
            if os.getppid() != self._parent:
                log.error("runner died; stopping job %s so it can resume elsewhere", self.job_id)
                os._exit(LOST_LEASE_EXIT)
            try:
                self._flush()
            except Exception:  # a database hiccup: the next beat tries again
                log.exception("heartbeat for job %s failed", self.job_id)
            if self._lost.is_set():
                # Give the body a moment to notice, then make sure it writes nothing more.
                if self._stop.wait(self._lease_s):
                    return
                os._exit(LOST_LEASE_EXIT)

    def start(self) -> None:
        self._flush()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)
        if not self._lost.is_set():
            try:
                self._flush()  # the last progress, so a finished job shows where it ended
            except Exception:
                log.exception("final progress of job %s not saved", self.job_id)
