"""Where scoring output may go: the job's own storage, or an output_uri inside one of the
server's output roots. Never where datasets are read from (a registered dataset's class folders
included), never through a symbolic link, and a refusal says what to fix in the caller's terms,
without naming the server's folders."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.config import Settings
from app.ml.architectures import Architecture, BuildOptions
from app.models import service as models
from app.models.files import model_prefix
from app.storage import open_store
from tests.datasets.test_api import wait_indexed
from tests.fixtures.images import class_tree, write_tree
from tests.fixtures.trained import wait_for
from tests.ml.trained_dir import write_trained_dir

CLASSES = ["blue", "green", "red"]


@pytest.fixture(scope="module")
def model_id(
    app_client: TestClient, scoring_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """A trained model's files and row, as training leaves them (untrained weights: these tests
    are about where the output goes, not what it says)."""
    model_id = str(uuid.uuid4())
    folder = write_trained_dir(tmp_path_factory.mktemp("model"), class_names=CLASSES)
    store = open_store(scoring_settings.resolved_storage_uri, scoring_settings)
    for path in folder.iterdir():
        store.put_file(model_prefix(model_id) + path.name, path)
    runtime = app_client.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions() as session:
        models.add_trained(
            session,
            model_id=model_id,
            training_job_id="job-test",
            architecture=Architecture.RESNET18,
            pretrained=False,
            options=BuildOptions(),
            source_weights=None,
            class_names=CLASSES,
            metrics={},
            storage_uri=store.uri_for(model_prefix(model_id).rstrip("/")),
            name=None,
            tags=[],
        )
        session.commit()
    return model_id


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def source_folder(settings: Settings, name: str) -> Path:
    root = settings.resolved_file_source_roots[0] / name
    return write_tree(root, class_tree({"blue": 2, "green": 2, "red": 2}, size=24))


def server_folders(settings: Settings) -> list[str]:
    return [
        str(p)
        for p in (
            *settings.resolved_file_source_roots,
            *settings.resolved_output_roots,
            settings.data_dir.resolve(),
        )
    ]


def submit(client: TestClient, **body: Any) -> Any:
    return client.post("/v1/scoring-jobs", json=body)


def test_output_into_a_registered_datasets_folders_is_refused_and_says_what_to_fix(
    app_client: TestClient,
    scoring_settings: Settings,
    model_id: str,
    scoring_bucket: str,
) -> None:
    pets = source_folder(scoring_settings, "pets")
    dataset = wait_indexed(
        app_client, app_client.post("/v1/datasets", json={"source_uri": pets.as_uri()}).json()["id"]
    )
    assert dataset["status"] == "ready", dataset
    before = files_under(scoring_settings.resolved_file_source_roots[0])
    targets = {
        (pets / "blue").as_uri(): "RESNET_STUDIO_OUTPUT_ROOTS",  # a class folder
        pets.as_uri(): "RESNET_STUDIO_OUTPUT_ROOTS",
        scoring_settings.resolved_file_source_roots[0].as_uri(): "RESNET_STUDIO_OUTPUT_ROOTS",
        f"s3://{scoring_bucket}/in/blue": "RESNET_STUDIO_OUTPUT_S3_PREFIXES",
    }
    for target, setting in targets.items():
        response = submit(
            app_client,
            model_id=model_id,
            dataset_id=dataset["id"],
            output_uri=target,
        )
        assert response.status_code == 422, response.text
        assert response.headers["content-type"] == "application/problem+json"
        detail = response.json()["detail"]
        assert detail.startswith("output_uri: must be inside one of this server's output roots")
        assert f"({setting}); ask the operator" in detail
        assert not any(folder in detail for folder in server_folders(scoring_settings)), detail
    assert app_client.get("/v1/scoring-jobs").json()["items"] == []
    assert files_under(scoring_settings.resolved_file_source_roots[0]) == before


def test_output_in_an_output_root_is_written_there_and_read_back(
    app_client: TestClient, scoring_settings: Settings, model_id: str
) -> None:
    folder = source_folder(scoring_settings, "to-score")
    before = files_under(folder)
    out = scoring_settings.resolved_output_roots[0] / "team-a" / "run-1"
    response = submit(
        app_client, model_id=model_id, input_uri=folder.as_uri(), output_uri=out.as_uri()
    )
    assert response.status_code == 202, response.text
    job = wait_for(app_client, f"/v1/scoring-jobs/{response.json()['id']}")
    assert job["status"] == "succeeded", job["error"]
    assert job["output"]["predictions_uri"] == (out / "predictions.csv").as_uri()
    assert set(files_under(out)) == {
        "predictions.csv",
        "errors.csv",
        "evaluation.json",
        "confusion_matrix.png",
    }
    download = app_client.get(f"/v1/scoring-jobs/{job['id']}/output")
    assert download.status_code == 200 and download.text == (out / "predictions.csv").read_text()
    assert files_under(folder) == before  # nothing lands in the source folder


def test_output_in_an_output_prefix_is_written_to_the_bucket(
    app_client: TestClient, scoring_settings: Settings, model_id: str, scoring_bucket: str
) -> None:
    folder = source_folder(scoring_settings, "to-score-s3")
    out = f"s3://{scoring_bucket}/out/run-1"
    response = submit(app_client, model_id=model_id, input_uri=folder.as_uri(), output_uri=out)
    assert response.status_code == 202, response.text
    job = wait_for(app_client, f"/v1/scoring-jobs/{response.json()['id']}")
    assert job["status"] == "succeeded", job["error"]
    assert job["output"]["predictions_uri"] == f"{out}/predictions.csv"
    bucket = open_store(f"s3://{scoring_bucket}", scoring_settings)
    assert {i.key for i in bucket.list("out/run-1/")} == {
        f"out/run-1/{name}"
        for name in ("predictions.csv", "errors.csv", "evaluation.json", "confusion_matrix.png")
    }
    download = app_client.get(f"/v1/scoring-jobs/{job['id']}/output")
    assert download.status_code == 200
    assert download.content == bucket.get_bytes("out/run-1/predictions.csv")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside every root, with files that must survive the job."""
    return write_tree(tmp_path / "outside", {"keep.txt": b"keep", "sub/also.txt": b"also"})


