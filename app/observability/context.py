"""What a log line or an error says about where it came from: the request being served (set by
app.observability.requests) and the job being run (set in the job's own process).

Context variables, so each request's task (and the worker threads FastAPI copies its context
into) sees its own value, and no argument has to be threaded through every call."""

from __future__ import annotations

from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
job_id_var: ContextVar[str | None] = ContextVar("job_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


def current_job_id() -> str | None:
    return job_id_var.get()
