"""A job kind that does nothing but wait in steps: the runner's test subject, and a way for an
operator to check that workers are picking jobs up."""

from __future__ import annotations

import time

from pydantic import BaseModel, Field

from app.jobs.context import JobContext
from app.jobs.errors import JobCancelled, JobFailed
from app.jobs.kinds import JobKind, Pool


class SleepSpec(BaseModel):
    steps: int = Field(10, ge=0)
    step_s: float = Field(0.05, ge=0)
    fail: str | None = Field(None, description="Fail with this message after the last step.")


class SleepResult(BaseModel):
    steps: int
    resumed_from: int
    attempt: int


def run(ctx: JobContext[SleepSpec]) -> SleepResult:
    spec = ctx.spec
    start = int(ctx.checkpoint.get("step", 0)) if ctx.checkpoint else 0
    for step in range(start, spec.steps):
        if ctx.cancel_requested():
            raise JobCancelled
        time.sleep(spec.step_s)
        # The attempt that wrote it, so a test can wait for a checkpoint of a given attempt.
        ctx.save_checkpoint({"step": step + 1, "attempt": ctx.attempt})
        ctx.progress(step=step + 1, total=spec.steps)
    if spec.fail:
        raise JobFailed("asked-to-fail", spec.fail)
    return SleepResult(steps=spec.steps, resumed_from=start, attempt=ctx.attempt)


SLEEP = JobKind("sleep", Pool.LIGHT, SleepSpec, SleepResult, body=run)
