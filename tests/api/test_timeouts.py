"""A request body has a deadline (RESNET_STUDIO_REQUEST_BODY_TIMEOUT_S, extended as bytes
arrive): a client that stops sending gets 408 `request-timeout` and its connection is closed,
instead of holding it (and a task) open for as long as it likes."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from app.config import Settings
from app.main import create_app
from tests.fixtures.app import SERVE, server_process
from tests.fixtures.net import read_until_closed

BODY = json.dumps({"architecture": "resnet18", "pretrained": False}).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One server for the module: none of its tests changes what the others see."""
    folder = tmp_path_factory.mktemp("body-deadline")
    settings = Settings(data_dir=folder / "data", runner_enabled=False, request_body_timeout_s=1)
    with server_process(SERVE, settings, folder / "server.log") as url:
        yield url


def test_a_body_that_stops_arriving_gets_408_and_the_connection_is_closed(server: str) -> None:
    address = urlsplit(server)
    with socket.create_connection((address.hostname, address.port), timeout=60) as sock:
        head = (
            "POST /v1/models HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(BODY)}\r\n\r\n"
        )
        sock.sendall(head.encode() + BODY[:10])  # the rest is withheld until the server answers
        reply = read_until_closed(sock)  # returns only once the server has closed it
    status, _, rest = reply.partition(b"\r\n")
    headers, _, body = rest.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 408"), reply
    assert b"connection: close" in headers.lower()
    assert b"content-type: application/problem+json" in headers.lower()
    problem = json.loads(body)
    assert problem["code"] == "request-timeout" and problem["status"] == 408
    assert "within 1 s" in problem["detail"]


def test_a_body_sent_at_once_is_unaffected_by_a_short_deadline(server: str) -> None:
    created = httpx.post(
        f"{server}/v1/models", content=BODY, headers={"Content-Type": "application/json"}
    )
    assert created.status_code == 201, created.text


def test_every_operation_that_takes_a_body_declares_408() -> None:
    for path, item in create_app().openapi()["paths"].items():
        for method, operation in item.items():
            takes_body = "requestBody" in operation
            assert ("408" in operation["responses"]) == takes_body, (method, path)
