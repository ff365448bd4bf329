"""`resnet-studio predict`: classify local image files with a trained model."""

from __future__ import annotations

import argparse
import mimetypes
from contextlib import ExitStack
from pathlib import Path

from resnet_studio_client import models as sdk
from resnet_studio_client.api.models import models_predict
from resnet_studio_client.types import File

from app.console.common import (
    SubParsers,
    add_command,
    client,
    connection_options,
    fail,
    ok,
    opt,
    output,
)


def register(commands: SubParsers) -> None:
    p = add_command(
        commands,
        "predict",
        predict,
        "classify image files with a trained model",
        [connection_options()],
    )
    p.add_argument("--model", required=True, metavar="ID", help="a trained model")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--top-k", type=int, metavar="K", help="the K most probable classes")
    p.add_argument(
        "--probabilities", action="store_true", default=None, help="every class's probability"
    )


def predict(args: argparse.Namespace) -> None:
    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    with ExitStack() as files:
        body = sdk.ModelsPredictFilesBody(
            files=[
                File(
                    payload=files.enter_context(path.open("rb")),
                    file_name=path.name,
                    mime_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream",
                )
                for path in args.files
            ],
            top_k=opt(args.top_k),
            include_probabilities=opt(args.probabilities),
        )
        answer = ok(models_predict.sync(args.model, client=client(args), body=body))
    width = max(len(p.name) for p in answer.predictions) if answer.predictions else 0
    lines = []
    for prediction in answer.predictions:
        best = prediction.top_k[0].probability if prediction.top_k else float("nan")
        others = ", ".join(f"{c.label} {c.probability:.3f}" for c in prediction.top_k[1:])
        lines.append(
            f"{prediction.name:<{width}}  {prediction.label}  {best:.3f}"
            + (f"  ({others})" if others else "")
        )
    output(args, answer.to_dict(), lines)
