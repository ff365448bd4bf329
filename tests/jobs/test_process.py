"""How a job's end is recorded: its error, which its caller reads, says what failed in the
caller's terms. The service's own storage root (an absolute path, a bucket), the S3 endpoint and
the exception's own text go to the server log, never into the job's error or its log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.jobs.context import in_callers_terms
from app.main import create_app
from app.storage.local import LocalStore
from tests.datasets.test_api import wait_indexed
from tests.fixtures.faulty_s3 import Fault, FaultyS3
from tests.fixtures.images import class_tree, write_tree, zip_of
from tests.fixtures.storage import S3_CREDENTIALS, make_bucket
from tests.training.test_api import SMALL, finished, start, untrained, wait_job


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        runner_poll_s=0.05,
        job_max_attempts=1,
        weights_verify_hash=False,
    )


def storage_root(settings: Settings) -> Path:
    return Path(unquote(urlparse(settings.resolved_storage_uri).path))


def assert_in_callers_terms(text: str, *internals: str) -> None:
    for internal in internals:
        assert internal not in text, (internal, text)


def test_a_job_failing_on_a_file_gone_from_storage_names_the_file_not_the_storage_path(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    archive = zip_of(class_tree({"blue": 4, "red": 4}))
    upload = client.post("/v1/datasets/upload", files={"file": ("colours.zip", archive)})
    assert upload.status_code == 202, upload.text
    dataset = wait_indexed(client, upload.json()["id"])
    assert dataset["status"] == "ready", dataset
    # The images live in the service's own storage: one of them disappears from there.
    root = storage_root(settings)
    stored = sorted((root / "datasets" / dataset["id"]).rglob("*.png"))
    assert stored, list(root.rglob("*"))
    stored[0].unlink()
    key = stored[0].relative_to(root).as_posix()

    job = start(
        client,
        model_id=untrained(client),
        train_dataset_id=dataset["id"],
        transform_id=client.post("/v1/transforms", json=SMALL).json()["id"],
        validation_fraction=0.25,
        epochs=1,
        batch_size=4,
    )
    job = wait_job(client, job["id"], finished)

    assert (job["status"], job["error"]["code"]) == ("failed", "dataset-changed"), job["error"]
    message = job["error"]["message"]
    assert key in message and "register the data again" in message, message
    assert_in_callers_terms(message, str(tmp_path), "file://")


def test_the_storage_root_is_taken_out_of_a_recorded_message_and_the_callers_uris_kept(
    tmp_path: Path,
) -> None:
    store = LocalStore(tmp_path / "storage")
    mine = (tmp_path / "sources" / "a.png").as_uri()
    message = f"{store.uri_for('uploads/x/a.png')} was removed; {mine} was not"
    assert in_callers_terms(message, store) == f"uploads/x/a.png was removed; {mine} was not"
    oserror = f"[Errno 21] Is a directory: '{store.root}'"
    assert in_callers_terms(oserror, store) == "[Errno 21] Is a directory: 'the service's storage'"


@pytest.fixture
def s3_client(tmp_path: Path, faulty_s3: FaultyS3, moto_endpoint: str) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path / "data",
        storage_uri=f"s3://{make_bucket(moto_endpoint)}/studio",
        s3_endpoint_url=faulty_s3.url,
        s3_max_attempts=1,
        job_max_attempts=1,
        runner_poll_s=0.05,
        **S3_CREDENTIALS,
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_a_job_failing_on_an_s3_outage_says_so_without_the_endpoint_or_the_bucket(
    s3_client: TestClient, faulty_s3: FaultyS3, tmp_path: Path
) -> None:
    settings: Settings = s3_client.app.state.runtime.settings  # type: ignore[attr-defined]
    root = settings.resolved_file_source_roots[0] / "colours"
    write_tree(root, class_tree({"blue": 2, "red": 2}))
    # The connection is reset: botocore's error names the endpoint URL and the object's path.
    faulty_s3.plan.fail_always(Fault.RESET, method="PUT", path=r"/index\.jsonl")
    created = s3_client.post("/v1/datasets", json={"source_uri": root.as_uri()})
    assert created.status_code == 202, created.text
    dataset = wait_indexed(s3_client, created.json()["id"])

    assert dataset["status"] == "failed", dataset
    error: dict[str, Any] = dataset["error"]
    assert error["code"] == "infrastructure-error", error
    assert error["message"].startswith("Object storage was unreachable"), error
    bucket = settings.resolved_storage_uri.removeprefix("s3://").split("/")[0]
    host = faulty_s3.url.removeprefix("http://")
    assert_in_callers_terms(error["message"], host, bucket, "s3://", "endpoint", "Error")
    assert faulty_s3.plan.injected(Fault.RESET), "the fault never fired"
