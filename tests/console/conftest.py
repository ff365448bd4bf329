from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.config import Settings
from tests.fixtures.console import Cli, run_cli


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The live server's: a fast runner, and a progress event for every step."""
    return Settings(
        data_dir=tmp_path / "data", runner_poll_s=0.05, job_progress_event_s=0, job_lease_s=5
    )


@pytest.fixture
def cli(live_server: str) -> Cli:
    """`resnet-studio ...` against the live server (RESNET_STUDIO_URL)."""

    def run(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, url=live_server, check=check)

    return run
