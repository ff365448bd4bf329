"""Dependencies, declared once as Annotated aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.api import quotas
from app.api.auth import Caller, Role, resolve_caller
from app.api.quotas import Quota
from app.config import Settings
from app.db.tenancy import scope_to_project
from app.errors import UnsupportedMediaType
from app.runtime import Runtime
from app.storage import ObjectStore
from app.weights.store import WeightsStore


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def get_settings_dep(runtime: RuntimeDep) -> Settings:
    return runtime.settings


def get_session(runtime: RuntimeDep) -> Iterator[Session]:
    """The one place that commits: on success after the handler, else roll back."""
    with runtime.sessions() as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def get_store(runtime: RuntimeDep) -> ObjectStore:
    return runtime.store


def get_weights(runtime: RuntimeDep) -> WeightsStore:
    return runtime.weights


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": commit before the response is sent, so a 201/204 means durable.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
StorageDep = Annotated[ObjectStore, Depends(get_store)]
WeightsDep = Annotated[WeightsStore, Depends(get_weights)]

_bearer = HTTPBearer(
    auto_error=False, description="An API key, sent as `Authorization: Bearer <key>`."
)


def current_caller(
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    x_project_id: Annotated[
        str | None,
        Header(
            max_length=36,
            description="The project to act in: for operator keys (the default project without "
            "it); a project key may only name its own.",
        ),
    ] = None,
) -> Caller:
    """The caller, and the request's session scoped to the caller's project; a write needs the
    writer role (GET and HEAD are reads)."""
    secret = None
    if credentials is not None and credentials.scheme.lower() == "bearer":
        secret = credentials.credentials
    caller = resolve_caller(session, settings, secret, x_project_id)
    scope_to_project(session, caller.project_id)
    request.state.caller = caller  # for the audit log (app.api.audit), refusals included
    per_minute = quotas.limit_of(session, settings, caller.project_id, Quota.REQUESTS_PER_MINUTE)
    runtime.project_requests.take(caller.project_id, per_minute)
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        caller.require(Role.WRITER, f"{request.method} {request.url.path}")
    return caller


CurrentCallerDep = Annotated[Caller, Depends(current_caller)]


def refuse_nul_characters(request: Request) -> None:
    """No path or query parameter may hold a NUL character (bodies: app.api.fields.Text).
    PostgreSQL cannot compare one, so it would fail deep in a query instead of a 422 here."""
    params = [("path", name, str(value)) for name, value in request.path_params.items()]
    params += [("query", name, value) for name, value in request.query_params.multi_items()]
    found = [(where, name) for where, name, value in params if "\x00" in value]
    if found:
        raise RequestValidationError(
            [
                {"type": "string_nul", "loc": loc, "msg": "must not contain NUL characters"}
                for loc in found
            ]
        )


def _takes_json(route: object) -> bool:
    if not isinstance(route, APIRoute) or route.body_field is None:
        return False  # no body, or one the route reads itself (predict)
    return not isinstance(route.body_field.field_info, params.Form | params.File)


def require_json_body(request: Request) -> None:
    """A JSON route sent a body in another media type (`curl -d` sends a form) answers 415
    saying so, not a 422 about a body that "should be a valid dictionary"."""
    if not _takes_json(request.scope.get("route")):
        return
    has_body = request.headers.get("content-length", "0") != "0" or (
        "transfer-encoding" in request.headers
    )
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if has_body and media_type != "application/json" and not media_type.endswith("+json"):
        sent = f"'{media_type}'" if media_type else "no Content-Type"
        raise UnsupportedMediaType(
            f"This route takes a JSON body; the request sent {sent}. "
            "Send 'Content-Type: application/json'."
        )
