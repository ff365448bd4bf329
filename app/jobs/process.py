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
from app.jobs.kinds import KINDS, load_builtin_kinds
from app.jobs.repository import Claim, JobRepository
from app.jobs.states import JobStatus
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


def job_process_main(settings: Settings, claim: Claim, gpu: int | None) -> None:
    """Entry point of the child process (spawned: nothing inherited but these arguments)."""
    if gpu is not None:  # before anything imports torch
        os.environ["CUDA_VISIBLE_DEVICES"] = str(gpu)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the runner decides when jobs stop
    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s job {claim.job_id[:8]} %(message)s"
    )
    engine = make_engine(settings.resolved_database_url)
    sessions = make_session_factory(engine)
    load_builtin_kinds()
    kind = KINDS[claim.kind]
    with sessions() as session:
        job = session.get(JobRecord, claim.job_id)
        assert job is not None
        spec, checkpoint, max_attempts = job.spec, job.checkpoint, job.max_attempts
    ctx = JobContext(
        claim,
        spec,
        checkpoint,
        settings,
        sessions,
        open_store(settings.resolved_storage_uri, settings),
    )
    outcome: tuple[JobStatus, dict[str, Any]]
    try:
        ctx.start()
        ctx.log(f"attempt {claim.attempt} started")
        outcome = JobStatus.SUCCEEDED, {"result": kind.load_body()(ctx)}
    except LeaseLost:
        log.warning("lost the lease; another worker owns the job now")
        return
    except JobCancelled:
        outcome = JobStatus.CANCELLED, {}
    except JobFailed as exc:
        outcome = JobStatus.FAILED, {"error_code": exc.code, "error_message": exc.message}
    except RETRYABLE as exc:
        message = f"{type(exc).__name__}: {exc}"
        if claim.attempt < max_attempts:
            outcome = JobStatus.QUEUED, {"error_message": f"retrying after: {message}"}
        else:
            outcome = (
                JobStatus.FAILED,
                {"error_code": "infrastructure-error", "error_message": message},
            )
    except Exception as exc:
        _log_traceback(ctx)
        outcome = (
            JobStatus.FAILED,
            {"error_code": "internal-error", "error_message": f"{type(exc).__name__}: {exc}"},
        )
    finally:
        ctx.stop()
    finish(sessions, claim, outcome[0], **outcome[1])
    engine.dispose()


def _log_traceback(ctx: JobContext) -> None:
    try:
        ctx.log(traceback.format_exc(limit=20), level="error")
    except Exception:
        log.exception("could not record the traceback")


def finish(sessions: Any, claim: Claim, to: JobStatus, **fields: Any) -> bool:
    """End an attempt and, in the same transaction, tell the job's resources how it ended."""
    with sessions.begin() as session:
        job = JobRepository(session).finish(claim.job_id, claim.token, to, **fields)
        if job is None:
            return False
        if JobStatus(job.status).terminal:
            KINDS[job.kind].end(session, job)
    return True
