"""Registering image directories in every form, from local folders and from S3."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.storage import open_store
from tests.datasets import hostile
from tests.fixtures.images import class_tree, image_bytes, tar_of, write_tree, zip_of
from tests.fixtures.storage import S3_CREDENTIALS

PETS = {"cat": 4, "dog": 3}


def wait_indexed(client: TestClient, dataset_id: str, timeout_s: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/v1/datasets/{dataset_id}").json()
        if body["status"] != "indexing":
            return body
        time.sleep(0.1)
    raise AssertionError(f"dataset {dataset_id} still indexing after {timeout_s}s")


@pytest.fixture
def sources(settings: Settings) -> Path:
    root = settings.resolved_file_source_roots[0]
    root.mkdir(parents=True, exist_ok=True)
    return root


@pytest.fixture(params=["file", "s3"])
def put_source(request: pytest.FixtureRequest, sources: Path) -> Callable[[str, bytes], str]:
    """Put a file where a user would keep their data, and return its URI."""
    if request.param == "file":

        def put_file(rel: str, data: bytes) -> str:
            write_tree(sources, {rel: data})
            return (sources / rel).as_uri()

        return put_file
    endpoint, bucket = (
        request.getfixturevalue("moto_endpoint"),
        request.getfixturevalue("s3_bucket"),
    )
    store = open_store(
        f"s3://{bucket}/user-data", Settings(s3_endpoint_url=endpoint, **S3_CREDENTIALS)
    )

    def put_s3(rel: str, data: bytes) -> str:
        store.put_bytes(rel, data)
        return f"s3://{bucket}/user-data/{rel}"

    return put_s3


@pytest.fixture
def settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    endpoint = request.getfixturevalue("moto_endpoint")
    return Settings(
        data_dir=tmp_path / "data",
        s3_endpoint_url=endpoint,
        runner_poll_s=0.05,
        job_lease_s=3,
        **S3_CREDENTIALS,
    )


def register(client: TestClient, uri: str, **extra: Any) -> dict[str, Any]:
    response = client.post("/v1/datasets", json={"source_uri": uri, **extra})
    assert response.status_code == 202, response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == "indexing"  # indexing happens in a job, not in the request
    return wait_indexed(client, body["id"])


def assert_pets(dataset: dict[str, Any]) -> None:
    assert dataset["status"] == "ready", dataset["error"]
    assert dataset["classes"] == ["cat", "dog"]
    assert dataset["class_counts"] == {"cat": 4, "dog": 3}
    assert dataset["image_count"] == 7 and dataset["labelled"] is True
    assert dataset["image_stats"]["min_width"] == 32


def test_a_class_folder_tree_registers(
    client: TestClient, put_source: Callable[[str, bytes], str]
) -> None:
    for rel, data in class_tree(PETS).items():
        uri = put_source(f"pets/{rel}", data)
    put_source("pets/notes.txt", b"not an image")
    dataset = register(client, uri.rsplit("/", 2)[0])
    assert_pets(dataset)
    assert dataset["source_format"] == "folder"
    skipped = client.get(f"/v1/datasets/{dataset['id']}/skipped").json()
    assert skipped["total"] == 1 and skipped["items"][0]["reason"] == "unsupported-extension"
    images = client.get(f"/v1/datasets/{dataset['id']}/images", params={"limit": 100}).json()
    assert images["total"] == 7 and {i["label"] for i in images["items"]} == {"cat", "dog"}
    assert images["next_cursor"] is None and skipped["next_cursor"] is None
    # Paged by cursor, as every list is: every image once, in the same order.
    paged, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        page = client.get(f"/v1/datasets/{dataset['id']}/images", params=params).json()
        paged += page["items"]
        if (cursor := page["next_cursor"]) is None:
            break
    assert paged == images["items"]
    foreign = client.get(f"/v1/datasets/{dataset['id']}/images", params={"cursor": "bm9wZQ=="})
    assert foreign.status_code == 422 and foreign.json()["code"] == "invalid-request"


@pytest.mark.parametrize(
    ("name", "pack"),
    [
        ("pets.zip", lambda files: zip_of(files, wrapper="export/pets/")),
        ("pets.tar.gz", lambda files: tar_of(files, "w:gz")),
        ("pets.tar", lambda files: tar_of(files, "w")),
        ("pets.tar.bz2", lambda files: tar_of(files, "w:bz2")),
    ],
)
def test_archives_register_through_single_folder_wrappers(
    client: TestClient,
    put_source: Callable[[str, bytes], str],
    name: str,
    pack: Callable[[dict[str, bytes]], bytes],
) -> None:
    dataset = register(client, put_source(name, pack(class_tree(PETS))))
    assert_pets(dataset)
    assert dataset["source_format"] == "archive"


def test_manifests_register_with_relative_and_absolute_paths(
    client: TestClient, put_source: Callable[[str, bytes], str]
) -> None:
    uris = {rel: put_source(f"m/{rel}", data) for rel, data in class_tree(PETS).items()}
    csv_rows = ["path,label"] + [f"{rel},{rel.split('/')[0]}" for rel in uris]
    csv = register(client, put_source("m/train.csv", "\n".join(csv_rows).encode()))
    assert_pets(csv)
    jsonl_rows = [
        json.dumps({"source-ref": uri, "class": rel.split("/")[0]}) for rel, uri in uris.items()
    ]
    jsonl = register(client, put_source("m/train.manifest.jsonl", "\n".join(jsonl_rows).encode()))
    assert_pets(jsonl)
    assert jsonl["source_format"] == "manifest-jsonl"


def test_a_manifest_row_pointing_nowhere_fails_naming_the_row(
    client: TestClient, put_source: Callable[[str, bytes], str]
) -> None:
    put_source("n/cat/a.png", image_bytes("cat", 0))
    dataset = register(client, put_source("n/list.csv", b"cat/a.png,cat\ncat/missing.png,cat\n"))
    assert dataset["status"] == "failed"
    assert dataset["error"]["code"] == "manifest-row-missing"
    assert "row 2" in dataset["error"]["message"] and "missing.png" in dataset["error"]["message"]


def test_a_flat_folder_registers_unlabelled_for_scoring(
    client: TestClient, put_source: Callable[[str, bytes], str]
) -> None:
    for i in range(3):
        uri = put_source(f"flat/img-{i}.png", image_bytes("red", i))
    dataset = register(client, uri.rsplit("/", 1)[0])
    assert dataset["status"] == "ready"
    assert (dataset["labelled"], dataset["classes"], dataset["image_count"]) == (False, None, 3)


def test_unreadable_files_are_skipped_with_their_reason(
    client: TestClient, sources: Path, tmp_path: Path
) -> None:
    folder = sources / "mixed"
    write_tree(folder, class_tree({"cat": 2, "dog": 2}))
    made = tmp_path / "made"
    made.mkdir()
    for build in (
        hostile.truncated_jpeg,
        hostile.png_named_jpg,
        hostile.text_named_png,
        hostile.pixel_bomb_png,
        hostile.cmyk_jpeg,
        hostile.gray16_png,
    ):
        path = build(made)
        (folder / "cat" / path.name).write_bytes(path.read_bytes())
    dataset = register(client, folder.as_uri())
    assert dataset["status"] == "ready"
    skipped = client.get(f"/v1/datasets/{dataset['id']}/skipped").json()["items"]
    reasons = {Path(s["path"]).name: s["reason"] for s in skipped}
    assert set(reasons.values()) == {
        "truncated",
        "format-mismatch",
        "not-an-image",
        "too-many-pixels",
    }
    # CMYK and 16-bit grayscale images are kept (they become RGB when read).
    assert dataset["class_counts"] == {"cat": 4, "dog": 2}


def test_a_hostile_archive_fails_the_dataset_and_writes_nothing_outside(
    client: TestClient, settings: Settings, sources: Path
) -> None:
    archive = hostile.zip_slip(sources)
    before = sorted(p.name for p in settings.data_dir.parent.iterdir())
    dataset = register(client, archive.as_uri())
    assert dataset["status"] == "failed" and dataset["error"]["code"] == "archive-rejected"
    assert "evil.txt" in dataset["error"]["message"]
    assert sorted(p.name for p in settings.data_dir.parent.iterdir()) == before
    assert not list(settings.data_dir.parent.rglob("evil.txt"))


def test_an_archive_uploaded_by_a_client_registers(client: TestClient) -> None:
    data = zip_of(class_tree(PETS))
    response = client.post(
        "/v1/datasets/upload", files={"file": ("../../pets.zip", data)}, data={"name": "pets"}
    )
    assert response.status_code == 202, response.text
    dataset = wait_indexed(client, response.json()["id"])
    assert_pets(dataset)
    assert dataset["name"] == "pets" and dataset["source_uri"].endswith("/upload/pets.zip")
    refused = client.post("/v1/datasets/upload", files={"file": ("notes.txt", b"hello")})
    assert refused.status_code == 422 and refused.json()["code"] == "invalid-request"


def test_sources_outside_the_allowed_roots_are_refused(client: TestClient) -> None:
    for uri in ("file:///etc/passwd", "file:///tmp/../etc", "http://example.com/x.zip", "ftp://x"):
        response = client.post("/v1/datasets", json={"source_uri": uri})
        assert response.status_code == 422, uri
        assert response.headers["content-type"] == "application/problem+json"
    assert client.get("/v1/datasets").json()["items"] == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/datasets", {"source_uri": "file:///data/a\x00b"}, "source_uri"),
        ("/v1/datasets", {"source_uri": "s3://bucket/pets/", "name": "\x00"}, "name"),
        ("/v1/datasets", {"source_uri": "s3://bucket/pets/", "description": "\x00"}, "description"),
        # JSON types are taken as declared, not coerced
        ("/v1/datasets/any/split", {"fraction": "0.5"}, "fraction"),
        ("/v1/datasets/any/split", {"seed": True}, "seed"),
        ("/v1/datasets/any/split", {"seed": 4.0}, "seed"),
        ("/v1/datasets/any/split", {"first_name": "a\x00"}, "first_name"),
    ],
)
def test_wrong_json_types_and_nul_characters_are_validation_problems(
    client: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    # A NUL cannot be stored in PostgreSQL (the fuzzer found it as a 500 there); SQLite took it.
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["body", field]]
    assert client.get("/v1/datasets").json()["items"] == []


def test_an_upload_named_with_a_nul_is_a_validation_problem(client: TestClient) -> None:
    upload = client.post(
        "/v1/datasets/upload", files={"file": ("pets.zip", b"zip")}, data={"name": "a\x00b"}
    )
    assert upload.status_code == 422, upload.text
    assert [e["loc"] for e in upload.json()["errors"]] == [["body", "name"]]


def test_split_is_stratified_and_reproducible_by_seed(client: TestClient, sources: Path) -> None:
    write_tree(sources / "big", class_tree({"cat": 20, "dog": 10}, size=8))
    parent = register(client, (sources / "big").as_uri())

    def split(seed: int, fraction: float = 0.8) -> tuple[dict[str, Any], dict[str, Any]]:
        response = client.post(
            f"/v1/datasets/{parent['id']}/split", json={"fraction": fraction, "seed": seed}
        )
        assert response.status_code == 201, response.text
        body = response.json()
        return body["first"], body["second"]

    first, second = split(7)
    assert first["class_counts"] == {"cat": 16, "dog": 8}
    assert second["class_counts"] == {"cat": 4, "dog": 2}
    assert first["parent_id"] == parent["id"] and first["status"] == "ready"

    def uris(dataset: dict[str, Any]) -> set[str]:
        page = client.get(f"/v1/datasets/{dataset['id']}/images", params={"limit": 200}).json()
        return {i["uri"] for i in page["items"]}

    assert not uris(first) & uris(second)
    assert uris(first) | uris(second) == uris(parent)
    again, _ = split(7)
    assert uris(again) == uris(first)
    other, _ = split(8)
    assert uris(other) != uris(first)
    default = client.post(f"/v1/datasets/{parent['id']}/split").json()
    assert default["first"]["image_count"] == 27  # Azure's default fraction, 0.9


def test_a_split_that_cannot_leave_each_class_on_both_sides_says_which_class(
    client: TestClient, sources: Path
) -> None:
    write_tree(sources / "lonely", class_tree({"cat": 5, "dog": 1}))
    parent = register(client, (sources / "lonely").as_uri())
    response = client.post(f"/v1/datasets/{parent['id']}/split", json={"fraction": 0.5})
    assert response.status_code == 422
    assert "dog" in response.json()["detail"]
    assert (
        client.post(f"/v1/datasets/{parent['id']}/split", json={"fraction": 1.0}).status_code == 422
    )


def test_delete_removes_the_dataset_and_its_files(
    client: TestClient, settings: Settings, sources: Path
) -> None:
    archive = sources / "pets.zip"
    archive.write_bytes(zip_of(class_tree(PETS)))
    dataset = register(client, archive.as_uri())
    store = open_store(settings.resolved_storage_uri, settings)
    assert list(store.list(f"datasets/{dataset['id']}/"))
    split = client.post(f"/v1/datasets/{dataset['id']}/split", json={"fraction": 0.5}).json()
    conflict = client.delete(f"/v1/datasets/{dataset['id']}")
    assert conflict.status_code == 409  # its splits use its extracted files
    for part in ("first", "second"):
        assert client.delete(f"/v1/datasets/{split[part]['id']}").status_code == 204
    assert client.delete(f"/v1/datasets/{dataset['id']}").status_code == 204
    assert not list(store.list(f"datasets/{dataset['id']}/"))
    assert client.get(f"/v1/datasets/{dataset['id']}").status_code == 404
    assert archive.exists()  # the user's own data is never touched
