"""Cursors: what the server issues it takes back; anything else is a 422, never a failed query."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.api.pagination import decode_cursor, encode_cursor
from app.errors import InvalidRequest
from tests.fixtures.app import backend_settings

# Found by tests/test_contract_fuzz.py: a NUL in the id failed the keyset query on PostgreSQL,
# and a date that leaves datetime's range in UTC failed it on every backend (500s).
FORGED = [
    encode_cursor(datetime(2024, 5, 1, tzinfo=UTC), "a\x00b"),
    encode_cursor(datetime.min.replace(tzinfo=timezone(timedelta(hours=14))), "x"),
    encode_cursor(datetime.max.replace(tzinfo=timezone(timedelta(hours=-14))), "x"),
]


@pytest.fixture(params=["sqlite+file", "postgres+file"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    return backend_settings(request.param, request, tmp_path)


def test_a_cursor_round_trips_in_utc() -> None:
    created = datetime(2024, 5, 1, 12, tzinfo=timezone(timedelta(hours=2)))
    when, id_ = decode_cursor(encode_cursor(created, "abc"))
    assert (when, when.tzinfo, id_) == (created, UTC, "abc")


@pytest.mark.parametrize("cursor", FORGED)
def test_a_cursor_no_row_could_have_is_refused(cursor: str) -> None:
    with pytest.raises(InvalidRequest, match="not one this server issued"):
        decode_cursor(cursor)


@pytest.mark.parametrize("cursor", FORGED)
def test_listing_with_such_a_cursor_is_a_422_on_every_database(
    client: TestClient, cursor: str
) -> None:
    for path in ("/v1/models", "/v1/datasets", "/v1/transforms", "/v1/training-jobs"):
        response = client.get(path, params={"cursor": cursor})
        assert response.status_code == 422, (path, response.text)
        assert response.json()["code"] == "invalid-request"
