"""The hostile-input corpus (tests/datasets/hostile.py) against the running service: every file
is refused with a 4xx or a per-item error, nothing lands outside its folder, time is bounded."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.ml.architectures import Architecture, imagenet_weights
from tests.datasets import hostile
from tests.datasets.test_api import wait_indexed
from tests.ml.test_state_io import _RunsCodeWhenUnpickled

ARCHIVES: list[tuple[Callable[[Path], Path], str]] = [
    (hostile.zip_slip, "evil.txt"),
    (hostile.zip_nested_slip, "evil.txt"),
    (hostile.zip_absolute, "evil-absolute.txt"),
    (hostile.zip_backslash, "evil.txt"),
    (hostile.zip_symlink, "link"),
    (hostile.tar_slip, "evil"),
    (hostile.tar_absolute, "evil"),
    (hostile.tar_symlink, "link"),
    (hostile.tar_hardlink, "link"),
    (hostile.tar_char_device, "dev"),
    (hostile.tar_fifo, "fifo"),
    (hostile.zip_bomb, "bomb"),
    (hostile.tar_gz_bomb, "zeros"),
    (lambda folder: hostile.tar_entry_bomb(folder, 1_001), "entries"),
]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # Hash checks off, so a hostile weights file reaches the loader (the names cannot match).
    return Settings(
        data_dir=tmp_path / "data",
        runner_poll_s=0.05,
        archive_max_entries=1_000,
        archive_max_total_bytes=32 << 20,
        weights_verify_hash=False,
    )


def files_outside(root: Path, data_dir: Path) -> set[str]:
    return {str(p) for p in root.rglob("*") if data_dir not in p.parents and p != data_dir}


@pytest.mark.parametrize(
    ("build", "member"),
    ARCHIVES,
    ids=[b.__name__ if b.__name__ != "<lambda>" else "tar_entry_bomb" for b, _ in ARCHIVES],
)
def test_every_hostile_archive_upload_is_refused_and_writes_nothing_outside(
    client: TestClient,
    settings: Settings,
    tmp_path: Path,
    build: Callable[[Path], Path],
    member: str,
) -> None:
    made = tmp_path / "made"
    made.mkdir()
    archive = build(made)
    before = files_outside(tmp_path, settings.data_dir)
    started = time.monotonic()
    response = client.post(
        "/v1/datasets/upload", files={"file": (archive.name, archive.read_bytes())}
    )
    assert response.status_code == 202, response.text
    dataset = wait_indexed(client, response.json()["id"], timeout_s=60)
    assert time.monotonic() - started < 60
    assert dataset["status"] == "failed", dataset
    assert dataset["error"]["code"] == "archive-rejected"
    assert files_outside(tmp_path, settings.data_dir) == before
    extracted = settings.resolved_storage_uri.removeprefix("file://")
    assert not list(Path(extracted).glob(f"datasets/{dataset['id']}/files/**/*"))


@pytest.mark.parametrize(
    "build",
    [hostile.truncated_jpeg, hostile.png_named_jpg, hostile.text_named_png, hostile.pixel_bomb_png],
)
def test_hostile_images_are_per_item_errors_not_a_failed_dataset(
    client: TestClient, settings: Settings, tmp_path: Path, build: Callable[[Path], Path]
) -> None:
    folder = settings.resolved_file_source_roots[0] / "imgs"
    (folder / "cat").mkdir(parents=True)
    bad = build(folder / "cat")
    (folder / "cat" / "good.png").write_bytes(_png())
    dataset = wait_indexed(
        client, client.post("/v1/datasets", json={"source_uri": folder.as_uri()}).json()["id"]
    )
    assert dataset["status"] == "ready" and dataset["image_count"] == 1
    skipped = client.get(f"/v1/datasets/{dataset['id']}/skipped").json()["items"]
    assert [Path(s["path"]).name for s in skipped] == [bad.name]


def _png() -> bytes:
    import io

    out = io.BytesIO()
    hostile.noise_image().save(out, format="PNG")
    return out.getvalue()


def test_a_pickled_checkpoint_that_would_run_code_is_refused_as_weights(
    client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    import torch

    marker = tmp_path / "pwned"
    weights = settings.resolved_weights_dir / imagenet_weights(Architecture.RESNET18).file_name
    weights.parent.mkdir(parents=True)
    torch.save({"fc.weight": torch.zeros(1), "x": _RunsCodeWhenUnpickled(marker)}, weights)
    response = client.post("/v1/models", json={"architecture": "resnet18"})
    body: dict[str, Any] = response.json()
    assert response.status_code == 422 and body["code"] == "weights-unavailable"
    assert "not a loadable tensor-only weights file" in body["detail"]
    assert not marker.exists()
