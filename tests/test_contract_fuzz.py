"""Contract fuzzing: every operation of the OpenAPI document the app serves, with data that fits
the schema and data that does not, against the real app (its lifespan run), on SQLite and on
PostgreSQL (whose text and integer rules are stricter). No answer may be a 5xx, every answer must
be one the operation declares (status code, content type, body: problem+json for errors, PNG, zip
or CSV for files), and data the schema forbids must be refused.

The app is first seeded through its own API, with the job runner on: a ready dataset, an
untrained and a trained model, a transformation, a finished training job and scoring job. Half the
generated ids (path, query, body) are swapped for seeded ones, so operations on an id reach their
found cases (200, 409, files) as well as 404; cursors are also made the server's way. Requests
random data rarely makes whole (a real image or archive, a valid job) are sent as explicit cases
under the same checks. The fuzzed app runs without a runner: jobs it accepts stay queued.

The budget is fixed and the generation seeded (no deadline), so a run is repeatable and short:
about 40 s per database on 2 cores, a third of it the seeding."""

from __future__ import annotations

import hashlib
import uuid
from base64 import b64encode
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import create_engine, text
from urllib3 import encode_multipart_formdata

from app.api.pagination import encode_cursor
from app.config import Settings
from app.main import create_app
from tests.datasets.test_api import wait_indexed
from tests.fixtures.images import class_tree, image_bytes, write_tree, zip_of
from tests.fixtures.trained import wait_for
from tests.training.test_api import SMALL

API_KEY = "contract-fuzz-key"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20240917,
        # Positive and negative data; examples, coverage and fuzzing phases. `deterministic` is
        # Hypothesis' derandomize, and no example database replays an earlier run's finds;
        # schemathesis sets no deadline.
        "generation": {
            "mode": "all",
            "max-examples": 20,
            "deterministic": True,
            "database": "none",
        },
        # No operation declares OpenAPI links, so the stateful phase would have nothing to chain.
        "phases": {"stateful": {"enabled": False}},
        # The server has a key, as one reachable from other machines must: requests without it
        # (negative cases) get the declared 401.
        "auth": {"openapi": {"HTTPBearer": {"bearer": API_KEY}}},
        "request-timeout": 120,  # a stuck event stream fails the case instead of the run
    }
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# The document the app serves, loaded at import so each operation is its own test item (the
# fixture-based loader, schemathesis.pytest.from_fixture, breaks on pytest 9.2's node ids).
schema = schemathesis.openapi.from_dict(create_app().openapi(), config=CONFIG)

# What `fuzz_app` seeded, by role (see `seed`).
SEEDED: dict[str, str] = {}


def known_ids(context: schemathesis.HookContext) -> dict[str, list[str]]:
    """Field or parameter name -> the seeded ids worth trying there. DELETE gets spare resources
    of its own, so that what every other operation finds is still there."""
    if not SEEDED or context.operation is None:
        return {}
    if context.operation.method.upper() == "DELETE":
        return {
            "model_id": [SEEDED["spare_model"]],
            "dataset_id": [SEEDED["spare_dataset"]],
            "transform_id": [SEEDED["spare_transform"]],
        }
    scoring = context.operation.path.startswith("/v1/scoring-jobs")
    return {
        "model_id": [SEEDED["trained"]] if scoring else [SEEDED["untrained"], SEEDED["trained"]],
        "dataset_id": [SEEDED["dataset"]],
        "train_dataset_id": [SEEDED["dataset"]],
        "validation_dataset_id": [SEEDED["dataset"]],
        "transform_id": [SEEDED["transform"]],
        "job_id": [SEEDED["scoring" if scoring else "training"]],
        "other_job_id": [SEEDED["scoring"]],
    }


def with_known_ids(values: Any, known: dict[str, list[str]]) -> st.SearchStrategy[Any]:
    """The generated values, or the same with a seeded id in place of each generated one.
    Only a generated string id is replaced: a negative case's wrong type, missing field or NUL
    stays, so the request is still one the schema forbids."""
    if not isinstance(values, dict):
        return st.just(values)
    names = [
        name
        for name, value in values.items()
        if name in known and isinstance(value, str) and "\x00" not in value
    ]
    if not names:
        return st.just(values)
    swaps = st.fixed_dictionaries({name: st.sampled_from(known[name]) for name in names})
    return st.one_of(st.just(values), swaps.map(lambda swapped: {**values, **swapped}))


