"""/readyz, and every other answer of a server whose object storage is down, says what is down
in the caller's terms: the S3 endpoint, the bucket and botocore's own words ("Unable to locate
credentials", "Could not connect to the endpoint URL") are in the server log, under the
request's id, and in no response."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.observability.logs import TextFormatter
from tests.fixtures.net import free_port
from tests.fixtures.storage import S3_CREDENTIALS, make_bucket


@dataclass(frozen=True)
class Outage:
    settings: Settings
    internals: list[str]  # what a response must not say
    logged: str  # what the server log says instead


def unreachable_endpoint(tmp_path: Path, moto_endpoint: str) -> Outage:
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings = Settings(
        data_dir=tmp_path / "data",
        storage_uri="s3://studio-bucket/studio",
        s3_endpoint_url=endpoint,
        s3_max_attempts=1,
        **S3_CREDENTIALS,
    )
    internals = [endpoint.removeprefix("http://"), "studio-bucket", "endpoint", "connect"]
    return Outage(settings, internals, "Could not connect to the endpoint URL")


def no_credentials(tmp_path: Path, moto_endpoint: str) -> Outage:
    bucket = make_bucket(moto_endpoint)
    settings = Settings(
        data_dir=tmp_path / "data",
        storage_uri=f"s3://{bucket}/studio",
        s3_endpoint_url=moto_endpoint,
        s3_max_attempts=1,
    )
    internals = [moto_endpoint.removeprefix("http://"), bucket, "credentials", "Credentials"]
    return Outage(settings, internals, "Unable to locate credentials")


@pytest.fixture(params=[unreachable_endpoint, no_credentials])
def outage(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    moto_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
) -> Outage:
    # The server's process finds no credentials anywhere but in its settings.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    make: Callable[[Path, str], Outage] = request.param
    return make(tmp_path, moto_endpoint)


@pytest.fixture
def settings(outage: Outage) -> Settings:
    return outage.settings


def logged(caplog: pytest.LogCaptureFixture, fragment: str, request_id: str) -> bool:
    lines = caplog.text.splitlines()
    return any(fragment in line and f"request_id={request_id}" in line for line in lines)


def test_a_storage_outage_is_told_in_the_callers_terms_and_logged_in_the_servers(
    outage: Outage, client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.handler.setFormatter(TextFormatter())  # the server's format: the request id included
    with caplog.at_level(logging.WARNING, logger="app"):
        ready = client.get("/readyz", headers={"X-Request-ID": "ready-1"})
        created = client.post(
            "/v1/models",
            json={"architecture": "resnet18", "pretrained": False},
            headers={"X-Request-ID": "create-1"},
        )
    assert ready.status_code == 503, ready.text
    assert ready.json()["code"] == "not-ready"
    assert ready.json()["detail"] == "Object storage is unreachable; try again later."
    assert created.status_code == 503, created.text
    assert created.json()["code"] == "storage-unavailable"
    assert "Try again later" in created.json()["detail"]
    for response in (ready, created):
        for internal in outage.internals:
            assert internal not in response.text, (internal, response.text)
    # The operator's view: the failure itself, named by the request it answered.
    assert logged(caplog, outage.logged, "ready-1"), caplog.text
    assert logged(caplog, outage.logged, "create-1"), caplog.text
