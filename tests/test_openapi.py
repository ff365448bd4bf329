"""The committed contract is exactly what the app serves, and reads well as an SDK."""

from __future__ import annotations

import json
import re
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


def operations() -> list[tuple[str, str, dict]]:  # type: ignore[type-arg]
    return [(m, p, op) for p, item in served()["paths"].items() for m, op in item.items()]


def test_schema_names_are_unique_words_an_sdk_can_use() -> None:
    names = list(served()["components"]["schemas"])
    # FastAPI's fallbacks: a module path when two models share a name, pydantic's generic names
    assert not [n for n in names if "__" in n or "_" in n or "-" in n], names
    assert {"TrainingProgress", "IndexingProgress", "ModelPage", "DatasetsUploadBody"} <= set(names)
    for name, schema in served()["components"]["schemas"].items():
        assert schema.get("title", name) == name


def test_every_file_response_is_declared_binary_and_every_upload_is_a_file() -> None:
    files = 0
    for _, path, operation in operations():
        for code, response in operation["responses"].items():
            for media, content in response.get("content", {}).items():
                if code[0] == "2" and media not in ("application/json", "text/event-stream"):
                    assert content["schema"] == {"type": "string", "format": "binary"}, path
                    files += 1
    assert files >= 9  # curves, export, output and errors (3 formats each), confusion matrix
    upload = served()["components"]["schemas"]["DatasetsUploadBody"]["properties"]["file"]
    assert upload["format"] == "binary"


def test_no_string_carries_a_pattern_that_examples_would_be_made_from() -> None:
    # The NUL rule was `pattern: ^[^\x00]*$`, and Swagger UI showed random junk made from it.
    patterns = re.findall(r'"pattern": "([^"]*)"', json.dumps(served()))
    assert patterns and not [p for p in patterns if "x00" in p or "\\u0000" in p], patterns


def test_every_json_request_body_has_an_example() -> None:
    schemas = served()["components"]["schemas"]
    for method, path, operation in operations():
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            schema = body["schema"]
            ref = schema.get("$ref") or schema["anyOf"][0]["$ref"]  # an optional body
            name = ref.rsplit("/", 1)[-1]
            assert schemas[name].get("examples"), (method, path)


def test_tags_and_responses_are_described() -> None:
    document = served()
    tags = {t["name"]: t["description"] for t in document["tags"]}
    for method, path, operation in operations():
        assert operation["tags"][0] in tags, (method, path)
        for code, response in operation["responses"].items():
            assert response["description"] != "Successful Response", (method, path, code)


def test_body_errors_are_declared_only_where_a_body_is_taken() -> None:
    for method, path, operation in operations():
        codes = set(operation["responses"])
        body = operation.get("requestBody")
        if body is None:
            assert not {"413", "415"} & codes, (method, path)
        else:
            assert "413" in codes, (method, path)
            if list(body["content"]) == ["application/json"]:
                assert "415" in codes, (method, path)


def test_a_key_is_optional_in_the_contract_and_health_never_needs_one() -> None:
    document = served()
    assert document["security"] == [{}, {"HTTPBearer": []}]
    for _, path, operation in operations():
        assert operation.get("security") == ([] if path in ("/healthz", "/readyz") else None)
