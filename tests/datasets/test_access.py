"""Sources are confined to the allowed file roots and S3 prefixes through every URI form, on every
surface that takes a URI, and what is checked is what is read: no decoding, link or
look-alike name moves a read (or a write) outside."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.datasets.sources import SourceAccess, SourceNotAllowed, child_uri
from app.db.tables import ModelRecord
from app.errors import InvalidRequest
from app.main import create_app
from app.serving.inputs import read_uri
from app.storage.local import LocalStore
from tests.datasets.test_api import wait_indexed
from tests.fixtures.images import image_bytes, write_tree, zip_of
from tests.fixtures.storage import S3_CREDENTIALS

ALLOWED = "s3://data-a/allowed/"
OUTPUTS = "s3://data-a/outputs/"  # where scoring output may go: apart from the sources
SECRET = image_bytes("red", 666)  # a valid image: were it ever read, indexing would keep it
INSIDE = image_bytes("blue", 1)

# Templates: {root} is the allowed folder's URI (file:///.../data/sources), {outside} a folder
# next to data/ holding secret.png, {own} the service's storage (data/storage), {sibling} the
# folder data/sources-evil, {outside_path} the absolute path of the outside folder.
ESCAPING_FILE_URIS = [
    "{root}/../../outside/secret.png",
    "{root}/cat/../../../outside/secret.png",
    "{root}/%2e%2e/%2e%2e/outside/secret.png",
    "{root}/%2E%2E/%2E%2E/outside/secret.png",
    "{root}/.%2e/.%2e/outside/secret.png",
    "{root}/..%2F..%2Foutside%2Fsecret.png",
    "{root}%2F..%2F..%2Foutside%2Fsecret.png",
    "{root}/%252e%252e/%252e%252e/outside/secret.png",
    "{root}/%25252e%25252e/%25252e%25252e/outside/secret.png",
    "{root}/./../../outside/secret.png",
    "{root}/linked/secret.png",  # a folder in the root that is a link to outside
    "{root}/linked/",
    "{root}/linked",
    "{root}/cat/link.png",  # a file in the root that is a link to outside
    "{root}/cat/in.png\x00/../../../outside/secret.png",
    "{root}/%00/../../outside/secret.png",
    "{root}/cat/in.png?/../../../outside/secret.png",
    "{root}/cat/in.png#/../../../outside/secret.png",
    "{root}\\..\\..\\outside\\secret.png",
    "{root}/..\\..\\outside\\secret.png",
    "{root}/%5C..%5C..%5Coutside%5Csecret.png",
    "{root}//../../outside/secret.png",
    "{sibling}/x.png",  # data/sources-evil when the root is data/sources
    "{outside}/secret.png",
    "file://evil.example{outside_path}/secret.png",
    "file://127.0.0.1{outside_path}/secret.png",
    "file:/{outside_path}/secret.png",
    "file:{outside_path}/secret.png",
    "file:///{outside_path}/secret.png",
    "FILE://{outside_path}/secret.png",
    "File:///{outside_path}/secret.png",
    "{own}/../../outside/secret.png",
    "{own}/%2e%2e/%2e%2e/outside/secret.png",
    "{own}/datasets/x%2F..%2F..%2F..%2F..%2Foutside%2Fsecret.png",
    "{own}/%252e%252e/%252e%252e/outside/secret.png",
]
ESCAPING_S3_URIS = [
    "s3://data-a/allowed/../secret.png",
    "s3://data-a/allowed/%2e%2e/secret.png",
    "s3://data-a/allowed/%2E%2e/secret.png",
    "s3://data-a/allowed/.%2E/secret.png",
    "s3://data-a/allowed/%252e%252e/secret.png",
    "s3://data-a/allowed/..%2Fsecret.png",
    "s3://data-a/allowed%2F..%2Fsecret.png",
    "s3://data-a/allowed/..%252Fsecret.png",
    "s3://data-a/allowed/./../secret.png",
    "s3://data-ab/allowed/x.png",  # a bucket whose name extends the allowed one
    "s3://data-a-evil/allowed/x.png",
    "s3://data-a/allowed-not/x.png",  # a prefix that extends the allowed one
    "s3://data-a/allowedx.png",
    "s3://data-a/secret.png",
    "s3://data-a/",
    "s3://data-a",
    "s3://data-a//allowed/../secret.png",
    "s3://data-a/allowed//../secret.png",
    "s3://data-a//secret.png",
    "s3://data-a/allowed\\..\\secret.png",
    "s3://data-a/allowed/%5C..%5Csecret.png",
    "s3://data-a/allowed/x\x00/../../secret.png",
    "s3://data-a/allowed/%00/../secret.png",
    "s3://data-a/allowed/x?/../../secret.png",
    "s3://data-a/allowed/x#/../../secret.png",
    "s3://data-a@data-ab/allowed/x.png",
    "s3://data-ab%2Fallowed/x.png",
    "s3://DATA-A/allowed/x.png",
    "S3://data-a/allowed/x.png",
    "S3://data-ab/allowed/x.png",
    "s3:/data-a/allowed/x.png",
    "s3:data-a/allowed/x.png",
    "https://data-a.s3.amazonaws.com/allowed/x.png",
]
ALL_ESCAPES = ESCAPING_FILE_URIS + ESCAPING_S3_URIS


@dataclass(frozen=True)
class Tree:
    root: Path  # the allowed folder
    outside: Path  # holds secret.png, outside every root
    own: Path  # the service's storage

    def uri(self, template: str) -> str:
        return template.format(
            root=self.root.as_uri(),
            outside=self.outside.as_uri(),
            outside_path=self.outside,
            own=self.own.as_uri(),
            sibling=Path(f"{self.root}-evil").as_uri(),
        )


@pytest.fixture(scope="module")
def s3_objects(moto_endpoint: str) -> None:
    """data-a/allowed/ is allowed; the look-alikes around it hold secrets."""
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", **_boto_keys())
    for bucket in ("data-a", "data-ab", "data-a-evil"):
        with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
            s3.create_bucket(Bucket=bucket)
    s3.put_object(Bucket="data-a", Key="allowed/cat/in.png", Body=INSIDE)
    for bucket, key in [
        ("data-a", "secret.png"),
        ("data-a", "allowed-not/x.png"),
        ("data-a", "allowedx.png"),
        ("data-ab", "allowed/x.png"),
        ("data-a-evil", "allowed/x.png"),
    ]:
        s3.put_object(Bucket=bucket, Key=key, Body=SECRET)


def _boto_keys() -> dict[str, str]:
    return {
        "aws_access_key_id": S3_CREDENTIALS["s3_access_key_id"],
        "aws_secret_access_key": S3_CREDENTIALS["s3_secret_access_key"],
    }


@pytest.fixture
def settings(tmp_path: Path, moto_endpoint: str, s3_objects: None) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        s3_source_prefixes=[ALLOWED],
        output_roots=[tmp_path / "outputs"],
        output_s3_prefixes=[OUTPUTS],
        s3_endpoint_url=moto_endpoint,
        runner_poll_s=0.05,
        **S3_CREDENTIALS,
    )


@pytest.fixture
def tree(settings: Settings, tmp_path: Path) -> Tree:
    root = settings.resolved_file_source_roots[0]
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.png": SECRET, "x.png": SECRET})
    write_tree(root, {"cat/in.png": INSIDE, "cat/a b#1%.png": INSIDE})
    write_tree(Path(f"{root}-evil"), {"x.png": SECRET})
    (root / "linked").symlink_to(outside, target_is_directory=True)
    (root / "cat" / "link.png").symlink_to(outside / "secret.png")
    own = Path(settings.resolved_storage_uri.removeprefix("file://"))
    own.mkdir(parents=True, exist_ok=True)
    return Tree(root=root, outside=outside, own=own)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        yield test_client


# -- SourceAccess and real-time reads ------------------------------------------------------------
@pytest.mark.parametrize("template", ALL_ESCAPES)
def test_no_uri_form_reaches_outside_the_allowed_roots(
    settings: Settings, tree: Tree, template: str
) -> None:
    uri = tree.uri(template)
    access = SourceAccess(settings)
    for check in (
        lambda: access.check_allowed(uri),
        lambda: access.check_allowed(uri, write=True),
        lambda: access.locate(uri),
        lambda: access.head(uri),
        lambda: access.list_folder(uri),
    ):
        with pytest.raises(SourceNotAllowed):
            check()
    # The JSON `uri` images of POST /v1/models/{id}/predict.
    with pytest.raises(InvalidRequest, match=r"images\[0\]"):
        read_uri(settings, uri, 0, 10**6)


@pytest.mark.parametrize(
    ("template", "data"),
    [
        ("{root}/cat/in.png", INSIDE),
        ("file://localhost{root_path}/cat/in.png", INSIDE),
        ("{root}/cat/a%20b%231%25.png", INSIDE),  # 'a b#1%.png', percent-encoded once
        (ALLOWED + "cat/in.png", INSIDE),
    ],
)
def test_uris_inside_the_allowed_roots_read_what_they_name(
    settings: Settings, tree: Tree, template: str, data: bytes
) -> None:
    uri = template.format(root=tree.root.as_uri(), root_path=tree.root)
    assert read_uri(settings, uri, 0, 10**6) == data


def test_a_symlink_is_followed_before_the_check_and_the_target_is_what_is_read(
    settings: Settings, tree: Tree
) -> None:
    (tree.root / "alias.png").symlink_to(tree.root / "cat" / "in.png")
    store, key = SourceAccess(settings).locate((tree.root / "alias.png").as_uri())
    assert key == str(tree.root / "cat" / "in.png").lstrip("/")
    assert store.get_bytes(key) == INSIDE


def test_the_services_own_storage_is_readable_but_never_a_write_target(
    settings: Settings, tree: Tree
) -> None:
    (tree.own / "datasets").mkdir()
    (tree.own / "datasets" / "x.png").write_bytes(INSIDE)
    access = SourceAccess(settings)
    access.check_allowed(f"{tree.own.as_uri()}/datasets/x.png")
    for uri in (tree.own.as_uri(), f"{tree.own.as_uri()}/scoring/another-job"):
        with pytest.raises(SourceNotAllowed, match="own storage"):
            access.check_allowed(uri, write=True)


def test_writes_go_to_the_output_roots_only_and_outputs_are_not_sources(
    settings: Settings, tree: Tree
) -> None:
    access = SourceAccess(settings)
    for uri in (f"{tree.root.as_uri()}/out", tree.root.as_uri(), ALLOWED + "out", ALLOWED):
        with pytest.raises(SourceNotAllowed, match="must be inside one of this server's output"):
            access.check_allowed(uri, write=True)
    outputs = settings.resolved_output_roots[0]
    for uri in (f"{outputs.as_uri()}/out", OUTPUTS + "out"):
        access.check_allowed(uri, write=True)
        with pytest.raises(SourceNotAllowed, match="this server may read"):
            access.check_allowed(uri)  # a dataset registered there could be written into
    # A file:// output's store starts at its output root, so no link below that is followed.
    store, key = access.locate(f"{outputs.as_uri()}/team/out", write=True)
    assert store.root_uri == outputs.as_uri() and key == "team/out"


@pytest.mark.parametrize("name", ["a b.png", "a#1.png", "100%.png", "%2e%2e.png", "q?.png"])
def test_stored_and_listed_names_read_back_as_themselves(
    settings: Settings, tree: Tree, name: str
) -> None:
    """URIs the service writes (store.uri_for, folder listings) are percent-encoded, so that the
    decoding that confinement relies on names the same file, and a store at '/' gives file:///."""
    for store in (LocalStore(tree.root), LocalStore(Path("/"))):
        key = str(tree.root / "odd" / name).removeprefix("/") if store.root == Path("/") else name
        store.put_bytes(key, INSIDE)
        uri = store.uri_for(key)
        assert uri.startswith("file:///")
        located, located_key = SourceAccess(settings).locate(uri)
        assert located.get_bytes(located_key) == INSIDE
    listed = child_uri(tree.root.as_uri() + "/odd/", name)
    assert read_uri(settings, listed, 0, 10**6) == INSIDE


