from __future__ import annotations

import logging

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from app.api.deps import RuntimeDep
from app.errors import ApiError, problem_responses
from app.storage import StorageError

log = logging.getLogger(__name__)


class NotReady(ApiError):
    status, code, title = 503, "not-ready", "A dependency is unreachable"


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    database: str
    storage: str


router = APIRouter(tags=["health"])


@router.get("/healthz", name="live", summary="The process is up")
def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    name="ready",
    summary="Database and storage are reachable",
    responses=problem_responses(NotReady),
)
def readyz(runtime: RuntimeDep) -> Readiness:
    # What failed, in the caller's terms; how (the database URL, the S3 endpoint, a credentials
    # error) goes to the server log, under this request's id.
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        log.warning("readiness: database unreachable: %s", exc)
        raise NotReady("The database is unreachable; try again later.") from exc
    try:
        runtime.store.check()
    except StorageError as exc:
        log.warning("readiness: object storage unreachable: %s", exc)
        raise NotReady("Object storage is unreachable; try again later.") from exc
    return Readiness(status="ok", database="ok", storage="ok")
