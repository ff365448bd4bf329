from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from app.api.deps import RuntimeDep, SessionDep, StorageDep, WeightsDep
from app.api.files import file_response
from app.api.pagination import Cursor, Limit, Page
from app.errors import (
    Conflict,
    InvalidRequest,
    NotFound,
    StorageUnavailable,
    WeightsUnavailable,
    problem_responses,
)
from app.ml.architectures import Architecture
from app.models import service
from app.models.export import ExportFormat, export_bundle
from app.models.schemas import Model, ModelCreate, ModelStatus

router = APIRouter(prefix="/v1/models", tags=["models"])


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    summary="Build an untrained model",
    responses=problem_responses(InvalidRequest, WeightsUnavailable, StorageUnavailable),
)
def create_model(
    body: ModelCreate,
    session: SessionDep,
    store: StorageDep,
    weights: WeightsDep,
    response: Response,
) -> Model:
    """Store an untrained model directory (configuration, and ImageNet weights when `pretrained`).
    The class count is set later by the training data."""
    record = service.create_model(session, store, weights, body)
    response.headers["Location"] = f"/v1/models/{record.id}"
    return service.to_schema(record)


@router.get("", name="list", summary="List models", responses=problem_responses(InvalidRequest))
def list_models(
    session: SessionDep,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: ModelStatus | None = None,
    architecture: Architecture | None = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
) -> Page[Model]:
    return service.list_models(
        session, limit=limit, cursor=cursor, status=status, architecture=architecture, tag=tag
    )


@router.get("/{model_id}", name="get", summary="Get a model", responses=problem_responses(NotFound))
def get_model(model_id: str, session: SessionDep) -> Model:
    return service.to_schema(service.get_model(session, model_id))


@router.delete(
    "/{model_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a model and its stored files",
    responses=problem_responses(NotFound, Conflict, StorageUnavailable),
)
def delete_model(
    model_id: str, session: SessionDep, store: StorageDep, runtime: RuntimeDep
) -> None:
    service.delete_model(session, store, model_id)
    runtime.predictors.evict(model_id)


@router.get(
    "/{model_id}/training-curves",
    name="training_curves",
    summary="Training curves of a trained model (PNG)",
    response_class=Response,
    responses={
        **file_response("Loss and accuracy per epoch, the best epoch marked", "image/png"),
        **problem_responses(NotFound, Conflict),
    },
)
def training_curves(model_id: str, session: SessionDep, store: StorageDep) -> Response:
    return Response(service.training_curves(session, store, model_id), media_type="image/png")


@router.get(
    "/{model_id}/export",
    name="export",
    summary="Export a trained model (zip)",
    response_class=Response,
    responses={
        **file_response(
            "The model file and metadata.json (classes, preprocessing)", "application/zip"
        ),
        **problem_responses(NotFound, Conflict),
    },
)
def export_model(
    model_id: str,
    session: SessionDep,
    runtime: RuntimeDep,
    format: Annotated[
        ExportFormat, Query(description="onnx (the default), torchscript or safetensors")
    ] = ExportFormat.ONNX,
) -> Response:
    """`model.onnx` (input `input`: N x 3 x H x W normalised float32; output `probabilities`),
    `model.pt` (TorchScript, `torch.jit.load`) or `model.safetensors` (weights), each with
    `metadata.json` beside it."""
    data, name = export_bundle(session, runtime, model_id, format)
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
