"""A job body that does nothing but wait in steps: the runner's test subject, and a way for an
operator to check that workers are picking jobs up."""

from __future__ import annotations

import time
from typing import Any

from app.jobs.context import JobContext
from app.jobs.errors import JobCancelled, JobFailed


def run(ctx: JobContext) -> dict[str, Any]:
    steps = int(ctx.spec.get("steps", 10))
    start = int(ctx.checkpoint.get("step", 0)) if ctx.checkpoint else 0
    for step in range(start, steps):
        if ctx.cancel_requested():
            raise JobCancelled
        time.sleep(float(ctx.spec.get("step_s", 0.05)))
        ctx.save_checkpoint({"step": step + 1})
        ctx.progress(step=step + 1, total=steps)
    if ctx.spec.get("fail"):
        raise JobFailed("asked-to-fail", str(ctx.spec["fail"]))
    return {"steps": steps, "resumed_from": start, "attempt": ctx.attempt}
