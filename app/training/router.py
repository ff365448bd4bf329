from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from app.api.deps import RuntimeDep, SessionDep, SettingsDep
from app.api.pagination import Cursor, Limit, Page
from app.errors import InvalidRequest, NotFound, problem_responses
from app.jobs import service as jobs
from app.jobs.http import (
    IdempotencyKey,
    LastEventId,
    LogsCursor,
    LogsLimit,
    event_responses,
    event_stream,
)
from app.jobs.schemas import LogPage
from app.jobs.service import IdempotencyConflict
from app.jobs.states import JobStatus
from app.training import service
from app.training.schemas import MetricsList, TrainingJob, TrainingJobCreate

router = APIRouter(prefix="/v1/training-jobs", tags=["training-jobs"])


@router.post(
    "",
    name="create",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Start a training job",
    responses=problem_responses(InvalidRequest, IdempotencyConflict),
)
def create_training_job(
    body: TrainingJobCreate,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> TrainingJob:
    """Recorded (and committed) before the answer; a worker runs it. Follow it with GET, the
    `events` stream, `metrics` and `logs`."""
    job = service.submit(session, settings, body, idempotency_key)
    response.headers["Location"] = f"/v1/training-jobs/{job.id}"
    return service.to_schema(session, job)


@router.get(
    "", name="list", summary="List training jobs", responses=problem_responses(InvalidRequest)
)
def list_training_jobs(
    session: SessionDep,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: JobStatus | None = None,
    model_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[TrainingJob]:
    return service.list_jobs(session, limit=limit, cursor=cursor, status=status, model_id=model_id)


@router.get(
    "/{job_id}", name="get", summary="Get a training job", responses=problem_responses(NotFound)
)
def get_training_job(job_id: str, session: SessionDep) -> TrainingJob:
    return service.to_schema(session, service.get(session, job_id))


@router.post(
    "/{job_id}/cancel",
    name="cancel",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Cancel a training job",
    responses=problem_responses(NotFound),
)
def cancel_training_job(job_id: str, session: SessionDep) -> TrainingJob:
    """A queued job ends at once; a running one stops at its next step, saves a checkpoint and
    ends `cancelled`. A finished job is left as it is."""
    job = service.cancel(session, job_id)
    return service.to_schema(session, job)


@router.get(
    "/{job_id}/metrics",
    name="metrics",
    summary="Per-epoch metrics",
    responses=problem_responses(NotFound),
)
def training_metrics(job_id: str, session: SessionDep) -> MetricsList:
    return service.metrics(session, job_id)


@router.get(
    "/{job_id}/logs", name="logs", summary="Log lines", responses=problem_responses(NotFound)
)
def training_logs(
    job_id: str, session: SessionDep, cursor: LogsCursor = None, limit: LogsLimit = 200
) -> LogPage:
    return jobs.log_page(session, service.get(session, job_id), cursor, limit)


@router.get(
    "/{job_id}/events",
    name="events",
    summary="Live progress (Server-Sent Events)",
    response_class=StreamingResponse,
    responses=event_responses("`progress`, `metrics`, `log`, `status`"),
)
def training_events(
    job_id: str,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    last_event_id: LastEventId = 0,
) -> StreamingResponse:
    job = service.get(session, job_id)
    return event_stream(request, runtime, job.id, last_event_id)
