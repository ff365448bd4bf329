"""HTTP pieces every job resource (training, scoring) shares: headers, query parameters and the
Server-Sent Events response."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, Query, Request
from fastapi.responses import StreamingResponse

from app.errors import NotFound, problem_responses
from app.jobs.sse import job_events
from app.runtime import Runtime

IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Repeat a request safely: the same key and body return the same job.",
    ),
]
LastEventId = Annotated[
    int, Header(alias="Last-Event-ID", ge=0, description="Resume a stream after this event.")
]
LogsAfter = Annotated[int, Query(ge=0, description="`next_after` of the previous page.")]
LogsLimit = Annotated[int, Query(ge=1, le=1000)]


def event_responses(events: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": f"Events {events} and `state`; the stream ends with the job",
        },
        **problem_responses(NotFound),
    }


def event_stream(
    request: Request, runtime: Runtime, job_id: str, last_event_id: int
) -> StreamingResponse:
    return StreamingResponse(
        job_events(request, runtime.sessions, job_id, last_event_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache"},
    )