@schema.hook
def flatmap_path_parameters(
    context: schemathesis.HookContext, path_parameters: Any
) -> st.SearchStrategy[Any]:
    return with_known_ids(path_parameters, known_ids(context))


@schema.hook
def flatmap_body(context: schemathesis.HookContext, body: Any) -> st.SearchStrategy[Any]:
    return with_known_ids(body, known_ids(context))


# Cursors made the way the server makes them, of any date, time zone and id (the first and last
# dates and a NUL included): random strings rarely decode to one, these reach the keyset query.
OFFSETS = st.builds(
    timezone, st.timedeltas(min_value=timedelta(hours=-23), max_value=timedelta(hours=23))
)
DATES = st.one_of(st.datetimes(), st.sampled_from([datetime.min, datetime.max]))
CURSORS = st.builds(
    encode_cursor,
    st.builds(lambda date, tz: date.replace(tzinfo=tz), DATES, OFFSETS),
    st.one_of(st.text(max_size=20), st.just("\x00")),
)


def with_cursor(query: Any) -> st.SearchStrategy[Any]:
    if not isinstance(query, dict) or not isinstance(query.get("cursor"), str):
        return st.just(query)
    return st.one_of(st.just(query), CURSORS.map(lambda cursor: {**query, "cursor": cursor}))


@schema.hook
def flatmap_query(context: schemathesis.HookContext, query: Any) -> st.SearchStrategy[Any]:
    return with_known_ids(query, known_ids(context)).flatmap(with_cursor)


@pytest.fixture(scope="module")
def module_postgres_url(postgres_server: str) -> Iterator[str]:
    """A schema on the PostgreSQL server for this module's app."""
    name = f"fuzz_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{name}"'))
    separator = "&" if "?" in postgres_server else "?"
    yield f"{postgres_server}{separator}options={quote(f'-csearch_path={name}')}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    admin.dispose()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def fuzz_settings(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    database = {}
    if request.param == "postgres":
        database["database_url"] = request.getfixturevalue("module_postgres_url")
    return Settings(
        data_dir=tmp_path_factory.mktemp("fuzz") / "data",
        runner_enabled=False,
        runner_poll_s=0.05,
        api_key_hashes=[hashlib.sha256(API_KEY.encode()).hexdigest()],
        weights_verify_hash=False,
        rate_limit_per_minute=0,  # thousands of requests from one caller are the point here
        **database,
    )


def seed(settings: Settings) -> dict[str, str]:
    """One of each resource, made through the API with the runner on: their ids by role."""
    root = settings.resolved_file_source_roots[0] / "pets"
    write_tree(root, class_tree({"blue": 6, "red": 6}))
    with_runner = settings.model_copy(update={"runner_enabled": True})
    with TestClient(create_app(with_runner), headers=AUTH) as client:

        def create(path: str, body: dict[str, Any]) -> str:
            response = client.post(path, json=body)
            assert response.status_code in (201, 202), response.text
            created: str = response.json()["id"]
            return created

        def finish(path: str) -> dict[str, Any]:
            job = wait_for(client, path)
            assert job["status"] == "succeeded", job
            return job

        dataset = wait_indexed(client, create("/v1/datasets", {"source_uri": root.as_uri()}))["id"]
        split = client.post(f"/v1/datasets/{dataset}/split", json={"fraction": 0.5})
        assert split.status_code == 201, split.text
        spare_dataset = split.json()["first"]["id"]
        untrained, spare_model = (
            create("/v1/models", {"architecture": "resnet18", "pretrained": False})
            for _ in range(2)
        )
        transform, spare_transform = (create("/v1/transforms", SMALL) for _ in range(2))
        training = create(
            "/v1/training-jobs",
            {
                "model_id": untrained,
                "train_dataset_id": dataset,
                "transform_id": transform,
                "epochs": 1,
                "batch_size": 4,
            },
        )
        trained = finish(f"/v1/training-jobs/{training}")["trained_model_id"]
        scoring = create("/v1/scoring-jobs", {"model_id": trained, "dataset_id": dataset})
        finish(f"/v1/scoring-jobs/{scoring}")
    return {
        "dataset": dataset,
        "untrained": untrained,
        "trained": trained,
        "transform": transform,
        "training": training,
        "scoring": scoring,
        "spare_dataset": spare_dataset,
        "spare_model": spare_model,
        "spare_transform": spare_transform,
    }


