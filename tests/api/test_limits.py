"""Request bodies are capped per route (413), checked before they are read when Content-Length
says so and cut off while streaming when it does not; sizes inside a request (images, batch
sizes) are capped by settings (422)."""

from __future__ import annotations

import asyncio
import base64
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.routing import Match
from starlette.types import Message

from app.api.limits import (
    DEFAULT_ADVICE,
    MULTIPART_SLACK,
    ROUTE_BODY_LIMITS,
    BodySizeLimit,
    body_limit,
    route_path,
)
from app.config import Settings
from app.main import create_app
from tests.fixtures.images import class_tree, image_bytes, zip_of
from tests.fixtures.models import register_trained_model

ROOT = Path(__file__).resolve().parents[2]
KIB = 1024


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        runner_enabled=False,
        max_request_bytes=4 * KIB,
        max_upload_bytes=64 * KIB,
        predict_max_bytes=16 * KIB,
        predict_max_images=3,
        max_batch_size=8,
    )


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


def assert_too_large(response: Any, limit: int, advice: str) -> None:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["connection"] == "close"
    body = response.json()
    assert body["code"] == "payload-too-large"
    assert str(limit) in body["detail"] and advice in body["detail"], body["detail"]


# -- body size ----------------------------------------------------------------------------------
def test_a_declared_length_over_the_default_cap_is_refused_unread(
    client: TestClient, settings: Settings
) -> None:
    big = {"architecture": "resnet18", "description": "x" * (settings.max_request_bytes + 1)}
    assert_too_large(
        client.post("/v1/models", json=big), settings.max_request_bytes, DEFAULT_ADVICE
    )
    # Any route, health included; a body just under the cap reaches the route.
    response = client.request("GET", "/healthz", content=b"x" * (settings.max_request_bytes + 1))
    assert response.status_code == 413
    small = client.post("/v1/models", json={"architecture": "nope", "description": "x" * 100})
    assert small.status_code == 422


def test_the_upload_route_takes_up_to_max_upload_bytes(
    client: TestClient, settings: Settings
) -> None:
    archive = zip_of(class_tree({"cat": 2, "dog": 2}, size=48))
    assert settings.max_request_bytes < len(archive) < settings.max_upload_bytes
    accepted = client.post("/v1/datasets/upload", files={"file": ("pets.zip", archive)})
    assert accepted.status_code == 202, accepted.text

    over_file = b"\0" * (settings.max_upload_bytes + 1)  # within the multipart slack: the route
    response = client.post("/v1/datasets/upload", files={"file": ("big.zip", over_file)})
    assert response.status_code == 413 and "put the archive in storage" in response.text

    huge = b"\0" * (settings.max_upload_bytes + MULTIPART_SLACK + 1)
    assert_too_large(
        client.post("/v1/datasets/upload", files={"file": ("huge.zip", huge)}),
        settings.max_upload_bytes + MULTIPART_SLACK,
        "register it by URI",
    )


def test_the_predict_route_takes_up_to_predict_max_bytes(
    client: TestClient, settings: Settings
) -> None:
    octets = {"content-type": "application/octet-stream"}
    between = b"\0" * (settings.max_request_bytes + 1)
    # Past the default cap but within predict's: the route answers (there is no such model).
    assert client.post("/v1/models/m/predict", content=between, headers=octets).status_code == 404
    huge = b"\0" * (settings.predict_max_bytes + 1)
    assert_too_large(
        client.post("/v1/models/m/predict", content=huge, headers=octets),
        settings.predict_max_bytes,
        "score them with a scoring job",
    )


def test_every_route_limit_names_a_real_route_and_setting(settings: Settings) -> None:
    app = create_app(settings)
    for limit in ROUTE_BODY_LIMITS:
        assert limit.setting in Settings.model_fields
        concrete = re.sub(r"\{[^}]+\}", "x", limit.path)
        scope = {"type": "http", "method": limit.method, "path": concrete}
        matches = [r for r in app.router.routes if r.matches(scope)[0] is Match.FULL]
        assert matches, f"no route {limit.method} {limit.path}"


def test_route_limits_match_behind_a_root_path(settings: Settings) -> None:
    scope = {"path": "/api/v1/datasets/upload", "root_path": "/api"}
    limit, _ = body_limit(settings, "POST", route_path(scope))
    assert limit == settings.max_upload_bytes + MULTIPART_SLACK
    assert body_limit(settings, "GET", "/v1/datasets/upload")[0] == settings.max_request_bytes


async def _stream(
    app: Any, chunks: Iterator[bytes], headers: list[tuple[bytes, bytes]]
) -> tuple[list[Message], int]:
    """Call an ASGI app with a chunked body; return what it sent and how many chunks it read."""
    read = 0
    sent: list[Message] = []

    async def receive() -> Message:
        nonlocal read
        read += 1
        return {"type": "http.request", "body": next(chunks), "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": "/echo",
        "headers": headers,
        "query_string": b"",
    }
    await app(scope, receive, send)
    return sent, read


