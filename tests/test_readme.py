"""The README's examples run as written: every `sh` block after the quick start, in order, in one
shell, against a live server (only the server's address is the test's own)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import Settings

ROOT = Path(__file__).resolve().parents[1]
ADDRESS = "S=http://127.0.0.1:8000"


def shell_blocks() -> list[str]:
    blocks = re.findall(r"^```sh\n(.*?)^```$", (ROOT / "README.md").read_text(), re.M | re.S)
    # The quick start's two commands are what runs this suite.
    return [b for b in blocks if not b.startswith("make serve")]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # data_dir is the shell's ./data: the README writes its images under ./data/sources.
    return Settings(data_dir=tmp_path / "data", runner_poll_s=0.05)


def test_the_readme_blocks_are_found_and_begin_with_the_first_run() -> None:
    blocks = shell_blocks()
    assert len(blocks) >= 4
    assert ADDRESS in blocks[0]
    placeholders = [p for b in blocks for p in re.findall(r"<[a-z][a-z -]*>", b)]
    assert not placeholders, "an example to run as written names no <id> to fill in"


def test_every_example_in_the_readme_runs_as_written(live_server: str, tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parents[1])  # the venv `make` made
    script = "set -euo pipefail\n" + "\n".join(shell_blocks()).replace(ADDRESS, f"S={live_server}")
    result = subprocess.run(
        ["bash", "-c", script],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=900,
        env={k: v for k, v in os.environ.items() if not k.startswith("RESNET_STUDIO_")},
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    lines = result.stdout.splitlines()
    assert "{'blue': 12, 'red': 12}" in lines  # the first run's class counts
    assert lines.count("event: metrics") == 2  # one per epoch, live
    assert "red" in lines  # the prediction for a red square
    assert (tmp_path / "model.zip").read_bytes()[:2] == b"PK"
    assert (tmp_path / "exported.zip").read_bytes()[:2] == b"PK"  # the command line's
    assert (tmp_path / "scored.csv").read_text().startswith("id,")
    assert (tmp_path / "matrix.png").read_bytes()[:4] == b"\x89PNG"
