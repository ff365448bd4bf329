"""kill -9 of the server and its job processes mid-epoch: after a restart the job resumes from its
last checkpoint, succeeds, and counts the attempt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.config import Settings
from tests.fixtures.app import settings_env
from tests.fixtures.images import class_tree, write_tree
from tests.fixtures.net import free_port, wait_for_port
from tests.training.test_api import SMALL


class Server:
    """`resnet-studio serve` in its own process group, so kill -9 takes its job processes too."""

    def __init__(self, settings: Settings, log: Path) -> None:
        self.settings, self.log, self.port = settings, log, free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> httpx.Client:
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [
                    str(Path(sys.executable).with_name("resnet-studio")),
                    "serve",
                    "--port",
                    str(self.port),
                ],
                env={**os.environ, **settings_env(self.settings)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_for_port(self.port, timeout_s=60)
        return httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=60)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    settings = Settings(
        data_dir=tmp_path / "data", runner_poll_s=0.1, job_lease_s=2, job_progress_event_s=0
    )
    server = Server(settings, tmp_path / "server.log")
    yield server
    server.stop()


def poll(client: httpx.Client, path: str, until: Any, timeout_s: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(path).json()
        if until(body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"{path} never got there: {body}")


def test_a_job_killed_mid_epoch_resumes_from_its_checkpoint_after_a_restart(
    server: Server,
) -> None:
    write_tree(
        server.settings.resolved_file_source_roots[0] / "c",
        class_tree({"blue": 12, "green": 12, "red": 12}),
    )
    client = server.start()
    dataset = client.post(
        "/v1/datasets",
        json={"source_uri": (server.settings.resolved_file_source_roots[0] / "c").as_uri()},
    ).json()
    poll(client, f"/v1/datasets/{dataset['id']}", lambda d: d["status"] == "ready")
    model = client.post("/v1/models", json={"architecture": "resnet18", "pretrained": False})
    transform = client.post("/v1/transforms", json=SMALL).json()
    job = client.post(
        "/v1/training-jobs",
        json={
            "model_id": model.json()["id"],
            "train_dataset_id": dataset["id"],
            "transform_id": transform["id"],
            "epochs": 6,
            "batch_size": 4,
            "print_frequency": 1,
        },
    ).json()
    path = f"/v1/training-jobs/{job['id']}"

    def mid_epoch_after_a_checkpoint(j: dict[str, Any]) -> bool:
        progress = j["progress"] or {}
        return (progress.get("epoch") or 0) >= 3 and (progress.get("step") or 0) >= 2

    before = poll(client, path, mid_epoch_after_a_checkpoint)
    server.kill9()

    client = server.start()
    done = poll(client, path, lambda j: j["status"] in ("succeeded", "failed", "cancelled"))
    assert done["status"] == "succeeded", done["error"]
    assert done["attempts"] == 2
    statuses = [t["status"] for t in done["transitions"]]
    assert statuses[0] == "queued" and statuses[-1] == "succeeded"
    metrics = client.get(f"{path}/metrics").json()["items"]
    assert [m["epoch"] for m in metrics] == [1, 2, 3, 4, 5, 6]  # nothing lost, nothing doubled
    logs = [line["message"] for line in client.get(f"{path}/logs").json()["items"]]
    resumed = [m for m in logs if m.startswith("resuming after epoch")]
    assert resumed and int(resumed[0].split()[3]) >= before["progress"]["epoch"] - 1
    trained = client.get("/v1/models?status=trained").json()["items"]
    assert [m["training_job_id"] for m in trained] == [job["id"]]  # exactly one trained model
