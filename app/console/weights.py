"""`resnet-studio weights pull ARCH...`: put torchvision's ImageNet weights files into the weights
folder, so that a server without internet can build pretrained models.

The one command that talks to the internet rather than the service: it reads the server's own
settings (`weights_dir`, `weights_download_base_url`) and file names, downloads into a temporary
file beside the destination and renames it only once the sha256 prefix in the name matches."""

from __future__ import annotations

import argparse
import os
import tempfile
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import ValidationError
from resnet_studio_client import models as sdk
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TransferSpeedColumn

from app.config import Settings
from app.console.common import SubParsers, add_command, fail, note, output, output_options, values

if TYPE_CHECKING:
    from app.ml.architectures import ImageNetWeights

CONNECT_TIMEOUT_S = 5.0  # fail fast on a machine without internet
CHUNK = 1 << 20


def register(commands: SubParsers) -> None:
    group = commands.add_parser("weights", help="fetch pretrained ImageNet weights files")
    sub = group.add_subparsers(required=True, metavar="COMMAND")
    parent = argparse.ArgumentParser(add_help=False)
    output_options(parent)
    p = add_command(
        sub,
        "pull",
        pull,
        "download torchvision's ImageNet weights into the weights folder",
        [parent],
    )
    p.add_argument("architectures", nargs="+", choices=values(sdk.Architecture), metavar="ARCH")
    p.add_argument(
        "--dir",
        type=Path,
        help="default: the server's weights folder (RESNET_STUDIO_WEIGHTS_DIR, else "
        "RESNET_STUDIO_DATA_DIR/weights)",
    )


def pull(args: argparse.Namespace) -> None:
    # The engine (torch, torchvision) only for this command: the others start fast without it.
    from app.ml.architectures import Architecture, imagenet_weights
    from app.weights.store import sha256_of

    try:
        settings = Settings()
    except ValidationError as exc:
        fail(f"invalid settings: {'; '.join(str(e['msg']) for e in exc.errors())}")
    folder: Path = (args.dir or settings.resolved_weights_dir).resolve()
    base = settings.weights_download_base_url.rstrip("/") + "/"
    results: list[dict[str, Any]] = []
    for name in dict.fromkeys(args.architectures):  # each once, in order
        weights = imagenet_weights(Architecture(name))
        dest = folder / weights.file_name
        present = sha256_of(dest) if dest.is_file() else None
        if present is not None and matches(present, weights):
            results.append(result(name, dest, present, "present"))
            continue
        url = base + weights.file_name
        sha256 = download(url, dest, weights, settings.weights_download_timeout_s)
        results.append(result(name, dest, sha256, "downloaded"))
    output(
        args,
        results,
        [f"{r['architecture']}: {r['status']} {r['path']}" for r in results],
    )


def result(arch: str, path: Path, sha256: str, status: str) -> dict[str, Any]:
    return {"architecture": arch, "path": str(path), "sha256": sha256, "status": status}


def matches(sha256: str, weights: ImageNetWeights) -> bool:
    return weights.sha256_prefix is None or sha256.startswith(weights.sha256_prefix)


def download(url: str, dest: Path, weights: ImageNetWeights, read_timeout_s: float) -> str:
    """Fetch `url` to `dest` if its sha256 matches the name's prefix; the sha256."""
    from app.weights.store import sha256_of

    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    tmp = Path(name)
    try:
        timeout = httpx.Timeout(read_timeout_s, connect=CONNECT_TIMEOUT_S)
        with (
            os.fdopen(fd, "wb") as out,
            httpx.stream("GET", url, timeout=timeout, follow_redirects=True) as response,
        ):
            if response.status_code != httpx.codes.OK:
                fail(f"cannot download {url}: HTTP {response.status_code} {response.reason_phrase}")
            size = int(response.headers.get("content-length") or 0) or None
            with bar(dest.name, size) as progress:
                for chunk in response.iter_bytes(CHUNK):
                    out.write(chunk)
                    if progress is not None:
                        progress.advance(progress.task_ids[0], len(chunk))
        actual = sha256_of(tmp)
        if not matches(actual, weights):
            fail(
                f"refused {url}: its sha256 {actual[:12]}... does not start with "
                f"{weights.sha256_prefix}, the prefix in its name; nothing was written"
            )
        os.replace(tmp, dest)
        return actual
    except httpx.HTTPError as exc:
        fail(f"cannot download {url}: {exc or type(exc).__name__}")
    finally:
        tmp.unlink(missing_ok=True)


def bar(label: str, size: int | None) -> Progress | nullcontext[None]:
    """A download bar on a terminal; elsewhere one line saying what is fetched."""
    console = Console(stderr=True)
    if not console.is_terminal:
        note(f"downloading {label}" + (f" ({size / 1e6:.1f} MB)" if size else ""))
        return nullcontext()
    progress = Progress(
        "{task.description}", BarColumn(), DownloadColumn(), TransferSpeedColumn(), console=console
    )
    progress.add_task(label, total=size)
    return progress
