"""`resnet-studio train`: submit a training job and, with --watch, follow it to the end.

Every hyperparameter left out is left out of the request: the server's defaults (defined once, in
app/ml/train_config.py) apply, and `GET` on the job shows what was used."""

from __future__ import annotations

import argparse
from typing import Any

from resnet_studio_client import AuthenticatedClient, Client
from resnet_studio_client import models as sdk
from resnet_studio_client.api.training_jobs import training_jobs_create, training_jobs_get

from app.console.common import (
    SubParsers,
    add_command,
    choice,
    client,
    connection_options,
    duration,
    fail,
    job_events,
    ok,
    opt,
    output,
    values,
)
from app.console.progress import JobProgress

# (flag, type, help): each goes to TrainingJobCreate's field of the same name.
HYPERPARAMETERS: list[tuple[str, type, str]] = [
    ("--epochs", int, "passes over the training set"),
    ("--batch-size", int, "images per step"),
    ("--learning-rate", float, "the base rate"),
    ("--warmup-epochs", int, "linear warmup epochs"),
    ("--weight-decay", float, "default: by optimizer"),
    ("--label-smoothing", float, "training loss only"),
    ("--patience", int, "epochs without a better validation loss before stopping early"),
    ("--random-seed", int, "seeds every generator, the split and the data order"),
    ("--print-frequency", int, "steps between progress records"),
    ("--max-runtime-seconds", int, "stop the job after this"),
]
CHOICES: list[tuple[str, type[Any]]] = [
    ("--optimizer", sdk.Optimizer),
    ("--lr-schedule", sdk.LrSchedule),
    ("--mixed-precision", sdk.MixedPrecision),
]


def register(commands: SubParsers) -> None:
    p = add_command(
        commands,
        "train",
        train,
        "train a model on a dataset (a training job)",
        [connection_options()],
    )
    p.add_argument("--model", required=True, metavar="ID", help="an untrained model")
    p.add_argument("--dataset", required=True, metavar="ID", help="a ready, labelled dataset")
    validation = p.add_mutually_exclusive_group()
    validation.add_argument("--validation-dataset", metavar="ID")
    validation.add_argument(
        "--validation-fraction", type=float, metavar="F", help="hold out this share instead"
    )
    p.add_argument("--transform", metavar="ID", help="an image transformation")
    options = p.add_argument_group("hyperparameters (default: the server's)")
    for flag, kind, help_ in HYPERPARAMETERS:
        options.add_argument(flag, type=kind, help=help_)
    for flag, enum in CHOICES:
        options.add_argument(flag, choices=values(enum))
    options.add_argument(
        "--compile", action="store_true", default=None, help="torch.compile (GPU jobs only)"
    )
    p.add_argument("--name", help="the trained model's name")
    p.add_argument("--tag", action="append", dest="tags", metavar="TAG", help="repeatable")
    p.add_argument("--idempotency-key", help="repeat the request safely: the same job comes back")
    p.add_argument(
        "--watch", action="store_true", help="follow the job; print the trained model's id"
    )


def dest(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def train(args: argparse.Namespace) -> None:
    http = client(args)
    fields: dict[str, Any] = {
        **{dest(flag): opt(getattr(args, dest(flag))) for flag, _, _ in HYPERPARAMETERS},
        **{dest(flag): choice(enum, getattr(args, dest(flag))) for flag, enum in CHOICES},
    }
    body = sdk.TrainingJobCreate(
        model_id=args.model,
        train_dataset_id=args.dataset,
        validation_dataset_id=opt(args.validation_dataset),
        validation_fraction=opt(args.validation_fraction),
        transform_id=opt(args.transform),
        compile_=opt(args.compile),
        name=opt(args.name),
        tags=opt(args.tags),
        **fields,
    )
    job = ok(
        training_jobs_create.sync(client=http, body=body, idempotency_key=opt(args.idempotency_key))
    )
    if not args.watch:
        output(
            args,
            job.to_dict(),
            [
                f"training job {job.id}  {job.status.value}",
                f"  follow: resnet-studio jobs logs {job.id}",
            ],
        )
        return
    job = watch(http, job)
    if job.status != sdk.JobStatus.SUCCEEDED or not job.trained_model_id:
        error = f": {job.error.code}: {job.error.message}" if job.error else ""
        fail(f"training job {job.id} {job.status.value}{error}")
    stop = job.stop_reason.value if job.stop_reason else "done"
    output(
        args,
        job.to_dict(),
        [
            f"training job {job.id} succeeded ({stop}, best epoch {job.best_epoch})",
            f"trained model: {job.trained_model_id}",
        ],
    )


def watch(http: Client | AuthenticatedClient, job: sdk.TrainingJob) -> sdk.TrainingJob:
    """Follow the job's events with a progress bar on stderr until it ends; the job then."""
    seen: dict[str, Any] = {}  # the latest loss and validation accuracy, for the bar
    with JobProgress(f"training job {job.id}: {job.status.value}") as bar:
        for kind, data in job_events(http, job.links.events):
            if kind == "progress":
                show_progress(bar, data, seen)
            elif kind == "metrics":
                seen |= {"val_loss": data.get("val_loss"), "val_top1": data.get("val_top1")}
            elif kind == "log":
                bar.log(data)
            elif kind == "status" and data.get("sub_status"):
                bar.update(str(data["sub_status"]).replace("_", " "))
    return ok(training_jobs_get.sync(job.id, client=http))


def show_progress(bar: JobProgress, data: dict[str, Any], seen: dict[str, Any]) -> None:
    if data.get("phase") != "training":
        done, total = data.get("done"), data.get("total")
        counted = f"{done}/{total}" if done is not None and total else ""
        bar.update(str(data.get("phase") or "preparing").replace("_", " "), None, counted)
        return
    if data.get("loss") is not None:
        seen["loss"] = data["loss"]
    detail = [f"step {data.get('step')}/{data.get('steps_per_epoch')}"]
    if seen.get("loss") is not None:
        detail.append(f"loss {seen['loss']:.4f}")
    if seen.get("val_top1") is not None:
        detail.append(f"val acc {seen['val_top1']:.3f}")
    detail.append(f"eta {duration(data.get('eta_seconds'))}")
    bar.update(
        f"epoch {data.get('epoch')}/{data.get('epochs')}", data.get("percent"), "  ".join(detail)
    )
