"""A server whose jobs run elsewhere (`resnet-studio worker`) still accepts them."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app


def test_a_server_without_a_runner_records_jobs_for_the_workers(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", runner_enabled=False)
    source = settings.resolved_file_source_roots[0]
    source.mkdir(parents=True)
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/datasets", json={"source_uri": source.as_uri()})
        assert response.status_code == 202, response.text
        assert client.get(response.headers["location"]).json()["status"] == "indexing"
        assert client.app.state.runner is None  # type: ignore[attr-defined]
