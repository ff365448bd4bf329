from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import StreamingResponse

from app.api.deps import RuntimeDep, SessionDep, SettingsDep
from app.api.files import file_response
from app.api.pagination import Cursor, Limit, Page
from app.errors import Conflict, InvalidRequest, NotFound, problem_responses
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
from app.scoring import service, writers
from app.scoring.schemas import (
    Comparison,
    Evaluation,
    ScoredImage,
    ScoringFailure,
    ScoringJob,
    ScoringJobCreate,
)

router = APIRouter(prefix="/v1/scoring-jobs", tags=["scoring-jobs"])

# By file extension: every output format's (writers.FORMATS), and the confusion matrix's PNG.
MEDIA_TYPES = {f.extension: f.media_type for f in writers.FORMATS.values()} | {"png": "image/png"}
OUTPUT_TYPES = [f.media_type for f in writers.FORMATS.values()]
FILE_ERRORS = problem_responses(NotFound, Conflict)


@router.post(
    "",
    name="create",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Score images with a trained model",
    responses=problem_responses(InvalidRequest, IdempotencyConflict),
)
def create_scoring_job(
    body: ScoringJobCreate,
    session: SessionDep,
    settings: SettingsDep,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> ScoringJob:
    """One output row per image (Azure's Score Image Model columns plus top-k); unreadable
    images go to the errors file; labelled input is also evaluated."""
    job = service.submit(session, settings, body, idempotency_key)
    response.headers["Location"] = f"/v1/scoring-jobs/{job.id}"
    return service.to_schema(session, job)


@router.get(
    "", name="list", summary="List scoring jobs", responses=problem_responses(InvalidRequest)
)
def list_scoring_jobs(
    session: SessionDep,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: JobStatus | None = None,
    model_id: Annotated[str | None, Query(max_length=36)] = None,
) -> Page[ScoringJob]:
    return service.list_jobs(session, limit=limit, cursor=cursor, status=status, model_id=model_id)


@router.get(
    "/{job_id}", name="get", summary="Get a scoring job", responses=problem_responses(NotFound)
)
def get_scoring_job(job_id: str, session: SessionDep) -> ScoringJob:
    return service.to_schema(session, service.get(session, job_id))


@router.post(
    "/{job_id}/cancel",
    name="cancel",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Cancel a scoring job",
    responses=problem_responses(NotFound),
)
def cancel_scoring_job(job_id: str, session: SessionDep) -> ScoringJob:
    return service.to_schema(session, service.cancel(session, job_id))


@router.get(
    "/{job_id}/evaluation",
    name="evaluation",
    summary="Accuracy, precision, recall, F1, log loss, confusion matrix",
    responses=problem_responses(NotFound, Conflict),
)
def scoring_evaluation(job_id: str, session: SessionDep) -> Evaluation:
    return service.evaluation(session, job_id)


@router.get(
    "/{job_id}/evaluation/compare/{other_job_id}",
    name="compare",
    summary="Compare two evaluations on the same data",
    responses=problem_responses(NotFound, Conflict, InvalidRequest),
)
def compare_evaluations(job_id: str, other_job_id: str, session: SessionDep) -> Comparison:
    return service.comparison(session, job_id, other_job_id)


def _file(
    session: SessionDep, settings: SettingsDep, job_id: str, which: service.OutputFile
) -> Response:
    data, uri = service.output_file(session, settings, job_id, which)
    name = uri.rsplit("/", 1)[-1]
    return Response(
        data,
        media_type=MEDIA_TYPES[name.rsplit(".", 1)[-1]],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/{job_id}/output",
    name="output",
    summary="Download the predictions",
    response_class=Response,
    responses={
        **file_response("The predictions, in the job's output format", *OUTPUT_TYPES),
        **FILE_ERRORS,
    },
)
def scoring_output(job_id: str, session: SessionDep, settings: SettingsDep) -> Response:
    return _file(session, settings, job_id, service.OutputFile.PREDICTIONS)


@router.get(
    "/{job_id}/errors",
    name="errors",
    summary="Download the unreadable images",
    response_class=Response,
    responses={
        **file_response("The images that could not be scored, and why", *OUTPUT_TYPES),
        **FILE_ERRORS,
    },
)
def scoring_errors(job_id: str, session: SessionDep, settings: SettingsDep) -> Response:
    return _file(session, settings, job_id, service.OutputFile.ERRORS)


@router.get(
    "/{job_id}/output/rows",
    name="output_rows",
    summary="The predictions as JSON, a page at a time",
    responses=problem_responses(NotFound, Conflict, InvalidRequest),
)
def scoring_output_rows(
    job_id: str,
    session: SessionDep,
    settings: SettingsDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ScoredImage]:
    """The rows of the predictions file, in its order, whatever the job's output format."""
    return service.output_rows(session, settings, job_id, cursor, limit)


@router.get(
    "/{job_id}/errors/rows",
    name="error_rows",
    summary="The unreadable images as JSON, a page at a time",
    responses=problem_responses(NotFound, Conflict, InvalidRequest),
)
def scoring_error_rows(
    job_id: str,
    session: SessionDep,
    settings: SettingsDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ScoringFailure]:
    return service.error_rows(session, settings, job_id, cursor, limit)


@router.get(
    "/{job_id}/evaluation/confusion-matrix",
    name="confusion_matrix",
    summary="The confusion matrix as a PNG",
    response_class=Response,
    responses={**file_response("The confusion matrix", "image/png"), **FILE_ERRORS},
)
def scoring_confusion_matrix(job_id: str, session: SessionDep, settings: SettingsDep) -> Response:
    return _file(session, settings, job_id, service.OutputFile.CONFUSION_MATRIX)


@router.get(
    "/{job_id}/logs", name="logs", summary="Log lines", responses=problem_responses(NotFound)
)
def scoring_logs(
    job_id: str, session: SessionDep, cursor: LogsCursor = None, limit: LogsLimit = 200
) -> LogPage:
    return jobs.log_page(session, service.get(session, job_id), cursor, limit)


@router.get(
    "/{job_id}/events",
    name="events",
    summary="Live progress (Server-Sent Events)",
    response_class=StreamingResponse,
    responses=event_responses("`progress`, `log`, `status`"),
)
def scoring_events(
    job_id: str,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    last_event_id: LastEventId = 0,
) -> StreamingResponse:
    job = service.get(session, job_id)
    return event_stream(request, runtime, job.id, last_event_id)
