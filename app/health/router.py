from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from app.api.deps import RuntimeDep
from app.errors import ApiError, problem_responses
from app.storage import StorageError


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
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        raise NotReady(f"database unreachable: {type(exc).__name__}") from exc
    try:
        runtime.store.check()
    except StorageError as exc:
        raise NotReady(f"storage unreachable: {exc}") from exc
    return Readiness(status="ok", database="ok", storage="ok")
