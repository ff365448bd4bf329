"""The runner: claims jobs for its slots, runs each in its own process, and cleans up after
processes that die. Runs as a thread inside `serve`, or as `resnet-studio worker`."""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.db.tables import JobRecord
from app.jobs.kinds import JobKind, JobKinds, Pool
from app.jobs.process import finish, job_process_main
from app.jobs.repository import Claim, JobRepository
from app.jobs.states import JobStatus

log = logging.getLogger(__name__)


def accelerator_count() -> int:
    try:
        import torch

        return int(torch.cuda.device_count())
    except Exception:
        return 0


class JobHandle(Protocol):
    """A running job as its executor reports it (a local process; a Ray task later)."""

    @property
    def pid(self) -> int | None: ...
    @property
    def exitcode(self) -> int | None: ...
    def is_alive(self) -> bool: ...
    def kill(self) -> None: ...
    def join(self, timeout: float | None = None) -> None: ...


class Executor(Protocol):
    def start(
        self, settings: Settings, claim: Claim, kind: JobKind[Any, Any], gpu: int | None
    ) -> JobHandle: ...


class LocalProcessExecutor:
    """Each job in its own process on this machine, so a crash or a kill stays contained."""

    def __init__(self) -> None:
        self._context = multiprocessing.get_context("spawn")  # no inherited threads or CUDA

    def start(
        self, settings: Settings, claim: Claim, kind: JobKind[Any, Any], gpu: int | None
    ) -> JobHandle:
        process: BaseProcess = self._context.Process(
            target=job_process_main,
            args=(settings, claim, kind, gpu),
            name=f"job-{claim.job_id[:8]}",
            daemon=False,
        )
        process.start()
        return process


@dataclass
class Slot:
    pool: Pool
    gpu: int | None
    process: JobHandle | None = None
    claim: Claim | None = None
    started: float = 0.0
    cancel_seen_at: float | None = None


@dataclass
class JobRunner:
    settings: Settings
    kinds: JobKinds
    executor: Executor = field(default_factory=LocalProcessExecutor)
    owner: str = field(
        default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
    )
    slots: list[Slot] = field(default_factory=list)

    def __post_init__(self) -> None:
        gpus = accelerator_count()
        accelerated = self.settings.runner_accelerated_slots
        if accelerated is None:
            accelerated = max(gpus, 1)
        self.slots = [Slot(Pool.LIGHT, None) for _ in range(self.settings.runner_light_slots)]
        self.slots += [Slot(Pool.ACCELERATED, i if i < gpus else None) for i in range(accelerated)]
        self._engine = make_engine(self.settings.resolved_database_url)
        self._sessions: sessionmaker[Session] = make_session_factory(self._engine)
        self._stop = threading.Event()

    # -- the loop ---------------------------------------------------------------------------
    def run(self) -> None:
        log.info("job runner %s: %d slots", self.owner, len(self.slots))
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the database blinked: keep going, the leases protect the jobs
                log.exception("job runner tick failed")
            self._stop.wait(self.settings.runner_poll_s)
        self._shutdown()

    def stop(self) -> None:
        self._stop.set()

    def tick(self) -> None:
        for slot in self.slots:
            if slot.process is not None:
                self._watch(slot)
            if slot.process is None and not self._stop.is_set():
                self._fill(slot)

    def _fill(self, slot: Slot) -> None:
        kinds = self.kinds.names_in(slot.pool)
        if not kinds:
            return
        with self._sessions.begin() as session:
            claim = JobRepository(session).claim_next(kinds, self.owner, self.settings.job_lease_s)
        if claim is None:
            return
        process = self.executor.start(self.settings, claim, self.kinds[claim.kind], slot.gpu)
        slot.process, slot.claim, slot.started, slot.cancel_seen_at = (
            process,
            claim,
            time.monotonic(),
            None,
        )
        log.info(
            "job %s (%s) attempt %d started in pid %s",
            claim.job_id,
            claim.kind,
            claim.attempt,
            process.pid,
        )

    def _watch(self, slot: Slot) -> None:
        assert slot.process is not None and slot.claim is not None
        if not slot.process.is_alive():
            slot.process.join()
            self._after_exit(slot.claim, slot.process.exitcode)
            slot.process = slot.claim = None
            return
        with self._sessions.begin() as session:
            repo = JobRepository(session)
            # The runner holds the lease while the process lives, so a process still starting
            # (importing torch on a busy machine) never loses its job to another slot.
            repo.renew_lease(slot.claim.job_id, slot.claim.token, self.settings.job_lease_s)
            job = repo.get(slot.claim.job_id)
            cancel = bool(job and job.cancel_requested)
            max_runtime = job.max_runtime_seconds if job else None
        now = time.monotonic()
        if cancel and slot.cancel_seen_at is None:
            slot.cancel_seen_at = now
        if slot.cancel_seen_at and now - slot.cancel_seen_at > self.settings.job_cancel_grace_s:
            self._kill(slot, JobStatus.CANCELLED, None, "cancelled (the job did not stop in time)")
        elif max_runtime and now - slot.started > float(max_runtime):
            self._kill(
                slot,
                JobStatus.FAILED,
                "max-runtime-exceeded",
                f"the job ran longer than max_runtime_seconds={max_runtime}",
            )

    def _kill(self, slot: Slot, to: JobStatus, code: str | None, message: str) -> None:
        assert slot.process is not None and slot.claim is not None
        slot.process.kill()
        slot.process.join()
        finish(
            self._sessions,
            slot.claim,
            self.kinds[slot.claim.kind],
            to,
            error_code=code,
            error_message=message,
        )
        slot.process = slot.claim = None

    def _after_exit(self, claim: Claim, exitcode: int | None) -> None:
        """A process that ended without recording an outcome crashed: retry or give up."""
        with self._sessions() as session:
            job = session.get(JobRecord, claim.job_id)
            if job is None or job.lease_token != claim.token:
                return  # it recorded its outcome (or lost its lease): nothing to do
            exhausted = job.attempts >= job.max_attempts
        message = f"the job's process exited with code {exitcode} (attempt {claim.attempt})"
        log.warning("job %s: %s", claim.job_id, message)
        if exhausted:
            finish(
                self._sessions,
                claim,
                self.kinds[claim.kind],
                JobStatus.FAILED,
                error_code="worker-crashed",
                error_message=message,
            )
        else:
            finish(
                self._sessions,
                claim,
                self.kinds[claim.kind],
                JobStatus.QUEUED,
                error_message=f"retrying: {message}",
            )

    def _shutdown(self) -> None:
        """Stop every job process and put its job back in the queue: it resumes from its last
        checkpoint on the next start, and the interruption does not count as an attempt."""
        for slot in self.slots:
            if slot.process is None or slot.claim is None:
                continue
            slot.process.kill()
            slot.process.join()
            with self._sessions.begin() as session:
                job = session.get(JobRecord, slot.claim.job_id)
                if job is not None and job.lease_token == slot.claim.token:
                    job.attempts = max(job.attempts - 1, 0)
            finish(
                self._sessions,
                slot.claim,
                self.kinds[slot.claim.kind],
                JobStatus.QUEUED,
                error_message="the worker shut down; the job will resume",
            )
            slot.process = slot.claim = None
        self._engine.dispose()


def start_in_thread(settings: Settings, kinds: JobKinds) -> tuple[JobRunner, threading.Thread]:
    runner = JobRunner(settings, kinds)
    thread = threading.Thread(target=runner.run, name="job-runner", daemon=True)
    thread.start()
    return runner, thread
