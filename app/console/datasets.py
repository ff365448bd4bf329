"""`resnet-studio datasets add | list | show`."""

from __future__ import annotations

import argparse
import tempfile
import zipfile
from pathlib import Path
from typing import IO

from resnet_studio_client import AuthenticatedClient, Client
from resnet_studio_client import models as sdk
from resnet_studio_client.api.datasets import (
    datasets_create,
    datasets_get,
    datasets_list,
    datasets_upload,
)
from resnet_studio_client.types import File

from app.console.common import (
    SubParsers,
    add_command,
    choice,
    client,
    connection_options,
    fail,
    note,
    ok,
    opt,
    output,
    poll,
    values,
    when,
)

URI_SCHEMES = ("file://", "s3://")
# Image formats that are compressed already: stored as they are, the rest deflated.
COMPRESSED = {".jpg", ".jpeg", ".png", ".webp"}


def register(commands: SubParsers) -> None:
    group = commands.add_parser("datasets", help="register, list and show datasets")
    sub = group.add_subparsers(required=True, metavar="COMMAND")
    common = [connection_options()]
    p = add_command(sub, "add", add, "upload a local folder or archive, or register a URI", common)
    p.add_argument(
        "source",
        metavar="PATH|URI",
        help="a class-folder tree or archive (.zip, .tar, .tar.gz, .tgz, .tar.bz2) here, "
        "or a file:// or s3:// URI the server may read",
    )
    p.add_argument("--name")
    p.add_argument("--description")
    p.add_argument(
        "--format",
        choices=values(sdk.SourceFormat),
        help="the source's layout (URIs only; default: detected)",
    )
    p.add_argument("--wait", action="store_true", help="wait until indexed; print the classes")
    p = add_command(sub, "list", list_, "list datasets, newest first", common)
    p.add_argument("--status", choices=values(sdk.DatasetStatus))
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--cursor", help="next_cursor of the previous page")
    p = add_command(sub, "show", show, "show one dataset", common)
    p.add_argument("dataset_id", metavar="ID")


def add(args: argparse.Namespace) -> None:
    http = client(args)
    source: str = args.source
    if source.startswith(URI_SCHEMES):
        body = sdk.DatasetCreate(
            source_uri=source,
            name=opt(args.name),
            description=opt(args.description),
            format_=choice(sdk.SourceFormat, args.format),
        )
        dataset = ok(datasets_create.sync(client=http, body=body))
    else:
        if args.format:
            fail("--format applies to URIs; a local folder or archive is detected by the server")
        dataset = upload(http, Path(source), args.name, args.description)
    if args.wait:
        dataset = wait_indexed(http, dataset)
    output(args, dataset.to_dict(), describe(dataset))


def upload(
    http: Client | AuthenticatedClient, path: Path, name: str | None, description: str | None
) -> sdk.Dataset:
    if path.is_dir():
        with tempfile.TemporaryFile() as archive:
            count = pack(path, archive)
            if count == 0:
                fail(f"{path} holds no files")
            note(f"uploading {path} ({count} files, {archive.tell() / 1e6:.1f} MB)")
            archive.seek(0)
            folder = path.resolve().name or "dataset"
            return send(
                http, File(payload=archive, file_name=f"{folder}.zip"), name or folder, description
            )
    if path.is_file():
        with path.open("rb") as f:
            note(f"uploading {path} ({path.stat().st_size / 1e6:.1f} MB)")
            return send(http, File(payload=f, file_name=path.name), name, description)
    fail(f"no such file or folder: {path} (a URI must start with file:// or s3://)")


def pack(folder: Path, archive: IO[bytes]) -> int:
    """Zip every file under `folder`, named relative to it; the server decides what is an image."""
    count = 0
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                compression = (
                    zipfile.ZIP_STORED
                    if path.suffix.lower() in COMPRESSED
                    else zipfile.ZIP_DEFLATED
                )
                zf.write(path, path.relative_to(folder).as_posix(), compress_type=compression)
                count += 1
    return count


def send(
    http: Client | AuthenticatedClient, payload: File, name: str | None, description: str | None
) -> sdk.Dataset:
    body = sdk.DatasetsUploadBody(file=payload, name=opt(name), description=opt(description))
    return ok(datasets_upload.sync(client=http, body=body))


def wait_indexed(http: Client | AuthenticatedClient, dataset: sdk.Dataset) -> sdk.Dataset:
    note(f"indexing dataset {dataset.id}...")
    ready = poll(
        lambda: ok(datasets_get.sync(dataset.id, client=http)),
        lambda d: d.status != sdk.DatasetStatus.INDEXING,
    )
    if ready.status == sdk.DatasetStatus.FAILED:
        error = ready.error
        fail(f"dataset {ready.id} failed: {error.code}: {error.message}" if error else "failed")
    return ready


def describe(dataset: sdk.Dataset) -> list[str]:
    lines = [
        f"dataset {dataset.id}  {dataset.status.value}  {dataset.name or '-'}",
        f"  source   {dataset.source_uri} ({dataset.source_format.value})",
    ]
    if dataset.image_count is not None:
        skipped = f", {dataset.skipped_count} skipped" if dataset.skipped_count else ""
        lines.append(f"  images   {dataset.image_count}{skipped}")
    if dataset.classes:
        counts = dataset.class_counts.additional_properties if dataset.class_counts else {}
        width = max(map(len, dataset.classes))
        lines.append(f"  classes  {len(dataset.classes)}")
        lines += [f"    {c:<{width}}  {counts.get(c, '?')}" for c in dataset.classes]
    elif dataset.labelled is False:
        lines.append("  unlabelled")
    if dataset.progress is not None and isinstance(dataset.progress.percent, int | float):
        lines.append(f"  indexing {dataset.progress.percent:.0f}%")
    if dataset.error is not None:
        lines.append(f"  error    {dataset.error.code}: {dataset.error.message}")
    return lines


def list_(args: argparse.Namespace) -> None:
    page = ok(
        datasets_list.sync(
            client=client(args),
            limit=args.limit,
            cursor=opt(args.cursor),
            status=choice(sdk.DatasetStatus, args.status),
        )
    )
    rows = [
        f"{d.id}  {d.status.value:<8}  {when(d.created_at)}  "
        f"{d.image_count if d.image_count is not None else '-':>6} images  {d.name or '-'}"
        for d in page.items
    ]
    if page.next_cursor:
        rows.append(f"(more: --cursor {page.next_cursor})")
    output(args, page.to_dict(), rows or ["no datasets"])


def show(args: argparse.Namespace) -> None:
    dataset = ok(datasets_get.sync(args.dataset_id, client=client(args)))
    output(args, dataset.to_dict(), describe(dataset))
