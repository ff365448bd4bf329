"""What every client command shares: the service from --url or RESNET_STUDIO_URL, the API key
from --api-key or RESNET_STUDIO_API_KEY, and one line on stderr for a failure."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.config import Settings
from tests.fixtures.console import parsed, run_cli
from tests.fixtures.net import free_port

KEY = "a-key-for-the-console-tests"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A server that wants an API key."""
    return Settings(
        data_dir=tmp_path / "data", api_key_hashes=[hashlib.sha256(KEY.encode()).hexdigest()]
    )


def test_the_api_key_comes_from_the_option_or_the_environment(live_server: str) -> None:
    refused = run_cli("models", "list", url=live_server, check=False)
    assert refused.returncode == 1 and "(unauthorized, HTTP 401)" in refused.stderr

    by_option = run_cli("models", "list", "--json", "--api-key", KEY, url=live_server)
    assert parsed(by_option)["items"] == []
    by_env = run_cli(
        "models", "list", "--json", env={"RESNET_STUDIO_API_KEY": KEY}, url=live_server
    )
    assert parsed(by_env)["items"] == []
    # --url wins over the environment.
    elsewhere = f"http://127.0.0.1:{free_port()}"
    by_url = run_cli("models", "list", "--url", live_server, "--api-key", KEY, url=elsewhere)
    assert by_url.stdout.strip() == "no models"


def test_an_unreachable_service_is_one_line_naming_it_and_exit_code_1() -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = run_cli("datasets", "list", url=url, check=False, timeout_s=120)
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"resnet-studio: cannot reach {url}: "), line
