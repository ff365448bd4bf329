"""Jobs on the device data path (app.ml.fastpath), forced on the CPU with data_path="device":
what a GPU server runs by default, wired through the training and scoring jobs end to end.
The tensors themselves are compared with the PIL path's in tests/ml/test_fastpath.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from tests.datasets import hostile
from tests.datasets.test_api import wait_indexed
from tests.fixtures.images import class_tree, write_tree
from tests.fixtures.trained import wait_for
from tests.scoring.test_api import read_rows
from tests.training.test_api import SMALL, finished, start, untrained, wait_job


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        runner_poll_s=0.05,
        job_lease_s=3,
        job_progress_event_s=0,
        data_path="device",
    )


@pytest.fixture
def colours(client: TestClient, settings: Settings) -> str:
    """Noisy red, green and blue squares: PNGs (decoded by open_rgb), JPEGs (by decode_jpeg)."""
    root = settings.resolved_file_source_roots[0] / "colours"
    write_tree(root, class_tree({"blue": 16, "green": 16, "red": 16}))
    created = client.post("/v1/datasets", json={"source_uri": root.as_uri()}).json()
    return str(wait_indexed(client, created["id"])["id"])


def test_a_model_trained_and_scored_on_the_device_path_learns_and_reports_bad_files(
    client: TestClient,
    settings: Settings,
    colours: str,
) -> None:
    transform_id = client.post("/v1/transforms", json=SMALL).json()["id"]
    job = start(
        client,
        model_id=untrained(client),
        train_dataset_id=colours,
        validation_fraction=0.25,
        transform_id=transform_id,
        epochs=8,  # batches of 4, no early stop: see the same test in test_api.py
        batch_size=4,
        patience=8,
        learning_rate=0.003,
        optimizer="adamw",
    )
    job = wait_job(client, job["id"], finished)
    assert job["status"] == "succeeded", job["error"]
    metrics = client.get(f"/v1/training-jobs/{job['id']}/metrics").json()["items"]
    assert max(m["val_top1"] for m in metrics) >= 0.9  # chance is 1/3

    folder = settings.resolved_file_source_roots[0] / "to-score"
    write_tree(folder, class_tree({"blue": 4, "green": 4, "red": 4}, size=40))
    bad = hostile.truncated_jpeg(settings.data_dir)
    (folder / "red" / bad.name).write_bytes(bad.read_bytes())
    response = client.post(
        "/v1/scoring-jobs",
        json={"model_id": job["trained_model_id"], "input_uri": folder.as_uri()},
    )
    assert response.status_code == 202, response.text
    scoring = wait_for(client, f"/v1/scoring-jobs/{response.json()['id']}")
    assert scoring["status"] == "succeeded", scoring["error"]
    rows = read_rows(client, scoring)
    assert len(rows) == 12
    right = sum(row["Scored Labels"] == row["category"] for row in rows)
    assert right >= 10, rows
    errors = read_rows(client, scoring, "errors")
    assert [(Path(e["id"]).name, e["reason"]) for e in errors] == [("truncated.jpg", "truncated")]
