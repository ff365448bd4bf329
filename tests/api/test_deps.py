"""Dependencies every /v1 route shares (API keys: test_auth.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.fixtures.app import backend_settings


@pytest.fixture(params=["sqlite+file", "postgres+file"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    # PostgreSQL cannot compare text with a NUL in it: there a NUL reached the query as a 500.
    return backend_settings(request.param, request, tmp_path)


@pytest.mark.parametrize(
    ("path", "loc"),
    [
        ("/v1/models/a%00b", ["path", "model_id"]),
        ("/v1/training-jobs/%00/logs", ["path", "job_id"]),
        ("/v1/models?tag=%00", ["query", "tag"]),
        ("/v1/scoring-jobs?model_id=x%00", ["query", "model_id"]),
    ],
)
def test_a_nul_in_a_path_or_query_parameter_is_a_validation_problem(
    client: TestClient, path: str, loc: list[str]
) -> None:
    response = client.get(path)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert [e["loc"] for e in problem["errors"]] == [loc]


def test_parameters_without_nul_still_reach_the_route(client: TestClient) -> None:
    assert client.get("/v1/models/a%01b").json()["code"] == "not-found"
    assert client.get("/v1/models?tag=x").json()["items"] == []
