"""GET /metrics: Prometheus text with the request histogram by route template, and the job
figures read from the database at scrape time."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.config import Settings
from app.db.tables import JobRecord
from app.db.types import utcnow
from app.jobs.states import JobStatus
from app.main import create_app
from tests.observability.conftest import wait_indexed

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def scrape(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.text)
        for s in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))


def names(samples: Samples) -> set[str]:
    return {name for name, _ in samples}


@pytest.fixture
def idle_settings(tmp_path: Path) -> Settings:
    """No runner: a submitted job stays queued."""
    return Settings(data_dir=tmp_path / "data", runner_enabled=False)


def test_requests_are_counted_by_route_template_and_status(client: TestClient) -> None:
    for model_id in ("a", "b", "c"):
        assert client.get(f"/v1/models/{model_id}").status_code == 404
    client.get("/healthz")
    client.get(f"/random/{uuid.uuid4()}")
    samples = scrape(client)
    count = "resnet_studio_http_request_duration_seconds_count"
    assert value(samples, count, method="GET", route="/v1/models/{model_id}", status="404") == 3
    assert value(samples, count, method="GET", route="/healthz", status="200") == 1
    assert value(samples, count, method="GET", route="unmatched", status="404") == 1
    assert not any("/v1/models/a" in dict(labels).get("route", "") for _, labels in samples)
    bucket = value(
        samples,
        "resnet_studio_http_request_duration_seconds_bucket",
        method="GET",
        route="/v1/models/{model_id}",
        status="404",
        le="+Inf",
    )
    assert bucket == 3


def test_metrics_is_outside_the_api_and_its_schema(client: TestClient) -> None:
    assert "/metrics" not in client.get("/openapi.json").json()["paths"]


def test_metrics_needs_no_key_like_healthz(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", api_key_hashes=["a" * 64])
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1/models").status_code == 401
        assert client.get("/healthz").status_code == 200
        assert client.get("/metrics").status_code == 200


def test_a_queued_job_shows_in_jobs_by_status_and_queue_depth(idle_settings: Settings) -> None:
    root = idle_settings.resolved_file_source_roots[0] / "pets"
    root.mkdir(parents=True)
    with TestClient(create_app(idle_settings)) as client:
        before = scrape(client)
        assert value(before, "resnet_studio_jobs", kind="dataset-index", status="queued") == 0
        assert value(before, "resnet_studio_job_queue_depth", pool="light") == 0
        response = client.post("/v1/datasets", json={"source_uri": root.as_uri()})
        assert response.status_code == 202, response.text
        after = scrape(client)
    assert value(after, "resnet_studio_jobs_collector_up") == 1
    assert value(after, "resnet_studio_jobs", kind="dataset-index", status="queued") == 1
    assert value(after, "resnet_studio_job_queue_depth", pool="light") == 1
    assert value(after, "resnet_studio_job_queue_depth", pool="accelerated") == 0


def test_a_finished_job_is_in_the_duration_histogram(client: TestClient, pets_uri: str) -> None:
    response = client.post("/v1/datasets", json={"source_uri": pets_uri})
    assert wait_indexed(client, response.json()["id"])["status"] == "ready"
    samples = scrape(client)
    labels = {"kind": "dataset-index", "status": "succeeded"}
    assert value(samples, "resnet_studio_jobs", **labels) == 1
    assert value(samples, "resnet_studio_job_duration_seconds_count", **labels) == 1
    total = value(samples, "resnet_studio_job_duration_seconds_sum", **labels)
    assert total is not None and total > 0
    assert value(samples, "resnet_studio_job_duration_seconds_bucket", le="+Inf", **labels) == 1
    assert value(samples, "resnet_studio_job_duration_seconds_bucket", le="86400.0", **labels) == 1


def test_running_jobs_report_their_pace_and_gpu_memory(idle_settings: Settings) -> None:
    """What a running job last put in its progress, while its lease is live."""
    now = utcnow()

    def running(kind: str, progress: dict[str, float], lease_s: float) -> JobRecord:
        return JobRecord(
            id=str(uuid.uuid4()),
            kind=kind,
            status=JobStatus.RUNNING.value,
            spec={},
            transitions=[],
            progress=progress,
            lease_token=str(uuid.uuid4()),
            lease_expires_at=now + timedelta(seconds=lease_s),
            started_at=now,
            created_at=now,
            updated_at=now,
        )

    live = running("training", {"images_per_s": 512.5, "gpu_memory_allocated_bytes": 2048}, 60)
    scoring = running("scoring", {"images_per_s": 90.0}, 60)
    stale = running("scoring", {"images_per_s": 7.0}, -60)  # its worker died
    with TestClient(create_app(idle_settings)) as client:
        with client.app.state.runtime.sessions.begin() as session:  # type: ignore[attr-defined]
            session.add_all([live, scoring, stale])
        samples = scrape(client)
    pace = "resnet_studio_job_images_per_second"
    assert value(samples, pace, kind="training", job_id=live.id) == 512.5
    assert value(samples, pace, kind="scoring", job_id=scoring.id) == 90.0
    assert value(samples, pace, kind="scoring", job_id=stale.id) is None
    memory = "resnet_studio_job_gpu_memory_allocated_bytes"
    assert value(samples, memory, kind="training", job_id=live.id) == 2048
    assert value(samples, memory, kind="scoring", job_id=scoring.id) is None


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has CUDA")
def test_gpu_memory_is_omitted_without_cuda(client: TestClient) -> None:
    assert "resnet_studio_gpu_memory_allocated_bytes" not in names(scrape(client))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_gpu_memory_is_reported_per_device_with_cuda(client: TestClient) -> None:
    held = torch.ones(1024, 1024, device="cuda:0")  # 4 MiB in this process
    samples = scrape(client)
    allocated = value(samples, "resnet_studio_gpu_memory_allocated_bytes", device="0")
    assert allocated is not None and allocated >= held.numel() * 4
    for device in range(torch.cuda.device_count()):
        reserved = value(samples, "resnet_studio_gpu_memory_reserved_bytes", device=str(device))
        assert reserved is not None
    del held
