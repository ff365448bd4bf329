"""The body of a job's own process: load the job, run its kind, record how it ended."""

from __future__ import annotations

import logging
import os
import signal
from typing import Any

from botocore.exceptions import BotoCoreError
from sqlalchemy.exc import OperationalError

from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.db.tables import JobRecord
from app.jobs.context import JobContext, in_callers_terms
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

# A job's error is read by its caller: it says what failed in their terms. The exception itself
# (an S3 endpoint, a bucket, an absolute path, "Unable to locate credentials") goes to the server
# log, whose every line in this process names the job and the request that created it.
INTERNAL_ERROR = (
    "The job failed unexpectedly: a fault of the server, not of the request. The details are in "
    "the server log; give the operator this job's id."
)


def _infrastructure_cause(exc: BaseException) -> str:
    if isinstance(exc, StorageError | BotoCoreError):
        return "object storage was unreachable or refused an operation"
    if isinstance(exc, OperationalError):
        return "the database was unreachable"
    return "a connection the job needs failed or timed out"


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
        message = in_callers_terms(exc.message, ctx.store)
        return JobStatus.FAILED, {"error_code": exc.code, "error_message": message}
    except RETRYABLE as exc:
        log.warning("attempt %d of %d failed: %s", ctx.attempt, max_attempts, exc, exc_info=True)
        cause = _infrastructure_cause(exc)
        if ctx.attempt < max_attempts:
            message = f"retrying: {cause} (attempt {ctx.attempt} of {max_attempts})"
            return JobStatus.QUEUED, {"error_message": message}
        message = (
            f"{cause[0].upper()}{cause[1:]} on each of the job's {max_attempts} attempts. "
            "Nothing is wrong with the request: submit it again later, and if this persists, "
            "give the operator this job's id."
        )
        return JobStatus.FAILED, {"error_code": "infrastructure-error", "error_message": message}
    except Exception:
        _log_failure(ctx)
        return JobStatus.FAILED, {"error_code": "internal-error", "error_message": INTERNAL_ERROR}
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


def _log_failure(ctx: JobContext[Any]) -> None:
    """The traceback to the server log; to the job's log (which its caller reads), that it is
    there: a traceback names the server's files and whatever paths the error held."""
    log.exception("the job failed unexpectedly")
    try:
        ctx.log("the job failed unexpectedly; the traceback is in the server log", level="error")
    except Exception:
        log.exception("could not record the failure in the job's log")


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
