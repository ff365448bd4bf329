"""Server-Sent Events for a job: everything it records, as it records it, until it ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from fastapi import Request
from pydantic_core import to_json
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from app.db.tables import JobRecord
from app.jobs.repository import JobRepository
from app.jobs.states import JobStatus

POLL_S = 0.25
KEEPALIVE_S = 15.0


def _frame(event_id: int | None, event: str, data: dict[str, Any]) -> str:
    head = f"id: {event_id}\n" if event_id is not None else ""
    # pydantic's JSON, as every response body: times in RFC 3339 UTC (`...Z`).
    return f"{head}event: {event}\ndata: {to_json(data).decode()}\n\n"


def _read(
    sessions: sessionmaker[Session], job_id: str, after: int
) -> tuple[list[tuple[int, str, dict[str, Any]]], dict[str, Any]]:
    with sessions() as session:
        events = [
            (e.id, e.type, {**e.data, "attempt": e.attempt, "at": e.created_at})
            for e in JobRepository(session).events(job_id, after_id=after, limit=500)
        ]
        job = session.get(JobRecord, job_id)
        assert job is not None
        state = {
            "status": job.status,
            "sub_status": job.sub_status,
            "progress": job.progress,
            "attempts": job.attempts,
            "error_code": job.error_code,
        }
    return events, state


async def job_events(
    request: Request, sessions: sessionmaker[Session], job_id: str, last_event_id: int
) -> AsyncIterator[str]:
    """Replays what happened after `last_event_id` (so a reconnecting client misses nothing),
    then follows the job; a `state` event reports each status change; the stream closes after
    the job's terminal `state` event."""
    after, last_state, quiet = last_event_id, None, 0.0
    yield "retry: 2000\n\n"
    while not await request.is_disconnected():
        events, state = await run_in_threadpool(_read, sessions, job_id, after)
        for event_id, kind, data in events:
            after = event_id
            yield _frame(event_id, kind, data)
        if state != last_state:
            last_state = state
            yield _frame(None, "state", state)
        if JobStatus(state["status"]).terminal and not events:
            return
        if events:
            quiet = 0.0
            continue
        await asyncio.sleep(POLL_S)
        quiet += POLL_S
        if quiet >= KEEPALIVE_S:
            quiet = 0.0
            yield ": keep-alive\n\n"
