"""POST /v1/models/{id}/predict: real-time scoring of a few images."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool

from app.api.bodies import model_schema
from app.api.deps import RuntimeDep, SessionDep
from app.errors import (
    Conflict,
    DecodeTimeout,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    problem_responses,
)
from app.serving import service
from app.serving.inputs import fetch_images, parse_body, too_many_images
from app.serving.schemas import PredictOptions, PredictRequest, PredictResponse

T = TypeVar("T", int, bool)

# A models route (the tag gives its operation id, models-predict), served by this domain.
router = APIRouter(prefix="/v1/models", tags=["models"])

# The handler reads the body itself (three media types), so FastAPI cannot declare it.
_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["files"],
                "properties": {
                    "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    # The JSON form's options, as form fields (app.serving.inputs reads them).
                    **{
                        name: {**field["anyOf"][0], "description": field["description"]}
                        for name, field in PredictOptions.model_json_schema()["properties"].items()
                    },
                },
            }
        },
        "application/json": {"schema": model_schema(PredictRequest)},
        "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
    },
}


@router.post(
    "/{model_id}/predict",
    name="predict",
    summary="Classify a few images now",
    openapi_extra={"requestBody": _BODY},
    responses=problem_responses(NotFound, Conflict, InvalidRequest, PayloadTooLarge, DecodeTimeout),
)
async def predict(
    model_id: str,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    top_k: Annotated[int | None, Query(ge=1, le=1000, description="Default 1.")] = None,
    include_probabilities: Annotated[
        bool | None, Query(description="Every class's probability too. Default false.")
    ] = None,
) -> PredictResponse:
    """Up to `predict_max_images` images per request (multipart `files`, JSON `images` with
    base64/data URIs or storage URIs, or one raw image), at most `predict_max_bytes` in all
    (the body plus the images read by URI), and at most `predict_max_pixels_per_request` pixels
    (width x height, added up). The model's own inference transformation is applied. Loaded
    models stay cached, so repeated calls are fast."""
    body = await request.body()  # at most predict_max_bytes: app.api.limits cuts it off
    settings = runtime.settings
    parsed = await parse_body(request, body, settings)
    k = _agreed(top_k, parsed.options.top_k, "top_k")
    everything = _agreed(
        include_probabilities, parsed.options.include_probabilities, "include_probabilities"
    )
    if not parsed.images:
        raise InvalidRequest("no images in the request")
    if len(parsed.images) > settings.predict_max_images:
        raise too_many_images(settings.predict_max_images)
    # The model before any URI is read: for a bogus id, nothing is told about what they hold.
    await run_in_threadpool(service.require_trained, session, model_id)
    images = await fetch_images(parsed, settings)
    return await service.predict(runtime, model_id, images, k or 1, bool(everything))


def _agreed(in_query: T | None, in_body: T | None, name: str) -> T | None:
    """An option given in the query, the body or both (then the same)."""
    if in_query is not None and in_body is not None and in_query != in_body:
        raise InvalidRequest(f"{name} is {in_query} in the query and {in_body} in the body")
    return in_body if in_body is not None else in_query
