"""Training through the API with the service's storage on S3 behind a proxy that breaks requests:
transient faults are retried and the job yields exactly one model; a fault that outlasts the
retries fails the job as `infrastructure-error`, and no half-uploaded model is ever visible."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.ml.model_dir import CONFIG_FILE, CURVES_FILE, METRICS_FILE, WEIGHTS_FILE, ModelDirConfig
from app.ml.safetensors_io import load_file
from app.storage import open_store
from tests.datasets.test_api import wait_indexed
from tests.fixtures.faulty_s3 import Fault, FaultyS3
from tests.fixtures.images import class_tree, write_tree
from tests.fixtures.storage import S3_CREDENTIALS
from tests.training.test_api import SMALL, finished, start, untrained, wait_job

ATTEMPTS = 4  # per S3 request
JOB_ATTEMPTS = 2


def model_file(name: str) -> str:
    """A target pattern for one file of a model directory."""
    return rf"/models/[0-9a-f-]+/{re.escape(name)}(\?|$)"


@pytest.fixture
def settings(tmp_path: Path, faulty_s3: FaultyS3, s3_bucket: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        storage_uri=f"s3://{s3_bucket}/studio",
        s3_endpoint_url=faulty_s3.url,
        s3_connect_timeout_s=1,
        s3_read_timeout_s=1,
        s3_max_attempts=ATTEMPTS,
        job_max_attempts=JOB_ATTEMPTS,
        job_lease_s=2,
        runner_poll_s=0.05,
        weights_verify_hash=False,
        **S3_CREDENTIALS,
    )


@pytest.fixture
def job_body(client: TestClient, settings: Settings) -> dict[str, Any]:
    """Everything a job needs, made before any fault is planned: a small three-class dataset,
    a small transformation and an untrained resnet18 (its config.json is in storage now)."""
    root = settings.resolved_file_source_roots[0] / "colours"
    write_tree(root, class_tree({"blue": 6, "green": 6, "red": 6}))
    dataset = client.post("/v1/datasets", json={"source_uri": root.as_uri()}).json()
    assert wait_indexed(client, dataset["id"])["status"] == "ready"
    return {
        "model_id": untrained(client),
        "train_dataset_id": dataset["id"],
        "validation_fraction": 0.34,
        "transform_id": client.post("/v1/transforms", json=SMALL).json()["id"],
        "batch_size": 4,
        "epochs": 1,
    }


def trained_models(client: TestClient) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.get("/v1/models?status=trained").json()["items"]
    return items


def test_transient_faults_in_stage_in_checkpoint_and_stage_out_cost_no_attempt(
    client: TestClient, settings: Settings, faulty_s3: FaultyS3, job_body: dict[str, Any]
) -> None:
    plan = faulty_s3.plan
    # stage in: the untrained model's config and the dataset snapshot
    plan.fail(Fault.RESET_MID_BODY, method="GET", path=model_file(CONFIG_FILE))
    plan.fail(Fault.INTERNAL_ERROR, method="GET", path=r"/index\.jsonl", times=2)
    # the epoch's checkpoint (a multipart upload: the fault hits its requests, parts included)
    plan.fail(Fault.SLOW_DOWN, method="PUT", path=r"/checkpoint-0001\.pt")
    plan.fail(Fault.RESET, method="POST", path=r"/checkpoint-0001\.pt\?uploadId=")
    # stage out, every file
    plan.fail(Fault.SLOW_DOWN, method="PUT", path=model_file(WEIGHTS_FILE))
    plan.fail(Fault.INTERNAL_ERROR, method="PUT", path=model_file(METRICS_FILE), times=2)
    plan.fail(Fault.RESET_MID_BODY, method="PUT", path=model_file(CURVES_FILE))
    plan.fail(Fault.TIMEOUT, method="PUT", path=model_file(CONFIG_FILE))

    job = wait_job(client, start(client, **job_body)["id"], finished, 120)

    assert job["status"] == "succeeded", job["error"]
    assert job["attempts"] == 1  # the store's retries absorbed every fault
    assert [rule.times for rule in plan.rules] == [0] * len(plan.rules), plan.rules
    [model] = trained_models(client)
    assert model["id"] == job["trained_model_id"] and model["training_job_id"] == job["id"]
    # The files the faults hit are whole.
    store = open_store(settings.resolved_storage_uri, settings)
    prefix = f"models/{model['id']}/"
    config = ModelDirConfig.from_json(store.get_bytes(prefix + CONFIG_FILE))
    assert config.class_names == ["blue", "green", "red"]
    local = settings.data_dir / "w.safetensors"
    store.download_file(prefix + WEIGHTS_FILE, local)
    assert load_file(local).tensors["fc.weight"].shape == (3, 512)
    assert store.get_bytes(prefix + CURVES_FILE).startswith(b"\x89PNG")


def test_a_persistent_fault_on_the_last_file_fails_the_job_as_infrastructure_without_a_model(
    client: TestClient, settings: Settings, faulty_s3: FaultyS3, job_body: dict[str, Any]
) -> None:
    faulty_s3.plan.fail_always(Fault.INTERNAL_ERROR, method="PUT", path=model_file(CONFIG_FILE))

    job = wait_job(client, start(client, **job_body)["id"], finished, 120)

    assert job["status"] == "failed"
    assert job["attempts"] == JOB_ATTEMPTS
    assert job["error"]["code"] == "infrastructure-error"
    # In the caller's terms: the bucket, the endpoint and S3's own words are in the server log.
    message = job["error"]["message"]
    assert message.startswith("Object storage was unreachable or refused an operation"), message
    assert f"each of the job's {JOB_ATTEMPTS} attempts" in message, message
    for internal in (settings.resolved_storage_uri, faulty_s3.url, "s3://", "InternalError"):
        assert internal.removeprefix("http://") not in message, (internal, message)
    # Each attempt made exactly the configured requests for the file, then gave up.
    assert len(faulty_s3.plan.injected(Fault.INTERNAL_ERROR)) == JOB_ATTEMPTS * ATTEMPTS
    assert job["trained_model_id"] is None and job["links"]["trained_model"] is None
    assert trained_models(client) == []
    # The model the job was writing (its id is in the requests that failed) does not exist.
    found = re.search(r"/models/([0-9a-f-]+)/", faulty_s3.plan.injected()[0].target)
    assert found is not None
    assert client.get(f"/v1/models/{found.group(1)}").status_code == 404
    logs = client.get(f"/v1/training-jobs/{job['id']}/logs").json()["items"]
    assert any("resuming after epoch 1" in line["message"] for line in logs)  # not retrained
