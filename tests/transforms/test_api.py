"""Defining, listing and deleting image transformations over REST, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.ml.transforms import TransformSpec
from tests.fixtures.app import backend_settings

PROBLEM = "application/problem+json"

AZURE_DEFAULTS: dict[str, Any] = {
    "resize": {"enabled": True, "size": 256},
    "center_crop": {"enabled": True, "size": 224},
    "pad": {"enabled": False, "padding": 0},
    "color_jitter": {
        "enabled": False,
        "brightness": 0.4,
        "contrast": 0.4,
        "saturation": 0.4,
        "hue": 0.1,
    },
    "grayscale": {"enabled": False},
    "random_resized_crop": {
        "enabled": False,
        "size": 256,
        "scale": [0.08, 1.0],
        "ratio": [3 / 4, 4 / 3],
    },
    "random_crop": {"enabled": False, "size": 224},
    "random_horizontal_flip": {"enabled": True, "p": 0.5},
    "random_vertical_flip": {"enabled": False, "p": 0.5},
    "random_rotation": {"enabled": False, "degrees": 15.0},
    "random_affine": {"enabled": False, "degrees": 15.0, "translate": None, "scale": None},
    "random_grayscale": {"enabled": False, "p": 0.1},
    "random_perspective": {"enabled": False, "p": 0.5, "distortion": 0.5},
    "random_erasing": {"enabled": False, "p": 0.5, "scale": [0.02, 0.33], "ratio": [0.3, 3.3]},
    "normalize_mean": None,
    "normalize_std": None,
}

CUSTOM: dict[str, Any] = {
    "name": "strong augmentation",
    "resize": {"size": 288},
    "center_crop": {"size": 256},
    "color_jitter": {"enabled": True, "brightness": 0.2, "hue": 0.05},
    "random_resized_crop": {"enabled": True, "size": 224, "scale": [0.5, 1.0]},
    "random_affine": {"enabled": True, "degrees": 5, "translate": [0.1, 0.2]},
    "random_erasing": {"enabled": True, "p": 0.25},
    "normalize_mean": [0.4, 0.4, 0.4],
    "normalize_std": [0.2, 0.2, 0.2],
}


@pytest.fixture(params=["sqlite+file", "postgres+file"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    # Transforms are rows only (the spec is a JSON column): the databases differ, storage does not.
    return backend_settings(request.param, request, tmp_path)


def options_of(transform: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in transform.items() if k not in {"id", "name", "created_at", "links"}}


def test_create_with_no_options_returns_every_option_with_azures_defaults(
    client: TestClient,
) -> None:
    response = client.post("/v1/transforms", json={})
    assert response.status_code == 201, response.text
    transform = response.json()
    assert options_of(transform) == AZURE_DEFAULTS
    assert TransformSpec.from_dict(options_of(transform)) == TransformSpec()  # the engine's too
    assert transform["name"] is None and transform["created_at"].endswith("Z")
    assert response.headers["location"] == f"/v1/transforms/{transform['id']}"
    assert transform["links"] == {"self": f"/v1/transforms/{transform['id']}"}


def test_a_custom_spec_round_trips_through_post_and_get(client: TestClient) -> None:
    created = client.post("/v1/transforms", json=CUSTOM)
    assert created.status_code == 201, created.text
    transform = created.json()
    assert client.get(f"/v1/transforms/{transform['id']}").json() == transform

    assert transform["name"] == "strong augmentation"
    # Given parameters are kept; the ones left out of an option take that option's defaults.
    assert transform["resize"] == {"enabled": True, "size": 288}
    assert transform["center_crop"] == {"enabled": True, "size": 256}
    assert transform["color_jitter"] == {
        "enabled": True,
        "brightness": 0.2,
        "contrast": 0.4,
        "saturation": 0.4,
        "hue": 0.05,
    }
    assert transform["random_resized_crop"]["scale"] == [0.5, 1.0]
    assert transform["random_affine"] == {
        "enabled": True,
        "degrees": 5.0,
        "translate": [0.1, 0.2],
        "scale": None,
    }
    assert transform["random_erasing"]["p"] == 0.25
    assert transform["random_horizontal_flip"] == AZURE_DEFAULTS["random_horizontal_flip"]
    # What is stored is what training will build from.
    spec = TransformSpec.from_dict(options_of(transform))
    assert spec.random_erasing.enabled and spec.normalize_std == (0.2, 0.2, 0.2)


def test_list_pages_newest_first(client: TestClient) -> None:
    made = [client.post("/v1/transforms", json={"name": f"t{i}"}).json()["id"] for i in range(3)]

    first = client.get("/v1/transforms", params={"limit": 2}).json()
    assert [t["id"] for t in first["items"]] == made[::-1][:2]
    second = client.get("/v1/transforms", params={"limit": 2, "cursor": first["next_cursor"]})
    assert [t["id"] for t in second.json()["items"]] == [made[0]]
    assert second.json()["next_cursor"] is None
    everything = client.get("/v1/transforms").json()
    assert [t["name"] for t in everything["items"]] == ["t2", "t1", "t0"]
    assert everything["items"][0] == client.get(f"/v1/transforms/{made[2]}").json()

    bad_cursor = client.get("/v1/transforms", params={"cursor": "garbage!"})
    assert bad_cursor.status_code == 422 and bad_cursor.json()["code"] == "invalid-request"
    assert client.get("/v1/transforms", params={"limit": 0}).status_code == 422


def test_delete_removes_it_and_then_it_is_a_404_problem(client: TestClient) -> None:
    transform = client.post("/v1/transforms", json={}).json()
    assert client.delete(f"/v1/transforms/{transform['id']}").status_code == 204

    gone = client.get(f"/v1/transforms/{transform['id']}")
    assert gone.status_code == 404 and gone.headers["content-type"] == PROBLEM
    assert gone.json()["code"] == "not-found" and transform["id"] in gone.json()["detail"]
    assert client.delete(f"/v1/transforms/{transform['id']}").status_code == 404
    assert client.get("/v1/transforms").json()["items"] == []


def test_a_crop_larger_than_the_resize_is_an_invalid_request_naming_both_sizes(
    client: TestClient,
) -> None:
    response = client.post(
        "/v1/transforms", json={"resize": {"size": 200}, "center_crop": {"size": 240}}
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "invalid-request"
    assert "center_crop.size 240" in problem["detail"] and "resize.size 200" in problem["detail"]
    assert client.get("/v1/transforms").json()["items"] == []


def test_a_spec_without_a_fixed_training_size_is_an_invalid_request(client: TestClient) -> None:
    response = client.post("/v1/transforms", json={"center_crop": {"enabled": False}})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid-request"
    assert "enable center_crop" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"colour": "red"}, ["body", "colour"]),
        ({"resize": {"size": 256, "mode": "bicubic"}}, ["body", "resize", "mode"]),
        ({"resize": {"size": "big"}}, ["body", "resize", "size"]),
        ({"resize": {"size": 0}}, ["body", "resize", "size"]),
        ({"center_crop": True}, ["body", "center_crop"]),
        ({"random_rotation": {"enabled": True, "degrees": 200}}, ["body", "random_rotation"]),
        ({"random_horizontal_flip": {"p": 1.5}}, ["body", "random_horizontal_flip", "p"]),
        ({"color_jitter": {"hue": 0.9}}, ["body", "color_jitter", "hue"]),
        ({"random_erasing": {"scale": [0.1]}}, ["body", "random_erasing", "scale"]),
        ({"normalize_mean": [0.5, 0.5]}, ["body", "normalize_mean"]),
        ({"normalize_std": [0.5, 0, 0.5]}, ["body", "normalize_std"]),
        ({"name": ""}, ["body", "name"]),
        # JSON types are taken as declared, not coerced
        ({"resize": {"enabled": 1}}, ["body", "resize", "enabled"]),
        ({"resize": {"size": "256"}}, ["body", "resize", "size"]),
        ({"random_horizontal_flip": {"p": "0.5"}}, ["body", "random_horizontal_flip", "p"]),
        ({"normalize_mean": [0, 0, False]}, ["body", "normalize_mean"]),
        ({"name": "a\x00b"}, ["body", "name"]),  # PostgreSQL cannot store it: a 500 there
    ],
)
def test_bad_types_ranges_and_unknown_fields_are_validation_problems_naming_the_field(
    client: TestClient, body: dict[str, Any], loc: list[str]
) -> None:
    response = client.post("/v1/transforms", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert any(e["loc"][: len(loc)] == loc for e in problem["errors"]), problem["errors"]
