from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.db.migrate import upgrade_to_head
from app.db.tables import JobRecord
from app.job_kinds import KINDS
from app.jobs import service
from app.jobs.runner import JobRunner
from app.jobs.sleep import SLEEP, SleepSpec
from tests.fixtures.app import backend_settings


@pytest.fixture(params=["sqlite+file", "postgres+file"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    return backend_settings(request.param, request, tmp_path)


@pytest.fixture
def job_settings(tmp_path: Path, backend: dict[str, Any]) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        runner_light_slots=2,
        runner_accelerated_slots=0,
        runner_poll_s=0.05,
        job_lease_s=2,
        job_cancel_grace_s=5,
        job_progress_event_s=0,
        **backend,
    )


@pytest.fixture
def sessions(job_settings: Settings) -> Any:
    engine = make_engine(job_settings.resolved_database_url)
    upgrade_to_head(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def submit(sessions: Any, job_settings: Settings) -> Callable[..., str]:
    def submit(spec: dict[str, Any], max_attempts: int = 3, **kwargs: Any) -> str:
        with sessions.begin() as session:
            job, _ = service.submit(
                session,
                SLEEP,
                SleepSpec(**spec),
                settings=job_settings,
                max_attempts=max_attempts,
                **kwargs,
            )
            return job.id

    return submit


@pytest.fixture
def runner(job_settings: Settings, sessions: Any) -> Iterator[JobRunner]:
    runner = JobRunner(job_settings, KINDS)
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    yield runner
    runner.stop()
    thread.join(timeout=30)


def wait_for(
    sessions: Any, job_id: str, predicate: Callable[[JobRecord], bool], timeout_s: float = 60
) -> JobRecord:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        with sessions() as session:
            job = session.get(JobRecord, job_id)
            assert job is not None
            if predicate(job):
                session.expunge(job)
                return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} never reached the expected state")


def terminal(job: JobRecord) -> bool:
    return job.status in ("succeeded", "failed", "cancelled")