@pytest.fixture(scope="module")
def fuzz_app(fuzz_settings: Settings) -> Iterator[FastAPI]:
    SEEDED.update(seed(fuzz_settings))
    yield create_app(fuzz_settings)
    SEEDED.clear()


@schema.parametrize()
def test_every_operation_keeps_its_contract(case: schemathesis.Case, fuzz_app: FastAPI) -> None:
    # In process over ASGI: schemathesis runs the app's lifespan before the first request of an
    # operation and ends it after the operation's test.
    case.call_and_validate(app=fuzz_app, checks=CHECKS)


# Requests random data rarely makes whole (a real image, a real archive, every field of a job
# right): their success answers are checked against the contract too.
PNG = image_bytes("red", 0)
FORM, FORM_TYPE = encode_multipart_formdata({"files": ("red.png", PNG, "image/png")})
ARCHIVE, ARCHIVE_TYPE = encode_multipart_formdata(
    {"file": ("pets.zip", zip_of(class_tree({"cat": 2, "dog": 2})), "application/zip")}
)


JSON, MULTIPART, OCTETS = "application/json", "multipart/form-data", "application/octet-stream"


@dataclass
class Found:
    method: str
    path: str
    path_parameters: dict[str, str] | None = None
    query: dict[str, str] | None = None
    body: Any = None
    media_type: str | None = None
    content_type: str | None = None  # of a multipart body sent as it is, with its boundary


def found_requests(ids: Mapping[str, str]) -> dict[str, Found]:
    model, job = {"model_id": ids["trained"]}, {"job_id": ids["scoring"]}
    predict, export = "/v1/models/{model_id}/predict", "/v1/models/{model_id}/export"
    compare = "/v1/scoring-jobs/{job_id}/evaluation/compare/{other_job_id}"
    train = {"model_id": ids["untrained"], "train_dataset_id": ids["dataset"], "batch_size": 4}
    score = {"model_id": ids["trained"], "dataset_id": ids["dataset"]}
    images = {"images": [{"data": b64encode(PNG).decode()}]}
    return {
        "train": Found("POST", "/v1/training-jobs", body=train, media_type=JSON),
        "score": Found("POST", "/v1/scoring-jobs", body=score, media_type=JSON),
        "cancel": Found("POST", "/v1/training-jobs/{job_id}/cancel", {"job_id": ids["training"]}),
        "predict-json": Found("POST", predict, model, body=images, media_type=JSON),
        "predict-form": Found(
            "POST", predict, model, body=FORM, media_type=MULTIPART, content_type=FORM_TYPE
        ),
        "predict-raw": Found("POST", predict, model, body=PNG, media_type=OCTETS),
        "upload": Found(
            "POST",
            "/v1/datasets/upload",
            body=ARCHIVE,
            media_type=MULTIPART,
            content_type=ARCHIVE_TYPE,
        ),
        "training-curves": Found("GET", "/v1/models/{model_id}/training-curves", model),
        **{
            f"export-{fmt}": Found("GET", export, model, {"format": fmt})
            for fmt in ("onnx", "torchscript", "safetensors")
        },
        "output": Found("GET", "/v1/scoring-jobs/{job_id}/output", job),
        "errors": Found("GET", "/v1/scoring-jobs/{job_id}/errors", job),
        "evaluation": Found("GET", "/v1/scoring-jobs/{job_id}/evaluation", job),
        "confusion-matrix": Found(
            "GET", "/v1/scoring-jobs/{job_id}/evaluation/confusion-matrix", job
        ),
        "compare": Found("GET", compare, {**job, "other_job_id": ids["scoring"]}),
    }


FOUND = list(found_requests(defaultdict(str)))  # the names; the ids come from the seeding


@pytest.mark.parametrize("name", FOUND)
def test_what_random_data_rarely_reaches_keeps_the_contract_too(
    name: str, fuzz_app: FastAPI
) -> None:
    request = found_requests(SEEDED)[name]
    parts = {"path_parameters": request.path_parameters, "query": request.query}
    if request.body is not None:
        parts |= {"body": request.body, "media_type": request.media_type}
    case = schema[request.path][request.method].Case(**parts)
    headers = {**AUTH, **({"Content-Type": request.content_type} if request.content_type else {})}
    response = case.call_and_validate(app=fuzz_app, headers=headers, checks=CHECKS)
    assert 200 <= response.status_code < 300, response.content[:500]
