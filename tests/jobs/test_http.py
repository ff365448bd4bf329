"""The HTTP pieces every job resource shares: log paging, the event stream and its contract."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.pagination import encode_position
from app.config import Settings
from app.jobs import service
from app.jobs.http import MAX_EVENT_ID, SSE_EVENT
from app.jobs.repository import JobRepository
from app.training.job import TrainingSpec
from app.training.schemas import Hyperparameters
from app.training.tasks import TRAINING


@pytest.fixture
def settings(tmp_path: Path, backend: dict[str, Any]) -> Settings:
    return Settings(data_dir=tmp_path / "data", runner_enabled=False, **backend)


@pytest.fixture
def finished_job(client: TestClient) -> str:
    """A training job that was cancelled while queued: terminal, so its stream ends."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions.begin() as session:
        spec = TrainingSpec(
            model_id="m",
            train_dataset_id="d",
            validation_dataset_id=None,
            validation_fraction=0.1,
            transform_id=None,
            transform=None,
            hyperparameters=Hyperparameters(),
            name=None,
            tags=[],
            trained_model_id="t",
        )
        job, _ = service.submit(session, TRAINING, spec, max_attempts=1)
        service.cancel(session, TRAINING, job)
        return str(job.id)


def test_event_ids_beyond_the_event_column_are_refused_not_queried(
    client: TestClient, finished_job: str
) -> None:
    # job_events.id is an INTEGER: PostgreSQL failed the comparison with a larger one (a 500).
    logs = f"/v1/training-jobs/{finished_job}/logs"
    last = encode_position(MAX_EVENT_ID)
    assert client.get(logs, params={"cursor": last}).json()["items"] == []
    too_large = client.get(logs, params={"cursor": encode_position(MAX_EVENT_ID + 1)})
    assert too_large.status_code == 422
    assert too_large.json()["code"] == "invalid-request"
    events = f"/v1/training-jobs/{finished_job}/events"
    assert client.get(events, headers={"Last-Event-ID": str(MAX_EVENT_ID)}).status_code == 200
    too_large = client.get(events, headers={"Last-Event-ID": str(MAX_EVENT_ID + 1)})
    assert too_large.status_code == 422
    assert [e["loc"] for e in too_large.json()["errors"]] == [["header", "Last-Event-ID"]]


def test_the_stream_declares_each_event_and_every_frame_is_one(
    client: TestClient, finished_job: str
) -> None:
    # The declared schema was {"type": "string"}, which OpenAPI 3.2 and schemathesis read as the
    # schema of each event (an object with event, data, id, retry): every stream broke it.
    document = client.app.openapi()  # type: ignore[attr-defined]
    for kind in ("training-jobs", "scoring-jobs"):
        ok = document["paths"][f"/v1/{kind}/{{job_id}}/events"]["get"]["responses"]["200"]
        assert ok["content"] == {"text/event-stream": {"itemSchema": SSE_EVENT}}
    stream = client.get(f"/v1/training-jobs/{finished_job}/events")
    frames = [f for f in stream.text.split("\n\n") if f.strip()]
    assert frames
    for frame in frames:
        fields = dict(line.split(": ", 1) for line in frame.splitlines())
        assert set(fields) <= set(SSE_EVENT["properties"]), frame
        if "data" in fields:
            assert isinstance(json.loads(fields["data"]), dict)


def test_a_job_cancelled_while_queued_says_so_and_every_time_is_rfc3339_utc(
    client: TestClient, finished_job: str
) -> None:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions.begin() as session:  # a line the job logged, to see in the stream
        JobRepository(session).add_event(finished_job, 1, "log", {"message": "hello"})
    job = client.get(f"/v1/training-jobs/{finished_job}").json()
    assert job["status"] == "cancelled" and job["stop_reason"] == "cancelled"
    times = [job["created_at"], job["finished_at"], *(t["at"] for t in job["transitions"])]
    stream = client.get(f"/v1/training-jobs/{finished_job}/events").text
    data = [json.loads(line[6:]) for line in stream.splitlines() if line.startswith("data: ")]
    times += [d["at"] for d in data if "at" in d]
    assert len(times) >= 5
    for at in times:  # `2026-12-02T15:19:30.850198Z`, never `2026-12-02 15:19:30+00:00`
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", at), at
