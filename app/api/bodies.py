"""Request bodies FastAPI cannot declare from a handler's signature: a route that reads its body
itself (predict takes multipart, JSON or raw bytes) writes its requestBody in `openapi_extra`,
and its JSON part still comes from the pydantic model that parses it, so the two cannot drift.

`model_schema` gives a `$ref` to the model's component with the definitions beside it in
`$defs`; `hoist_body_schemas` (called once the document is built) moves those definitions into
`components/schemas`, where FastAPI puts the models it sees itself."""

from __future__ import annotations

import copy
from typing import Any

from pydantic import BaseModel

COMPONENT_REF = "#/components/schemas/{model}"


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """`{"$ref": <model's component>, "$defs": {<model and every model it uses>}}`."""
    schema = model.model_json_schema(ref_template=COMPONENT_REF)
    defs = schema.pop("$defs", {})
    return {
        "$ref": COMPONENT_REF.format(model=model.__name__),
        "$defs": {**defs, model.__name__: schema},
    }


def hoist_body_schemas(document: dict[str, Any]) -> None:
    """Move the `$defs` of every requestBody schema into components/schemas, in place. A name
    FastAPI already gave another schema is an error, not an overwrite."""
    components: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for path_item in document.get("paths", {}).values():
        for operation in path_item.values():
            if "requestBody" not in operation:
                continue
            # A copy: openapi_extra's dicts are the route's own, shared by every app built.
            body = operation["requestBody"] = copy.deepcopy(operation["requestBody"])
            for media in body.get("content", {}).values():
                for name, schema in media.get("schema", {}).pop("$defs", {}).items():
                    if components.setdefault(name, schema) != schema:
                        raise ValueError(f"two different OpenAPI schemas are named {name!r}")
    document["components"]["schemas"] = dict(sorted(components.items()))
