"""The HTTP pieces every job resource shares: log paging, the event stream and its contract."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.jobs import service
from app.jobs.http import MAX_EVENT_ID, SSE_EVENT
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
    assert client.get(logs, params={"after": MAX_EVENT_ID}).json()["items"] == []
    too_large = client.get(logs, params={"after": MAX_EVENT_ID + 1})
    assert too_large.status_code == 422
    assert [e["loc"] for e in too_large.json()["errors"]] == [["query", "after"]]
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
