"""Cursor pagination: stable under inserts, opaque to callers."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Generic, Protocol, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field

from app.errors import InvalidRequest

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=200, description="Items per page.")]
Cursor = Annotated[
    str | None, Query(max_length=200, description="`next_cursor` from the previous page.")
]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end."
    )


class Keyed(Protocol):
    created_at: datetime
    id: str


K = TypeVar("K", bound=Keyed)


def page_of(rows: list[K], limit: int, to_item: Callable[[K], T]) -> Page[T]:
    """A page from `limit + 1` rows fetched newest first: the extra row only says there is more."""
    page = rows[:limit]
    more = len(rows) > limit
    return Page[T](
        items=[to_item(r) for r in page],
        next_cursor=encode_cursor(page[-1].created_at, page[-1].id) if more else None,
    )


def encode_cursor(created_at: datetime, id_: str) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{id_}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        created, _, id_ = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        when = datetime.fromisoformat(created)
        if when.tzinfo is None or not id_ or "\x00" in id_:
            raise ValueError("incomplete cursor")
        # In UTC as the columns are; a date that cannot be (year 1 at +14:00) raises here
        return when.astimezone(UTC), id_
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise InvalidRequest(
            "cursor is not one this server issued; start again without it"
        ) from None


# Lists that are positions in a fixed sequence (a dataset's images, a job's log lines) page with
# the same opaque `cursor`/`next_cursor` as the resource lists, so a caller pages one way.
_POSITION = "p:"
# Positions are 32-bit (job_events.id is an INTEGER): a larger one would fail in the query.
MAX_POSITION = 2**31 - 1


def encode_position(position: int) -> str:
    return base64.urlsafe_b64encode(f"{_POSITION}{position}".encode()).decode()


def decode_position(cursor: str | None) -> int:
    """The position a cursor names; 0 (the start) for none."""
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor.encode()).decode()
        digits = text.removeprefix(_POSITION)
        if digits == text or not digits.isdigit() or int(digits) > MAX_POSITION:
            raise ValueError("not a position")
        return int(digits)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidRequest(
            "cursor is not one this server issued; start again without it"
        ) from None
