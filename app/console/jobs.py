"""`resnet-studio jobs list | show | logs | cancel`, for training and scoring jobs alike: an id is
looked up as a training job, then as a scoring job."""

from __future__ import annotations

import argparse
from typing import Any, TypeAlias

from resnet_studio_client import AuthenticatedClient, Client
from resnet_studio_client import models as sdk
from resnet_studio_client.api.scoring_jobs import (
    scoring_jobs_cancel,
    scoring_jobs_get,
    scoring_jobs_list,
    scoring_jobs_logs,
)
from resnet_studio_client.api.training_jobs import (
    training_jobs_cancel,
    training_jobs_get,
    training_jobs_list,
    training_jobs_logs,
)

from app.console.common import (
    SubParsers,
    add_command,
    choice,
    client,
    connection_options,
    fail,
    ok,
    output,
    problem_line,
    values,
    when,
)

Job: TypeAlias = sdk.TrainingJob | sdk.ScoringJob
KINDS = ("training", "scoring")
LOG_PAGE = 1000  # the most the server sends at once


def register(commands: SubParsers) -> None:
    group = commands.add_parser("jobs", help="list, show, read and cancel jobs")
    sub = group.add_subparsers(required=True, metavar="COMMAND")
    common = [connection_options()]
    p = add_command(sub, "list", list_, "list training and scoring jobs, newest first", common)
    p.add_argument("--kind", choices=KINDS, help="default: both")
    p.add_argument("--status", choices=values(sdk.JobStatus))
    p.add_argument("--model", metavar="ID", help="jobs of this model")
    p.add_argument("--limit", type=int, default=50)
    for name, run, help_ in [
        ("show", show, "show one job"),
        ("logs", logs, "print a job's log"),
        ("cancel", cancel, "cancel a job (it stops at its next step)"),
    ]:
        add_command(sub, name, run, help_, common).add_argument("job_id", metavar="ID")


def kind_of(job: Job) -> str:
    return "training" if isinstance(job, sdk.TrainingJob) else "scoring"


def find(http: Client | AuthenticatedClient, job_id: str) -> Job:
    training = training_jobs_get.sync(job_id, client=http)
    if isinstance(training, sdk.TrainingJob):
        return training
    if isinstance(training, sdk.Problem) and training.code != "not-found":
        fail(problem_line(training))
    scoring = scoring_jobs_get.sync(job_id, client=http)
    if isinstance(scoring, sdk.ScoringJob):
        return scoring
    if isinstance(scoring, sdk.Problem) and scoring.code != "not-found":
        fail(problem_line(scoring))
    fail(f"no training or scoring job {job_id}")


def row(job: Job) -> str:
    result = job.trained_model_id if isinstance(job, sdk.TrainingJob) else None
    return (
        f"{job.id}  {kind_of(job):<8}  {job.status.value:<9}  {when(job.created_at)}  "
        f"model {job.model_id}" + (f" -> {result}" if result else "")
    )


def describe(job: Job) -> list[str]:
    lines = [row(job)]
    if job.progress is not None and isinstance(job.progress.percent, int | float):
        lines.append(f"  progress {job.progress.percent:.1f}%")
    if isinstance(job, sdk.TrainingJob) and job.stop_reason is not None:
        lines.append(f"  stopped  {job.stop_reason.value} (best epoch {job.best_epoch})")
    if isinstance(job, sdk.ScoringJob) and job.output is not None:
        lines.append(f"  output   {job.output.predictions_uri}")
    if job.error is not None:
        lines.append(f"  error    {job.error.code}: {job.error.message}")
    if job.waiting_reason:
        lines.append(f"  waiting  {job.waiting_reason}")
    if job.cancel_requested and job.status in (sdk.JobStatus.QUEUED, sdk.JobStatus.RUNNING):
        lines.append("  cancel requested: it stops at its next step")
    return lines


def list_(args: argparse.Namespace) -> None:
    http = client(args)
    status = choice(sdk.JobStatus, args.status)
    model = args.model if args.model else None
    found: list[Job] = []
    if args.kind in (None, "training"):
        found += ok(
            training_jobs_list.sync(client=http, limit=args.limit, status=status, model_id=model)
        ).items
    if args.kind in (None, "scoring"):
        found += ok(
            scoring_jobs_list.sync(client=http, limit=args.limit, status=status, model_id=model)
        ).items
    found = sorted(found, key=lambda j: j.created_at, reverse=True)[: args.limit]
    data = [{"kind": kind_of(j), **j.to_dict()} for j in found]
    output(args, data, [row(j) for j in found] or ["no jobs"])


def show(args: argparse.Namespace) -> None:
    job = find(client(args), args.job_id)
    output(args, {"kind": kind_of(job), **job.to_dict()}, describe(job))


def logs(args: argparse.Namespace) -> None:
    http = client(args)
    job = find(http, args.job_id)
    read = training_jobs_logs.sync if isinstance(job, sdk.TrainingJob) else scoring_jobs_logs.sync
    lines: list[sdk.LogLine] = []
    cursor: Any = None
    while True:
        page = ok(read(job.id, client=http, cursor=cursor, limit=LOG_PAGE))
        lines += page.items
        if len(page.items) < LOG_PAGE:
            break
        cursor = page.next_cursor
    output(
        args,
        [line.to_dict() for line in lines],
        [f"{when(line.at)}  {line.level:<7}  {line.message}" for line in lines] or ["no log"],
    )


def cancel(args: argparse.Namespace) -> None:
    http = client(args)
    job = find(http, args.job_id)
    if isinstance(job, sdk.TrainingJob):
        job = ok(training_jobs_cancel.sync(job.id, client=http))
    else:
        job = ok(scoring_jobs_cancel.sync(job.id, client=http))
    output(args, {"kind": kind_of(job), **job.to_dict()}, describe(job))
