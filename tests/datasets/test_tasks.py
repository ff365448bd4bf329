"""The indexing job on archives: a dataset keeps in storage only what it is made of, records how
many bytes that is, and an archive over a cap fails the dataset saying which cap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.storage import open_store
from tests.datasets import hostile
from tests.datasets.test_api import wait_indexed
from tests.fixtures.app import backend_settings
from tests.fixtures.images import image_bytes, tar_of

MiB = 1 << 20


@pytest.fixture
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    """The service's storage: a local folder, or S3 (where validating a file caches a copy)."""
    return backend_settings(getattr(request, "param", "sqlite+file"), request, tmp_path)


@pytest.fixture
def settings(tmp_path: Path, backend: dict[str, Any]) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        runner_poll_s=0.05,
        archive_max_entry_bytes=8 * MiB,
        **backend,
    )


def _junk(n: int, seed: int) -> bytes:
    """Incompressible bytes: junk that no ratio cap can tell from photos."""
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


def upload(client: TestClient, name: str, data: bytes) -> dict[str, Any]:
    response = client.post("/v1/datasets/upload", files={"file": (name, data)})
    assert response.status_code == 202, response.text
    return wait_indexed(client, response.json()["id"])


def stored(settings: Settings, dataset_id: str) -> dict[str, int]:
    """The dataset's folder in the service's storage: path -> size."""
    prefix = f"datasets/{dataset_id}/"
    store = open_store(settings.resolved_storage_uri, settings)
    return {info.key.removeprefix(prefix): info.size for info in store.list(prefix)}


def cached_sizes(settings: Settings) -> list[int]:
    return [p.stat().st_size for p in settings.resolved_cache_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize("backend", ["sqlite+file", "sqlite+s3"], indirect=True)
def test_an_archive_dataset_keeps_only_its_images_and_reports_the_rest_skipped(
    client: TestClient, settings: Settings
) -> None:
    archive = tar_of(
        {
            "cat/a.png": image_bytes("red", 0),
            "dog/b.png": image_bytes("blue", 0),
            "cat/core.jpg": _junk(3 * MiB, seed=1),  # named as an image, but is not one
            "dog/dump.bin": _junk(3 * MiB, seed=2),  # not named as an image
            "readme.png": _junk(MiB, seed=3),  # beside the class folders: in no class
        }
    )
    dataset = upload(client, "pets.tar.gz", archive)
    assert dataset["status"] == "ready", dataset["error"]
    assert dataset["class_counts"] == {"cat": 1, "dog": 1}

    files = stored(settings, dataset["id"])
    assert sorted(k for k in files if k.startswith("files/")) == [
        "files/cat/a.png",
        "files/dog/b.png",
    ]
    assert files["upload/pets.tar.gz"] == len(archive)
    assert dataset["stored_bytes"] == sum(files.values())
    assert dataset["stored_bytes"] < len(archive) + 64 * 1024  # the archive, and hardly more

    skipped = client.get(f"/v1/datasets/{dataset['id']}/skipped").json()["items"]
    assert {s["path"]: s["reason"] for s in skipped} == {
        "cat/core.jpg": "not-an-image",
        "dog/dump.bin": "unsupported-extension",
        "readme.png": "outside-class-folder",
    }
    assert 3 * MiB not in cached_sizes(settings)  # nor a local copy of the junk


def test_an_archive_dataset_that_fails_keeps_nothing_it_extracted(
    client: TestClient, settings: Settings
) -> None:
    archive = tar_of({"cat/core.jpg": _junk(3 * MiB, seed=1), "dog/b.jpg": _junk(MiB, seed=2)})
    dataset = upload(client, "junk.tar.gz", archive)
    assert dataset["status"] == "failed" and dataset["error"]["code"] == "no-images"
    assert stored(settings, dataset["id"]) == {"upload/junk.tar.gz": len(archive)}
    assert dataset["stored_bytes"] == len(archive)


def test_a_file_over_the_per_file_cap_fails_the_dataset_naming_the_file_and_the_cap(
    client: TestClient, settings: Settings
) -> None:
    archive = tar_of({"cat/a.png": image_bytes("red", 0), "cat/huge.jpg": _junk(9 * MiB, 1)})
    dataset = upload(client, "big.tar.gz", archive)
    assert dataset["status"] == "failed" and dataset["error"]["code"] == "archive-rejected"
    assert dataset["error"]["message"] == (
        "member 'cat/huge.jpg': declares 9437184 bytes, over the 8 MiB limit per file"
    )
    assert stored(settings, dataset["id"]) == {"upload/big.tar.gz": len(archive)}


def test_a_zip_declaring_more_entries_than_the_cap_fails_the_dataset_with_the_entry_cap(
    client: TestClient, tmp_path: Path
) -> None:
    archive = hostile.zip_declaring_entries(tmp_path, 210_000)
    dataset = upload(client, "many.zip", archive.read_bytes())
    assert dataset["status"] == "failed" and dataset["error"]["code"] == "archive-rejected"
    assert dataset["error"]["message"] == (
        "more than 200000 entries in the archive (it declares 210000)"
    )
