"""Projects as tenants: a key sees only its project's resources (another project's answer 404,
exactly like missing ones), its role bounds what it may do, and operators manage projects."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.db.tables import ApiKeyRecord
from app.main import create_app
from tests.datasets.test_api import wait_indexed
from tests.fixtures.images import class_tree, image_bytes, write_tree, zip_of
from tests.fixtures.trained import wait_for
from tests.training.test_api import SMALL

OPERATOR = "operator-key-for-tenancy-tests"
ROLES = ("reader", "writer", "admin")
MISSING = "00000000-0000-0000-0000-000000000000"


def bearer(secret: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}", **extra}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    base = tmp_path_factory.mktemp("tenancy")
    settings = Settings(
        data_dir=base / "data",
        api_key_hashes=[hashlib.sha256(OPERATOR.encode()).hexdigest()],
        output_roots=[base / "outputs"],
        runner_poll_s=0.05,
        job_progress_event_s=0,
    )
    app = create_app(settings)
    with TestClient(app, raise_server_exceptions=False, headers=bearer(OPERATOR)) as client:
        yield client


def as_key(server: TestClient, secret: str) -> TestClient:
    """Another client of the same running app, sending this key."""
    return TestClient(server.app, raise_server_exceptions=False, headers=bearer(secret))


@pytest.fixture(scope="module")
def keys(server: TestClient) -> dict[str, dict[str, str]]:
    """Projects a and b, each with a key of every role: project -> role -> secret."""
    out: dict[str, dict[str, str]] = {}
    for project in ("a", "b"):
        made = server.post("/v1/projects", json={"id": project, "name": f"Project {project}"})
        assert made.status_code == 201, made.text
        out[project] = {}
        for role in ROLES:
            key = server.post(
                f"/v1/projects/{project}/api-keys", json={"name": f"{project}-{role}", "role": role}
            )
            assert key.status_code == 201, key.text
            assert key.json()["secret"].startswith("rsk_")
            out[project][role] = key.json()["secret"]
    return out


@pytest.fixture(scope="module")
def owned(server: TestClient, keys: dict[str, dict[str, str]]) -> dict[str, str]:
    """One resource of every kind in project a, made with a's writer key: path parameter ->
    id."""
    writer = as_key(server, keys["a"]["writer"])
    settings: Settings = server.app.state.runtime.settings  # type: ignore[attr-defined]
    root = settings.resolved_file_source_roots[0] / "tenancy"
    write_tree(root, class_tree({"red": 4, "blue": 4}, size=16))
    dataset = writer.post("/v1/datasets", json={"source_uri": root.as_uri()})
    assert dataset.status_code == 202, dataset.text
    assert wait_indexed(writer, dataset.json()["id"])["status"] == "ready"
    transform = writer.post("/v1/transforms", json=SMALL).json()
    model = writer.post("/v1/models", json={"architecture": "resnet18", "pretrained": False})
    training = writer.post(
        "/v1/training-jobs",
        json={
            "model_id": model.json()["id"],
            "train_dataset_id": dataset.json()["id"],
            "transform_id": transform["id"],
            "epochs": 1,
            "batch_size": 4,
            "validation_fraction": 0.25,
        },
    )
    assert training.status_code == 202, training.text
    trained = wait_for(writer, f"/v1/training-jobs/{training.json()['id']}")
    assert trained["status"] == "succeeded", trained["error"]
    scoring = writer.post(
        "/v1/scoring-jobs",
        json={"model_id": trained["trained_model_id"], "dataset_id": dataset.json()["id"]},
    )
    assert scoring.status_code == 202, scoring.text
    assert wait_for(writer, f"/v1/scoring-jobs/{scoring.json()['id']}")["status"] == "succeeded"
    key_list = as_key(server, keys["a"]["admin"]).get("/v1/projects/a/api-keys").json()
    return {
        "model_id": trained["trained_model_id"],
        "dataset_id": dataset.json()["id"],
        "transform_id": transform["id"],
        "job_id": training.json()["id"],  # the scoring routes get theirs below
        "scoring_job_id": scoring.json()["id"],
        "project_id": "a",
        "key_id": key_list["items"][0]["id"],
        "name": "resnet18",
    }


def operations(prefix: str = "/v1") -> list[tuple[str, str]]:
    document = create_app(Settings()).openapi()
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        if path.startswith(prefix)
        for method in item
    ]


# A body each write needs to get past validation to the lookup (or the role check).
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/v1/datasets/{dataset_id}/split"): {"fraction": 0.5},
    ("POST", "/v1/models/{model_id}/predict"): {
        "images": [{"data": "data:image/png;base64,iVBORw0KGgo="}]
    },
    ("PATCH", "/v1/projects/{project_id}"): {"name": "renamed"},
    ("POST", "/v1/projects/{project_id}/api-keys"): {"name": "k", "role": "reader"},
}


def concrete(path: str, ids: dict[str, str]) -> str:
    if path.startswith("/v1/scoring-jobs/"):
        ids = ids | {"job_id": ids["scoring_job_id"], "other_job_id": ids["scoring_job_id"]}
    return re.sub(r"\{(\w+)\}", lambda m: ids[m.group(1)], path)


def call(client: TestClient, method: str, path: str, ids: dict[str, str]) -> Any:
    body = BODIES.get((method, path))
    return client.request(method, concrete(path, ids), json=body)


OPERATOR_ONLY = {("PATCH", "/v1/projects/{project_id}"), ("DELETE", "/v1/projects/{project_id}")}
WITH_IDS = [op for op in operations() if "{" in op[1] and not op[1].startswith("/v1/architectures")]


def test_every_route_with_an_id_is_covered() -> None:
    assert len(WITH_IDS) >= 30
    assert ("DELETE", "/v1/api-keys/{key_id}") in WITH_IDS
    assert ("GET", "/v1/scoring-jobs/{job_id}/output/rows") in WITH_IDS


@pytest.mark.parametrize(("method", "path"), WITH_IDS, ids=[f"{m} {p}" for m, p in WITH_IDS])
def test_another_projects_resource_answers_404_exactly_like_a_missing_one(
    server: TestClient,
    keys: dict[str, dict[str, str]],
    owned: dict[str, str],
    method: str,
    path: str,
) -> None:
    missing_ids = {name: MISSING for name in owned} | {"name": "resnet18"}
    # Managing projects is for operators: any project key is refused before any lookup
    expected = (403, "forbidden") if (method, path) in OPERATOR_ONLY else (404, "not-found")
    for role in ("writer", "admin"):
        other = as_key(server, keys["b"][role])
        foreign = call(other, method, path, owned)
        missing = call(other, method, path, missing_ids)
        assert foreign.status_code == missing.status_code == expected[0], (role, foreign.text)
        assert foreign.json()["code"] == missing.json()["code"] == expected[1]
    if method == "GET":  # and the owner finds it (writes are not repeated: a DELETE would go)
        mine = call(as_key(server, keys["a"]["admin"]), method, path, owned)
        assert mine.status_code != 404, mine.text


WRITES = [op for op in operations() if op[0] != "GET"]


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_a_reader_may_not_write(
    server: TestClient,
    keys: dict[str, dict[str, str]],
    owned: dict[str, str],
    method: str,
    path: str,
) -> None:
    response = call(as_key(server, keys["a"]["reader"]), method, path, owned)
    assert response.status_code == 403, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == "forbidden"
    assert "reader" in response.json()["detail"]


@pytest.mark.parametrize(
    "collection", ["models", "datasets", "transforms", "training-jobs", "scoring-jobs"]
)
def test_lists_hold_only_the_callers_project(
    server: TestClient,
    keys: dict[str, dict[str, str]],
    owned: dict[str, str],
    collection: str,
) -> None:
    def ids(secret: str) -> set[str]:
        response = as_key(server, secret).get(f"/v1/{collection}", params={"limit": 200})
        assert response.status_code == 200, response.text
        return {item["id"] for item in response.json()["items"]}

    mine = ids(keys["a"]["reader"])
    assert mine and not mine & ids(keys["b"]["reader"])
    assert mine == ids(keys["a"]["writer"])
    # An operator acts in the default project unless it names one
    assert not mine & {i["id"] for i in server.get(f"/v1/{collection}").json()["items"]}
    named = server.get(f"/v1/{collection}", headers={"X-Project-Id": "a"}).json()["items"]
    assert mine == {i["id"] for i in named}


def test_an_idempotency_key_means_something_only_in_its_project(
    server: TestClient, keys: dict[str, dict[str, str]], owned: dict[str, str]
) -> None:
    key = {"Idempotency-Key": "nightly-run"}
    body = {"model_id": owned["model_id"], "dataset_id": owned["dataset_id"]}
    first = as_key(server, keys["a"]["writer"]).post("/v1/scoring-jobs", json=body, headers=key)
    again = as_key(server, keys["a"]["writer"]).post("/v1/scoring-jobs", json=body, headers=key)
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    # b's twin request cannot reach a's job: the model is not b's, so it is refused
    other = as_key(server, keys["b"]["writer"]).post("/v1/scoring-jobs", json=body, headers=key)
    assert other.status_code == 422 and first.json()["id"] not in other.text
    wait_for(as_key(server, keys["a"]["writer"]), f"/v1/scoring-jobs/{first.json()['id']}")


def test_keys_are_shown_once_and_stop_working_when_revoked_or_expired(
    server: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    admin = as_key(server, keys["a"]["admin"])
    made = admin.post("/v1/projects/a/api-keys", json={"name": "short", "role": "reader"}).json()
    listed = admin.get("/v1/projects/a/api-keys").json()["items"]
    assert made["id"] in {k["id"] for k in listed}
    assert made["secret"] not in str(listed) and "secret" not in listed[0]
    assert as_key(server, made["secret"]).get("/v1/models").status_code == 200
    assert admin.delete(f"/v1/api-keys/{made['id']}").status_code == 204
    revoked = as_key(server, made["secret"]).get("/v1/models")
    assert revoked.status_code == 401 and revoked.json()["code"] == "unauthorized"

    expiring = admin.post(
        "/v1/projects/a/api-keys",
        json={
            "name": "expiring",
            "role": "reader",
            "expires_at": (datetime.now(UTC) + timedelta(days=1)).isoformat(),
        },
    ).json()
    assert as_key(server, expiring["secret"]).get("/v1/models").status_code == 200
    runtime = server.app.state.runtime  # type: ignore[attr-defined]
    with runtime.sessions.begin() as session:  # a day passes
        record = session.get(ApiKeyRecord, expiring["id"])
        record.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    assert as_key(server, expiring["secret"]).get("/v1/models").status_code == 401

    past = admin.post(
        "/v1/projects/a/api-keys",
        json={"name": "late", "role": "reader", "expires_at": "2020-01-01T00:00:00Z"},
    )
    assert past.status_code == 422 and "expires_at" in past.json()["detail"]
    operator_role = admin.post("/v1/projects/a/api-keys", json={"name": "x", "role": "operator"})
    assert operator_role.status_code == 422


def test_only_operators_manage_projects_and_only_admins_manage_keys(
    server: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    admin = as_key(server, keys["a"]["admin"])
    for method, path, body in [
        ("POST", "/v1/projects", {"name": "mine"}),
        ("GET", "/v1/projects", None),
        ("PATCH", "/v1/projects/a", {"quotas": {"active_jobs": 1000}}),
        ("DELETE", "/v1/projects/a", None),
    ]:
        response = admin.request(method, path, json=body)
        assert response.status_code == 403, (method, path, response.text)
        assert "operator" in response.json()["detail"]
    writer = as_key(server, keys["a"]["writer"])
    refused = writer.post("/v1/projects/a/api-keys", json={"name": "k", "role": "admin"})
    assert refused.status_code == 403 and "admin" in refused.json()["detail"]
    assert writer.get("/v1/projects/a/api-keys").status_code == 403
    # a member sees its own project with its quotas and usage
    project = as_key(server, keys["a"]["reader"]).get("/v1/projects/a").json()
    assert set(project["quotas"]) == {
        "active_jobs",
        "stored_bytes",
        "open_streams",
        "requests_per_minute",
    }
    assert project["quotas"]["active_jobs"]["used"] >= 0


def test_a_project_key_acts_only_in_its_own_project(
    server: TestClient, keys: dict[str, dict[str, str]]
) -> None:
    reader = as_key(server, keys["a"]["reader"])
    assert reader.get("/v1/models", headers={"X-Project-Id": "a"}).status_code == 200
    wrong = reader.get("/v1/models", headers={"X-Project-Id": "b"})
    assert wrong.status_code == 403 and "'a'" in wrong.json()["detail"]
    unknown = server.get("/v1/models", headers={"X-Project-Id": "no-such-project"})
    assert unknown.status_code == 404


def test_a_project_is_deleted_only_when_empty(
    server: TestClient, keys: dict[str, dict[str, str]], owned: dict[str, str]
) -> None:
    held = server.delete("/v1/projects/a")
    assert held.status_code == 409 and "models" in held.json()["detail"]
    assert server.delete("/v1/projects/default").status_code == 409
    assert server.post("/v1/projects", json={"id": "empty", "name": "Empty"}).status_code == 201
    assert server.post("/v1/projects", json={"id": "empty", "name": "Again"}).status_code == 409
    assert server.delete("/v1/projects/empty").status_code == 204
    assert server.get("/v1/projects/empty").status_code == 404
    bad_id = server.post("/v1/projects", json={"id": "Not Valid!", "name": "x"})
    assert bad_id.status_code == 422


def test_jobs_over_the_projects_quota_are_refused_naming_it(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        api_key_hashes=[hashlib.sha256(OPERATOR.encode()).hexdigest()],
        runner_enabled=False,  # jobs stay queued: the count is certain
    )
    with TestClient(create_app(settings), headers=bearer(OPERATOR)) as client:
        made = client.post(
            "/v1/projects", json={"id": "q", "name": "Q", "quotas": {"active_jobs": 1}}
        )
        assert made.json()["quotas"]["active_jobs"] == {
            "limit": 1,
            "used": 0,
            "project_default": False,
        }
        in_q = {"X-Project-Id": "q"}
        root = settings.resolved_file_source_roots[0] / "quota"
        write_tree(root, {"red/a.png": image_bytes("red", 0)})
        body = {"source_uri": root.as_uri()}
        assert client.post("/v1/datasets", json=body, headers=in_q).status_code == 202
        over = client.post("/v1/datasets", json=body, headers=in_q)
        assert over.status_code == 429, over.text
        assert over.json()["code"] == "quota-exceeded"
        assert "active_jobs" in over.json()["detail"] and "1" in over.json()["detail"]
        # other projects draw on their own quota
        assert client.post("/v1/datasets", json=body).status_code == 202
        raised = client.patch("/v1/projects/q", json={"quotas": {"active_jobs": 2}})
        assert raised.json()["quotas"]["active_jobs"]["used"] == 1
        assert client.post("/v1/datasets", json=body, headers=in_q).status_code == 202
        back = client.patch("/v1/projects/q", json={"quotas": {"active_jobs": None}})
        assert back.json()["quotas"]["active_jobs"]["project_default"] is True


def test_every_write_is_in_its_projects_audit_log(
    server: TestClient, keys: dict[str, dict[str, str]], owned: dict[str, str]
) -> None:
    reader = as_key(server, keys["a"]["reader"])
    refused = reader.delete(f"/v1/models/{owned['model_id']}", headers={"X-Request-ID": "audit-1"})
    assert refused.status_code == 403
    admin = as_key(server, keys["a"]["admin"])
    events: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = admin.get("/v1/audit-events", params={"limit": 50, "cursor": cursor}).json()
        events += page["items"]
        if not (cursor := page["next_cursor"]):
            break
    assert {e["project_id"] for e in events} == {"a"}
    made = {(e["method"], e["route"], e["status"]): e for e in events}
    create = made[("POST", "/v1/transforms", 201)]
    assert create["resource_id"] == owned["transform_id"]
    assert create["caller"].startswith("key:") and create["key_id"] is not None
    assert ("POST", "/v1/training-jobs", 202) in made
    (denied,) = [e for e in events if e["request_id"] == "audit-1"]
    assert (denied["method"], denied["route"], denied["status"]) == (
        "DELETE",
        "/v1/models/{model_id}",
        403,
    )
    assert denied["resource_id"] == owned["model_id"] and denied["key_id"] is not None
    assert keys["a"]["writer"] not in str(events)  # a fingerprint, never the key
    other = as_key(server, keys["b"]["admin"]).get("/v1/audit-events").json()["items"]
    assert not {e["id"] for e in other} & {e["id"] for e in events}
    assert reader.get("/v1/audit-events").status_code == 403


def test_uploads_over_the_projects_stored_bytes_are_refused_and_nothing_is_kept(
    tmp_path: Path,
) -> None:
    settings = Settings(
        data_dir=tmp_path / "data",
        api_key_hashes=[hashlib.sha256(OPERATOR.encode()).hexdigest()],
        runner_enabled=False,
    )
    archive = zip_of(class_tree({"red": 2, "blue": 2}))
    with TestClient(create_app(settings), headers=bearer(OPERATOR)) as client:
        quota = {"stored_bytes": len(archive) + 100}
        made = client.post("/v1/projects", json={"id": "s", "name": "S", "quotas": quota})
        assert made.status_code == 201, made.text
        in_s = {"X-Project-Id": "s"}

        def upload() -> Any:
            files = {"file": ("pets.zip", archive, "application/zip")}
            return client.post("/v1/datasets/upload", files=files, headers=in_s)

        assert upload().status_code == 202
        used = client.get("/v1/projects/s").json()["quotas"]["stored_bytes"]
        assert used == {"limit": len(archive) + 100, "used": len(archive), "project_default": False}
        over = upload()
        assert over.status_code == 429 and over.json()["code"] == "quota-exceeded"
        assert "stored_bytes" in over.json()["detail"]
        listed = client.get("/v1/datasets", headers=in_s).json()["items"]
        assert len(listed) == 1  # the refused upload left no dataset behind
        datasets_folder = settings.data_dir / "storage" / "datasets"
        assert len(list(datasets_folder.iterdir())) == 1
