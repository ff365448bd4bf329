from __future__ import annotations

from fastapi import APIRouter, Response, status

from app.api.deps import SessionDep
from app.api.pagination import Cursor, Limit, Page
from app.errors import InvalidRequest, NotFound, problem_responses
from app.transforms import service
from app.transforms.schemas import Transform, TransformCreate

router = APIRouter(prefix="/v1/transforms", tags=["transforms"])


@router.post(
    "",
    name="create",
    status_code=status.HTTP_201_CREATED,
    summary="Define an image transformation",
    responses=problem_responses(InvalidRequest),
)
def create_transform(body: TransformCreate, session: SessionDep, response: Response) -> Transform:
    """Store a preprocessing and augmentation pipeline (Azure's Init Image Transformation) for
    training and scoring to apply. Omitted options take Azure's defaults."""
    record = service.create_transform(session, body)
    response.headers["Location"] = f"/v1/transforms/{record.id}"
    return service.to_schema(record)


@router.get(
    "",
    name="list",
    summary="List image transformations",
    responses=problem_responses(InvalidRequest),
)
def list_transforms(
    session: SessionDep, limit: Limit = 50, cursor: Cursor = None
) -> Page[Transform]:
    return service.list_transforms(session, limit=limit, cursor=cursor)


@router.get(
    "/{transform_id}",
    name="get",
    summary="Get an image transformation",
    responses=problem_responses(NotFound),
)
def get_transform(transform_id: str, session: SessionDep) -> Transform:
    return service.to_schema(service.get_transform(session, transform_id))


@router.delete(
    "/{transform_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete an image transformation",
    responses=problem_responses(NotFound),
)
def delete_transform(transform_id: str, session: SessionDep) -> None:
    service.delete_transform(session, transform_id)
