"""The committed contract is exactly what the app serves, and reads well as an SDK."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from app.cli import render_openapi
from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]


def served() -> dict:  # type: ignore[type-arg]
    return json.loads(json.dumps(create_app().openapi()))


def test_openapi_yaml_is_generated_from_the_app() -> None:
    committed = (ROOT / "openapi.yaml").read_text()
    assert yaml.safe_load(committed) == served(), "run `make openapi` and commit openapi.yaml"
    assert committed == render_openapi()


def test_operation_ids_are_tag_dash_name_and_unique() -> None:
    ids = []
    for path, item in served()["paths"].items():
        for method, operation in item.items():
            tag = operation["tags"][0]
            assert operation["operationId"].startswith(f"{tag}-"), (method, path)
            ids.append(operation["operationId"])
    assert len(ids) == len(set(ids))
    assert {
        "models-create",
        "models-list",
        "models-get",
        "models-delete",
        "architectures-list",
        "health-ready",
    } <= set(ids)


def test_every_error_response_is_declared_as_problem_json() -> None:
    for path, item in served()["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            if path.startswith("/v1"):
                assert {"401", "422"} <= set(responses), (method, path)
            for code, response in responses.items():
                if code[0] in "45":
                    assert list(response["content"]) == ["application/problem+json"], (
                        method,
                        path,
                        code,
                    )
                    schema = response["content"]["application/problem+json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/Problem"}


def test_every_operation_that_takes_a_body_declares_the_malformed_body_400() -> None:
    for path, item in served()["paths"].items():
        for method, operation in item.items():
            if "requestBody" in operation:
                assert "malformed-body" in operation["responses"]["400"]["description"], (
                    method,
                    path,
                )
