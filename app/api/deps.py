"""Dependencies, declared once as Annotated aliases."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request, params
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import Unauthorized, UnsupportedMediaType
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


def key_matches(presented: str, hashes: list[str]) -> bool:
    """Compare the presented key's SHA-256 with every stored hash in constant time, and without
    stopping at the first match, so timing says nothing about which or how many keys exist."""
    digest = hashlib.sha256(presented.encode()).hexdigest()
    matched = False
    for stored in hashes:
        matched |= hmac.compare_digest(digest, stored)
    return matched


def key_fingerprint(key: str) -> str:
    """A caller's identity in logs and rate limits: a short hash, never the key itself."""
    return "key:" + hashlib.sha256(key.encode()).hexdigest()[:12]


def current_caller(
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    """The caller's identity: a short fingerprint of their key, or 'anonymous' without auth."""
    if not settings.auth_enabled:
        return "anonymous"
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized("Send an API key as 'Authorization: Bearer <key>'.")
    if not key_matches(credentials.credentials, settings.api_key_hashes):
        raise Unauthorized("The API key is not valid for this server.")
    return key_fingerprint(credentials.credentials)


CurrentCallerDep = Annotated[str, Depends(current_caller)]


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
