"""file:// and s3:// stores behave the same behind one interface."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.config import Settings
from app.storage import ObjectNotFound, ObjectStore, StorageError, open_store
from app.storage.base import InvalidKey
from app.storage.s3 import parse_s3_uri
from tests.fixtures.storage import S3_CREDENTIALS


@pytest.fixture(params=["file", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> ObjectStore:
    if request.param == "file":
        return open_store((tmp_path / "root").as_uri(), Settings())
    endpoint = request.getfixturevalue("moto_endpoint")
    bucket = request.getfixturevalue("s3_bucket")
    settings = Settings(s3_endpoint_url=endpoint, **S3_CREDENTIALS)
    return open_store(f"s3://{bucket}/some/prefix", settings)


def test_put_get_list_and_delete_a_prefix(store: ObjectStore, tmp_path: Path) -> None:
    store.put_bytes("models/a/config.json", b"{}")
    source = tmp_path / "w.bin"
    source.write_bytes(b"x" * 100_000)
    store.put_file("models/a/w.bin", source)
    store.put_bytes("models/b/config.json", b"[]")

    assert store.get_bytes("models/a/config.json") == b"{}"
    assert store.exists("models/a/w.bin") and not store.exists("models/a/nope")
    listed = {i.key: i.size for i in store.list("models/a/")}
    assert listed == {"models/a/config.json": 2, "models/a/w.bin": 100_000}
    assert all(i.etag for i in store.list())

    dest = tmp_path / "out" / "w.bin"
    store.download_file("models/a/w.bin", dest)
    assert dest.read_bytes() == source.read_bytes()

    store.delete("models/a/w.bin")
    store.delete("models/a/never-was")
    assert not store.exists("models/a/w.bin")
    assert store.delete_prefix("models/a/") == 1
    assert [i.key for i in store.list()] == ["models/b/config.json"]
    assert store.delete_prefix("models/a/") == 0
    assert store.uri_for("models/b/config.json").endswith("/models/b/config.json")


def test_missing_objects_raise_not_found(store: ObjectStore, tmp_path: Path) -> None:
    with pytest.raises(ObjectNotFound):
        store.get_bytes("nothing/here")
    with pytest.raises(ObjectNotFound):
        store.download_file("nothing/here", tmp_path / "x")
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize("key", ["../escape", "a/../../b", "/abs", "a//b", "a\\b", "", "a/./b"])
def test_keys_that_could_escape_the_root_are_refused(store: ObjectStore, key: str) -> None:
    with pytest.raises(InvalidKey):
        store.put_bytes(key, b"x")


def test_a_healthy_store_passes_its_check(store: ObjectStore) -> None:
    store.check()


def test_a_missing_bucket_fails_the_check(moto_endpoint: str) -> None:
    settings = Settings(s3_endpoint_url=moto_endpoint, **S3_CREDENTIALS)
    with pytest.raises(StorageError, match="head-bucket"):
        open_store("s3://no-such-bucket-here", settings).check()


def test_an_unreachable_endpoint_fails_fast_with_a_storage_error() -> None:
    settings = Settings(
        s3_endpoint_url="http://127.0.0.1:9",
        s3_connect_timeout_s=0.5,
        s3_max_attempts=2,
        **S3_CREDENTIALS,
    )
    started = time.monotonic()
    with pytest.raises(StorageError):
        open_store("s3://bucket/p", settings).get_bytes("k")
    assert time.monotonic() - started < 10


def test_s3_uris_split_into_bucket_and_prefix() -> None:
    assert parse_s3_uri("s3://b/x/y/") == ("b", "x/y/")
    assert parse_s3_uri("s3://b") == ("b", "")
    with pytest.raises(ValueError, match="no bucket"):
        parse_s3_uri("s3:///x")


def test_other_uri_schemes_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported storage URI"):
        open_store("http://example.com/x", Settings())


def test_a_download_pinned_to_an_etag_refuses_a_changed_object(
    store: ObjectStore, tmp_path: Path
) -> None:
    from app.storage import ObjectChanged

    store.put_bytes("img/a.png", b"one")
    recorded = store.head("img/a.png")
    assert recorded.size == 3
    store.download_file("img/a.png", tmp_path / "a", if_etag=recorded.etag)
    import time

    time.sleep(0.01)  # a new mtime for the local store's ETag
    store.put_bytes("img/a.png", b"two!")
    with pytest.raises(ObjectChanged):
        store.download_file("img/a.png", tmp_path / "b", if_etag=recorded.etag)
    assert not (tmp_path / "b").exists()
    with pytest.raises(ObjectNotFound):
        store.head("img/none.png")
