"""The images of a predict request, read from any of its three body forms: multipart `files`,
JSON `images` (base64, data URIs or storage URIs), or the raw bytes of one image. Every form is
bounded by the same image count and byte cap. The body is parsed first (parse_body), and the
images it names by URI are read later (fetch_images), once the model is known to exist."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from app.config import Settings
from app.datasets.sources import SourceAccess, SourceNotAllowed
from app.errors import JSON_TOO_DEEP, InvalidRequest
from app.serving.schemas import PredictOptions, PredictRequest
from app.storage import ObjectNotFound


@dataclass(frozen=True)
class ImageInput:
    name: str
    data: bytes


@dataclass(frozen=True)
class ImageUri:
    """An image named by URI, not read yet: a request for a bogus model must not tell whether
    (or how large) a file exists."""

    name: str
    uri: str


@dataclass(frozen=True)
class PredictBody:
    images: list[ImageInput | ImageUri]
    options: PredictOptions  # what the body set (nothing for a raw image)
    size: int  # its bytes, which count against predict_max_bytes with those read by URI


def too_many_images(limit: int) -> InvalidRequest:
    return InvalidRequest(f"at most {limit} images per request; score more with a scoring job")


async def parse_body(request: Request, body: bytes, settings: Settings) -> PredictBody:
    """The body's images and options; nothing is read from storage yet."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        files, options = await _from_form(request, body, settings.predict_max_images)
        return PredictBody([*files], options, len(body))
    if kind == "application/json":
        return PredictBody(*_from_json(body, settings), len(body))
    if kind.startswith("image/") or kind == "application/octet-stream":
        return PredictBody([ImageInput("image-0", body)], PredictOptions(), len(body))
    raise InvalidRequest(
        "send multipart/form-data (files), application/json (images) or the "
        "raw bytes of one image (image/* or application/octet-stream)"
    )


async def _from_form(
    request: Request, body: bytes, limit: int
) -> tuple[list[ImageInput], PredictOptions]:
    # The body was already read (and capped) by the caller: hand it to the form parser again.
    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=limit + 1, max_fields=10)
    except HTTPException as exc:  # Starlette's 400 for a part past max_files
        if "Too many files" in str(exc.detail):
            raise too_many_images(limit) from None
        raise
    files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    images = [ImageInput(f.filename or f"file-{n}", await f.read()) for n, f in enumerate(files)]
    return images, _form_options(fields)


def _form_options(fields: dict[str, str]) -> PredictOptions:
    """Multipart fields are text: `top_k=3`, `include_probabilities=true`."""
    unknown = sorted(set(fields) - set(PredictOptions.model_fields))
    if unknown:
        raise InvalidRequest(
            f"unknown form fields {unknown}: give files, top_k, include_probabilities"
        )
    top_k, include = fields.get("top_k"), fields.get("include_probabilities")
    if top_k is not None and not top_k.isdigit():
        raise InvalidRequest("top_k must be a whole number")
    if include is not None and include.lower() not in ("true", "false"):
        raise InvalidRequest("include_probabilities must be true or false")
    try:
        return PredictOptions(
            top_k=int(top_k) if top_k is not None else None,
            include_probabilities=include.lower() == "true" if include is not None else None,
        )
    except ValidationError as exc:
        raise InvalidRequest(f"top_k: {exc.errors()[0]['msg']}") from None


def _from_json(
    body: bytes, settings: Settings
) -> tuple[list[ImageInput | ImageUri], PredictOptions]:
    try:
        parsed = PredictRequest.model_validate(json.loads(body))
    except RecursionError:  # `[[[[...` a hundred thousand deep
        raise InvalidRequest(JSON_TOO_DEEP) from None
    except (ValueError, ValidationError) as exc:
        raise InvalidRequest(
            "the JSON body must be {'images': [{'data'|'uri': ..., 'name': ...}], 'top_k': ..., "
            f"'include_probabilities': ...}}: {_first_problem(exc)}"
        ) from None
    if len(parsed.images) > settings.predict_max_images:
        raise too_many_images(settings.predict_max_images)
    out: list[ImageInput | ImageUri] = []
    for n, spec in enumerate(parsed.images):
        if (spec.data is None) == (spec.uri is None):
            raise InvalidRequest(f"images[{n}]: give exactly one of data and uri")
        if spec.data is not None:
            out.append(ImageInput(spec.name or f"image-{n}", decode_base64(spec.data, n)))
        else:
            out.append(ImageUri(spec.name or spec.uri or f"image-{n}", spec.uri or ""))
    options = PredictOptions(top_k=parsed.top_k, include_probabilities=parsed.include_probabilities)
    return out, options


async def fetch_images(body: PredictBody, settings: Settings) -> list[ImageInput]:
    """The body's images, those named by URI read now, in order. They count against the same
    byte cap as the body: 32 URIs must not make one request read 32 times predict_max_bytes."""
    budget = settings.predict_max_bytes - body.size
    out = []
    for n, image in enumerate(body.images):
        if isinstance(image, ImageUri):
            data = await run_in_threadpool(read_uri, settings, image.uri, n, budget)
            budget -= len(data)
            image = ImageInput(image.name, data)
        out.append(image)
    return out


def _first_problem(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        return f"{where}: {error['msg']}" if where else str(error["msg"])
    return str(exc).splitlines()[0]


def decode_base64(value: str, index: int) -> bytes:
    """Plain base64 or a data URI (`data:image/png;base64,...`)."""
    if value.startswith("data:"):
        header, _, value = value.partition(",")
        if ";base64" not in header:
            raise InvalidRequest(f"images[{index}]: data URIs must be base64-encoded")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequest(f"images[{index}]: not valid base64") from None


def read_uri(settings: Settings, uri: str, index: int, max_bytes: int) -> bytes:
    """An image by URI, confined to the allowed sources as every URI is, and refused unread
    when it is larger than what is left of the request's byte cap."""
    access = SourceAccess(settings)
    try:
        store, key = access.locate(uri)
        size = store.head(key).size
        if size > max_bytes:
            raise InvalidRequest(
                f"images[{index}]: {uri} is {size} bytes, more than the {max(max_bytes, 0)} "
                "left of this request's predict_max_bytes; score large images with a scoring job"
            )
        return store.get_bytes(key)
    except SourceNotAllowed as exc:
        raise InvalidRequest(f"images[{index}]: {exc}") from None
    except ObjectNotFound:
        raise InvalidRequest(f"images[{index}]: nothing at {uri}") from None
