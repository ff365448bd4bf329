"""The client is the socket's peer; X-Forwarded-For and X-Forwarded-Proto are believed only from a
peer in RESNET_STUDIO_FORWARDED_ALLOW_IPS (default: none). The rate limit's per-IP buckets are
keyed by the result (tests/api/test_ratelimit.py checks that against real servers)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.api.forwarded import TrustedProxies, forwarded_client
from app.config import Settings

PROXIES = [ipaddress.ip_network("127.0.0.1"), ipaddress.ip_network("10.0.0.0/8")]


def echo(settings: Settings, peer: tuple[str, int]) -> TestClient:
    """An app that says what client and scheme it was given, behind TrustedProxies."""
    app = FastAPI()

    @app.get("/who")
    def who(request: Request) -> dict[str, object]:
        client = request.client
        return {"client": client.host if client else None, "scheme": request.url.scheme}

    app.add_middleware(TrustedProxies, settings=lambda: settings)
    return TestClient(app, client=peer)


def test_the_client_is_the_last_entry_that_is_not_a_trusted_proxy() -> None:
    assert forwarded_client(["203.0.113.9"], PROXIES) == "203.0.113.9"
    # The client wrote the first entry itself; the proxies appended the rest.
    assert forwarded_client(["198.51.100.1", "203.0.113.9", "10.1.2.3"], PROXIES) == "203.0.113.9"
    assert forwarded_client(["10.1.2.3", "127.0.0.1"], PROXIES) == "10.1.2.3"  # all trusted


def test_by_default_no_header_changes_the_client(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    with echo(settings, ("127.0.0.1", 5000)) as client:
        headers = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
        assert client.get("/who", headers=headers).json() == {
            "client": "127.0.0.1",
            "scheme": "http",
        }


def test_a_trusted_peer_s_headers_name_the_client_and_scheme(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, forwarded_allow_ips="127.0.0.1, 10.0.0.0/8")
    with echo(settings, ("127.0.0.1", 5000)) as client:
        headers = {
            "X-Forwarded-For": "198.51.100.1, 203.0.113.9:4000",
            "X-Forwarded-Proto": "https",
        }
        assert client.get("/who", headers=headers).json() == {
            "client": "203.0.113.9",
            "scheme": "https",
        }
    with echo(settings, ("192.0.2.7", 5000)) as untrusted:
        assert untrusted.get("/who", headers=headers).json()["client"] == "192.0.2.7"


def test_a_peer_already_replaced_by_a_header_entry_is_unknown(tmp_path: Path) -> None:
    # What a bare uvicorn hands the app (it believes 127.0.0.1 by default): the header's own
    # entry in place of the peer. Believing it would let the caller choose its rate-limit bucket.
    settings = Settings(data_dir=tmp_path, forwarded_allow_ips="10.0.0.0/8")
    with echo(settings, ("203.0.113.9", 0)) as client:
        headers = {"X-Forwarded-For": "10.0.0.1, 203.0.113.9"}
        assert client.get("/who", headers=headers).json()["client"] is None


@pytest.mark.parametrize("bad", ["*", "localhost", "10.0.0.0/33", "10.0.0.1, proxy"])
def test_an_allow_list_entry_that_is_no_address_or_network_refuses_to_start(bad: str) -> None:
    with pytest.raises(ValidationError, match="IP addresses or networks"):
        Settings(forwarded_allow_ips=bad)
