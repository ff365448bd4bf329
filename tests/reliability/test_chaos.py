"""Accepted means durable: training jobs survive kill -9 of their workers (and of the server) at
random moments, and each ends `succeeded` with exactly one trained model."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from app.config import Settings
from app.db.engine import make_engine
from app.db.tables import JobRecord
from tests.fixtures.app import settings_env
from tests.fixtures.images import class_tree, write_tree
from tests.fixtures.net import free_port, wait_for_port

BIN = Path(sys.executable).parent
KILLS = 4
JOBS = 4
TINY = {"resize": {"enabled": True, "size": 20}, "center_crop": {"enabled": True, "size": 16}}


class Process:
    """A command in its own process group, so kill -9 takes its job processes too."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path) -> None:
        self.args, self.env, self.log = args, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.args,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill9(self) -> None:
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill9()


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[Settings, Process, list[Process], int]]:
    settings = Settings(
        data_dir=tmp_path / "data",
        runner_poll_s=0.1,
        job_lease_s=2,
        job_max_attempts=KILLS + 1,
        job_progress_event_s=0.5,
    )
    env = {**os.environ, **settings_env(settings)}
    port = free_port()
    server = Process(
        [str(BIN / "resnet-studio"), "serve", "--port", str(port)],
        {**env, "RESNET_STUDIO_RUNNER_ENABLED": "false"},
        tmp_path / "server.log",
    )
    workers = [
        Process([str(BIN / "resnet-studio"), "worker"], env, tmp_path / f"worker{i}.log")
        for i in range(2)
    ]
    server.start()
    wait_for_port(port, timeout_s=60)
    for worker in workers:
        worker.start()
    yield settings, server, workers, port
    for process in (server, *workers):
        process.stop()


def _wait(client: httpx.Client, path: str, done: Any, timeout_s: float = 120) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body = client.get(path).json()
        if done(body):
            return body
        time.sleep(0.1)
    raise AssertionError(f"{path}: {body}")


def _busy_worker(
    settings: Settings, workers: list[Process], rng: random.Random, timeout_s: float = 300
) -> tuple[Process, str]:
    """A worker that holds a running job (its runner's pid leads the job's lease owner, after
    the host), chosen at random among the busy ones, with that job's phase."""
    engine = make_engine(settings.resolved_database_url)
    deadline = time.monotonic() + timeout_s
    try:
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                rows = connection.execute(
                    select(JobRecord.lease_owner, JobRecord.sub_status).where(
                        JobRecord.status == "running", JobRecord.lease_owner.is_not(None)
                    )
                ).all()
            pids = {w.proc.pid: w for w in workers if w.proc is not None}
            busy = [
                (pids[pid], sub or "starting")
                for owner, sub in rows
                if (pid := int(owner.rsplit(":", 2)[1])) in pids
            ]
            if busy:
                return busy[rng.randrange(len(busy))]
            time.sleep(0.1)
    finally:
        engine.dispose()
    raise AssertionError("no worker took a job")


def test_training_jobs_survive_kill_9_of_workers_and_server(
    cluster: tuple[Settings, Process, list[Process], int],
) -> None:
    settings, server, workers, port = cluster
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
    root = settings.resolved_file_source_roots[0] / "c"
    write_tree(root, class_tree({"blue": 8, "green": 8, "red": 8}, size=16))
    response = client.post("/v1/datasets", json={"source_uri": root.as_uri()})
    assert response.status_code == 202, response.text
    dataset = response.json()
    _wait(client, f"/v1/datasets/{dataset['id']}", lambda d: d["status"] == "ready")
    transform = client.post("/v1/transforms", json=TINY).json()
    job_ids = []
    for n in range(JOBS):
        model = client.post("/v1/models", json={"architecture": "resnet18", "pretrained": False})
        job = client.post(
            "/v1/training-jobs",
            headers={"Idempotency-Key": f"chaos-{n}"},
            json={
                "model_id": model.json()["id"],
                "train_dataset_id": dataset["id"],
                "transform_id": transform["id"],
                "epochs": 3,
                "batch_size": 4,
                "print_frequency": 1,
                "learning_rate": 0.003,
                "optimizer": "adamw",
            },
        )
        assert job.status_code == 202, job.text
        job_ids.append(job.json()["id"])

    rng = random.Random(7)
    hit: list[str] = []
    for kill in range(KILLS):
        # Each kill lands on a worker while it runs a job, so every kill costs an attempt.
        victim, phase = _busy_worker(settings, workers, rng)
        hit.append(phase)
        victim.kill9()
        victim.start()
        if kill == 1:  # the server too: accepted jobs live in the database, not in it
            server.kill9()
            server.start()
            wait_for_port(port, timeout_s=60)

    jobs = [
        _wait(
            client,
            f"/v1/training-jobs/{job_id}",
            lambda j: j["status"] in ("succeeded", "failed", "cancelled"),
            timeout_s=300,
        )
        for job_id in job_ids
    ]
    assert [j["status"] for j in jobs] == ["succeeded"] * JOBS, [j["error"] for j in jobs]
    assert all(j["attempts"] <= j["max_attempts"] for j in jobs)
    # A kill may land just as its job ends, so at least one (not every one) costs an attempt.
    assert sum(j["attempts"] for j in jobs) > JOBS, f"no kill hit a running job: {hit}"
    for job in jobs:
        epochs = client.get(f"/v1/training-jobs/{job['id']}/metrics").json()["items"]
        assert [m["epoch"] for m in epochs] == [1, 2, 3]  # resumed, never repeated or lost
    trained = client.get("/v1/models", params={"status": "trained", "limit": 100}).json()["items"]
    assert Counter(m["training_job_id"] for m in trained) == Counter(job_ids)
    print(f"kills landed while jobs were: {Counter(hit)}")
