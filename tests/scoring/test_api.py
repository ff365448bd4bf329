"""Batch scoring jobs: Azure's output columns, an errors file, evaluation against labels."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from sklearn import metrics as sk

from app.config import Settings
from app.storage import open_store
from tests.datasets import hostile
from tests.datasets.test_api import wait_indexed
from tests.fixtures.images import class_tree, write_tree
from tests.fixtures.storage import S3_CREDENTIALS
from tests.fixtures.trained import wait_for

CLASSES = ["blue", "green", "red"]
PROBS = [f"Scored Probabilities_{c}" for c in CLASSES]


def score(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/v1/scoring-jobs", json=body)
    assert response.status_code == 202, response.text
    job = wait_for(client, f"/v1/scoring-jobs/{response.json()['id']}")
    assert job["status"] == "succeeded", job["error"]
    return job


def read_rows(
    client: TestClient, job: dict[str, Any], which: str = "output"
) -> list[dict[str, Any]]:
    response = client.get(f"/v1/scoring-jobs/{job['id']}/{which}")
    assert response.status_code == 200, response.text
    fmt = job["output_format"]
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(response.text)))
    if fmt == "jsonl":
        return [json.loads(line) for line in response.text.splitlines()]
    return list(pq.read_table(io.BytesIO(response.content)).to_pylist())


def labelled_folder(settings: Settings, name: str, with_corrupt: bool) -> Path:
    root = settings.resolved_file_source_roots[0] / name
    write_tree(root, class_tree({"blue": 6, "green": 5, "red": 7}, size=40))
    if with_corrupt:
        made = root.parent / f"{name}-bad"
        made.mkdir(exist_ok=True)
        for build in (hostile.truncated_jpeg, hostile.text_named_png):
            bad = build(made)
            (root / "red" / bad.name).write_bytes(bad.read_bytes())
    return root


def test_a_labelled_local_folder_scores_with_azure_columns_and_an_errors_file(
    app_client: TestClient, scoring_settings: Settings, trained_model: dict[str, Any]
) -> None:
    folder = labelled_folder(scoring_settings, "local", with_corrupt=True)
    job = score(app_client, model_id=trained_model["id"], input_uri=folder.as_uri(), top_k=2)
    rows = read_rows(app_client, job)
    assert list(rows[0]) == [
        "id",
        "category",
        *PROBS,
        "Scored Labels",
        "Top 1 Label",
        "Top 1 Probability",
        "Top 2 Label",
        "Top 2 Probability",
    ]
    assert len(rows) == 18 and job["output"]["images_scored"] == 18
    for row in rows:
        probs = [float(row[c]) for c in PROBS]
        assert sum(probs) == pytest.approx(1.0, abs=1e-5)
        assert row["Scored Labels"] == CLASSES[int(np.argmax(probs))] == row["Top 1 Label"]
        assert float(row["Top 1 Probability"]) >= float(row["Top 2 Probability"])
    errors = read_rows(app_client, job, "errors")
    assert {Path(e["id"]).name: e["reason"] for e in errors} == {
        "truncated.jpg": "truncated",
        "notes.png": "not-an-image",
    }
    assert job["output"]["images_failed"] == 2


def test_the_evaluation_matches_scikit_learn_on_the_same_predictions(
    app_client: TestClient, scoring_settings: Settings, trained_model: dict[str, Any]
) -> None:
    folder = labelled_folder(scoring_settings, "evaluate", with_corrupt=False)
    job = score(
        app_client, model_id=trained_model["id"], input_uri=folder.as_uri(), output_format="jsonl"
    )
    rows = read_rows(app_client, job)
    y_true = [CLASSES.index(r["category"]) for r in rows]
    probs = np.array([[r[c] for c in PROBS] for r in rows])
    y_pred = probs.argmax(axis=1)
    evaluation = app_client.get(f"/v1/scoring-jobs/{job['id']}/evaluation").json()
    assert evaluation["count"] == 18
    assert evaluation["accuracy"] == pytest.approx(sk.accuracy_score(y_true, y_pred))
    for average in ("macro", "micro", "weighted"):
        p, r, f, _ = sk.precision_recall_fscore_support(
            y_true, y_pred, average=average, zero_division=0
        )
        assert evaluation["precision"][average] == pytest.approx(p)
        assert evaluation["recall"][average] == pytest.approx(r)
        assert evaluation["f1"][average] == pytest.approx(f)
    # scikit-learn renormalises each row; float32 rows sum to 1 within ~1e-7.
    assert evaluation["log_loss"] == pytest.approx(
        sk.log_loss(y_true, probs, labels=[0, 1, 2]), rel=1e-4
    )
    assert (
        evaluation["confusion_matrix"]["matrix"]
        == sk.confusion_matrix(y_true, y_pred, labels=[0, 1, 2]).tolist()
    )
    assert evaluation["accuracy"] > 0.8  # the model learned the colours
    png = app_client.get(f"/v1/scoring-jobs/{job['id']}/evaluation/confusion-matrix")
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"
    same = app_client.get(f"/v1/scoring-jobs/{job['id']}/evaluation/compare/{job['id']}").json()
    assert same["differences"]["metrics"]["accuracy"]["difference"] == 0


def test_a_labelled_folder_in_s3_scores_to_parquet_in_the_callers_bucket(
    app_client: TestClient,
    scoring_settings: Settings,
    trained_model: dict[str, Any],
    moto_endpoint: str,
    scoring_bucket: str,
) -> None:
    bucket = scoring_bucket  # in/ is a source prefix, out/ an output prefix
    store = open_store(
        f"s3://{bucket}/in", Settings(s3_endpoint_url=moto_endpoint, **S3_CREDENTIALS)
    )
    for rel, data in class_tree({"blue": 3, "green": 3, "red": 3}).items():
        store.put_bytes(rel, data)
    job = score(
        app_client,
        model_id=trained_model["id"],
        input_uri=f"s3://{bucket}/in/",
        output_uri=f"s3://{bucket}/out",
        output_format="parquet",
        top_k=3,
    )
    assert job["output"]["predictions_uri"] == f"s3://{bucket}/out/predictions.parquet"
    rows = read_rows(app_client, job)
    assert len(rows) == 9 and {r["category"] for r in rows} == set(CLASSES)
    assert all(sum(r[c] for c in PROBS) == pytest.approx(1.0, abs=1e-5) for r in rows)
    assert app_client.get(f"/v1/scoring-jobs/{job['id']}/evaluation").status_code == 200


def test_an_unlabelled_dataset_scores_without_an_evaluation(
    app_client: TestClient, scoring_settings: Settings, trained_model: dict[str, Any]
) -> None:
    flat = scoring_settings.resolved_file_source_roots[0] / "flat"
    write_tree(flat, {f"x{i}.png": data for i, data in enumerate(class_tree({"red": 3}).values())})
    dataset = wait_indexed(
        app_client, app_client.post("/v1/datasets", json={"source_uri": flat.as_uri()}).json()["id"]
    )
    job = score(
        app_client,
        model_id=trained_model["id"],
        dataset_id=dataset["id"],
        confidence_threshold=0.999999,
    )
    rows = read_rows(app_client, job)
    assert "category" not in rows[0] and rows[0]["Below Threshold"] in ("True", "False")
    assert all(r["Scored Labels"] == "" for r in rows if r["Below Threshold"] == "True")
    missing = app_client.get(f"/v1/scoring-jobs/{job['id']}/evaluation")
    assert missing.status_code == 409 and missing.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"top_k": 4}, "top_k 4 is more than the model's 3 classes"),
        ({"model_id": "nope"}, "model_id 'nope' does not exist"),
        ({"input_uri": "file:///etc"}, "outside the folders"),
        ({"output_format": "xlsx"}, "output_format"),
        ({"dataset_id": "x"}, "exactly one of dataset_id and input_uri"),
    ],
)
def test_bad_scoring_requests_say_what_to_fix(
    app_client: TestClient,
    scoring_settings: Settings,
    trained_model: dict[str, Any],
    change: dict[str, Any],
    fragment: str,
) -> None:
    folder = scoring_settings.resolved_file_source_roots[0]
    body = {"model_id": trained_model["id"], "input_uri": folder.as_uri(), **change}
    response = app_client.post("/v1/scoring-jobs", json=body)
    assert response.status_code == 422, response.text
    assert fragment in json.dumps(response.json())


@pytest.mark.parametrize(
    ("change", "field"),
    [
        # JSON types are taken as declared, not coerced
        ({"top_k": "3"}, "top_k"),
        ({"batch_size": True}, "batch_size"),
        ({"confidence_threshold": "0.5"}, "confidence_threshold"),
        # PostgreSQL cannot store or compare a NUL
        ({"model_id": "a\x00b"}, "model_id"),
        ({"output_uri": "file:///out\x00"}, "output_uri"),
        # Beyond a float: the runner's every tick failed while such a job ran
        ({"max_runtime_seconds": 10**400}, "max_runtime_seconds"),
    ],
)
def test_wrong_json_types_and_nul_characters_are_validation_problems(
    app_client: TestClient, change: dict[str, Any], field: str
) -> None:
    body = {"model_id": "m", "dataset_id": "d", **change}
    response = app_client.post("/v1/scoring-jobs", json=body)
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["errors"]] == [["body", field]]


def test_a_scoring_job_killed_mid_way_resumes_after_the_parts_it_wrote(
    app_client: TestClient, scoring_settings: Settings, trained_model: dict[str, Any]
) -> None:
    import os
    import signal
    import time

    root = scoring_settings.resolved_file_source_roots[0] / "many"
    write_tree(root, class_tree({"blue": 80, "green": 80, "red": 80}, size=24))
    response = app_client.post(
        "/v1/scoring-jobs",
        json={"model_id": trained_model["id"], "input_uri": root.as_uri(), "batch_size": 4},
    )
    job_id = response.json()["id"]
    runner = app_client.app.state.runner  # type: ignore[attr-defined]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = app_client.get(f"/v1/scoring-jobs/{job_id}").json()
        if ((job["progress"] or {}).get("done") or 0) >= 32 and job["progress"][
            "phase"
        ] == "scoring":
            break
        time.sleep(0.02)
    slot = next(s for s in runner.slots if s.claim and s.claim.job_id == job_id)
    os.kill(slot.process.pid, signal.SIGKILL)

    job = wait_for(app_client, f"/v1/scoring-jobs/{job_id}")
    assert job["status"] == "succeeded" and job["attempts"] == 2
    rows = read_rows(app_client, job)
    assert len(rows) == 240 and len({r["id"] for r in rows}) == 240  # each image exactly once
    logs = [
        line["message"]
        for line in app_client.get(f"/v1/scoring-jobs/{job_id}/logs").json()["items"]
    ]
    resumed = [m for m in logs if m.startswith("resuming at part")]
    assert resumed and int(resumed[0].split()[3].rstrip(":")) >= 2
