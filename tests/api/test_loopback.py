"""A server without API keys serves only its own machine, however it was started: each connection
accepted on an address that is not loopback gets 403 `loopback-only`, and the refusal is logged.
`resnet-studio serve` refuses such a bind at start-up (tests/test_cli.py); a bare uvicorn binds
where it is told, so the check is made on every connection."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.loopback import is_local
from app.config import Settings
from app.main import create_app
from tests.fixtures.app import UVICORN, server_process
from tests.fixtures.net import non_loopback_address

KEY = "a-key-for-tests"


def test_only_numeric_addresses_that_are_not_loopback_count_as_exposed() -> None:
    assert is_local(("127.0.0.1", 8000)) and is_local(("127.9.9.9", 8000))
    assert is_local(("::1", 8000)) and is_local(("::ffff:127.0.0.1", 8000))
    assert is_local(None)  # a Unix socket
    assert is_local(("testserver", 80))  # an in-process transport: no socket at all
    for exposed in ("192.0.2.2", "10.0.0.1", "::ffff:192.0.2.2", "2001:db8::1", "fe80::1%2"):
        assert not is_local((exposed, 8000)), exposed


def test_without_keys_a_connection_to_a_public_address_is_refused(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data", runner_enabled=False))
    with TestClient(app, base_url="http://203.0.113.5") as client:  # the server's own address
        for path in ("/healthz", "/v1/models", "/docs"):
            refused = client.get(path)
            assert refused.status_code == 403, path
            assert refused.headers["content-type"] == "application/problem+json"
            body = refused.json()
            assert body["code"] == "loopback-only"
            assert "API keys" in body["detail"] and "203.0.113.5" not in body["detail"]
            assert body["request_id"] == refused.headers["x-request-id"]


def test_with_keys_a_public_address_is_served(tmp_path: Path) -> None:
    hashes = [hashlib.sha256(KEY.encode()).hexdigest()]
    settings = Settings(data_dir=tmp_path / "data", runner_enabled=False, api_key_hashes=hashes)
    with TestClient(create_app(settings), base_url="http://203.0.113.5") as client:
        assert client.get("/healthz").status_code == 200
        assert client.get("/v1/models").status_code == 401
        headers = {"Authorization": f"Bearer {KEY}"}
        assert client.get("/v1/models", headers=headers).status_code == 200


@pytest.fixture
def public_address() -> str:
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to connect to")
    return address


def test_a_keyless_bare_uvicorn_bound_to_every_address_serves_only_loopback_connections(
    tmp_path: Path, public_address: str
) -> None:
    settings = Settings(data_dir=tmp_path / "data", runner_enabled=False)
    log = tmp_path / "server.log"
    command = [*UVICORN, "--host", "0.0.0.0"]  # noqa: S104 - the hole: every address
    with server_process(command, settings, log) as loopback_url:
        public_url = loopback_url.replace("127.0.0.1", public_address)
        assert httpx.get(f"{loopback_url}/healthz").status_code == 200
        assert httpx.get(f"{public_url}/healthz").status_code == 403
        refused = httpx.get(f"{public_url}/v1/models")
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["code"] == "loopback-only"
        assert httpx.get(f"{loopback_url}/v1/models").status_code == 200
        text = log.read_text()
        assert f"refusing connections on {public_address}" in text
        assert text.count("refusing connections on") == 1  # once, not per request
