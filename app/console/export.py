"""`resnet-studio export`: download a trained model as a zip (ONNX, safetensors, TorchScript)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from pathlib import Path

from resnet_studio_client import models as sdk
from resnet_studio_client.api.models import models_export

from app.console.common import (
    SubParsers,
    add_command,
    choice,
    client,
    connection_options,
    ok,
    output,
    values,
)

FILENAME = re.compile(r'filename="([^"/\\]+)"')


def served_name(headers: Mapping[str, str]) -> str | None:
    """The file name the server gives the download (a plain name, never a path)."""
    found = FILENAME.search(headers.get("content-disposition", ""))
    return Path(found.group(1)).name if found and found.group(1).strip(".") else None


def register(commands: SubParsers) -> None:
    p = add_command(
        commands, "export", export, "download a trained model as a zip", [connection_options()]
    )
    p.add_argument("--model", required=True, metavar="ID", help="a trained model")
    p.add_argument("--format", choices=values(sdk.ExportFormat), help="default: the server's")
    p.add_argument(
        "-o", "--output", metavar="FILE", help="default: the server's file name; - for stdout"
    )


def export(args: argparse.Namespace) -> None:
    answer = models_export.sync_detailed(
        args.model, client=client(args), format_=choice(sdk.ExportFormat, args.format)
    )
    data = ok(answer.parsed).payload.read()
    if args.output == "-":
        sys.stdout.buffer.write(data)
        return
    path = Path(args.output or served_name(answer.headers) or f"{args.model}.zip")
    path.write_bytes(data)
    output(args, {"path": str(path), "bytes": len(data)}, f"wrote {path} ({len(data)} bytes)")
