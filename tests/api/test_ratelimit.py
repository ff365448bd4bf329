"""Each caller (API key, or client IP without one) has a token bucket on /v1: bursts are allowed,
the steady rate is capped, and a refused request gets a 429 saying when to retry."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.ratelimit import TokenBuckets
from app.config import Settings
from app.main import create_app
from tests.fixtures.app import SERVE, UVICORN, server_process

KEY_A, KEY_B = "first-key-for-tests", "second-key-for-tests"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# -- the buckets --------------------------------------------------------------------------------
def test_a_burst_is_allowed_then_the_rate_refills_it() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=60, burst=3, clock=clock)
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a") == pytest.approx(1.0)  # one token a second
    assert buckets.take("b") == 0.0  # every key has its own bucket
    clock.now += 0.5
    assert buckets.take("a") == pytest.approx(0.5)  # a refused request takes nothing
    clock.now += 0.5
    assert buckets.take("a") == 0.0
    clock.now += 100
    assert [buckets.take("a") for _ in range(4)][-1] > 0  # refilled to the burst, no further


def test_idle_buckets_are_evicted_so_memory_follows_the_active_keys() -> None:
    clock = Clock()
    buckets = TokenBuckets(per_minute=600, burst=10, clock=clock)  # full again after 1 s
    for n in range(1000):
        buckets.take(f"ip:{n}")
    assert len(buckets) == 1000
    clock.now += 1.0
    buckets.take("ip:new")
    assert len(buckets) == 1


def test_a_flood_of_new_keys_is_bounded_by_max_keys() -> None:
    buckets = TokenBuckets(per_minute=1, burst=1, max_keys=100, clock=Clock())
    for n in range(10_000):
        buckets.take(f"ip:{n}")
    assert len(buckets) == 100


def test_buckets_are_thread_safe() -> None:
    buckets = TokenBuckets(per_minute=1, burst=500, clock=Clock())  # no refill during the test
    granted = []
    lock = threading.Lock()

    def hammer() -> None:
        mine = sum(1 for _ in range(200) if buckets.take("shared") == 0.0)
        with lock:
            granted.append(mine)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(granted) == 500  # 1600 attempts, exactly the burst granted


def test_zero_rates_are_refused_by_the_buckets() -> None:
    with pytest.raises(ValueError):
        TokenBuckets(per_minute=0, burst=10)


# -- the API ------------------------------------------------------------------------------------
def make_client(tmp_path: Path, **overrides: Any) -> TestClient:
    limits: dict[str, Any] = {"rate_limit_per_minute": 6, "rate_limit_burst": 3}
    settings = Settings(data_dir=tmp_path / "data", runner_enabled=False, **(limits | overrides))
    return TestClient(create_app(settings))


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with make_client(tmp_path) as test_client:
        yield test_client


def test_a_caller_over_its_rate_gets_429_with_retry_after(client: TestClient) -> None:
    assert [client.get("/v1/models").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/v1/models")
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "10"  # one token per 10 s, in whole seconds
    body = refused.json()
    assert body["code"] == "rate-limited" and body["status"] == 429
    assert "6 requests a minute" in body["detail"] and "retry in 10 s" in body["detail"]
    # Every /v1 route draws from the same bucket, whatever the method.
    assert client.post("/v1/models", json={}).status_code == 429


def test_health_checks_and_the_docs_are_not_limited(client: TestClient) -> None:
    for _ in range(10):
        assert client.get("/v1/models").status_code in (200, 429)
    for path in ("/healthz", "/readyz", "/openapi.json", "/docs"):
        assert all(client.get(path).status_code == 200 for _ in range(10)), path


def test_without_auth_callers_are_told_apart_by_ip(tmp_path: Path) -> None:
    with make_client(tmp_path) as first:
        app = first.app
        assert [first.get("/v1/models").status_code for _ in range(4)][-1] == 429
        other = TestClient(app, client=("203.0.113.9", 4000))
        assert other.get("/v1/models").status_code == 200


def test_with_keys_each_key_has_its_own_bucket_and_bad_keys_share_the_ip_one(
    tmp_path: Path,
) -> None:
    hashes = [hashlib.sha256(k.encode()).hexdigest() for k in (KEY_A, KEY_B)]
    with make_client(tmp_path, api_key_hashes=hashes) as client:

        def call(key: str) -> int:
            headers = {"Authorization": f"Bearer {key}"}
            return client.get("/v1/models", headers=headers).status_code

        assert [call(KEY_A) for _ in range(4)] == [200, 200, 200, 429]
        assert call(KEY_B) == 200
        # Guessing keys is limited too: by client IP, across every wrong key.
        assert [call(f"guess-{n}") for n in range(4)] == [401, 401, 401, 429]
        assert call(KEY_B) == 200


@pytest.mark.parametrize("zero", ["rate_limit_per_minute", "rate_limit_burst"])
def test_zero_disables_the_limit(tmp_path: Path, zero: str) -> None:
    with make_client(tmp_path, **{zero: 0}) as client:
        assert all(client.get("/v1/models").status_code == 200 for _ in range(50))


def test_the_defaults_are_600_a_minute_in_bursts_of_100() -> None:
    fields = Settings.model_fields  # the suite's conftest turns the limit off in the environment
    assert fields["rate_limit_per_minute"].default == 600
    assert fields["rate_limit_burst"].default == 100


def test_every_v1_operation_declares_429_and_each_that_takes_a_body_413() -> None:
    for path, item in create_app().openapi()["paths"].items():
        for method, operation in item.items():
            if path.startswith("/v1"):
                assert "429" in operation["responses"], (method, path)
                assert ("413" in operation["responses"]) == ("requestBody" in operation)
                declared = operation["responses"]["429"]
                assert "`rate-limited`" in declared["description"]
                assert "Retry-After" in declared["headers"]


# -- X-Forwarded-For, against real servers -----------------------------------------------------
def over_the_burst(url: str, forwarded_for: Callable[[int], str]) -> list[int]:
    """Four /v1 requests from 127.0.0.1 (the budget is a burst of 3), each with its own header."""
    return [
        httpx.get(f"{url}/v1/models", headers={"X-Forwarded-For": forwarded_for(n)}).status_code
        for n in range(4)
    ]


def limited_settings(tmp_path: Path, **overrides: Any) -> Settings:
    limits: dict[str, Any] = {"rate_limit_per_minute": 6, "rate_limit_burst": 3}
    return Settings(data_dir=tmp_path / "data", runner_enabled=False, **(limits | overrides))


@pytest.mark.parametrize("command", [SERVE, UVICORN], ids=["resnet-studio-serve", "bare-uvicorn"])
def test_by_default_a_new_forwarded_for_each_time_does_not_escape_the_limit(
    tmp_path: Path, command: list[str]
) -> None:
    # A bare uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: the app must
    # not, so a caller behind a local proxy cannot pick a fresh bucket per request.
    with server_process(command, limited_settings(tmp_path), tmp_path / "server.log") as url:
        assert over_the_burst(url, lambda n: f"203.0.113.{n}") == [200, 200, 200, 429]


def test_a_trusted_proxy_s_forwarded_for_is_the_caller(tmp_path: Path) -> None:
    settings = limited_settings(tmp_path, forwarded_allow_ips=["127.0.0.1"])
    with server_process(SERVE, settings, tmp_path / "server.log") as url:
        assert over_the_burst(url, lambda n: f"203.0.113.{n}") == [200, 200, 200, 200]
        assert over_the_burst(url, lambda _: "198.51.100.7") == [200, 200, 200, 429]
