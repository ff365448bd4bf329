"""HTTP pieces every job resource (training, scoring) shares: headers, query parameters and the
Server-Sent Events response."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Header, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError
from starlette.types import Receive, Scope, Send

from app.api import quotas
from app.api.auth import Caller
from app.api.quotas import Quota
from app.api.ratelimit import caller_of
from app.db.tables import DEFAULT_PROJECT
from app.errors import (
    ApiError,
    NotFound,
    QuotaExceeded,
    RateLimited,
    TooManyStreams,
    problem_response,
    problem_responses,
)
from app.jobs.sse import job_events
from app.runtime import Runtime

MAX_IDEMPOTENCY_KEY = 200
_VISIBLE = frozenset(chr(c) for c in range(0x21, 0x7F))  # RFC 5234 VCHAR: no space, no control


def _visible_key(key: str | None) -> str | None:
    # An empty key (the header sent blank, or only spaces, which HTTP strips) would be one key
    # that every blank-keyed request shares: one caller's retry would return another's job.
    if key is not None and (not key or not _VISIBLE.issuperset(key)):
        raise PydanticCustomError(
            "idempotency_key",
            "must be 1 to {max} visible ASCII characters (letters, digits, punctuation; no "
            "spaces), e.g. a UUID",
            {"max": MAX_IDEMPOTENCY_KEY},
        )
    return key


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=MAX_IDEMPOTENCY_KEY,
        description="Repeat a request safely: the same key and body return the same job. "
        f"1 to {MAX_IDEMPOTENCY_KEY} visible ASCII characters, e.g. a UUID.",
    ),
    AfterValidator(_visible_key),
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
        # A route's 429 replaces the router's: the rate limit's is declared again with it.
        **problem_responses(NotFound, RateLimited, TooManyStreams, QuotaExceeded),
    }


class EventStream(StreamingResponse):
    """An event stream that holds one of its caller's stream slots, and one of its project's,
    while it is sent: taken when the response starts (a caller already at its cap gets 429
    `too-many-streams`, a project at its quota 429 `quota-exceeded`) and freed however it ends,
    the client going away included."""

    def __init__(
        self, events: AsyncIterator[str], runtime: Runtime, caller: str, project: Project
    ) -> None:
        headers = {"Cache-Control": "no-cache"}
        super().__init__(events, media_type="text/event-stream", headers=headers)
        self.runtime, self.caller, self.project = runtime, caller, project

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        slots, project_slots = self.runtime.streams, self.runtime.project_streams
        with (
            slots.hold(self.caller) as granted,
            project_slots.hold(self.project.id, self.project.limit) as project_granted,
        ):
            if granted and project_granted:
                await super().__call__(scope, receive, send)
                return
        error: ApiError
        if not granted:
            error = TooManyStreams(
                f"this caller already has {slots.per_caller} event streams open; close one "
                "(or poll the job's GET) before opening another"
            )
        else:
            error = QuotaExceeded(
                f"The project's open_streams quota is {self.project.limit} and all are open; "
                "close one (or poll the job's GET), or ask an operator to raise the quota."
            )
        path = scope["path"]
        refusal = problem_response(error.status, error.code, error.title, error.detail, path)
        await refusal(scope, receive, send)


@dataclass(frozen=True)
class Project:
    id: str
    limit: int  # its open_streams quota; 0: no limit


def event_stream(
    request: Request, runtime: Runtime, job_id: str, last_event_id: int
) -> StreamingResponse:
    caller = caller_of(runtime.settings, request.scope)
    known: Caller | None = getattr(request.state, "caller", None)
    project_id = known.project_id if known is not None else DEFAULT_PROJECT
    with runtime.sessions() as session:
        limit = quotas.limit_of(session, runtime.settings, project_id, Quota.OPEN_STREAMS)
    events = job_events(request, runtime.sessions, job_id, last_event_id)
    return EventStream(events, runtime, caller, Project(project_id, limit))
