"""Projects, their API keys and their audit log. Operators manage projects; a project's admins
manage its keys and read its audit log."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.api.deps import CurrentCallerDep, RuntimeDep, SessionDep, SettingsDep
from app.api.pagination import Cursor, Limit, Page
from app.errors import Conflict, Forbidden, InvalidRequest, NotFound, problem_responses
from app.projects import service
from app.projects.schemas import (
    ApiKey,
    ApiKeyCreate,
    ApiKeyCreated,
    AuditEvent,
    Project,
    ProjectCreate,
    ProjectUpdate,
)
from app.runtime import Runtime


def _counters(runtime: Runtime) -> service.Counters:
    return service.Counters(runtime.project_streams, runtime.project_requests)


projects = APIRouter(prefix="/v1/projects", tags=["projects"])
api_keys = APIRouter(prefix="/v1", tags=["api-keys"])
audit = APIRouter(prefix="/v1/audit-events", tags=["audit-events"])


@projects.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    summary="Create a project (operators)",
    responses=problem_responses(Forbidden, Conflict),
)
def create_project(
    body: ProjectCreate,
    session: SessionDep,
    settings: SettingsDep,
    caller: CurrentCallerDep,
    runtime: RuntimeDep,
    response: Response,
) -> Project:
    record = service.create_project(session, caller, body)
    response.headers["Location"] = f"/v1/projects/{record.id}"
    return service.to_schema(session, settings, record, _counters(runtime))


@projects.get(
    "",
    name="list",
    summary="List projects (operators)",
    responses=problem_responses(Forbidden, InvalidRequest),
)
def list_projects(
    session: SessionDep,
    settings: SettingsDep,
    caller: CurrentCallerDep,
    runtime: RuntimeDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[Project]:
    records = service.list_projects(session, caller, limit=limit, cursor=cursor)
    return service.page(session, settings, records, limit, _counters(runtime))


@projects.get(
    "/{project_id}",
    name="get",
    summary="Get a project, with its quotas and usage",
    responses=problem_responses(NotFound),
)
def get_project(
    project_id: str,
    session: SessionDep,
    settings: SettingsDep,
    caller: CurrentCallerDep,
    runtime: RuntimeDep,
) -> Project:
    return service.to_schema(
        session, settings, service.get_project(session, caller, project_id), _counters(runtime)
    )


@projects.patch(
    "/{project_id}",
    name="update",
    summary="Rename a project or set its quotas (operators)",
    responses=problem_responses(NotFound, Forbidden),
)
def update_project(
    project_id: str,
    body: ProjectUpdate,
    session: SessionDep,
    settings: SettingsDep,
    caller: CurrentCallerDep,
    runtime: RuntimeDep,
) -> Project:
    record = service.update_project(session, caller, project_id, body)
    return service.to_schema(session, settings, record, _counters(runtime))


@projects.delete(
    "/{project_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an empty project (operators)",
    responses=problem_responses(NotFound, Forbidden, Conflict),
)
def delete_project(project_id: str, session: SessionDep, caller: CurrentCallerDep) -> None:
    service.delete_project(session, caller, project_id)


@api_keys.post(
    "/projects/{project_id}/api-keys",
    name="create",
    status_code=status.HTTP_201_CREATED,
    summary="Make an API key for a project (its admins)",
    responses=problem_responses(NotFound, Forbidden, InvalidRequest),
)
def create_api_key(
    project_id: str, body: ApiKeyCreate, session: SessionDep, caller: CurrentCallerDep
) -> ApiKeyCreated:
    """The secret is in this response only: the server keeps its SHA-256."""
    return service.create_key(session, caller, project_id, body)


@api_keys.get(
    "/projects/{project_id}/api-keys",
    name="list",
    summary="List a project's API keys (its admins)",
    responses=problem_responses(NotFound, Forbidden, InvalidRequest),
)
def list_api_keys(
    project_id: str,
    session: SessionDep,
    caller: CurrentCallerDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> Page[ApiKey]:
    return service.list_keys(session, caller, project_id, limit=limit, cursor=cursor)


@api_keys.delete(
    "/api-keys/{key_id}",
    name="revoke",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key (its project's admins)",
    responses=problem_responses(NotFound, Forbidden),
)
def revoke_api_key(key_id: str, session: SessionDep, caller: CurrentCallerDep) -> None:
    """From the next request on, the key answers 401."""
    service.revoke_key(session, caller, key_id)


@audit.get(
    "",
    name="list",
    summary="The project's writes, newest first (its admins)",
    responses=problem_responses(Forbidden, InvalidRequest),
)
def list_audit_events(
    session: SessionDep, caller: CurrentCallerDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[AuditEvent]:
    return service.audit_events(session, caller, limit=limit, cursor=cursor)
