"""A project's requests_per_minute quota: counted across all of its keys, in this process's
memory, or in Redis (the development and CI machines run one on 6379) so that every replica
draws on one budget."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

OPERATOR = "operator-key-for-request-quota-tests"
REDIS = "redis://127.0.0.1:6379/0"


def settings_for(tmp_path: Path, redis_url: str | None) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        runner_enabled=False,
        redis_url=redis_url,
        api_key_hashes=[hashlib.sha256(OPERATOR.encode()).hexdigest()],
    )


def statuses(client: TestClient, project: str, n: int) -> list[int]:
    return [
        client.get("/v1/models", headers={"X-Project-Id": project}).status_code for _ in range(n)
    ]


@pytest.mark.parametrize("redis_url", [None, REDIS], ids=["memory", "redis"])
def test_a_project_over_its_requests_per_minute_gets_429_naming_it(
    tmp_path: Path, redis_url: str | None
) -> None:
    project = f"r-{uuid.uuid4().hex[:12]}"  # Redis outlives the test: a name of its own
    headers = {"Authorization": f"Bearer {OPERATOR}"}
    with TestClient(create_app(settings_for(tmp_path, redis_url)), headers=headers) as client:
        quota = {"requests_per_minute": 3}
        made = client.post("/v1/projects", json={"id": project, "name": "R", "quotas": quota})
        assert made.status_code == 201
        assert statuses(client, project, 4) == [200, 200, 200, 429]
        over = client.get("/v1/models", headers={"X-Project-Id": project})
        assert over.json()["code"] == "quota-exceeded"
        assert "requests_per_minute" in over.json()["detail"] and "3" in over.json()["detail"]
        assert statuses(client, "default", 3) == [200, 200, 200]  # its own budget
        usage = client.get("/v1/projects/" + project).json()["quotas"]["requests_per_minute"]
        assert usage["limit"] == 3 and usage["used"] == 3


def test_with_redis_every_replica_draws_on_one_budget(tmp_path: Path) -> None:
    project = f"r-{uuid.uuid4().hex[:12]}"
    headers = {"Authorization": f"Bearer {OPERATOR}"}
    settings = settings_for(tmp_path, REDIS)  # two replicas: one database, one Redis
    with (
        TestClient(create_app(settings), headers=headers) as one,
        TestClient(create_app(settings), headers=headers) as two,
    ):
        quota = {"requests_per_minute": 4}
        made = one.post("/v1/projects", json={"id": project, "name": "R", "quotas": quota})
        assert made.status_code == 201, made.text
        assert statuses(one, project, 2) + statuses(two, project, 3) == [200, 200, 200, 200, 429]
        assert statuses(one, project, 1) == [429]
