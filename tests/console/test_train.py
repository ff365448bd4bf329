"""`resnet-studio train --watch` to a trained model, and what a person does with it next:
`predict`, `export`, `jobs`, `score`. One small training run (2 cores) serves every step."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

from resnet_studio_client import Client
from resnet_studio_client import models as sdk
from resnet_studio_client.api.models import models_get
from resnet_studio_client.api.transforms import transforms_create

from app.config import Settings
from tests.fixtures.console import Cli, parsed
from tests.fixtures.images import class_tree, image_bytes, write_tree

CLASSES = ["blue", "green", "red"]


def small_transform(live_server: str) -> str:
    """32 px images: made through the SDK (the command line has no transforms command)."""
    body = sdk.TransformCreate.from_dict(
        {"resize": {"enabled": True, "size": 36}, "center_crop": {"enabled": True, "size": 32}}
    )
    transform = transforms_create.sync(client=Client(base_url=live_server), body=body)
    assert isinstance(transform, sdk.Transform), transform
    return transform.id


def test_train_watch_shows_epochs_and_ends_with_a_model_that_predicts_exports_and_scores(
    cli: Cli, live_server: str, tmp_path: Path
) -> None:
    folder = write_tree(tmp_path / "colours", class_tree(dict.fromkeys(CLASSES, 8)))
    dataset = parsed(cli("datasets", "add", str(folder), "--wait", "--json"))
    model = parsed(
        cli("models", "create", "--architecture", "resnet18", "--no-pretrained", "--json")
    )
    assert model["status"] == "untrained" and model["pretrained"] is False

    # fmt: off
    watched = cli(
        "train", "--model", model["id"], "--dataset", dataset["id"],
        "--transform", small_transform(live_server), "--validation-fraction", "0.25",
        "--epochs", "2", "--batch-size", "8", "--learning-rate", "0.003", "--optimizer", "adamw",
        "--watch",
    )
    # fmt: on
    assert watched.stdout.splitlines()[-1].startswith("trained model: ")
    trained_id = watched.stdout.split()[-1]
    # Progress goes to stderr (not a terminal here: a line per epoch), with each epoch's log.
    assert "epoch 1/2" in watched.stderr and "epoch 2/2" in watched.stderr, watched.stderr
    assert "loss" in watched.stderr and "eta" in watched.stderr
    trained = models_get.sync(trained_id, client=Client(base_url=live_server))
    assert isinstance(trained, sdk.Model) and trained.status == sdk.ModelStatus.TRAINED
    assert trained.class_names == CLASSES

    image = tmp_path / "red.png"
    image.write_bytes(image_bytes("red", 0, "PNG", 40))
    [line] = cli("predict", "--model", trained_id, str(image)).stdout.splitlines()
    name, label, probability = line.split()
    assert name == "red.png" and label in CLASSES and 0 <= float(probability) <= 1
    answer = parsed(cli("predict", "--model", trained_id, str(image), "--top-k", "2", "--json"))
    [prediction] = answer["predictions"]
    assert prediction["label"] in CLASSES and len(prediction["top_k"]) == 2

    bundle = tmp_path / "exported.zip"
    assert str(bundle) in cli("export", "--model", trained_id, "-o", str(bundle)).stdout
    with zipfile.ZipFile(bundle) as zf:
        assert {"model.onnx", "metadata.json"} <= set(zf.namelist())

    [job] = parsed(cli("jobs", "list", "--kind", "training", "--json"))
    assert job["kind"] == "training" and job["trained_model_id"] == trained_id
    assert trained_id in cli("jobs", "show", job["id"]).stdout
    log = cli("jobs", "logs", job["id"]).stdout.splitlines()
    assert any("epoch 2/2" in line for line in log), log

    predictions = tmp_path / "scored.csv"
    # fmt: off
    scored = cli(
        "score", "--model", trained_id, "--dataset", dataset["id"], "--format", "csv",
        "--wait", "--output", str(predictions),
    ).stdout
    # fmt: on
    assert "accuracy" in scored and "macro F1" in scored, scored
    with predictions.open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 24 and {r["Scored Labels"] for r in rows} <= set(CLASSES)
    kinds = {j["kind"] for j in parsed(cli("jobs", "list", "--json"))}
    assert kinds == {"training", "scoring"}


def test_train_watch_exits_1_with_the_jobs_error_when_the_job_fails(
    cli: Cli, settings: Settings
) -> None:
    folder = write_tree(
        settings.resolved_file_source_roots[0] / "changing", class_tree({"blue": 2, "red": 2})
    )
    dataset = parsed(cli("datasets", "add", folder.as_uri(), "--wait", "--json"))
    (folder / "red" / "red-0.png").write_bytes(image_bytes("red", 9, "PNG", 48))  # moved under it
    model = parsed(
        cli("models", "create", "--architecture", "resnet18", "--no-pretrained", "--json")
    )

    # fmt: off
    failed = cli(
        "train", "--model", model["id"], "--dataset", dataset["id"], "--epochs", "1",
        "--batch-size", "2", "--validation-fraction", "0.5", "--watch", check=False,
    )
    # fmt: on
    assert failed.returncode == 1 and failed.stdout == ""
    last = failed.stderr.splitlines()[-1]
    assert last.startswith("resnet-studio: training job ") and " failed: dataset-changed: " in last
