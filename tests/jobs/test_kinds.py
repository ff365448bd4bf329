"""Job kinds: declared by their domains with a typed spec and result, listed once by the
application, and a spec written by a newer version is refused rather than misread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import update

from app.db.tables import JobRecord
from app.job_kinds import KINDS
from app.jobs.kinds import JobKinds, Pool
from app.jobs.runner import JobRunner
from app.jobs.sleep import SLEEP, SleepResult, SleepSpec
from tests.jobs.conftest import terminal, wait_for


def test_each_kind_is_registered_once_with_its_pool() -> None:
    assert {k.name: k.pool for k in KINDS} == {
        "dataset-index": Pool.LIGHT,
        "training": Pool.ACCELERATED,
        "scoring": Pool.ACCELERATED,
        "sleep": Pool.LIGHT,
    }
    with pytest.raises(ValueError, match="two job kinds are named 'sleep'"):
        JobKinds([SLEEP, SLEEP])


def test_a_jobs_spec_and_result_are_stored_as_json_and_read_back_typed(
    runner: JobRunner, sessions: Any, submit: Callable[..., str]
) -> None:
    job = wait_for(sessions, submit({"steps": 2, "step_s": 0}), terminal)
    assert job.status == "succeeded", job.error_message
    assert (job.spec_version, job.spec) == (1, {"steps": 2, "step_s": 0.0, "fail": None})
    assert SLEEP.spec_of(job) == SleepSpec(steps=2, step_s=0)
    assert SLEEP.result_of(job) == SleepResult(steps=2, resumed_from=0, attempt=1)


def test_a_spec_from_a_newer_version_fails_saying_so_instead_of_being_misread(
    sessions: Any, submit: Callable[..., str], job_settings: Any
) -> None:
    job_id = submit({"steps": 1})
    with sessions.begin() as session:
        session.execute(update(JobRecord).where(JobRecord.id == job_id).values(spec_version=99))
    runner = JobRunner(job_settings, KINDS)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    try:
        job = wait_for(sessions, job_id, terminal)
    finally:
        runner.stop()
        thread.join(timeout=60)
    assert (job.status, job.error_code) == ("failed", "unsupported-spec")
    assert "up to version 1" in (job.error_message or "")


def test_the_runner_reads_the_runtime_limit_from_the_job_not_its_spec(
    runner: JobRunner, sessions: Any, submit: Callable[..., str]
) -> None:
    job = wait_for(
        sessions, submit({"steps": 10_000, "step_s": 0.05}, max_runtime_seconds=1), terminal
    )
    assert (job.status, job.error_code) == ("failed", "max-runtime-exceeded")
