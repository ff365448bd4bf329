"""Every error leaves as application/problem+json, including the ones FastAPI raises itself."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.errors import PROBLEM_TYPE_PREFIX


def test_unknown_routes_and_methods_are_problems(client: TestClient) -> None:
    for method, path, status, code in [
        ("GET", "/v2/nothing", 404, "not-found"),
        ("PUT", "/v1/models", 405, "method-not-allowed"),
    ]:
        response = client.request(method, path)
        assert response.status_code == status
        assert response.headers["content-type"] == "application/problem+json"
        body = response.json()
        assert (body["code"], body["status"], body["instance"]) == (code, status, path)
        assert body["type"] == PROBLEM_TYPE_PREFIX + code


def test_an_unexpected_failure_is_a_500_problem_that_leaks_nothing(client: TestClient) -> None:
    from app.api.deps import get_store

    def broken() -> None:
        raise RuntimeError("secret internals")

    client.app.dependency_overrides[get_store] = broken  # type: ignore[attr-defined]
    response = client.delete("/v1/models/x")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "internal-error"
    assert "secret" not in response.text


def test_a_storage_outage_is_a_503_problem_and_changes_nothing(tmp_path, moto_endpoint) -> None:  # type: ignore[no-untyped-def]
    from app.config import Settings
    from app.main import create_app
    from tests.fixtures.storage import S3_CREDENTIALS

    settings = Settings(
        data_dir=tmp_path,
        storage_uri="s3://bucket-that-does-not-exist/x",
        s3_endpoint_url=moto_endpoint,
        s3_max_attempts=1,
        **S3_CREDENTIALS,
    )
    with TestClient(create_app(settings)) as client:
        response = client.post("/v1/models", json={"architecture": "resnet18", "pretrained": False})
        assert response.status_code == 503
        assert response.json()["code"] == "storage-unavailable"
        assert client.get("/v1/models").json()["items"] == []
        ready = client.get("/readyz")
        assert ready.status_code == 503 and ready.json()["code"] == "not-ready"


def test_a_body_that_cannot_be_parsed_is_the_declared_400_problem(client: TestClient) -> None:
    # Not UTF-8, so not JSON at all: FastAPI answers 400 before the route runs (found by
    # tests/test_contract_fuzz.py as an undeclared status).
    response = client.post(
        "/v1/transforms", content=b"\xff{", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "malformed-body"
    document = client.app.openapi()  # type: ignore[attr-defined]
    declared = document["paths"]["/v1/transforms"]["post"]["responses"]
    assert declared["400"]["content"] == {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
    }


def test_an_overloaded_database_is_a_503_to_retry_not_a_500(client: TestClient) -> None:
    from sqlalchemy.exc import TimeoutError as PoolTimeout

    from app.api.deps import get_store

    def exhausted() -> None:
        raise PoolTimeout("QueuePool limit of size 20 overflow 20 reached")

    client.app.dependency_overrides[get_store] = exhausted  # type: ignore[attr-defined]
    response = client.delete("/v1/models/x")
    assert response.status_code == 503 and response.headers["retry-after"] == "1"
    assert response.json()["code"] == "database-unavailable"


@pytest.mark.parametrize(
    "body",
    [
        "[" * 100_000 + "]" * 100_000,
        '{"architecture": "resnet18", "options": ' + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}",
    ],
    ids=["list-in-list", "object-in-object"],
)
def test_json_nested_past_the_parsers_depth_is_a_400_that_says_so(
    client: TestClient, body: str
) -> None:
    # Python's parser gives up with a RecursionError; FastAPI turns that into a 400 of its own
    # that says only "There was an error parsing the body".
    response = client.post("/v1/models", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "malformed-body"
    assert "nested too deeply" in response.json()["detail"]
    assert client.get("/v1/models").status_code == 200
