"""Building, listing and deleting untrained models, on every database and storage backend."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from fastapi.testclient import TestClient

from app.config import Settings
from app.ml.architectures import Architecture, build_network, imagenet_weights
from app.ml.model_dir import CONFIG_FILE, INITIAL_WEIGHTS_FILE, ModelDirConfig
from app.ml.state_io import load_state_dict
from app.storage import open_store
from app.weights.store import sha256_of
from tests.fixtures.app import BACKENDS, backend_settings

PROBLEM = "application/problem+json"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    return backend_settings(request.param, request, tmp_path)


def stored_files(settings: Settings, model_id: str) -> dict[str, bytes]:
    store = open_store(settings.resolved_storage_uri, settings)
    prefix = f"models/{model_id}/"
    return {i.key.removeprefix(prefix): store.get_bytes(i.key) for i in store.list(prefix)}


def test_every_architecture_builds_untrained_without_weights(
    client: TestClient, settings: Settings
) -> None:
    for arch in Architecture:
        response = client.post("/v1/models", json={"architecture": arch.value, "pretrained": False})
        assert response.status_code == 201, response.text
        model = response.json()
        assert model["status"] == "untrained" and model["architecture"] == arch.value
        assert response.headers["location"] == f"/v1/models/{model['id']}"
        files = stored_files(settings, model["id"])
        assert set(files) == {CONFIG_FILE}
        config = ModelDirConfig.from_json(files[CONFIG_FILE])
        assert (config.architecture, config.pretrained, config.num_classes) == (arch, False, None)


def test_defaults_follow_the_azure_module(client: TestClient) -> None:
    # pretrained defaults to true, so without weights in the store the default build says so.
    response = client.post("/v1/models", json={"pretrained": False})
    model = response.json()
    assert model["architecture"] == "resnext101_32x8d"
    assert (model["zero_init_residual"], model["memory_efficient"]) == (False, False)
    default = client.post("/v1/models", json={})
    assert default.status_code == 422
    assert "resnext101_32x8d-110c445d.pth" in default.json()["detail"]


def test_pretrained_builds_from_the_weights_file_in_the_store(
    client: TestClient, settings: Settings, install_weights: Callable[[Architecture], Path]
) -> None:
    weights_file = install_weights(Architecture.RESNET18)
    response = client.post(
        "/v1/models",
        json={"architecture": "resnet18", "name": "cats", "description": "d", "tags": ["a", "b"]},
    )
    assert response.status_code == 201, response.text
    model = response.json()
    assert model["source_weights"] == {
        "name": "ResNet18_Weights.IMAGENET1K_V1",
        "file_name": "resnet18-f37072fd.pth",
        "sha256": sha256_of(weights_file),
    }
    files = stored_files(settings, model["id"])
    assert set(files) == {CONFIG_FILE, INITIAL_WEIGHTS_FILE}
    assert files[INITIAL_WEIGHTS_FILE] == weights_file.read_bytes()

    # A training job can start from the directory alone: ImageNet backbone, new head.
    config = ModelDirConfig.from_json(files[CONFIG_FILE])
    assert config.initial_weights == INITIAL_WEIGHTS_FILE
    imagenet = load_state_dict(weights_file)
    network = build_network(config.architecture, 4, config.options, imagenet)
    assert torch.equal(network.layer1[0].conv1.weight, imagenet["layer1.0.conv1.weight"])
    assert network.fc.out_features == 4


def test_missing_weights_fail_fast_with_the_file_and_where_to_put_it(
    client: TestClient, settings: Settings
) -> None:
    started = time.monotonic()
    response = client.post("/v1/models", json={"architecture": "densenet121"})
    assert time.monotonic() - started < 5
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "weights-unavailable"
    assert imagenet_weights(Architecture.DENSENET121).file_name in problem["detail"]
    assert str(settings.resolved_weights_dir.resolve()) in problem["detail"]
    assert client.get("/v1/models").json()["items"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"architecture": "resnet17"}, "architecture"),
        ({"architecture": "resnet18", "colour": "red"}, "colour"),
        ({"pretrained": "maybe"}, "pretrained"),
        ({"tags": "not-a-list"}, "tags"),
        ({"tags": ["has space"]}, "tags"),
        ({"name": ""}, "name"),
        # JSON types are taken as declared, not coerced (0 is not false)
        ({"pretrained": 0}, "pretrained"),
        ({"zero_init_residual": "true"}, "zero_init_residual"),
        # PostgreSQL cannot store a NUL: it was a 500 there
        ({"name": "a\x00b"}, "name"),
        ({"description": "\x00"}, "description"),
    ],
)
def test_bad_bodies_get_a_validation_problem_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    response = client.post("/v1/models", json={"pretrained": False, **body})
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert problem["type"] == "urn:resnet-studio:problem:validation-failed"
    assert any(e["loc"][:2] == ["body", field] for e in problem["errors"])


def test_a_body_that_is_not_json_is_a_validation_problem(client: TestClient) -> None:
    response = client.post(
        "/v1/models", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "validation-failed"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"architecture": "resnet50", "memory_efficient": True}, "DenseNet only"),
        ({"architecture": "densenet201", "zero_init_residual": True}, "ResNet family only"),
    ],
)
def test_options_of_the_other_family_are_refused(
    client: TestClient, body: dict[str, Any], message: str
) -> None:
    response = client.post("/v1/models", json={"pretrained": False, **body})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid-request"
    assert message in response.json()["detail"]


def test_list_pages_newest_first_and_filters(client: TestClient) -> None:
    made = []
    for arch, tags in [("resnet18", ["x"]), ("resnet34", ["x", "y"]), ("densenet121", ["y"])]:
        body = {"architecture": arch, "pretrained": False, "tags": tags}
        made.append(client.post("/v1/models", json=body).json()["id"])

    first = client.get("/v1/models", params={"limit": 2}).json()
    assert [m["id"] for m in first["items"]] == made[::-1][:2]
    second = client.get("/v1/models", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [m["id"] for m in second["items"]] == [made[0]] and second["next_cursor"] is None

    def ids(**params: str) -> list[str]:
        return [m["id"] for m in client.get("/v1/models", params=params).json()["items"]]

    assert ids(tag="y") == [made[2], made[1]]
    assert ids(architecture="resnet18") == [made[0]]
    assert ids(status="untrained", tag="x") == [made[1], made[0]]
    assert ids(status="trained") == []
    bad = client.get("/v1/models", params={"status": "sleeping"})
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM
    assert client.get("/v1/models", params={"cursor": "garbage!"}).status_code == 422
    assert client.get("/v1/models", params={"limit": 0}).status_code == 422


def test_get_and_delete_remove_the_row_and_the_stored_files(
    client: TestClient, settings: Settings, install_weights: Callable[[Architecture], Path]
) -> None:
    install_weights(Architecture.RESNET18)
    model = client.post("/v1/models", json={"architecture": "resnet18"}).json()
    assert client.get(f"/v1/models/{model['id']}").json() == model
    assert stored_files(settings, model["id"])

    assert client.delete(f"/v1/models/{model['id']}").status_code == 204
    assert stored_files(settings, model["id"]) == {}
    gone = client.get(f"/v1/models/{model['id']}")
    assert gone.status_code == 404 and gone.headers["content-type"] == PROBLEM
    assert gone.json()["code"] == "not-found"
    assert client.delete(f"/v1/models/{model['id']}").status_code == 404
