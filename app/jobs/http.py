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
# Event ids come from job_events.id, an INTEGER column (32 bits on PostgreSQL): a larger one
# could never have been issued, and PostgreSQL refuses to compare it with the column.
MAX_EVENT_ID = 2**31 - 1
LastEventId = Annotated[
    int,
    Header(
        alias="Last-Event-ID",
        ge=0,
        le=MAX_EVENT_ID,
        description="Resume a stream after this event.",
    ),
]
LogsCursor = Annotated[
    str | None,
    Query(max_length=200, description="`next_cursor` of the previous page: the lines after it."),
]
LogsLimit = Annotated[int, Query(ge=1, le=1000)]
# One event of the stream, as OpenAPI 3.2 (and FastAPI's own EventSourceResponse) describe one;
# `data` is a JSON document.
SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "data": {"type": "string", "contentMediaType": "application/json"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}


def event_responses(events: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {
            "content": {"text/event-stream": {"itemSchema": SSE_EVENT}},
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
