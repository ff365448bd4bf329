"""The body of a job's own process: load the job, run its kind, record how it ended."""

from __future__ import annotations

import logging
import os
import signal
import traceback
from typing import Any

from botocore.exceptions import BotoCoreError
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.db.tables import JobRecord
from app.jobs.context import JobContext
from app.jobs.errors import JobCancelled, JobFailed, LeaseLost
from app.jobs.kinds import JobKind
from app.jobs.repository import Claim, JobRepository
from app.jobs.states import JobStatus
from app.observability.context import job_id_var, request_id_var
from app.observability.logs import configure_logging
from app.storage import StorageError, open_store

log = logging.getLogger(__name__)

# Failures of the machinery around a job, worth another attempt; anything else fails at once.
RETRYABLE: tuple[type[BaseException], ...] = (
    StorageError,
    BotoCoreError,
    OperationalError,
    ConnectionError,
    TimeoutError,
)


Outcome = tuple[JobStatus, dict[str, Any]]


def job_process_main(
    settings: Settings, claim: Claim, kind: JobKind[Any, Any], gpu: int | None
) -> None:
    """Entry point of the child process (spawned: nothing inherited but these arguments; the
    kind arrives by reference, so only its own modules are imported)."""
    if gpu is not None:  # before anything imports torch
        os.environ["CUDA_VISIBLE_DEVICES"] = str(gpu)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides when jobs stop
    configure_logging(settings.log_format)  # every line of this process names the job
    job_id_var.set(claim.job_id)
    engine = make_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    try:
        with sessions() as session:
            job = session.get(JobRecord, claim.job_id)
            assert job is not None
            checkpoint, max_attempts = job.checkpoint, job.max_attempts
            request_id = job.request_id
            spec = _parse_spec(kind, job)
        request_id_var.set(request_id)  # and the request that created it
        log.info("%s job, attempt %d, started", kind.name, claim.attempt)
        if spec is None:
            outcome: Outcome | None = _unsupported(kind)
        else:
            store = open_store(settings.resolved_storage_uri, settings)
            ctx = JobContext(claim, spec, checkpoint, settings, sessions, store, request_id)
            outcome = _run(ctx, kind, max_attempts)
        if outcome is not None:  # None: the lease was lost, so nothing more is written
            finish(sessions, claim, kind, outcome[0], **outcome[1])
            log.info("%s job, attempt %d, ended: %s", kind.name, claim.attempt, outcome[0])
    finally:
        engine.dispose()


def _run(ctx: JobContext[Any], kind: JobKind[Any, Any], max_attempts: int) -> Outcome | None:
    """Run the kind's body and say how the attempt ended."""
    try:
        ctx.start()
        created_by = f"; created by request {ctx.request_id}" if ctx.request_id else ""
        ctx.log(f"attempt {ctx.attempt} started{created_by}")
        return JobStatus.SUCCEEDED, {"result": kind.body(ctx).model_dump(mode="json")}
    except LeaseLost:
        log.warning("lost the lease; another worker owns the job now")
        return None
    except JobCancelled:
        return JobStatus.CANCELLED, {}
    except JobFailed as exc:
        return JobStatus.FAILED, {"error_code": exc.code, "error_message": exc.message}
    except RETRYABLE as exc:
        message = f"{type(exc).__name__}: {exc}"
        if ctx.attempt < max_attempts:
            return JobStatus.QUEUED, {"error_message": f"retrying after: {message}"}
        return JobStatus.FAILED, {"error_code": "infrastructure-error", "error_message": message}
    except Exception as exc:
        _log_traceback(ctx)
        message = f"{type(exc).__name__}: {exc}"
        return JobStatus.FAILED, {"error_code": "internal-error", "error_message": message}
    finally:
        ctx.stop()


def _unsupported(kind: JobKind[Any, Any]) -> Outcome:
    message = (
        f"this worker reads {kind.name} specs up to version {kind.version}; "
        "upgrade it to run this job"
    )
    return JobStatus.FAILED, {"error_code": "unsupported-spec", "error_message": message}


def _parse_spec(kind: JobKind[Any, Any], job: JobRecord) -> Any:
    """The job's typed spec, parsed once; None when it was written by a newer version."""
    if job.spec_version > kind.version:
        return None
    return kind.spec_of(job)


def _log_traceback(ctx: JobContext[Any]) -> None:
    try:
        ctx.log(traceback.format_exc(limit=20), level="error")
    except Exception:
        log.exception("could not record the traceback")


def finish(
    sessions: Any, claim: Claim, kind: JobKind[Any, Any], to: JobStatus, **fields: Any
) -> bool:
    """End an attempt and, in the same transaction, tell the job's resources how it ended."""
    with sessions.begin() as session:
        job = JobRepository(session).finish(claim.job_id, claim.token, to, **fields)
        if job is None:
            return False
        if JobStatus(job.status).terminal:
            kind.end(session, job)
    return True
