"""What every job resource (training, scoring) shares in its API shape."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt

from app.jobs.states import JobStatus

# The runner compares it with the elapsed seconds as a float: an integer beyond a float's range
# (JSON allows any) failed every runner tick while the job ran. 2**31 - 1 s is 68 years.
MaxRuntimeSeconds = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]


class JobError(BaseModel):
    code: str
    message: str


class Transition(BaseModel):
    status: JobStatus
    at: datetime


class LogLine(BaseModel):
    id: int
    at: datetime
    attempt: int
    level: str
    message: str


class LogPage(BaseModel):
    items: list[LogLine]
    next_cursor: str = Field(
        description="Pass as `cursor` for the lines after these (the same cursor when there are "
        "no newer lines yet)."
    )
