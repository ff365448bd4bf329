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


def test_a_json_route_sent_a_form_says_to_send_json(client: TestClient) -> None:
    # `curl -d '{...}'` sends application/x-www-form-urlencoded: that was a 422 saying the
    # body "should be a valid dictionary".
    body = '{"architecture": "resnet18", "pretrained": false}'
    for headers in ({"content-type": "application/x-www-form-urlencoded"}, {}):
        response = client.post("/v1/models", content=body, headers=headers)
        assert response.status_code == 415, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "unsupported-media-type"
        assert "Content-Type: application/json" in response.json()["detail"]
    sent = client.post("/v1/models", content=body, headers={"content-type": "application/json"})
    assert sent.status_code == 201
    vendor = {"content-type": "application/merge-patch+json"}
    assert client.post("/v1/models", content=body, headers=vendor).status_code == 201


def test_routes_that_take_files_or_no_body_are_not_held_to_json(client: TestClient) -> None:
    upload = client.post("/v1/datasets/upload", files={"file": ("a.zip", b"not a zip")})
    assert upload.status_code != 415
    assert client.post("/v1/training-jobs/nope/cancel").status_code == 404
    # No body at all: the validation problem says the body is missing.
    missing = client.post("/v1/datasets")
    assert missing.status_code == 422 and missing.json()["errors"][0]["loc"] == ["body"]
