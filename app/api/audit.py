"""The audit log: one row per write request on /v1 (who, in which project, which route and
resource, the status it got, the request id), written after the response has been sent.

A pure-ASGI middleware, so it sees the final status whatever answered it (the handler, an error
handler, a refusal), and the route and caller that the request resolved (app.api.deps). A
request refused before a caller was known (a missing or wrong key) has no project to be
recorded in; the server log has it."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from anyio import to_thread
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import Caller
from app.db.tables import AuditEventRecord
from app.observability.context import current_request_id

log = logging.getLogger(__name__)

READS = frozenset({"GET", "HEAD", "OPTIONS"})


def resource_of(scope: Scope, location: str | None) -> str | None:
    """What the write was about: the id in its path, else the one it made (its Location)."""
    params: dict[str, Any] = scope.get("path_params") or {}
    for name in ("job_id", "model_id", "dataset_id", "transform_id", "key_id", "project_id"):
        if name in params:
            return str(params[name])[:200]
    return location.rstrip("/").rsplit("/", 1)[-1][:200] if location else None


class AuditLog:
    def __init__(self, app: ASGIApp, sessions: Callable[[], sessionmaker[Session]]) -> None:
        self.app = app
        self.sessions = sessions

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in READS:
            await self.app(scope, receive, send)
            return
        answer: dict[str, Any] = {}

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["location"] = Headers(raw=message.get("headers", [])).get("location")
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            caller = (scope.get("state") or {}).get("caller")
            route = scope.get("route")
            if isinstance(caller, Caller) and route is not None:
                event = AuditEventRecord(
                    id=str(uuid.uuid4()),
                    project_id=caller.project_id,
                    key_id=caller.key_id,
                    caller=caller.identity,
                    method=scope["method"],
                    route=str(getattr(route, "path", scope["path"]))[:200],
                    resource_id=resource_of(scope, answer.get("location")),
                    status=int(answer.get("status", 500)),
                    request_id=current_request_id(),
                )
                await to_thread.run_sync(self._record, event)

    def _record(self, event: AuditEventRecord) -> None:
        try:
            with self.sessions().begin() as session:
                session.add(event)
        except Exception:  # the answer is sent; a lost audit row must not become an error
            log.exception("could not record the audit event of request %s", event.request_id)
