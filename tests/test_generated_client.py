"""The Python SDK in clients/python: generated from openapi.yaml without a warning, committed
exactly as generated, and enough on its own to drive the whole flow against a live server."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from resnet_studio_client import Client
from resnet_studio_client import models as sdk
from resnet_studio_client.api.architectures import architectures_list
from resnet_studio_client.api.datasets import datasets_create, datasets_get, datasets_upload
from resnet_studio_client.api.models import (
    models_create,
    models_delete,
    models_export,
    models_get,
    models_list,
    models_predict,
    models_training_curves,
)
from resnet_studio_client.api.scoring_jobs import (
    scoring_jobs_confusion_matrix,
    scoring_jobs_create,
    scoring_jobs_evaluation,
    scoring_jobs_get,
    scoring_jobs_output,
)
from resnet_studio_client.api.training_jobs import (
    training_jobs_create,
    training_jobs_get,
    training_jobs_metrics,
)
from resnet_studio_client.api.transforms import transforms_create
from resnet_studio_client.types import File

from app.config import Settings
from tests.fixtures.images import class_tree, image_bytes, write_tree, zip_of

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
T = TypeVar("T")


def generate(output: Path) -> subprocess.CompletedProcess[str]:
    """What `make sdk` runs."""
    return subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--config",
            str(ROOT / "clients" / "openapi-python-client.yaml"),
            "--meta",
            "setup",
            "--output-path",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_the_committed_sdk_is_what_the_contract_generates_without_a_warning(
    tmp_path: Path,
) -> None:
    result = generate(tmp_path / "python")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "warning" not in output.lower(), output  # the generator warns on stderr
    assert files_under(tmp_path / "python") == files_under(ROOT / "clients" / "python"), (
        "run `make sdk` and commit clients/python"
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", runner_poll_s=0.05, job_progress_event_s=0, job_lease_s=5
    )


def until(read: Callable[[], T], done: Callable[[T], bool], timeout_s: float = 240) -> T:
    """Poll through the SDK until `done`, with a generous deadline (never a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = read()
        if done(value) or time.monotonic() > deadline:
            assert done(value), f"still {value}"
            return value
        time.sleep(0.1)


def ok(value: T | sdk.Problem | None) -> T:
    assert value is not None and not isinstance(value, sdk.Problem), value
    return value


def follow_events(client: Client, path: str) -> list[tuple[str, dict[str, Any]]]:
    """The job's Server-Sent Events, read live through the SDK's own HTTP client until the
    server closes the stream after the job's terminal state."""
    events: list[tuple[str, dict[str, Any]]] = []
    with client.get_httpx_client().stream("GET", path, timeout=300) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        kind = None
        for line in stream.iter_lines():
            if line.startswith("event: "):
                kind = line.removeprefix("event: ")
            elif line.startswith("data: ") and kind is not None:
                events.append((kind, json.loads(line.removeprefix("data: "))))
    return events


def test_the_sdk_alone_drives_datasets_training_scoring_predict_and_export(
    live_server: str, settings: Settings
) -> None:
    client = Client(base_url=live_server, raise_on_unexpected_status=True, timeout=60)
    assert len(ok(architectures_list.sync(client=client)).items) == 13

    # Two datasets: one uploaded as an archive (training), one registered from a folder.
    classes = {"blue": 12, "green": 12, "red": 12}
    upload = sdk.DatasetsUploadBody(
        file=File(payload=io.BytesIO(zip_of(class_tree(classes))), file_name="colours.zip"),
        name="colours",
    )
    uploaded = ok(datasets_upload.sync(client=client, body=upload))
    folder = write_tree(
        settings.resolved_file_source_roots[0] / "to-score",
        class_tree({"blue": 3, "green": 3, "red": 3}, size=40),
    )
    registered = ok(
        datasets_create.sync(client=client, body=sdk.DatasetCreate(source_uri=folder.as_uri()))
    )
    for dataset in (uploaded, registered):
        ready = until(
            lambda d=dataset: ok(datasets_get.sync(d.id, client=client)),
            lambda d: d.status != sdk.DatasetStatus.INDEXING,
        )
        assert ready.status == sdk.DatasetStatus.READY, ready.error

    transform = ok(
        transforms_create.sync(
            client=client,
            body=sdk.TransformCreate.from_dict(
                {
                    "resize": {"enabled": True, "size": 36},
                    "center_crop": {"enabled": True, "size": 32},
                }
            ),
        )
    )
    model = ok(
        models_create.sync(
            client=client,
            body=sdk.ModelCreate(architecture=sdk.Architecture.RESNET18, pretrained=False),
        )
    )
    assert model.status == sdk.ModelStatus.UNTRAINED

    job = ok(
        training_jobs_create.sync(
            client=client,
            body=sdk.TrainingJobCreate(
                model_id=model.id,
                train_dataset_id=uploaded.id,
                transform_id=transform.id,
                epochs=2,
                batch_size=8,
                learning_rate=0.003,
                optimizer=sdk.Optimizer.ADAMW,
                name="colours",
            ),
        )
    )
    # A typed job, the request's fields flat in the answer as they were sent.
    assert isinstance(job, sdk.TrainingJob) and job.epochs == 2 and job.batch_size == 8
    events = follow_events(client, job.links.events)
    assert events[-1][0] == "state" and events[-1][1]["status"] == "succeeded", events[-1]
    assert {"progress", "metrics", "log"} <= {kind for kind, _ in events}
    job = ok(training_jobs_get.sync(job.id, client=client))
    assert job.status == sdk.JobStatus.SUCCEEDED and job.stop_reason == sdk.StopReason.COMPLETED
    epochs = ok(training_jobs_metrics.sync(job.id, client=client)).items
    assert [m.epoch for m in epochs] == [1, 2]
    assert isinstance(job.trained_model_id, str)
    trained = ok(models_get.sync(job.trained_model_id, client=client))
    assert trained.status == sdk.ModelStatus.TRAINED and trained.class_names == sorted(classes)
    curves = ok(models_training_curves.sync(trained.id, client=client))
    assert curves.payload.read()[:4] == b"\x89PNG"

    scoring = ok(
        scoring_jobs_create.sync(
            client=client,
            body=sdk.ScoringJobCreate(model_id=trained.id, dataset_id=registered.id),
        )
    )
    scoring = until(
        lambda: ok(scoring_jobs_get.sync(scoring.id, client=client)),
        lambda j: j.status in (sdk.JobStatus.SUCCEEDED, sdk.JobStatus.FAILED),
    )
    assert scoring.status == sdk.JobStatus.SUCCEEDED, scoring.error
    evaluation = ok(scoring_jobs_evaluation.sync(scoring.id, client=client))
    assert isinstance(evaluation, sdk.Evaluation) and evaluation.count == 9
    assert [c.class_ for c in evaluation.per_class] == sorted(classes)
    assert sum(map(sum, evaluation.confusion_matrix.matrix)) == 9
    png = ok(scoring_jobs_confusion_matrix.sync(scoring.id, client=client))
    assert png.payload.read()[:4] == b"\x89PNG"
    output = ok(scoring_jobs_output.sync(scoring.id, client=client)).payload.read().decode()
    rows = list(csv.DictReader(io.StringIO(output)))
    assert len(rows) == 9 and {r["Scored Labels"] for r in rows} <= set(classes)

    image = base64.b64encode(image_bytes("red", 0, "PNG", 40)).decode()
    answer = ok(
        models_predict.sync(
            trained.id,
            client=client,
            body=sdk.PredictRequest(
                images=[sdk.ImageSpec(data=image, name="red.png")],
                top_k=2,
                include_probabilities=True,
            ),
        )
    )
    [prediction] = answer.predictions
    assert prediction.name == "red.png" and len(prediction.top_k) == 2  # the body's top_k
    assert isinstance(prediction.probabilities, sdk.PredictionProbabilitiesType0)
    assert set(prediction.probabilities.additional_properties) == set(classes)

    exported = ok(models_export.sync(trained.id, client=client))  # ONNX by default
    with zipfile.ZipFile(exported.payload) as bundle:
        assert {"model.onnx", "metadata.json"} <= set(bundle.namelist())

    assert models_delete.sync_detailed(model.id, client=client).status_code == 204
    missing = models_get.sync(model.id, client=client)
    assert isinstance(missing, sdk.Problem) and missing.code == "not-found"
    assert [m.id for m in ok(models_list.sync(client=client)).items] == [trained.id]
