"""The images of a predict request, read from any of its three body forms: multipart `files`,
JSON `images` (base64, data URIs or storage URIs), or the raw bytes of one image. Every form is
bounded by the same image count and byte cap."""

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
from app.errors import InvalidRequest
from app.serving.schemas import PredictOptions, PredictRequest
from app.storage import ObjectNotFound


@dataclass(frozen=True)
class ImageInput:
    name: str
    data: bytes


def too_many_images(limit: int) -> InvalidRequest:
    return InvalidRequest(f"at most {limit} images per request; score more with a scoring job")


async def read_images(
    request: Request, body: bytes, settings: Settings
) -> tuple[list[ImageInput], PredictOptions]:
    """The images, and the options the body set (none for a raw image)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        return await _from_form(request, body, settings.predict_max_images)
    if kind == "application/json":
        return await _from_json(body, settings)
    if kind.startswith("image/") or kind == "application/octet-stream":
        return [ImageInput("image-0", body)], PredictOptions()
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


async def _from_json(body: bytes, settings: Settings) -> tuple[list[ImageInput], PredictOptions]:
    try:
        parsed = PredictRequest.model_validate(json.loads(body))
    except (ValueError, ValidationError) as exc:
        raise InvalidRequest(
            "the JSON body must be {'images': [{'data'|'uri': ..., 'name': ...}], 'top_k': ..., "
            f"'include_probabilities': ...}}: {_first_problem(exc)}"
        ) from None
    if len(parsed.images) > settings.predict_max_images:  # before reading any of them
        raise too_many_images(settings.predict_max_images)
    out = []
    # Images read by URI count against the same byte cap as the body: 32 URIs must not make
    # one request read 32 times predict_max_bytes.
    budget = settings.predict_max_bytes - len(body)
    for n, spec in enumerate(parsed.images):
        if (spec.data is None) == (spec.uri is None):
            raise InvalidRequest(f"images[{n}]: give exactly one of data and uri")
        if spec.data is not None:
            data = decode_base64(spec.data, n)
        else:
            data = await run_in_threadpool(read_uri, settings, spec.uri or "", n, budget)
            budget -= len(data)
        out.append(ImageInput(spec.name or spec.uri or f"image-{n}", data))
    options = PredictOptions(top_k=parsed.top_k, include_probabilities=parsed.include_probabilities)
    return out, options


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
