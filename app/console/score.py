"""`resnet-studio score`: submit a scoring job; with --wait, follow it and print the evaluation."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from resnet_studio_client import AuthenticatedClient, Client
from resnet_studio_client import models as sdk
from resnet_studio_client.api.scoring_jobs import (
    scoring_jobs_create,
    scoring_jobs_evaluation,
    scoring_jobs_get,
    scoring_jobs_output,
)

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


def register(commands: SubParsers) -> None:
    p = add_command(
        commands,
        "score",
        score,
        "score images with a trained model (a scoring job)",
        [connection_options()],
    )
    p.add_argument("--model", required=True, metavar="ID", help="a trained model")
    source = p.add_mutually_exclusive_group(required=True)
    source.add_argument("--dataset", metavar="ID", help="a ready dataset (labelled: evaluated)")
    source.add_argument(
        "--input", metavar="URI", help="a file:// or s3:// folder, archive, manifest"
    )
    p.add_argument("--input-format", choices=values(sdk.SourceFormat))
    p.add_argument("--format", choices=values(sdk.OutputFormat), help="of the output")
    p.add_argument("--output-uri", metavar="URI", help="a file:// or s3:// folder for the output")
    p.add_argument("--top-k", type=int)
    p.add_argument("--confidence-threshold", type=float)
    p.add_argument("--batch-size", type=int)
    p.add_argument("--max-runtime-seconds", type=int)
    p.add_argument("--idempotency-key")
    p.add_argument("--wait", action="store_true", help="follow the job; print the evaluation")
    p.add_argument("--output", metavar="FILE", type=Path, help="write the output here (waits)")


def score(args: argparse.Namespace) -> None:
    http = client(args)
    body = sdk.ScoringJobCreate(
        model_id=args.model,
        dataset_id=opt(args.dataset),
        input_uri=opt(args.input),
        input_format=choice(sdk.SourceFormat, args.input_format),
        output_format=choice(sdk.OutputFormat, args.format),
        output_uri=opt(args.output_uri),
        top_k=opt(args.top_k),
        confidence_threshold=opt(args.confidence_threshold),
        batch_size=opt(args.batch_size),
        max_runtime_seconds=opt(args.max_runtime_seconds),
    )
    job = ok(
        scoring_jobs_create.sync(client=http, body=body, idempotency_key=opt(args.idempotency_key))
    )
    if not (args.wait or args.output):
        output(args, job.to_dict(), [f"scoring job {job.id}  {job.status.value}"])
        return
    job = watch(http, job)
    if job.status != sdk.JobStatus.SUCCEEDED:
        error = f": {job.error.code}: {job.error.message}" if job.error else ""
        fail(f"scoring job {job.id} {job.status.value}{error}")
    evaluation = None
    if job.output is not None and job.output.evaluation:
        evaluation = ok(scoring_jobs_evaluation.sync(job.id, client=http))
    lines = [f"scoring job {job.id} succeeded"]
    if job.output is not None:
        lines.append(
            f"  scored   {job.output.images_scored} images, {job.output.images_failed} failed"
        )
        lines.append(f"  output   {job.output.predictions_uri}")
    if evaluation is not None:
        lines += summary(evaluation)
    if args.output:
        data = ok(scoring_jobs_output.sync(job.id, client=http)).payload.read()
        args.output.write_bytes(data)
        lines.append(f"  wrote    {args.output} ({len(data)} bytes)")
    report: dict[str, Any] = {
        "job": job.to_dict(),
        "evaluation": evaluation.to_dict() if evaluation else None,
        "output_file": str(args.output) if args.output else None,
    }
    output(args, report, lines)


def summary(evaluation: sdk.Evaluation) -> list[str]:
    def num(value: float | None) -> str:
        return "-" if value is None else f"{value:.4f}"

    lines = [
        f"  accuracy {num(evaluation.accuracy)} ({evaluation.count} labelled images)",
        f"  macro F1 {num(evaluation.f1.macro)}",
    ]
    if evaluation.top_k > 1:
        lines.append(f"  top-{evaluation.top_k}    {num(evaluation.top_k_accuracy)}")
    width = max((len(c.class_) for c in evaluation.per_class), default=5)
    lines.append(f"    {'class':<{width}}  precision  recall  f1      support")
    lines += [
        f"    {c.class_:<{width}}  {num(c.precision):<9}  {num(c.recall):<6}  {num(c.f1):<6}  "
        f"{c.support}"
        for c in evaluation.per_class
    ]
    return lines


def watch(http: Client | AuthenticatedClient, job: sdk.ScoringJob) -> sdk.ScoringJob:
    with JobProgress(f"scoring job {job.id}: {job.status.value}") as bar:
        for kind, data in job_events(http, job.links.events):
            if kind == "progress":
                done, total = data.get("done"), data.get("total")
                counted = f"{done}/{total} images" if done is not None and total else ""
                eta = f"eta {duration(data['eta_seconds'])}" if data.get("eta_seconds") else ""
                phase = str(data.get("phase") or "scoring").replace("_", " ")
                bar.update(phase, data.get("percent"), f"{counted}  {eta}".strip())
            elif kind == "log":
                bar.log(data)
    return ok(scoring_jobs_get.sync(job.id, client=http))
