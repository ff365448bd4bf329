"""`resnet-studio serve` gives each request's line and headers a deadline
(RESNET_STUDIO_REQUEST_HEADER_TIMEOUT_S) from when the server starts waiting for them: a client
that sends them slowly, or sends nothing, is answered 408 (if it sent part of a request) and
disconnected, instead of holding its connection for as long as it likes."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest

from app.config import Settings
from tests.fixtures.app import SERVE, server_process
from tests.fixtures.net import read_until_closed


def read_one_response(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.lower().split(b"\r\n")
        if line.startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head + b"\r\n\r\n" + body


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """One server for the module: each test has its own connections."""
    folder = tmp_path_factory.mktemp("header-deadline")
    settings = Settings(data_dir=folder / "data", runner_enabled=False, request_header_timeout_s=1)
    with server_process(SERVE, settings, folder / "server.log") as url:
        address = urlsplit(url)
        assert address.hostname is not None and address.port is not None
        yield address.hostname, address.port


def test_a_request_head_that_stops_arriving_gets_408_and_is_disconnected(
    server: tuple[str, int],
) -> None:
    with socket.create_connection(server, timeout=60) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n")  # no blank line: more to come
        reply = read_until_closed(sock)
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408"), reply
    assert b"connection: close" in head.lower()
    assert json.loads(body)["code"] == "request-timeout"


def test_a_connection_that_sends_nothing_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server, timeout=60) as sock:
        assert read_until_closed(sock) == b""


def test_the_next_request_on_a_kept_alive_connection_is_timed_too(
    server: tuple[str, int],
) -> None:
    with socket.create_connection(server, timeout=60) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        assert read_one_response(sock).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\n")  # the second request's head never ends
        assert read_until_closed(sock).startswith(b"HTTP/1.1 408")


def test_a_prompt_request_is_served(server: tuple[str, int]) -> None:
    host, port = server
    assert httpx.get(f"http://{host}:{port}/healthz").status_code == 200
