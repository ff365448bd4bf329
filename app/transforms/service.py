"""Rules for image transformations: a stored TransformSpec that training and scoring apply."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from app.api.pagination import Page, decode_cursor, page_of
from app.db.tables import TransformRecord
from app.errors import InvalidRequest, NotFound
from app.ml.transforms import TransformSpec
from app.transforms.repository import TransformRepository
from app.transforms.schemas import Transform, TransformCreate, TransformLinks


def spec_of(record: TransformRecord) -> TransformSpec:
    # from_dict fills options added since the row was written with their defaults.
    return TransformSpec.from_dict(record.spec)


def to_schema(record: TransformRecord) -> Transform:
    return Transform(
        id=record.id,
        name=record.name,
        created_at=record.created_at,
        links=TransformLinks(self=f"/v1/transforms/{record.id}"),
        **spec_of(record).to_dict(),
    )


def create_transform(session: Session, body: TransformCreate) -> TransformRecord:
    spec = TransformSpec.from_dict(body.model_dump(exclude={"name"}))
    try:
        spec.validate()
    except ValueError as exc:
        raise InvalidRequest(f"These options do not work together: {exc}.") from None
    record = TransformRecord(id=str(uuid.uuid4()), name=body.name, spec=spec.to_dict())
    return TransformRepository(session).add(record)


def get_transform(session: Session, transform_id: str) -> TransformRecord:
    record = TransformRepository(session).get(transform_id)
    if record is None:
        raise NotFound(f"No transform with id {transform_id!r}.")
    return record


def list_transforms(session: Session, *, limit: int, cursor: str | None) -> Page[Transform]:
    rows = TransformRepository(session).list(
        limit=limit + 1, after=decode_cursor(cursor) if cursor else None
    )
    return page_of(rows, limit, to_schema)


def delete_transform(session: Session, transform_id: str) -> None:
    TransformRepository(session).delete(get_transform(session, transform_id))
