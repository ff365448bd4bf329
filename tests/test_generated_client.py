"""A Python SDK generated from openapi.yaml drives the model builder against a live server."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@pytest.fixture
def sdk(tmp_path: Path) -> Iterator[ModuleType]:
    package = "resnet_studio_sdk"
    result = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(ROOT / "openapi.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / package),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout, result.stdout
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith(package)]:
            del sys.modules[name]


def test_the_generated_client_builds_lists_gets_and_deletes_models(
    sdk: ModuleType, live_server: str
) -> None:
    api = importlib.import_module(f"{sdk.__name__}.api.models")
    for name in ("models_create", "models_list", "models_get", "models_delete"):
        importlib.import_module(f"{api.__name__}.{name}")
    archs = importlib.import_module(f"{sdk.__name__}.api.architectures.architectures_list")
    sdk_models = importlib.import_module(f"{sdk.__name__}.models")

    client = sdk.Client(base_url=live_server, raise_on_unexpected_status=True)
    listed = archs.sync(client=client)
    assert len(listed.items) == 13

    body = sdk_models.ModelCreate(
        architecture=sdk_models.Architecture.RESNET18, pretrained=False, tags=["sdk"]
    )
    created = api.models_create.sync(client=client, body=body)
    assert isinstance(created, sdk_models.Model)
    assert created.status == sdk_models.ModelStatus.UNTRAINED

    fetched = api.models_get.sync(model_id=created.id, client=client)
    assert fetched.id == created.id and fetched.tags == ["sdk"]
    page = api.models_list.sync(client=client, tag="sdk")
    assert [m.id for m in page.items] == [created.id]

    refused = api.models_create.sync(
        client=client,
        body=sdk_models.ModelCreate(architecture=sdk_models.Architecture.DENSENET121),
    )
    assert isinstance(refused, sdk_models.Problem)
    assert refused.code == "weights-unavailable" and refused.status == 422

    assert api.models_delete.sync_detailed(model_id=created.id, client=client).status_code == 204
    missing = api.models_get.sync(model_id=created.id, client=client)
    assert isinstance(missing, sdk_models.Problem) and missing.code == "not-found"
