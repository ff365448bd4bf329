"""SIGTERM: the server stops cleanly and leaves its running job resumable, without spending one
of the job's attempts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from app.config import Settings
from app.db.engine import make_engine, make_session_factory
from app.db.tables import JobRecord
from tests.fixtures.images import class_tree, write_tree
from tests.reliability.test_chaos import TINY, _wait
from tests.training.test_resume import Server


@pytest.fixture
def server(tmp_path: Path) -> Server:
    settings = Settings(
        data_dir=tmp_path / "data", runner_poll_s=0.1, job_lease_s=2, job_progress_event_s=0
    )
    return Server(settings, tmp_path / "server.log")


def test_sigterm_drains_and_leaves_the_running_job_to_resume(server: Server) -> None:
    root = server.settings.resolved_file_source_roots[0] / "c"
    write_tree(root, class_tree({"blue": 8, "green": 8, "red": 8}, size=16))
    client = server.start()
    dataset = client.post("/v1/datasets", json={"source_uri": root.as_uri()}).json()
    _wait(client, f"/v1/datasets/{dataset['id']}", lambda d: d["status"] == "ready")
    transform = client.post("/v1/transforms", json=TINY).json()
    model = client.post("/v1/models", json={"architecture": "resnet18", "pretrained": False})
    job = client.post(
        "/v1/training-jobs",
        json={
            "model_id": model.json()["id"],
            "train_dataset_id": dataset["id"],
            "transform_id": transform["id"],
            "epochs": 8,
            "batch_size": 4,
            "print_frequency": 1,
        },
    ).json()
    path = f"/v1/training-jobs/{job['id']}"
    _wait(client, path, lambda j: ((j["progress"] or {}).get("epoch") or 0) >= 3)

    assert server.proc is not None
    started = time.monotonic()
    server.proc.terminate()  # SIGTERM to the server alone
    # uvicorn shuts down gracefully, then re-raises the signal so the exit status reports it.
    assert server.proc.wait(timeout=60) in (0, -15)
    assert time.monotonic() - started < 60
    assert "Application shutdown complete" in server.log.read_text()

    engine = make_engine(server.settings.resolved_database_url)
    with make_session_factory(engine)() as session:
        stopped = session.scalars(select(JobRecord).where(JobRecord.id == job["id"])).one()
        assert (stopped.status, stopped.attempts) == ("queued", 0)
        assert stopped.waiting_reason and "will resume" in stopped.waiting_reason
        assert stopped.checkpoint and stopped.checkpoint["epoch"] >= 2
    engine.dispose()

    client = server.start()
    done = _wait(client, path, lambda j: j["status"] in ("succeeded", "failed"), timeout_s=300)
    assert done["status"] == "succeeded" and done["attempts"] == 1
    logs = [line["message"] for line in client.get(f"{path}/logs").json()["items"]]
    assert any(m.startswith("resuming after epoch") for m in logs)
    server.stop()
