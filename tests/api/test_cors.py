"""CORS: the configured origins get Starlette's CORS headers; with none configured (the
default), no response carries any."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.config import Settings
from app.main import create_app

ORIGIN = "https://studio.example.com"
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "Authorization, Content-Type, Idempotency-Key, X-Request-ID",
}


def client_for(tmp_path: Path, origins: str | None) -> TestClient:
    extra = {} if origins is None else {"cors_origins": origins}
    settings = Settings(data_dir=tmp_path / "data", runner_enabled=False, **extra)
    return TestClient(create_app(settings))


def test_a_preflight_from_a_configured_origin_is_allowed(tmp_path: Path) -> None:
    with client_for(tmp_path, f"{ORIGIN}, https://other.example") as client:
        response = client.options("/v1/models", headers=PREFLIGHT)
        simple = client.get("/v1/models", headers={"Origin": ORIGIN})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    allowed = response.headers["access-control-allow-headers"].lower()
    for header in ("authorization", "content-type", "idempotency-key", "x-request-id"):
        assert header in allowed
    assert "POST" in response.headers["access-control-allow-methods"]
    assert simple.headers["access-control-allow-origin"] == ORIGIN
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


def test_an_origin_not_configured_gets_no_allow_origin(tmp_path: Path) -> None:
    with client_for(tmp_path, ORIGIN) as client:
        response = client.options(
            "/v1/models", headers={**PREFLIGHT, "Origin": "https://evil.example"}
        )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_without_origins_no_cors_header_is_sent(tmp_path: Path) -> None:
    with client_for(tmp_path, None) as client:
        preflight = client.options("/v1/models", headers=PREFLIGHT)
        simple = client.get("/v1/models", headers={"Origin": ORIGIN})
    for response in (preflight, simple):
        assert not [h for h in response.headers if h.lower().startswith("access-control-")]


def test_an_origin_with_a_path_is_refused_at_start_up(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cors_origins"):
        Settings(data_dir=tmp_path, cors_origins="https://a.example/app")
