from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Response, UploadFile, status

from app.api.deps import SessionDep, SettingsDep, StorageDep
from app.api.fields import Text
from app.api.pagination import Cursor, Limit, Page
from app.datasets import service, uploads
from app.datasets.schemas import (
    Dataset,
    DatasetCreate,
    DatasetStatus,
    ImagePage,
    SkippedPage,
    SplitRequest,
    SplitResult,
)
from app.errors import (
    Conflict,
    InvalidRequest,
    NotFound,
    PayloadTooLarge,
    StorageUnavailable,
    problem_responses,
)

router = APIRouter(prefix="/v1/datasets", tags=["datasets"])


@router.post(
    "",
    name="create",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Register an image directory (indexed in the background)",
    responses=problem_responses(InvalidRequest),
)
def create_dataset(
    body: DatasetCreate,
    session: SessionDep,
    settings: SettingsDep,
    store: StorageDep,
    response: Response,
) -> Dataset:
    """Answers at once with `status: indexing`; poll the dataset (or watch `progress`) until it
    is `ready` with its classes and counts, or `failed` with a reason."""
    record = service.register(session, settings, store, body)
    response.headers["Location"] = f"/v1/datasets/{record.id}"
    return service.to_schema(record)


@router.post(
    "/upload",
    name="upload",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Upload an archive of an image directory and register it",
    responses=problem_responses(InvalidRequest, PayloadTooLarge, StorageUnavailable),
)
def upload_dataset(
    file: Annotated[UploadFile, File(description="A .zip, .tar, .tar.gz/.tgz or .tar.bz2")],
    session: SessionDep,
    settings: SettingsDep,
    store: StorageDep,
    response: Response,
    name: Annotated[Text | None, Form(min_length=1, max_length=200)] = None,
    description: Annotated[Text | None, Form(max_length=4000)] = None,
) -> Dataset:
    record = uploads.register_upload(session, settings, store, file, name, description)
    response.headers["Location"] = f"/v1/datasets/{record.id}"
    return service.to_schema(record)


@router.get("", name="list", summary="List datasets", responses=problem_responses(InvalidRequest))
def list_datasets(
    session: SessionDep,
    limit: Limit = 50,
    cursor: Cursor = None,
    status: DatasetStatus | None = None,
) -> Page[Dataset]:
    return service.list_datasets(session, limit=limit, cursor=cursor, status=status)


@router.get(
    "/{dataset_id}", name="get", summary="Get a dataset", responses=problem_responses(NotFound)
)
def get_dataset(dataset_id: str, session: SessionDep) -> Dataset:
    return service.read(session, dataset_id)


@router.get(
    "/{dataset_id}/images",
    name="images",
    summary="The images of a ready dataset",
    responses=problem_responses(NotFound, Conflict),
)
def list_images(
    dataset_id: str,
    session: SessionDep,
    store: StorageDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ImagePage:
    return service.images(session, store, dataset_id, limit, cursor)


@router.get(
    "/{dataset_id}/skipped",
    name="skipped",
    summary="Files left out of the dataset, with the reason",
    responses=problem_responses(NotFound, Conflict),
)
def list_skipped(
    dataset_id: str,
    session: SessionDep,
    store: StorageDep,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> SkippedPage:
    return service.skipped(session, store, dataset_id, limit, cursor)


@router.post(
    "/{dataset_id}/split",
    name="split",
    status_code=status.HTTP_201_CREATED,
    summary="Split into two datasets, stratified by class",
    responses=problem_responses(NotFound, Conflict, InvalidRequest),
)
def split_dataset(
    dataset_id: str,
    session: SessionDep,
    store: StorageDep,
    body: SplitRequest | None = None,
) -> SplitResult:
    first, second = service.split(session, store, dataset_id, body or SplitRequest())
    return SplitResult(first=service.to_schema(first), second=service.to_schema(second))


@router.delete(
    "/{dataset_id}",
    name="delete",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a dataset and its stored files",
    responses=problem_responses(NotFound, Conflict, StorageUnavailable),
)
def delete_dataset(dataset_id: str, session: SessionDep, store: StorageDep) -> None:
    service.delete(session, store, dataset_id)