def test_a_link_planted_at_the_parts_folder_fails_the_job_and_nothing_outside_changes(
    app_client: TestClient,
    scoring_settings: Settings,
    model_id: str,
    outside: Path,
) -> None:
    out = scoring_settings.resolved_output_roots[0] / "planted"
    out.mkdir(parents=True)
    (out / "parts").symlink_to(outside, target_is_directory=True)
    response = submit(
        app_client,
        model_id=model_id,
        input_uri=source_folder(scoring_settings, "linked").as_uri(),
        output_uri=out.as_uri(),
    )
    assert response.status_code == 202, response.text
    job = wait_for(app_client, f"/v1/scoring-jobs/{response.json()['id']}")
    assert job["status"] == "failed" and job["attempts"] == 1  # not retried: not an outage
    assert job["error"]["code"] == "output-not-allowed"
    assert "'parts' in the output folder is a symbolic link" in job["error"]["message"]
    message = job["error"]["message"]
    assert not any(folder in message for folder in server_folders(scoring_settings)), message
    assert files_under(outside) == {"keep.txt": b"keep", "sub/also.txt": b"also"}
    assert (out / "parts").is_symlink() and files_under(out) == {}


def test_links_inside_the_parts_folder_are_neither_written_through_nor_cleaned_up(
    app_client: TestClient,
    scoring_settings: Settings,
    model_id: str,
    outside: Path,
) -> None:
    out = scoring_settings.resolved_output_roots[0] / "inside-parts"
    (out / "parts").mkdir(parents=True)
    (out / "parts" / "elsewhere").symlink_to(outside, target_is_directory=True)
    (out / "parts" / "keep.txt").symlink_to(outside / "keep.txt")
    response = submit(
        app_client,
        model_id=model_id,
        input_uri=source_folder(scoring_settings, "linked-inside").as_uri(),
        output_uri=out.as_uri(),
    )
    job = wait_for(app_client, f"/v1/scoring-jobs/{response.json()['id']}")
    assert job["status"] == "succeeded", job["error"]
    assert files_under(outside) == {"keep.txt": b"keep", "sub/also.txt": b"also"}
    # The job's own part files are gone; the links it did not make are left as they were.
    assert sorted(p.name for p in (out / "parts").iterdir()) == ["elsewhere", "keep.txt"]
    assert (out / "predictions.csv").read_text().startswith("id,")


