"""API keys: bearer tokens, stored as SHA-256 hashes, required on every /v1 route when set."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.api.auth import key_matches
from app.config import Settings
from app.main import create_app

KEY = "s3cret-key-for-tests"


@pytest.fixture
def keyed_client(tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(
        data_dir=tmp_path,
        host="0.0.0.0",  # noqa: S104 - allowed because keys are configured
        api_key_hashes=[hashlib.sha256(KEY.encode()).hexdigest(), "0" * 64],
    )
    with TestClient(create_app(settings)) as client:
        yield client


def v1_routes() -> list[tuple[str, str]]:
    out = []
    for path, item in create_app().openapi()["paths"].items():
        if path.startswith("/v1"):
            concrete = path.replace("{model_id}", "x").replace("{name}", "resnet18")
            out.extend((method.upper(), concrete) for method in item)
    return out


def test_the_route_list_covers_the_model_builder() -> None:
    assert {
        ("POST", "/v1/models"),
        ("DELETE", "/v1/models/x"),
        ("GET", "/v1/architectures"),
    } <= set(v1_routes())


@pytest.mark.parametrize(("method", "path"), v1_routes())
def test_every_v1_route_needs_a_key(keyed_client: TestClient, method: str, path: str) -> None:
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {KEY}"}):
        response = keyed_client.request(method, path, headers=headers, json={})
        assert response.status_code == 401, (method, path, headers)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json()["code"] == "unauthorized"


def test_the_right_key_is_let_in_and_health_needs_none(keyed_client: TestClient) -> None:
    ok = keyed_client.get("/v1/models", headers={"Authorization": f"Bearer {KEY}"})
    assert ok.status_code == 200
    assert keyed_client.get("/healthz").status_code == 200
    assert keyed_client.get("/readyz").status_code == 200


def test_key_comparison_checks_the_hash_against_every_stored_one() -> None:
    digest = hashlib.sha256(b"k").hexdigest()
    assert key_matches("k", ["f" * 64, digest])
    assert not key_matches("k", ["f" * 64])
    assert not key_matches("k", [])


def test_without_keys_the_server_refuses_to_bind_beyond_loopback() -> None:
    with pytest.raises(ValidationError, match="not loopback and no API keys"):
        Settings(host="0.0.0.0")  # noqa: S104
    assert Settings(host="::1").host == "::1"


def test_key_hashes_must_be_sha256_digests() -> None:
    with pytest.raises(ValidationError, match="SHA-256 hex digests"):
        Settings(api_key_hashes=["plaintext-key"])
    assert Settings(api_key_hashes="sha256:" + "A" * 64).api_key_hashes == ["a" * 64]
