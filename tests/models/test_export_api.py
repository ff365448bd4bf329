"""Exported models give the service's probabilities in onnxruntime and in TorchScript."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import numpy as np
import onnxruntime
import pytest
import torch
from fastapi.testclient import TestClient
from PIL import Image

from app.ml.transforms import TransformSpec, build_transform
from tests.fixtures.images import image_bytes

IMAGE = image_bytes("green", 3, "PNG", 44)


def bundle(client: TestClient, model_id: str, fmt: str) -> dict[str, bytes]:
    response = client.get(f"/v1/models/{model_id}/export", params={"format": fmt})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def preprocessed(metadata: dict[str, Any]) -> torch.Tensor:
    """What another runtime does from metadata.json alone."""
    prep = metadata["preprocessing"]
    spec = TransformSpec.from_dict(prep["inference_transform"])
    transform = build_transform(spec, "eval", prep["mean"], prep["std"])
    return transform(Image.open(io.BytesIO(IMAGE)).convert("RGB")).unsqueeze(0)


@pytest.fixture(scope="module")
def service_probabilities(app_client: TestClient, trained_model: dict[str, Any]) -> list[float]:
    response = app_client.post(
        f"/v1/models/{trained_model['id']}/predict",
        params={"include_probabilities": True},
        content=IMAGE,
        headers={"content-type": "image/png"},
    )
    probabilities = response.json()["predictions"][0]["probabilities"]
    return [probabilities[c] for c in trained_model["class_names"]]


def test_onnx_export_runs_in_onnxruntime_with_the_same_probabilities(
    app_client: TestClient, trained_model: dict[str, Any], service_probabilities: list[float]
) -> None:
    files = bundle(app_client, trained_model["id"], "onnx")
    assert set(files) == {"model.onnx", "metadata.json"}
    metadata = json.loads(files["metadata.json"])
    assert metadata["class_names"] == trained_model["class_names"]
    session = onnxruntime.InferenceSession(files["model.onnx"])
    (output,) = session.run(["probabilities"], {"input": preprocessed(metadata).numpy()})
    assert np.allclose(output[0], service_probabilities, atol=1e-5)


def test_torchscript_export_loads_in_torch_with_the_same_probabilities(
    app_client: TestClient, trained_model: dict[str, Any], service_probabilities: list[float]
) -> None:
    files = bundle(app_client, trained_model["id"], "torchscript")
    metadata = json.loads(files["metadata.json"])
    module = torch.jit.load(io.BytesIO(files["model.pt"]))
    with torch.inference_mode():
        output = module(preprocessed(metadata))
    assert np.allclose(output[0].numpy(), service_probabilities, atol=1e-5)


def test_safetensors_export_and_bad_requests(
    app_client: TestClient, trained_model: dict[str, Any]
) -> None:
    files = bundle(app_client, trained_model["id"], "safetensors")
    assert set(files) == {"model.safetensors", "metadata.json"}
    again = bundle(app_client, trained_model["id"], "safetensors")
    assert again == files  # built once, then served from storage
    bad = app_client.get(f"/v1/models/{trained_model['id']}/export", params={"format": "tflite"})
    assert bad.status_code == 422
    untrained = app_client.post(
        "/v1/models", json={"architecture": "resnet18", "pretrained": False}
    ).json()
    refused = app_client.get(f"/v1/models/{untrained['id']}/export", params={"format": "onnx"})
    assert refused.status_code == 409 and refused.json()["code"] == "conflict"