# -- the API -------------------------------------------------------------------------------------
def make_trained_model(client: TestClient) -> str:
    """A model row that passes the 'trained' check of POST /v1/scoring-jobs (no weights needed:
    the URIs are checked before anything is queued)."""
    model_id = str(uuid.uuid4())
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        session.add(
            ModelRecord(
                id=model_id,
                status="trained",
                architecture="resnet18",
                family="resnet",
                pretrained=False,
                zero_init_residual=False,
                memory_efficient=False,
                num_classes=2,
                class_names=["a", "b"],
                storage_uri="file:///nowhere",
            )
        )
        session.commit()
    return model_id


def assert_refused(response: Any, field: str) -> None:
    """A 422 about `field`: from the URI rules, or from the schema (which refuses NUL)."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    if body["code"] == "validation-failed":
        assert [e["loc"] for e in body["errors"]] == [["body", field]], body
    else:
        assert body["code"] == "invalid-request", body
        assert field in body["detail"], body


@pytest.mark.parametrize("template", ALL_ESCAPES)
def test_every_api_field_that_takes_a_uri_refuses_escapes(
    client: TestClient, tree: Tree, template: str
) -> None:
    uri = tree.uri(template)
    response = client.post("/v1/datasets", json={"source_uri": uri, "format": "folder"})
    assert_refused(response, "source_uri")
    model_id = make_trained_model(client)
    inside = tree.root.as_uri() + "/cat/"
    job = {"model_id": model_id}
    assert_refused(client.post("/v1/scoring-jobs", json={**job, "input_uri": uri}), "input_uri")
    assert_refused(
        client.post("/v1/scoring-jobs", json={**job, "input_uri": inside, "output_uri": uri}),
        "output_uri",
    )
    assert client.get("/v1/datasets").json()["items"] == []
    assert client.get("/v1/scoring-jobs").json()["items"] == []


def test_scoring_output_may_not_overwrite_the_services_own_files(
    client: TestClient, tree: Tree
) -> None:
    job = {"model_id": make_trained_model(client), "input_uri": tree.root.as_uri() + "/cat/"}
    for target in (tree.own.as_uri(), f"{tree.own.as_uri()}/models/{job['model_id']}"):
        response = client.post("/v1/scoring-jobs", json={**job, "output_uri": target})
        assert_refused(response, "output_uri")
        assert "own storage" in response.json()["detail"]


def test_a_refused_uri_is_explained_without_the_servers_roots(
    client: TestClient, settings: Settings, tree: Tree
) -> None:
    # The refusals used to list every allowed root (and a link loop named where it led): the
    # caller learns that a URI is refused and whom to ask; the roots are the operator's.
    (tree.outside / "loop").symlink_to(tree.outside / "loop")
    (tree.root / "far").symlink_to(tree.outside / "loop")
    model_id = make_trained_model(client)
    for uri, ask in [
        (f"{tree.outside.as_uri()}/secret.png", "the allowed roots"),
        ("s3://data-a/secret.png", "the allowed prefixes"),
        (f"{tree.root.as_uri()}/far/x.png", "cannot be resolved"),
    ]:
        responses = [
            client.post("/v1/datasets", json={"source_uri": uri}),
            client.post("/v1/scoring-jobs", json={"model_id": model_id, "input_uri": uri}),
        ]
        for response in responses:
            assert response.status_code == 422, response.text
            assert ask in response.json()["detail"], response.text
            text = response.text.replace(json.dumps(uri)[1:-1], "<the caller's URI>")
            for internal in (str(tree.root), str(tree.outside), str(tree.own), ALLOWED):
                assert internal not in text, (internal, response.text)


# -- indexing ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "row",
    [
        "../../../outside/secret.png",  # relative, climbing out of the root
        "{outside}/secret.png",
        "{root}/%2e%2e/%2e%2e/outside/secret.png",
        "{root}/linked/secret.png",
        "{root}/cat/link.png",
        "{sibling}/x.png",
        "{own}/%2e%2e/%2e%2e/outside/secret.png",
        "s3://data-ab/allowed/x.png",
        "s3://data-a/allowed/%2e%2e/secret.png",
        "s3://data-a/secret.png",
    ],
)
def test_a_manifest_row_outside_the_roots_fails_the_indexing_job(
    client: TestClient, tree: Tree, row: str
) -> None:
    rows = ["../cat/in.png,cat", f"{tree.uri(row)},dog"]
    manifest = write_tree(tree.root / "m", {"list.csv": "\n".join(rows).encode()}) / "list.csv"
    response = client.post("/v1/datasets", json={"source_uri": manifest.as_uri()})
    assert response.status_code == 202, response.text
    dataset = wait_indexed(client, response.json()["id"])
    assert dataset["status"] == "failed", dataset
    assert dataset["error"]["code"] == "source-not-allowed"
    assert dataset["error"]["message"].startswith("manifest row 2:")


def test_links_inside_a_registered_folder_are_not_followed_out(
    client: TestClient, tree: Tree
) -> None:
    pets = tree.root / "pets"
    write_tree(pets, {"cat/a.png": INSIDE, "dog/b.png": image_bytes("green", 2)})
    (pets / "cat" / "secret.png").symlink_to(tree.outside / "secret.png")
    (pets / "evil").symlink_to(tree.outside, target_is_directory=True)
    response = client.post("/v1/datasets", json={"source_uri": pets.as_uri()})
    dataset = wait_indexed(client, response.json()["id"])
    assert dataset["status"] == "ready", dataset
    assert dataset["class_counts"] == {"cat": 1, "dog": 1}
    images = client.get(f"/v1/datasets/{dataset['id']}/images").json()["items"]
    assert all(str(tree.outside) not in image["uri"] for image in images)


def test_an_archive_member_whose_name_decodes_to_a_traversal_is_skipped_not_read(
    client: TestClient, tree: Tree
) -> None:
    # Extracted to storage/datasets/<id>/files/cat/: six levels below tmp_path, where outside/ is.
    evil = "cat/" + "%2e%2e%2f" * 6 + "outside%2fsecret.png"
    archive = zip_of({"cat/a.png": INSIDE, "dog/b.png": image_bytes("green", 2), evil: INSIDE})
    response = client.post("/v1/datasets/upload", files={"file": ("pets.zip", archive)})
    assert response.status_code == 202, response.text
    dataset = wait_indexed(client, response.json()["id"])
    assert dataset["status"] == "ready", dataset
    assert dataset["class_counts"] == {"cat": 1, "dog": 1}
    skipped = client.get(f"/v1/datasets/{dataset['id']}/skipped").json()["items"]
    assert [(s["path"], s["reason"]) for s in skipped] == [(evil, "invalid-key")]
    images = client.get(f"/v1/datasets/{dataset['id']}/images").json()["items"]
    assert all("secret" not in json.dumps(image) for image in images)
