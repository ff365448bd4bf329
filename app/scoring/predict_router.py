"""POST /v1/models/{id}/predict: real-time scoring of a few images."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException

from app.api.deps import RuntimeDep
from app.errors import Conflict, InvalidRequest, NotFound, PayloadTooLarge, problem_responses
from app.models import service as models
from app.runtime import Runtime
from app.scoring import realtime
from app.scoring.realtime import ImageInput

router = APIRouter(prefix="/v1/models", tags=["models"])


class ImageSpec(BaseModel):
    data: str | None = Field(None, description="Base64, or a data URI (data:image/png;base64,...).")
    uri: str | None = Field(None, description="Or a file:// or s3:// URI the server may read.")
    name: str | None = Field(None, max_length=200, description="Echoed back.")


class PredictRequest(BaseModel):
    images: list[ImageSpec] = Field(min_length=1)


class LabelProbability(BaseModel):
    label: str
    probability: float


class Prediction(BaseModel):
    index: int
    name: str
    label: str = Field(description="The most probable class.")
    top_k: list[LabelProbability]
    probabilities: dict[str, float] | None = Field(
        None, description="Every class, with include_probabilities=true."
    )


class PredictResponse(BaseModel):
    model_id: str
    predictions: list[Prediction]


_JSON_BODY = {
    "type": "object",
    "required": ["images"],
    "properties": {
        "images": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "data": {"type": "string", "description": "base64 or a data URI"},
                    "uri": {"type": "string", "description": "file:// or s3:// URI"},
                    "name": {"type": "string"},
                },
            },
        }
    },
}
_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                },
            }
        },
        "application/json": {"schema": _JSON_BODY},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    },
}


def _too_many_images(limit: int) -> InvalidRequest:
    return InvalidRequest(f"at most {limit} images per request; score more with a scoring job")


async def _images(request: Request, body: bytes, runtime: Runtime) -> list[ImageInput]:
    settings = runtime.settings
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    limit = settings.predict_max_images
    if kind == "multipart/form-data":

        async def replay() -> dict[str, Any]:
            return {"type": "http.request", "body": body, "more_body": False}

        try:
            form = await Request(request.scope, replay).form(max_files=limit + 1, max_fields=10)
        except HTTPException as exc:  # Starlette's 400 for a part past max_files
            if "Too many files" in str(exc.detail):
                raise _too_many_images(limit) from None
            raise
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile)]
        return [ImageInput(f.filename or f"file-{n}", await f.read()) for n, f in enumerate(files)]
    if kind == "application/json":
        try:
            parsed = PredictRequest.model_validate(json.loads(body))
        except (ValueError, ValidationError) as exc:
            raise InvalidRequest(
                f"the JSON body must be {{'images': [{{'data'|'uri': ...}}]}}: "
                f"{str(exc).splitlines()[0]}"
            ) from None
        if len(parsed.images) > limit:  # before reading any of them
            raise _too_many_images(limit)
        out = []
        # Images read by URI count against the same byte cap as the body: 32 URIs must not make
        # one request read 32 times predict_max_bytes.
        budget = settings.predict_max_bytes - len(body)
        for n, spec in enumerate(parsed.images):
            if (spec.data is None) == (spec.uri is None):
                raise InvalidRequest(f"images[{n}]: give exactly one of data and uri")
            if spec.data is not None:
                data = realtime.decode_base64(spec.data, n)
            else:
                data = await run_in_threadpool(
                    realtime.read_uri, settings, spec.uri or "", n, budget
                )
                budget -= len(data)
            out.append(ImageInput(spec.name or spec.uri or f"image-{n}", data))
        return out
    if kind.startswith("image/") or kind == "application/octet-stream":
        return [ImageInput("image-0", body)]
    raise InvalidRequest(
        "send multipart/form-data (files), application/json (images) or the "
        "raw bytes of one image (image/* or application/octet-stream)"
    )


def _predict(
    runtime: Runtime,
    model_id: str,
    images: list[ImageInput],
    top_k: int,
    include_probabilities: bool,
) -> PredictResponse:
    with runtime.sessions() as session:
        record = models.get_model(session, model_id)
        if record.status != "trained":
            raise Conflict(f"model {model_id} is {record.status}; predict with a trained model")
    model = runtime.predictors.get(model_id, runtime.store)
    decoded = realtime.decode_all(images, runtime.settings.max_image_pixels)
    rows = realtime.predict(model, decoded, top_k, include_probabilities)
    return PredictResponse(
        model_id=model_id,
        predictions=[
            Prediction(index=n, name=image.name, **row)
            for n, (image, row) in enumerate(zip(images, rows, strict=True))
        ],
    )


@router.post(
    "/{model_id}/predict",
    name="predict",
    summary="Classify a few images now",
    openapi_extra={"requestBody": _BODY},
    responses=problem_responses(NotFound, Conflict, InvalidRequest, PayloadTooLarge),
)
async def predict(
    model_id: str,
    request: Request,
    runtime: RuntimeDep,
    top_k: Annotated[int, Query(ge=1, le=1000)] = 1,
    include_probabilities: bool = False,
) -> PredictResponse:
    """Up to `predict_max_images` images per request (multipart `files`, JSON `images` with
    base64/data URIs or storage URIs, or one raw image), at most `predict_max_bytes` in all
    (the body plus the images read by URI). The model's own inference
    transformation is applied. Loaded models stay cached, so repeated calls are fast."""
    body = await request.body()  # at most predict_max_bytes: app.api.limits cuts it off
    images = await _images(request, body, runtime)
    if not images:
        raise InvalidRequest("no images in the request")
    if len(images) > runtime.settings.predict_max_images:
        raise _too_many_images(runtime.settings.predict_max_images)
    return await run_in_threadpool(
        _predict, runtime, model_id, images, top_k, include_probabilities
    )
