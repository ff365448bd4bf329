"""X-Request-ID: the caller's when sound, else made here; on every response, in every problem
document, and on the jobs a request creates, down to their log lines."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.config import Settings
from app.db.tables import JobRecord
from app.jobs.repository import JobRepository
from app.main import create_app
from app.observability.requests import is_valid_request_id
from tests.observability.conftest import wait_indexed


def test_a_given_request_id_is_echoed(client: TestClient) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": "trace-42/a b"})
    assert response.headers["X-Request-ID"] == "trace-42/a b"


def test_a_request_id_is_made_when_none_is_given(client: TestClient) -> None:
    first = client.get("/healthz").headers["X-Request-ID"]
    second = client.get("/healthz").headers["X-Request-ID"]
    assert len(first) == 32 and int(first, 16) >= 0  # uuid4 hex
    assert first != second


@pytest.mark.parametrize("bad", ["x" * 129, "caf\u00e9", "tab\there", ""])
def test_an_unsound_request_id_is_replaced(client: TestClient, bad: str) -> None:
    response = client.get("/healthz", headers={"X-Request-ID": bad.encode("latin-1")})
    made = response.headers["X-Request-ID"]
    assert made != bad and is_valid_request_id(made) and len(made) == 32


def test_the_longest_printable_request_id_is_kept() -> None:
    assert is_valid_request_id("~" * 128)
    assert not is_valid_request_id("\x7f")


def test_a_problem_document_carries_the_request_id(client: TestClient) -> None:
    response = client.get("/v1/models/missing", headers={"X-Request-ID": "req-404"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["request_id"] == "req-404"
    assert response.headers["X-Request-ID"] == "req-404"


def test_an_unrouted_404_carries_a_made_request_id(client: TestClient) -> None:
    response = client.get("/no/such/path")
    assert response.status_code == 404
    assert response.json()["request_id"] == response.headers["X-Request-ID"]


def test_a_job_records_the_request_that_created_it_and_its_logs_say_so(
    client: TestClient, pets_uri: str
) -> None:
    response = client.post(
        "/v1/datasets", json={"source_uri": pets_uri}, headers={"X-Request-ID": "make-pets-1"}
    )
    assert response.status_code == 202, response.text
    assert wait_indexed(client, response.json()["id"])["status"] == "ready"

    with client.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        job = session.scalars(
            select(JobRecord).where(JobRecord.dataset_id == response.json()["id"])
        ).one()
        assert job.request_id == "make-pets-1"
        lines = JobRepository(session).events(job.id, types=["log"])
    assert lines, "the job wrote no log line"
    assert "created by request make-pets-1" in lines[0].data["message"]
    assert all(line.data["request_id"] == "make-pets-1" for line in lines)


def test_an_unexpected_500_carries_the_request_id(settings: Settings) -> None:
    """Rendered outside the middleware (by Starlette's ServerErrorMiddleware), and still named."""
    app = create_app(settings)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("unexpected")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "req-500"})
    assert response.status_code == 500
    assert response.json()["code"] == "internal-error"
    assert response.json()["request_id"] == "req-500"
    assert response.headers["X-Request-ID"] == "req-500"
