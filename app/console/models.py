"""`resnet-studio models create | list | show`."""

from __future__ import annotations

import argparse

from resnet_studio_client import models as sdk
from resnet_studio_client.api.models import models_create, models_get, models_list

from app.console.common import (
    SubParsers,
    add_command,
    choice,
    client,
    connection_options,
    ok,
    opt,
    output,
    values,
    when,
)


def register(commands: SubParsers) -> None:
    group = commands.add_parser("models", help="build, list and show models")
    sub = group.add_subparsers(required=True, metavar="COMMAND")
    common = [connection_options()]
    p = add_command(sub, "create", create, "build an untrained model", common)
    p.add_argument("--architecture", choices=values(sdk.Architecture), help="default: the server's")
    p.add_argument(
        "--pretrained",
        action=argparse.BooleanOptionalAction,
        help="start from ImageNet weights (the server's weights store); default: pretrained",
    )
    p.add_argument(
        "--zero-init-residual", action="store_true", default=None, help="ResNet family only"
    )
    p.add_argument(
        "--memory-efficient", action="store_true", default=None, help="DenseNet family only"
    )
    p.add_argument("--name")
    p.add_argument("--description")
    p.add_argument("--tag", action="append", dest="tags", metavar="TAG", help="repeatable")
    p = add_command(sub, "list", list_, "list models, newest first", common)
    p.add_argument("--status", choices=values(sdk.ModelStatus))
    p.add_argument("--architecture", choices=values(sdk.Architecture))
    p.add_argument("--tag")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--cursor", help="next_cursor of the previous page")
    p = add_command(sub, "show", show, "show one model", common)
    p.add_argument("model_id", metavar="ID")


def create(args: argparse.Namespace) -> None:
    body = sdk.ModelCreate(
        architecture=choice(sdk.Architecture, args.architecture),
        pretrained=opt(args.pretrained),
        zero_init_residual=opt(args.zero_init_residual),
        memory_efficient=opt(args.memory_efficient),
        name=opt(args.name),
        description=opt(args.description),
        tags=opt(args.tags),
    )
    model = ok(models_create.sync(client=client(args), body=body))
    output(args, model.to_dict(), describe(model))


def describe(model: sdk.Model) -> list[str]:
    weights = model.source_weights.file_name if model.source_weights else "none (from scratch)"
    lines = [
        f"model {model.id}  {model.status.value}  {model.architecture.value}  {model.name or '-'}",
        f"  weights  {weights}",
    ]
    if model.tags:
        lines.append(f"  tags     {', '.join(model.tags)}")
    if model.class_names:
        lines.append(f"  classes  {', '.join(model.class_names)}")
    if model.metrics is not None:
        shown = ", ".join(
            f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v}"
            for k, v in model.metrics.additional_properties.items()
        )
        lines.append(f"  metrics  {shown}")
    if model.training_job_id:
        lines.append(f"  trained by job {model.training_job_id}")
    return lines


def list_(args: argparse.Namespace) -> None:
    page = ok(
        models_list.sync(
            client=client(args),
            limit=args.limit,
            cursor=opt(args.cursor),
            status=choice(sdk.ModelStatus, args.status),
            architecture=choice(sdk.Architecture, args.architecture),
            tag=opt(args.tag),
        )
    )
    rows = [
        f"{m.id}  {m.status.value:<9}  {m.architecture.value:<16}  {when(m.created_at)}  "
        f"{m.name or '-'}"
        for m in page.items
    ]
    if page.next_cursor:
        rows.append(f"(more: --cursor {page.next_cursor})")
    output(args, page.to_dict(), rows or ["no models"])


def show(args: argparse.Namespace) -> None:
    model = ok(models_get.sync(args.model_id, client=client(args)))
    output(args, model.to_dict(), describe(model))