def _endless(first: bytes, size: int) -> Iterator[bytes]:
    yield first
    while True:
        yield b"x" * size


FORM_START = b'--b\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n'


@pytest.mark.parametrize("reader", ["body", "stream", "form"])
def test_a_chunked_body_is_cut_off_at_the_cap_without_being_buffered(
    settings: Settings, reader: str
) -> None:
    inner = FastAPI()

    @inner.post("/echo")
    async def echo(request: Request) -> dict[str, int]:
        if reader == "body":
            return {"read": len(await request.body())}
        if reader == "form":
            return {"read": len(await request.form())}
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
        return {"read": total}

    app = BodySizeLimit(inner, settings=lambda: settings)
    form = reader == "form"
    content_type = b"multipart/form-data; boundary=b" if form else b"text/plain"
    headers = [(b"transfer-encoding", b"chunked"), (b"content-type", content_type)]
    chunks = _endless(FORM_START if form else b"", 1000)
    sent, read = asyncio.run(_stream(app, chunks, headers))
    # Stopped at the first chunk past 4 KiB of an endless body.
    assert read == 1 + settings.max_request_bytes // 1000 + 1
    assert sent[0]["status"] == 413
    assert (b"content-type", b"application/problem+json") in sent[0]["headers"]
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]


def test_a_real_server_answers_413_before_a_chunked_body_ends(live_server: str) -> None:
    """Through uvicorn: the 413 comes while the client is still sending, so the server holds
    at most one chunk past the cap, never the whole body."""
    port = int(live_server.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            b"POST /v1/models HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        chunk = b"x" * 1000
        for _ in range(8):  # 8000 bytes, twice the cap, and no terminating chunk
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert b"payload-too-large" in answer or b"content-type: application/problem+json" in answer


# -- sizes inside a request (422) ---------------------------------------------------------------
def test_more_images_than_predict_max_images_are_refused(
    client: TestClient, settings: Settings
) -> None:
    png = image_bytes("red", 1, size=8)
    count = settings.predict_max_images + 1
    as_json = {"images": [{"data": base64.b64encode(png).decode()}] * count}
    for kwargs in (
        {"json": as_json},
        {"files": [("files", (f"{n}.png", png)) for n in range(count)]},
        {"files": [("files", (f"{n}.png", png)) for n in range(count + 5)]},
    ):
        response = client.post("/v1/models/m/predict", **kwargs)  # type: ignore[arg-type]
        assert response.status_code == 422, response.text
        assert f"at most {settings.predict_max_images} images" in response.json()["detail"]


def test_images_read_by_uri_count_against_predict_max_bytes(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    # A model that exists: for one that does not, no URI is read (tests/serving).
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    model_id = register_trained_model(runtime, tmp_path / "model")
    folder = settings.resolved_file_source_roots[0]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "big.png").write_bytes(b"\0" * (settings.predict_max_bytes // 2))
    uri = {"uri": (folder / "big.png").as_uri()}
    response = client.post(f"/v1/models/{model_id}/predict", json={"images": [uri, uri, uri]})
    assert response.status_code == 422, response.text
    assert "images[1]" in response.json()["detail"]
    assert "predict_max_bytes" in response.json()["detail"]


@pytest.mark.parametrize("path", ["/v1/training-jobs", "/v1/scoring-jobs"])
def test_a_batch_size_over_max_batch_size_is_refused(
    client: TestClient, settings: Settings, path: str
) -> None:
    body: dict[str, Any] = {"model_id": "m", "batch_size": settings.max_batch_size + 1}
    body |= {"train_dataset_id": "d"} if "training" in path else {"dataset_id": "d"}
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == "invalid-request"
    assert f"max_batch_size ({settings.max_batch_size})" in response.json()["detail"]
    response = client.post(path, json={**body, "batch_size": 0})
    assert response.status_code == 422 and response.json()["code"] == "validation-failed"


def test_the_default_batch_cap_is_4096(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", runner_enabled=False)
    assert settings.max_batch_size == 4096
    with TestClient(create_app(settings)) as client:
        response = client.post(
            "/v1/scoring-jobs", json={"model_id": "m", "dataset_id": "d", "batch_size": 4097}
        )
        assert response.status_code == 422 and "max_batch_size (4096)" in response.text


# -- documentation ------------------------------------------------------------------------------
LIMIT_SETTINGS = [
    "max_request_bytes",
    "max_upload_bytes",
    "predict_max_bytes",
    "predict_max_images",
    "predict_max_pixels_per_request",
    "rate_limit_per_minute",
    "rate_limit_burst",
    "max_batch_size",
    "max_image_pixels",
]


def test_every_limit_is_a_setting_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Limits", 1)[1].split("\n## ", 1)[0]
    for name in LIMIT_SETTINGS:
        assert name in Settings.model_fields
        assert f"`{name.upper()}`" in section, name
    for code in ("413", "429", "422", "payload-too-large", "rate-limited", "Retry-After"):
        assert code in section
