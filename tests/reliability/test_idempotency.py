"""50 concurrent submits with one Idempotency-Key make one job, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import Settings
from tests.fixtures.app import backend_settings
from tests.fixtures.images import class_tree, write_tree


@pytest.fixture(params=["sqlite+file", "postgres+file"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    return backend_settings(request.param, request, tmp_path)


@pytest.fixture
def settings(tmp_path: Path, backend: dict[str, Any]) -> Settings:
    # Datasets get indexed; training jobs only need to exist, so no slot runs them.
    return Settings(
        data_dir=tmp_path / "data", runner_poll_s=0.05, runner_accelerated_slots=0, **backend
    )


def test_fifty_concurrent_submits_with_one_key_make_one_job(
    live_server: str, settings: Settings
) -> None:
    root = settings.resolved_file_source_roots[0] / "pets"
    write_tree(root, class_tree({"cat": 4, "dog": 4}, size=8))
    with httpx.Client(base_url=live_server, timeout=60) as client:
        dataset = client.post("/v1/datasets", json={"source_uri": root.as_uri()}).json()
        deadline = time.monotonic() + 60
        while client.get(f"/v1/datasets/{dataset['id']}").json()["status"] == "indexing":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        model = client.post("/v1/models", json={"architecture": "resnet18", "pretrained": False})
    body = {
        "model_id": model.json()["id"],
        "train_dataset_id": dataset["id"],
        "epochs": 1,
        "batch_size": 2,
    }

    def submit(_: int) -> httpx.Response:
        with httpx.Client(base_url=live_server, timeout=60) as client:
            return client.post(
                "/v1/training-jobs", json=body, headers={"Idempotency-Key": "same-key"}
            )

    with ThreadPoolExecutor(50) as pool:
        responses = list(pool.map(submit, range(50)))
    assert [r.status_code for r in responses] == [202] * 50, {r.text for r in responses}
    assert len({r.json()["id"] for r in responses}) == 1
    with httpx.Client(base_url=live_server, timeout=60) as client:
        jobs = client.get("/v1/training-jobs").json()["items"]
    assert len(jobs) == 1
