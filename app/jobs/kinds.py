"""What a job kind is: its typed spec and result, its body, and what its end means for its
resources. Each domain declares its own kind beside its job body (as Polar's `@actor` tasks do);
the application hands the list of kinds to the runner (as arq's `WorkerSettings.functions`), so
this package names no domain.

A kind travels to a job's process by reference (pickle stores the module and name of its
functions and types), so that process imports only its own kind's modules."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.db.tenancy import acting_in

if TYPE_CHECKING:
    from app.db.tables import JobRecord
    from app.jobs.context import JobContext


class Pool(StrEnum):
    """Light work (indexing) runs beside the accelerated work (training, scoring)."""

    LIGHT = "light"
    ACCELERATED = "accelerated"


SpecT = TypeVar("SpecT", bound=BaseModel)
ResultT = TypeVar("ResultT", bound=BaseModel)


@dataclass(frozen=True)
class JobKind(Generic[SpecT, ResultT]):
    name: str
    pool: Pool
    spec_type: type[SpecT]
    result_type: type[ResultT]
    body: Callable[[JobContext[SpecT]], ResultT]  # runs in the job's own process
    # Called in the transaction that makes the job terminal, so a job and its resources never
    # disagree (a succeeded indexing job and a ready dataset).
    on_end: Callable[[Session, JobRecord], None] | None = None
    # The spec's shape: a job row keeps the version it was submitted with, and a process that
    # knows an older shape refuses a newer one instead of misreading it.
    version: int = 1

    def spec_of(self, job: JobRecord) -> SpecT:
        return self.spec_type.model_validate(job.spec)

    def result_of(self, job: JobRecord) -> ResultT | None:
        return None if job.result is None else self.result_type.model_validate(job.result)

    def end(self, session: Session, job: JobRecord) -> None:
        if self.on_end is not None:
            with acting_in(session, job.project_id):  # what it makes is the job's project's
                self.on_end(session, job)


class JobKinds:
    """The kinds one application runs, by name."""

    def __init__(self, kinds: Iterable[JobKind[Any, Any]]) -> None:
        self._by_name: dict[str, JobKind[Any, Any]] = {}
        for kind in kinds:
            if kind.name in self._by_name:
                raise ValueError(f"two job kinds are named {kind.name!r}")
            self._by_name[kind.name] = kind

    def __getitem__(self, name: str) -> JobKind[Any, Any]:
        return self._by_name[name]

    def __iter__(self) -> Iterator[JobKind[Any, Any]]:
        return iter(self._by_name.values())

    def names_in(self, pool: Pool) -> list[str]:
        return [k.name for k in self if k.pool is pool]
