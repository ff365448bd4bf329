"""Keyset pagination: newest first by (created_at, id), stable while rows are added."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, and_, or_

R = TypeVar("R")


def newest_first(query: Select[R], table: Any, after: tuple[datetime, str] | None) -> Select[R]:
    """Order newest first and, given the last (created_at, id) of the previous page, continue
    after it."""
    query = query.order_by(table.created_at.desc(), table.id.desc())
    if after is not None:
        created, id_ = after
        query = query.where(
            or_(table.created_at < created, and_(table.created_at == created, table.id < id_))
        )
    return query
