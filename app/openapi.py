"""The OpenAPI document: generated from the app, with error responses as problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.api.bodies import hoist_body_schemas
from app.errors import PROBLEM_MEDIA_TYPE, MalformedBody


def operation_id(route: APIRoute) -> str:
    """Stable `tag-name` ids (e.g. `models-create`) so generated SDKs read well."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    hoist_body_schemas(schema)  # the models of bodies declared in openapi_extra (predict's)
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            if "requestBody" in operation:
                operation["responses"] = _with_malformed_body(operation["responses"])
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code[0] in "45" and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    app.openapi_schema = schema
    return schema


def _with_malformed_body(responses: dict[str, Any]) -> dict[str, Any]:
    """The framework answers 400 for a body it cannot parse at all (JSON that is not UTF-8, a
    broken multipart body): declared on every operation that takes a body."""
    problem = {"schema": {"$ref": "#/components/schemas/Problem"}}
    entry = {
        "description": f"{MalformedBody.title} (`{MalformedBody.code}`)",
        "content": {PROBLEM_MEDIA_TYPE: problem},
    }
    return dict(sorted({**responses, str(MalformedBody.status): entry}.items()))