# -- settings ------------------------------------------------------------------------------------
def test_output_roots_and_prefixes_are_read_from_the_environment_like_the_source_roots(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("RESNET_STUDIO_OUTPUT_ROOTS", f"{tmp_path}/a, {tmp_path}/b")
    monkeypatch.setenv("RESNET_STUDIO_S3_SOURCE_PREFIXES", "s3://bucket/data/")
    monkeypatch.setenv("RESNET_STUDIO_OUTPUT_S3_PREFIXES", "s3://bucket/scored/,s3://other/x")
    settings = Settings(data_dir=tmp_path / "data")
    assert settings.resolved_output_roots == [
        (tmp_path / "a").resolve(),
        (tmp_path / "b").resolve(),
    ]
    assert settings.output_s3_prefixes == ["s3://bucket/scored/", "s3://other/x"]
    monkeypatch.delenv("RESNET_STUDIO_OUTPUT_ROOTS")
    monkeypatch.delenv("RESNET_STUDIO_OUTPUT_S3_PREFIXES")
    assert Settings(data_dir=tmp_path).output_roots == []  # none by default


@pytest.mark.parametrize(
    ("settings", "fragment"),
    [
        ({"output_roots": ["{data}/sources"]}, "overlaps the source root"),  # the default root
        ({"output_roots": ["{data}"]}, "overlaps the source root"),  # holds it
        ({"output_roots": ["{data}/sources/pets/cat"]}, "overlaps the source root"),  # inside
        (
            {"file_source_roots": ["{data}/a"], "output_roots": ["{data}/a/../a/out"]},
            "overlaps the source root",
        ),
        ({"output_s3_prefixes": ["s3://bucket/out/"]}, "needs RESNET_STUDIO_S3_SOURCE_PREFIXES"),
        (
            {"s3_source_prefixes": ["s3://bucket/data/"], "output_s3_prefixes": ["s3://bucket"]},
            "overlaps the source prefix",
        ),
        (
            {
                "s3_source_prefixes": ["s3://bucket/data/"],
                "output_s3_prefixes": ["s3://bucket/data/out/"],
            },
            "overlaps the source prefix",
        ),
        ({"s3_source_prefixes": ["s3://b/d/"], "output_s3_prefixes": ["/local"]}, "s3://bucket"),
    ],
)
def test_a_server_whose_outputs_overlap_its_sources_refuses_to_start(
    tmp_path: Path, settings: dict[str, Any], fragment: str
) -> None:
    data = tmp_path / "data"

    def fill(value: Any) -> Any:
        return [v.format(data=data) for v in value] if isinstance(value, list) else value

    with pytest.raises(ValidationError, match=fragment):
        Settings(data_dir=data, **{k: fill(v) for k, v in settings.items()})


def test_outputs_beside_the_sources_are_fine(tmp_path: Path) -> None:
    """Roots and prefixes match whole segments: sources-out is not inside sources."""
    Settings(
        data_dir=tmp_path / "data",
        output_roots=[tmp_path / "data" / "sources-out"],
        s3_source_prefixes=["s3://bucket/data/"],
        output_s3_prefixes=["s3://bucket/data-out/", "s3://other/data/"],
    )
