"""A project's open_streams quota: its event streams, counted across all of its keys, on a real
server (an in-process client cannot hold a stream open while it makes another request)."""

from __future__ import annotations

import hashlib
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.db.tables import JobRecord
from tests.fixtures.app import SERVE, server_process
from tests.jobs.test_http import queued_job

OPERATOR = "operator-key-for-stream-quota-tests"


def test_a_project_at_its_open_streams_quota_gets_429_naming_it(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        runner_enabled=False,  # the job stays queued, so its stream stays open
        api_key_hashes=[hashlib.sha256(OPERATOR.encode()).hexdigest()],
    )
    headers = {"Authorization": f"Bearer {OPERATOR}", "X-Project-Id": "p"}
    with (
        server_process(SERVE, settings, tmp_path / "server.log") as url,
        httpx.Client(timeout=60, headers=headers) as http,
        ExitStack() as streams,
    ):
        made = http.post(
            f"{url}/v1/projects",
            json={"id": "p", "name": "P", "quotas": {"open_streams": 1}},
            headers={"X-Project-Id": "default"},
        )
        assert made.status_code == 201, made.text
        job_id = queued_job(settings)
        engine = make_engine(settings.resolved_database_url)
        with make_session_factory(engine).begin() as session:  # the job is p's
            record = session.get(JobRecord, job_id)
            assert record is not None
            record.project_id = "p"
        engine.dispose()
        events = f"{url}/v1/training-jobs/{job_id}/events"

        first = streams.enter_context(http.stream("GET", events))
        assert first.status_code == 200
        usage = http.get(f"{url}/v1/projects/p").json()["quotas"]["open_streams"]
        assert usage == {"limit": 1, "used": 1, "project_default": False}
        refused = streams.enter_context(http.stream("GET", events))
        refused.read()
        assert refused.status_code == 429
        assert refused.json()["code"] == "quota-exceeded"
        assert "open_streams" in refused.json()["detail"]

        first.close()  # the server frees the slot once it sees the client gone
        deadline = time.monotonic() + 60
        while (again := streams.enter_context(http.stream("GET", events))).status_code != 200:
            again.read()
            assert again.status_code == 429 and time.monotonic() < deadline
