"""A 10,000-image dataset registers in the background with its progress visible."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from tests.fixtures.images import image_bytes


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Progress written at up to 5 Hz (the default is 1 Hz): indexing here takes seconds.
    return Settings(data_dir=tmp_path / "data", runner_poll_s=0.05, job_progress_event_s=0.2)


def test_ten_thousand_images_register_with_visible_progress(
    client: TestClient, settings: Settings
) -> None:
    root = settings.resolved_file_source_roots[0] / "big"
    for label in ("a", "b"):
        (root / label).mkdir(parents=True)
        data = [image_bytes(label, i, size=8) for i in range(50)]
        for i in range(5000):
            (root / label / f"{i}.png").write_bytes(data[i % 50])

    response = client.post("/v1/datasets", json={"source_uri": root.as_uri()})
    assert response.status_code == 202
    assert response.json()["status"] == "indexing"  # the request only records the job

    seen: list[tuple[int, int]] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        dataset = client.get(response.headers["location"]).json()
        progress = dataset["progress"] or {}
        if progress.get("total"):
            seen.append((progress["done"] or 0, progress["total"]))
        if dataset["status"] != "indexing":
            break
        time.sleep(0.05)
    assert dataset["status"] == "ready", dataset["error"]
    assert dataset["image_count"] == 10_000 and dataset["class_counts"] == {"a": 5000, "b": 5000}
    assert any(0 < done < total for done, total in seen), seen[-5:]
