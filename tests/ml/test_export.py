"""Exports run in the runtimes other people use (onnxruntime, torch.jit, the safetensors package)
give the probabilities predict_proba gives, and carry what is needed to prepare their input."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnxruntime as ort  # type: ignore[import-untyped]
import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file

from app.ml.architectures import Architecture, build_network
from app.ml.export import METADATA_FILE, ExportFormat, export_model
from app.ml.predict import TrainedModel, load_trained, predict_proba
from tests.ml.trained_dir import CLASS_NAMES, MEAN, STD, sample_images, write_trained_dir

pytestmark = pytest.mark.filterwarnings("ignore:`torch.jit.*` is deprecated:FutureWarning")


@pytest.fixture(scope="module")
def model(tmp_path_factory: pytest.TempPathFactory) -> TrainedModel:
    return load_trained(write_trained_dir(tmp_path_factory.mktemp("model")), device="cpu")


@pytest.fixture(scope="module")
def exports(model: TrainedModel, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each format exported once, into its own folder; format -> model file."""
    root = tmp_path_factory.mktemp("exports")
    fmts: tuple[ExportFormat, ...] = ("onnx", "torchscript", "safetensors")
    return {fmt: export_model(model, fmt, root / fmt) for fmt in fmts}


def inputs(model: TrainedModel, count: int) -> tuple[torch.Tensor, torch.Tensor]:
    """A preprocessed batch and predict_proba's probabilities for the same images."""
    images = sample_images(count)
    batch = torch.stack([model.transform(img) for img in images])
    return batch, predict_proba(model, images)


def run_onnx(path: Path, batch: torch.Tensor) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (probs,) = session.run(["probabilities"], {"input": batch.numpy()})
    assert isinstance(probs, np.ndarray)
    return probs


def test_each_export_is_its_model_file_beside_metadata_json(exports: dict[str, Path]) -> None:
    names = {fmt: sorted(p.name for p in path.parent.iterdir()) for fmt, path in exports.items()}
    assert names == {
        "onnx": ["metadata.json", "model.onnx"],
        "torchscript": ["metadata.json", "model.pt"],
        "safetensors": ["metadata.json", "model.safetensors"],
    }


@pytest.mark.parametrize("count", [1, 3])
def test_onnx_in_onnxruntime_gives_predict_probas_probabilities(
    model: TrainedModel, exports: dict[str, Path], count: int
) -> None:
    batch, expected = inputs(model, count)
    np.testing.assert_allclose(run_onnx(exports["onnx"], batch), expected.numpy(), atol=1e-5)


def test_onnx_declares_a_dynamic_batch_and_carries_class_names_and_preprocessing(
    exports: dict[str, Path],
) -> None:
    session = ort.InferenceSession(str(exports["onnx"]), providers=["CPUExecutionProvider"])
    (given,), (output,) = session.get_inputs(), session.get_outputs()
    assert (given.name, given.type, given.shape[1:]) == ("input", "tensor(float)", [3, 32, 32])
    assert isinstance(given.shape[0], str)  # a named, dynamic dimension
    assert (output.name, output.shape[1]) == ("probabilities", 3)
    props = session.get_modelmeta().custom_metadata_map
    assert json.loads(props["class_names"]) == list(CLASS_NAMES)
    assert props["architecture"] == "resnet18"
    assert json.loads(props["preprocessing"])["mean"] == list(MEAN)


def test_onnx_export_is_deterministic(
    model: TrainedModel, exports: dict[str, Path], tmp_path: Path
) -> None:
    again = export_model(model, "onnx", tmp_path)
    assert again.read_bytes() == exports["onnx"].read_bytes()
    assert (tmp_path / METADATA_FILE).read_bytes() == (
        exports["onnx"].parent / METADATA_FILE
    ).read_bytes()


def test_torchscript_gives_the_same_probabilities_and_holds_the_metadata(
    model: TrainedModel, exports: dict[str, Path]
) -> None:
    extra = {"metadata.json": ""}
    scripted = torch.jit.load(str(exports["torchscript"]), _extra_files=extra)  # type: ignore[no-untyped-call]
    batch, expected = inputs(model, 3)
    with torch.no_grad():
        torch.testing.assert_close(scripted(batch), expected, atol=1e-5, rtol=1e-4)
        assert scripted(batch[:1]).shape == (1, 3)
    assert json.loads(extra["metadata.json"])["class_names"] == list(CLASS_NAMES)


def test_safetensors_loads_with_the_safetensors_package_into_the_network(
    model: TrainedModel, exports: dict[str, Path]
) -> None:
    path = exports["safetensors"]
    with safe_open(str(path), framework="pt") as f:
        metadata = f.metadata()
    assert metadata["architecture"] == "resnet18"
    assert json.loads(metadata["class_names"]) == list(CLASS_NAMES)
    assert json.loads(metadata["preprocessing"])["std"] == list(STD)
    network = build_network(Architecture.RESNET18, 3)
    network.load_state_dict(load_file(str(path)))
    batch, expected = inputs(model, 2)
    with torch.no_grad():
        probs = torch.softmax(network.eval()(batch), dim=1)
    torch.testing.assert_close(probs, expected, atol=1e-5, rtol=1e-4)


def test_metadata_json_says_how_to_prepare_the_input(exports: dict[str, Path]) -> None:
    metadata = json.loads((exports["onnx"].parent / METADATA_FILE).read_text())
    assert metadata["architecture"] == "resnet18"
    assert metadata["class_names"] == list(CLASS_NAMES)
    assert metadata["model_format"] == "onnx" and metadata["file"] == "model.onnx"
    assert metadata["input"]["shape"] == ["batch", 3, 32, 32]
    assert metadata["output"]["name"] == "probabilities"
    prep = metadata["preprocessing"]
    assert (prep["resize"], prep["crop"], prep["mean"], prep["std"]) == (
        36,
        32,
        list(MEAN),
        list(STD),
    )
    assert prep["inference_transform"]["center_crop"] == {"enabled": True, "size": 32}
    assert "onnxruntime" in metadata["usage"]
    safetensors_meta = json.loads((exports["safetensors"].parent / METADATA_FILE).read_text())
    assert "logits" in safetensors_meta["output"]["description"]


def test_densenet121_exports_to_onnx(tmp_path: Path) -> None:
    folder = write_trained_dir(tmp_path / "model", architecture=Architecture.DENSENET121)
    densenet = load_trained(folder, device="cpu")
    path = export_model(densenet, "onnx", tmp_path / "export")
    batch, expected = inputs(densenet, 3)
    np.testing.assert_allclose(run_onnx(path, batch), expected.numpy(), atol=1e-5)
    np.testing.assert_allclose(run_onnx(path, batch[:1]), expected[:1].numpy(), atol=1e-5)


def test_an_unknown_format_is_refused(model: TrainedModel, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown export format 'keras'"):
        export_model(model, "keras", tmp_path)  # type: ignore[arg-type]
