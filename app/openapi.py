"""The OpenAPI document: generated from the app, with error responses as problem+json."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from app.api.bodies import hoist_body_schemas
from app.errors import (
    PROBLEM_MEDIA_TYPE,
    ApiError,
    MalformedBody,
    PayloadTooLarge,
    RequestTimeout,
    UnsupportedMediaType,
)

REF = "#/components/schemas/"

# The groups of operations, in the order Swagger UI and ReDoc show them.
TAGS = [
    ("architectures", "What can be built: the 13 ResNet and DenseNet variants and their weights."),
    ("models", "Build untrained models; read, export, delete, and predict in real time."),
    ("datasets", "Register labelled image directories (class folders, archives, manifests)."),
    ("transforms", "Image transformations (Azure's Init Image Transformation)."),
    ("training-jobs", "Train a model on a dataset, as a job: progress, metrics, logs, events."),
    ("scoring-jobs", "Score images with a trained model, as a job; evaluate against labels."),
    ("projects", "Tenants: each model, dataset, transform and job belongs to one (operators)."),
    ("api-keys", "A project's API keys and their roles: reader, writer, admin."),
    ("audit-events", "Who wrote what in a project, and how it ended."),
    ("health", "Liveness and readiness."),
]


def operation_id(route: APIRoute) -> str:
    """Stable `tag-name` ids (e.g. `models-create`) so generated SDKs read well."""
    return f"{route.tags[0]}-{route.name}" if route.tags else route.name


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title,
        version=app.version,
        description=app.description,
        routes=app.routes,
        tags=[{"name": name, "description": text} for name, text in TAGS],
    )
    # The key is needed only when the server has keys configured (not on a loopback development
    # server): `{}` says so, and SDKs then take a plain client as well as an authenticated one.
    schema["security"] = [{}, {"HTTPBearer": []}]
    hoist_body_schemas(schema)  # the models of bodies declared in openapi_extra (predict's)
    _rename_schemas(schema)
    _binary_file_parts(schema["components"]["schemas"])
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            _declare_body_errors(operation)
            if "security" in operation:
                del operation["security"]  # the document's applies
            else:
                operation["security"] = []  # health: never a key
            _describe_success(operation)
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if code[0] in "45" and "application/json" in content:
                    content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
    app.openapi_schema = schema
    return schema


def _problem(error: type[ApiError]) -> dict[str, Any]:
    return {
        "description": f"{error.title} (`{error.code}`)",
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _declare_body_errors(operation: dict[str, Any]) -> None:
    """The errors only a body can cause, on the operations that take one: 400 for a body the
    framework cannot parse at all (JSON that is not UTF-8, a broken multipart body), 408 for one
    that arrives too slowly, 413 for one over the size cap, and 415 for a JSON route sent another
    media type."""
    responses = operation["responses"]
    body = operation.get("requestBody")
    if body is None:
        responses.pop(str(PayloadTooLarge.status), None)
        return
    errors: list[type[ApiError]] = [MalformedBody, RequestTimeout, PayloadTooLarge]
    if set(body.get("content", {})) == {"application/json"}:
        errors.append(UnsupportedMediaType)
    added = {str(e.status): _problem(e) for e in errors if str(e.status) not in responses}
    operation["responses"] = dict(sorted({**responses, **added}.items()))


def _readable_name(name: str) -> str:
    """`ModelPage` for pydantic's `Page_Model_`, `DatasetsUploadBody` for FastAPI's
    `Body_datasets-upload`: the names SDK generators make their classes from."""
    if page := re.fullmatch(r"Page_(\w+)_", name):
        return f"{page[1]}Page"
    if body := re.fullmatch(r"Body_([\w-]+)", name):
        return "".join(w.capitalize() for w in re.split(r"[-_]", body[1])) + "Body"
    return name


def _rename_schemas(document: dict[str, Any]) -> None:
    components = document["components"]["schemas"]
    renamed = {name: _readable_name(name) for name in components}
    if len(set(renamed.values())) != len(renamed):
        raise ValueError("two OpenAPI schemas would have the same name")
    refs = {f"{REF}{old}": f"{REF}{new}" for old, new in renamed.items() if old != new}

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: refs.get(v, v) if k == "$ref" else rewrite(v) for k, v in node.items()}
        if isinstance(node, list):
            return [rewrite(v) for v in node]
        return node

    document.update(rewrite({k: v for k, v in document.items() if k != "components"}))
    schemas = {renamed[k]: rewrite(v) for k, v in components.items()}
    for old, new in renamed.items():
        if old != new:
            schemas[new]["title"] = new
    document["components"]["schemas"] = dict(sorted(schemas.items()))


_OUTCOME = {"200": "", "201": ", created", "202": ", accepted: it continues as a job"}


def _describe_success(operation: dict[str, Any]) -> None:
    """ "The training job, accepted: ..." instead of FastAPI's "Successful Response"."""
    for code, response in operation["responses"].items():
        ref = response.get("content", {}).get("application/json", {}).get("schema", {})
        name = ref.get("$ref", "").rsplit("/", 1)[-1]
        if response.get("description") != "Successful Response":
            continue
        if code == "204":
            response["description"] = "Done; no content"
        elif name and code in _OUTCOME:
            noun = re.sub(r"(?<!^)(?=[A-Z])", " ", name).lower()
            response["description"] = f"The {noun}{_OUTCOME[code]}"


def _binary_file_parts(components: dict[str, Any]) -> None:
    """A multipart file part as `format: binary`, which SDK generators read as a file upload
    (FastAPI writes only `contentMediaType`, which they read as a string)."""
    for component in components.values():
        for prop in component.get("properties", {}).values():
            if prop.get("contentMediaType") == "application/octet-stream":
                prop["format"] = "binary"
