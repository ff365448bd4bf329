"""Project scoping for database sessions, applied to every query rather than written into each.

A request's session is scoped to the caller's project (`scope_to_project`): every ORM SELECT,
UPDATE and DELETE on a project-owned table gets `project_id = <project>` added, and every new
project-owned row is stamped with it. A resource of another project is then simply not found,
exactly like one that does not exist, and no service can forget the filter. Sessions without a
project (the job runner, workers, migrations) see every project: they act for the system.

This is SQLAlchemy's documented pattern for global criteria (`do_orm_execute` with
`with_loader_criteria`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.db.tables import ProjectOwned

_PROJECT = "project_id"
# Execution options for the few queries that must look across projects from a scoped session
# (an operator counting what a project holds before deleting it).
ALL_PROJECTS = {"all_projects": True}


def scope_to_project(session: Session, project_id: str) -> None:
    session.info[_PROJECT] = project_id


@contextmanager
def acting_in(session: Session, project_id: str) -> Iterator[None]:
    """Scope a system session to one project for a while: what a job makes when it ends (a
    trained model, a ready dataset) then belongs to the job's project."""
    before = session.info.get(_PROJECT)
    session.info[_PROJECT] = project_id
    try:
        yield
    finally:
        if before is None:
            session.info.pop(_PROJECT, None)
        else:
            session.info[_PROJECT] = before


def project_of(session: Session) -> str | None:
    """The project a session is scoped to; None for a system session."""
    project: str | None = session.info.get(_PROJECT)
    return project


@event.listens_for(Session, "do_orm_execute")
def _only_the_sessions_project(state: ORMExecuteState) -> None:
    project = project_of(state.session)
    if project is None or state.is_column_load or state.is_relationship_load:
        return
    if state.execution_options.get("all_projects", False):
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(
            with_loader_criteria(
                ProjectOwned,
                lambda cls: cls.project_id == project,
                include_aliases=True,
            )
        )


@event.listens_for(Session, "before_flush")
def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    project = project_of(session)
    if project is None:
        return
    for obj in session.new:
        if isinstance(obj, ProjectOwned):
            obj.project_id = project
