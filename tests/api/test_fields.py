"""Field types shared by request bodies: every float a caller can send is finite.

Python's JSON parser reads `NaN`, `Infinity` and `-Infinity` as numbers. A transform stored with
`"brightness": Infinity` read back as null (against its own schema) and failed its training job
as an internal error. The walk below finds every float of every request body and parameter the
app declares, so a float added later cannot forget app.api.fields.Float."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pydantic import BaseModel, TypeAdapter, ValidationError

from app.main import create_app

Loc = tuple[str | int, ...]
NON_FINITE = [math.inf, -math.inf, math.nan]
# Core-schema types that hold no float, and those that wrap one schema at the same place.
_LEAVES = {
    "any", "none", "bool", "int", "str", "bytes", "enum", "literal", "date", "datetime", "time",
    "timedelta", "uuid", "url", "multi-host-url", "is-instance", "complex",
    "function-plain",  # a validator of its own, such as UploadFile's
}  # fmt: skip
_WRAPPERS = {"default", "nullable", "function-after", "function-before", "function-wrap"}


def _subclasses(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _app_models() -> dict[str, type[BaseModel]]:
    """The app's models by name (the names the OpenAPI document gives their schemas)."""
    models: dict[str, type[BaseModel]] = {}
    for model in _subclasses(BaseModel):
        if model.__module__.startswith("app.") and "[" not in model.__name__:
            assert models.setdefault(model.__name__, model) is model, model.__name__
    return models


def _parameters(dependant: Dependant) -> Iterator[Any]:
    """A route's body, query, header, cookie and path parameters, its dependencies' included."""
    yield from dependant.body_params
    yield from dependant.query_params
    yield from dependant.header_params
    yield from dependant.cookie_params
    yield from dependant.path_params
    for sub in dependant.dependencies:
        yield from _parameters(sub)


@functools.cache
def _request_inputs() -> dict[str, TypeAdapter[Any]]:
    """Every request body and parameter of every operation, as a validator: FastAPI's own
    bodies and parameters, and the bodies a route declares in openapi_extra (predict's)."""
    app = create_app()
    models = _app_models()
    inputs: dict[str, TypeAdapter[Any]] = {}
    for route in iter_route_contexts(app.routes):  # routes of included routers, prefixed
        if not isinstance(route.original_route, APIRoute):
            continue
        where = f"{' '.join(sorted(route.methods or ()))} {route.path}"
        for field in _parameters(route.dependant):
            # The parameter as FastAPI validates it: its type with its Query/Header/Body info.
            annotation = Annotated[field.field_info.annotation, field.field_info]  # type: ignore[name-defined]
            inputs[f"{where} {field.name}"] = TypeAdapter(annotation)
        body = (route.openapi_extra or {}).get("requestBody", {})
        for media, content in body.get("content", {}).items():
            ref = content.get("schema", {}).get("$ref", "")
            if ref:
                inputs[f"{where} {media}"] = TypeAdapter(models[ref.rsplit("/", 1)[-1]])
    return inputs


def _floats(schema: dict[str, Any], defs: dict[str, Any], loc: Loc = ()) -> Iterator[Loc]:
    """Where a value is validated as a float, as a validation error's `loc` names it."""
    kind = schema["type"]
    if kind in ("float", "decimal"):  # both read NaN and the infinities unless told not to
        yield loc
    elif kind in _LEAVES:
        return
    elif kind == "definitions":
        defs.update({d["ref"]: d for d in schema["definitions"]})
        yield from _floats(schema["schema"], defs, loc)
    elif kind == "definition-ref":
        yield from _floats(defs[schema["schema_ref"]], defs, loc)
    elif kind in _WRAPPERS or kind == "model":
        if "schema" in schema:
            yield from _floats(schema["schema"], defs, loc)
    elif kind == "model-fields":
        for name, field in schema["fields"].items():
            yield from _floats(field["schema"], defs, (*loc, field.get("validation_alias", name)))
    elif kind == "tuple":
        for index, item in enumerate(schema["items_schema"]):
            yield from _floats(item, defs, (*loc, index))
    elif kind in ("list", "set", "frozenset"):
        yield from _floats(schema.get("items_schema", {"type": "any"}), defs, (*loc, 0))
    elif kind == "dict":
        yield from _floats(schema.get("values_schema", {"type": "any"}), defs, (*loc, "key"))
    elif kind == "union":
        for choice in schema["choices"]:
            yield from _floats(choice[0] if isinstance(choice, tuple) else choice, defs, loc)
    else:
        raise AssertionError(f"teach this walk the {kind!r} schema (at {loc})")


def _with_value_at(loc: Loc, value: float) -> Any:
    """The smallest input that holds `value` at `loc` (every other field left out)."""
    if not loc:
        return value
    head, rest = loc[0], loc[1:]
    if isinstance(head, int):
        return [None] * head + [_with_value_at(rest, value)]
    return {head: _with_value_at(rest, value)}


def _float_inputs() -> list[tuple[str, Loc]]:
    found = []
    for where, adapter in _request_inputs().items():
        schema: dict[str, Any] = adapter.core_schema  # type: ignore[assignment]
        found += [(where, loc) for loc in _floats(schema, {})]
    return found


FLOAT_INPUTS = _float_inputs()


def test_the_walk_finds_the_floats_of_the_request_bodies() -> None:
    places = {(where.split()[-2], loc) for where, loc in FLOAT_INPUTS}
    assert ("/v1/transforms", ("color_jitter", "brightness")) in places
    assert ("/v1/transforms", ("normalize_std", 2)) in places
    assert ("/v1/training-jobs", ("learning_rate",)) in places
    assert ("/v1/scoring-jobs", ("confidence_threshold",)) in places
    assert ("/v1/datasets/{dataset_id}/split", ("fraction",)) in places


@pytest.mark.parametrize(
    ("where", "loc"), FLOAT_INPUTS, ids=[f"{where} {loc}" for where, loc in FLOAT_INPUTS]
)
def test_every_float_a_request_can_carry_refuses_nan_and_infinities(where: str, loc: Loc) -> None:
    adapter = _request_inputs()[where]
    for value in NON_FINITE:
        with pytest.raises(ValidationError) as refused:
            adapter.validate_python(_with_value_at(loc, value))
        finite = [e for e in refused.value.errors() if e["type"] == "finite_number"]
        assert finite, (value, refused.value.errors())
        assert all(e["loc"][:1] == loc[:1] for e in finite), finite


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/v1/transforms", '{"color_jitter": {"brightness": Infinity}}', "color_jitter.brightness"),
        ("/v1/transforms", '{"normalize_mean": [0.5, NaN, 0.5]}', "normalize_mean.1"),
        (
            "/v1/training-jobs",
            '{"model_id": "m", "train_dataset_id": "d", "weight_decay": -Infinity}',
            "weight_decay",
        ),
    ],
)
def test_json_nan_and_infinity_literals_are_a_422_naming_the_field(
    client: TestClient, path: str, body: str, loc: str
) -> None:
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "validation-failed"
    assert [".".join(map(str, e["loc"])) for e in problem["errors"]] == [f"body.{loc}"]
    assert problem["errors"][0]["msg"] == "Input should be a finite number"
    assert f"body.{loc}: Input should be a finite number" in problem["detail"]
    assert client.get("/v1/transforms").json()["items"] == []  # nothing was stored
