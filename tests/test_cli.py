from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

CLI = str(Path(sys.executable).with_name("resnet-studio"))


def test_hash_key_prints_the_sha256_the_server_stores() -> None:
    out = subprocess.run([CLI, "hash-key", "abc"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"hash: {hashlib.sha256(b'abc').hexdigest()}"
    fresh = subprocess.run([CLI, "hash-key"], capture_output=True, text=True, check=True)
    key = fresh.stdout.split("key:")[1].split()[0]
    assert f"hash: {hashlib.sha256(key.encode()).hexdigest()}" in fresh.stdout


def test_serve_refuses_a_public_address_without_api_keys(tmp_path: Path) -> None:
    env = {**os.environ, "RESNET_STUDIO_DATA_DIR": str(tmp_path)}
    env.pop("RESNET_STUDIO_API_KEY_HASHES", None)
    out = subprocess.run(
        [CLI, "serve", "--host", "0.0.0.0"],  # noqa: S104
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert out.returncode != 0
    assert "not loopback and no API keys" in out.stderr
