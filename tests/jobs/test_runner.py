"""The runner: jobs run in their own processes, survive crashes, stop when cancelled."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable
from typing import Any

from app.jobs import service
from app.jobs.repository import JobRepository
from app.jobs.runner import JobRunner
from app.jobs.sleep import SLEEP
from app.jobs.states import JobStatus
from tests.jobs.conftest import terminal, wait_for


def test_a_job_runs_to_success_with_its_transitions_recorded(
    runner: JobRunner, sessions: Any, submit: Callable[..., str]
) -> None:
    job_id = submit({"steps": 3})
    job = wait_for(sessions, job_id, terminal)
    assert job.status == "succeeded", job.error_message
    assert job.result == {"steps": 3, "resumed_from": 0, "attempt": 1}
    assert [t["status"] for t in job.transitions] == ["queued", "running", "succeeded"]
    assert job.attempts == 1 and job.started_at and job.finished_at
    assert job.progress == {"step": 3, "total": 3}
    with sessions() as session:
        types = [e.type for e in JobRepository(session).events(job_id)]
    assert "progress" in types and "log" in types


def test_a_job_that_fails_on_its_input_fails_at_once_without_retry(
    runner: JobRunner, sessions: Any, submit: Callable[..., str]
) -> None:
    job = wait_for(sessions, submit({"steps": 1, "fail": "bad labels"}), terminal)
    assert (job.status, job.error_code, job.error_message) == (
        "failed",
        "asked-to-fail",
        "bad labels",
    )
    assert job.attempts == 1


def running_attempt(
    runner: JobRunner, sessions: Any, job_id: str, attempt: int, steps: int = 1
) -> int:
    """Wait until `attempt` has saved `steps` checkpoints of its own and the runner's slot holds
    its live process; returns that process's pid."""
    wait_for(
        sessions,
        job_id,
        lambda j: (
            (j.checkpoint or {}).get("attempt") == attempt and j.checkpoint.get("step", 0) >= steps
        ),
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        for slot in list(runner.slots):
            claim, process = slot.claim, slot.process
            ours = claim is not None and claim.job_id == job_id and claim.attempt == attempt
            if ours and process is not None and process.pid is not None and process.is_alive():
                return process.pid
        time.sleep(0.05)
    raise AssertionError(f"no live process for attempt {attempt} of job {job_id}")


def test_a_killed_job_process_is_retried_and_resumes_from_its_checkpoint(
    runner: JobRunner, sessions: Any, submit: Callable[..., str]
) -> None:
    job_id = submit({"steps": 40, "step_s": 0.05})
    os.kill(running_attempt(runner, sessions, job_id, attempt=1, steps=5), signal.SIGKILL)

    job = wait_for(sessions, job_id, terminal)
    assert job.status == "succeeded"
    assert job.attempts == 2
    assert job.result is not None and job.result["resumed_from"] >= 5
    assert [t["status"] for t in job.transitions] == [
        "queued",
        "running",
        "queued",
        "running",
        "succeeded",
    ]


def test_attempts_are_bounded(runner: JobRunner, sessions: Any, submit: Callable[..., str]) -> None:
    job_id = submit({"steps": 100_000, "step_s": 0.05}, max_attempts=2)
    for attempt in (1, 2):
        os.kill(running_attempt(runner, sessions, job_id, attempt), signal.SIGKILL)
    job = wait_for(sessions, job_id, terminal)
    assert (job.status, job.error_code, job.attempts) == ("failed", "worker-crashed", 2)


def test_cancel_stops_a_running_job_at_its_next_step(
    runner: JobRunner, sessions: Any, submit: Callable[..., str]
) -> None:
    job_id = submit({"steps": 1000, "step_s": 0.05})
    wait_for(sessions, job_id, lambda j: j.status == "running" and bool(j.checkpoint))
    with sessions.begin() as session:
        service.cancel(session, SLEEP, JobRepository(session).get(job_id))  # type: ignore[arg-type]
    job = wait_for(sessions, job_id, terminal)
    assert job.status == "cancelled" and job.attempts == 1
    assert job.checkpoint is not None and job.checkpoint["step"] < 1000


def test_cancel_of_a_queued_job_is_immediate_and_terminal_statuses_never_change(
    sessions: Any, submit: Callable[..., str]
) -> None:
    job_id = submit({"steps": 1})
    with sessions.begin() as session:
        job = service.cancel(session, SLEEP, JobRepository(session).get(job_id))  # type: ignore[arg-type]
        assert job.status == "cancelled"
    with sessions.begin() as session:
        job = service.cancel(session, SLEEP, JobRepository(session).get(job_id))  # type: ignore[arg-type]
        assert job.status == "cancelled"
        assert JobRepository(session).claim_next(["sleep"], "w", 5) is None


def test_a_stale_worker_cannot_overwrite_the_attempt_that_replaced_it(
    sessions: Any, submit: Callable[..., str]
) -> None:
    job_id = submit({"steps": 1})
    with sessions.begin() as session:
        # worker-a's lease has already run out when it is granted: it stalled past it
        first = JobRepository(session).claim_next(["sleep"], "worker-a", lease_s=-60)
    assert first is not None
    with sessions.begin() as session:
        second = JobRepository(session).claim_next(["sleep"], "worker-b", lease_s=30)
    assert second is not None and second.attempt == 2 and second.token != first.token
    with sessions.begin() as session:
        repo = JobRepository(session)
        assert repo.heartbeat(job_id, first.token, 30, {"step": 9}, None) == (False, False)
        assert repo.finish(job_id, first.token, JobStatus.SUCCEEDED, result={"stale": True}) is None
        assert repo.add_event(job_id, 1, "log", {"m": "stale"}, token=first.token) is False
        assert repo.finish(job_id, second.token, JobStatus.SUCCEEDED, result={"ok": True})
    with sessions() as session:
        job = JobRepository(session).get(job_id)
        assert job is not None and job.result == {"ok": True} and job.progress is None


def test_idempotency_key_returns_the_original_job_and_refuses_another_body(
    sessions: Any, submit: Callable[..., str]
) -> None:
    import pytest

    first = submit({"steps": 1}, idempotency_key="k1")
    assert submit({"steps": 1}, idempotency_key="k1") == first
    with pytest.raises(service.IdempotencyConflict):
        submit({"steps": 2}, idempotency_key="k1")
