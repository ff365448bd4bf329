"""The HTTP pieces every job resource shares: log paging, the event stream and its contract."""

from __future__ import annotations

import hashlib
import json
import re
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.pagination import encode_position
from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.jobs import service
from app.jobs.http import MAX_EVENT_ID, SSE_EVENT
from app.jobs.repository import JobRepository
from app.training.job import TrainingSpec
from app.training.schemas import Hyperparameters
from app.training.tasks import TRAINING
from tests.fixtures.app import SERVE, server_process


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
        job, _ = service.submit(session, TRAINING, spec, settings=runtime.settings, max_attempts=1)
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


SUBMITS = {
    "/v1/training-jobs": {"model_id": "m", "train_dataset_id": "d"},
    "/v1/scoring-jobs": {"model_id": "m", "dataset_id": "d"},
}


@pytest.mark.parametrize("path", list(SUBMITS))
@pytest.mark.parametrize("key", ["", "   ", "two words", "caf\u00e9", "x" * 201])
def test_an_idempotency_key_must_be_1_to_200_visible_characters(
    client: TestClient, path: str, key: str
) -> None:
    # A blank key was stored as a key: every request sent with one shared it.
    body = SUBMITS[path]
    headers = {"Idempotency-Key": key.encode("latin-1")}
    response = client.post(path, json=body, headers=headers)  # type: ignore[arg-type]
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert [e["loc"] for e in problem["errors"]] == [["header", "Idempotency-Key"]]
    if len(key) <= 200:
        assert "1 to 200 visible ASCII characters" in problem["errors"][0]["msg"]
    assert client.get(path).json()["items"] == []


# -- open streams per caller, against a real server --------------------------------------------
KEY_A, KEY_B = "first-key-for-tests", "second-key-for-tests"


def queued_job(settings: Settings) -> str:
    """A training job no runner takes: its stream stays open until the client leaves."""
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
    engine = make_engine(settings.resolved_database_url)
    try:
        with make_session_factory(engine).begin() as session:
            job, _ = service.submit(session, TRAINING, spec, settings=settings, max_attempts=1)
            return str(job.id)
    finally:
        engine.dispose()


def test_a_caller_over_its_open_stream_cap_gets_429_until_it_closes_one(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        runner_enabled=False,
        max_streams_per_caller=2,
        api_key_hashes=[hashlib.sha256(k.encode()).hexdigest() for k in (KEY_A, KEY_B)],
    )
    with (
        server_process(SERVE, settings, tmp_path / "server.log") as url,
        httpx.Client(timeout=60) as http,
        ExitStack() as streams,
    ):
        events = f"{url}/v1/training-jobs/{queued_job(settings)}/events"

        def open_stream(key: str) -> httpx.Response:
            headers = {"Authorization": f"Bearer {key}"}
            return streams.enter_context(http.stream("GET", events, headers=headers))

        first, second = open_stream(KEY_A), open_stream(KEY_A)
        assert (first.status_code, second.status_code) == (200, 200)
        refused = open_stream(KEY_A)
        refused.read()
        assert refused.status_code == 429
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "too-many-streams"
        assert "2 event streams" in refused.json()["detail"]
        assert open_stream(KEY_B).status_code == 200  # each caller has its own slots

        first.close()  # the server frees the slot once it sees the client gone
        deadline = time.monotonic() + 60
        while (again := open_stream(KEY_A)).status_code != 200:
            again.read()
            assert again.status_code == 429 and time.monotonic() < deadline
