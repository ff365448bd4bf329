"""Pretrained weights come from the local folder, an S3 prefix, or (if allowed) a download."""

from __future__ import annotations

import http.server
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.config import Settings
from app.ml.architectures import Architecture, imagenet_weights
from app.storage import open_store
from app.weights.store import WeightsCorrupt, WeightsMissing, WeightsStore, sha256_of
from tests.fixtures.net import free_port
from tests.fixtures.storage import S3_CREDENTIALS

R18 = imagenet_weights(Architecture.RESNET18)


def make_store(settings: Settings) -> WeightsStore:
    remote = open_store(settings.weights_s3_uri, settings) if settings.weights_s3_uri else None
    return WeightsStore(settings, remote)


def test_a_file_in_the_local_folder_is_used_in_place(
    tmp_path: Path, weights_files: Callable[[Architecture], Path]
) -> None:
    settings = Settings(weights_dir=tmp_path, weights_verify_hash=False)
    shutil.copyfile(weights_files(Architecture.RESNET18), tmp_path / R18.file_name)
    path, sha256 = make_store(settings).fetch(R18)
    assert path == tmp_path / R18.file_name
    assert sha256 == sha256_of(path)
    assert make_store(settings).available_files() == {R18.file_name}


def test_a_missing_file_fails_at_once_naming_the_file_and_where_to_put_it(tmp_path: Path) -> None:
    settings = Settings(
        weights_dir=tmp_path / "w", weights_s3_uri="s3://weights-bucket/torchvision"
    )
    store = WeightsStore(settings, None)
    started = time.monotonic()
    with pytest.raises(WeightsMissing) as raised:
        store.fetch(R18)
    assert time.monotonic() - started < 1
    assert R18.file_name in str(raised.value)
    assert str(tmp_path / "w" / R18.file_name) in str(raised.value)


def test_a_file_only_in_s3_is_copied_into_the_local_folder(
    tmp_path: Path,
    moto_endpoint: str,
    s3_bucket: str,
    weights_files: Callable[[Architecture], Path],
) -> None:
    settings = Settings(
        weights_dir=tmp_path / "local",
        weights_s3_uri=f"s3://{s3_bucket}/torchvision",
        s3_endpoint_url=moto_endpoint,
        weights_verify_hash=False,
        **S3_CREDENTIALS,
    )
    source = weights_files(Architecture.RESNET18)
    open_store(f"s3://{s3_bucket}/torchvision", settings).put_file(R18.file_name, source)
    store = make_store(settings)
    assert R18.file_name in store.available_files()
    path, _ = store.fetch(R18)
    assert path.parent == tmp_path / "local"
    assert path.read_bytes() == source.read_bytes()


def test_a_file_whose_hash_does_not_match_its_name_is_refused(
    tmp_path: Path, weights_files: Callable[[Architecture], Path]
) -> None:
    shutil.copyfile(weights_files(Architecture.RESNET18), tmp_path / R18.file_name)
    store = make_store(Settings(weights_dir=tmp_path, weights_verify_hash=True))
    with pytest.raises(WeightsCorrupt, match=f"promises {R18.sha256_prefix}"):
        store.fetch(R18)


@pytest.fixture
def weights_http_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    served = tmp_path / "served"
    served.mkdir()
    handler = lambda *a: http.server.SimpleHTTPRequestHandler(*a, directory=str(served))  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/models/", served
    server.shutdown()


def test_downloads_happen_only_when_allowed_and_land_atomically(
    tmp_path: Path,
    weights_http_server: tuple[str, Path],
    weights_files: Callable[[Architecture], Path],
) -> None:
    base_url, served = weights_http_server
    (served / "models").mkdir()
    shutil.copyfile(weights_files(Architecture.RESNET18), served / "models" / R18.file_name)

    off = Settings(weights_dir=tmp_path / "a", weights_download_base_url=base_url)
    with pytest.raises(WeightsMissing):
        make_store(off).fetch(R18)

    on = Settings(
        weights_dir=tmp_path / "b",
        weights_download=True,
        weights_download_base_url=base_url,
        weights_verify_hash=False,
    )
    path, _ = make_store(on).fetch(R18)
    assert path.read_bytes() == weights_files(Architecture.RESNET18).read_bytes()
    assert [p.name for p in path.parent.iterdir()] == [R18.file_name]


def test_a_failed_download_says_so_and_leaves_no_partial_file(tmp_path: Path) -> None:
    settings = Settings(
        weights_dir=tmp_path,
        weights_download=True,
        weights_download_base_url=f"http://127.0.0.1:{free_port()}/",
        weights_download_timeout_s=2,
    )
    with pytest.raises(WeightsMissing, match="download from http://127.0.0.1"):
        make_store(settings).fetch(R18)
    assert list(tmp_path.iterdir()) == []


def test_a_download_whose_hash_does_not_match_its_name_is_never_kept(
    tmp_path: Path,
    weights_http_server: tuple[str, Path],
    weights_files: Callable[[Architecture], Path],
) -> None:
    # It was renamed into place before the check: refused on every later use, never refetched.
    base_url, served = weights_http_server
    (served / "models").mkdir()
    shutil.copyfile(weights_files(Architecture.RESNET18), served / "models" / R18.file_name)
    settings = Settings(
        weights_dir=tmp_path / "store", weights_download=True, weights_download_base_url=base_url
    )
    with pytest.raises(WeightsCorrupt, match="nothing was kept"):
        make_store(settings).fetch(R18)
    assert list((tmp_path / "store").iterdir()) == []
