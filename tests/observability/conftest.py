"""Datasets to register: the cheapest job there is (indexing a few small images)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from app.config import Settings
from tests.fixtures.images import class_tree, write_tree


@pytest.fixture
def pets_uri(settings: Settings) -> str:
    root = settings.resolved_file_source_roots[0] / "pets"
    write_tree(root, class_tree({"cat": 2, "dog": 2}))
    return root.as_uri()


def wait_indexed(client: httpx.Client, dataset_id: str, timeout_s: float = 90) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        body: dict[str, Any] = client.get(f"/v1/datasets/{dataset_id}").json()
        if body["status"] != "indexing":
            return body
        time.sleep(0.1)
    raise AssertionError(f"dataset {dataset_id} still indexing after {timeout_s}s")
