"""Loading a trained model directory and predicting with it, checked against a forward pass
computed by hand from the same files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import torch
from PIL import Image
from torchvision.transforms import functional as TF  # noqa: N812

from app.ml.architectures import Architecture, build_network
from app.ml.model_dir import CONFIG_FILE, WEIGHTS_FILE, ModelDirConfig
from app.ml.predict import (
    CPU_BATCH_SIZE,
    TrainedModel,
    choose_batch_size,
    load_trained,
    predict_proba,
    predict_tensors,
    top_k,
)
from app.ml.safetensors_io import load_file
from tests.ml.trained_dir import CLASS_NAMES, MEAN, STD, sample_images, write_trained_dir


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_trained_dir(tmp_path_factory.mktemp("model"))


@pytest.fixture(scope="module")
def model(folder: Path) -> TrainedModel:
    return load_trained(folder, device="cpu")


def by_hand(folder: Path, images: list[Image.Image]) -> torch.Tensor:
    """The files read and applied without app.ml.predict: resize 36, crop 32, normalise, softmax."""
    network = build_network(Architecture.RESNET18, len(CLASS_NAMES))
    network.load_state_dict(load_file(folder / WEIGHTS_FILE).tensors)
    network.eval()
    batch = torch.stack(
        [
            TF.normalize(
                TF.to_tensor(TF.center_crop(TF.resize(img.convert("RGB"), 36), 32)), MEAN, STD
            )
            for img in images
        ]
    )
    with torch.no_grad():
        return torch.softmax(network(batch), dim=1)


def test_load_trained_rebuilds_the_model_from_the_directory(model: TrainedModel) -> None:
    assert model.class_names == list(CLASS_NAMES)
    assert model.device == torch.device("cpu")
    assert model.input_size == 32
    assert model.amp_dtype is None
    assert not model.network.training
    assert all(not p.requires_grad for p in model.network.parameters())
    assert model.transform(sample_images(1)[0]).shape == (3, 32, 32)


def test_probabilities_are_rows_summing_to_one_equal_to_a_hand_computed_pass(
    model: TrainedModel, folder: Path
) -> None:
    images = sample_images(5)
    probs = predict_proba(model, images, batch_size=2)  # batches of 2, 2 and 1
    assert probs.dtype == torch.float32 and probs.device.type == "cpu"
    assert probs.shape == (5, 3)
    torch.testing.assert_close(probs.sum(dim=1), torch.ones(5))
    torch.testing.assert_close(probs, by_hand(folder, images), atol=1e-5, rtol=1e-4)


def test_predict_tensors_scores_pre_transformed_batches_like_predict_proba(
    model: TrainedModel,
) -> None:
    images = sample_images(3)
    batch = torch.stack([model.transform(img) for img in images])
    torch.testing.assert_close(predict_tensors(model, batch), predict_proba(model, images))


def test_no_images_give_an_empty_table(model: TrainedModel) -> None:
    assert predict_proba(model, []).shape == (0, 3)
    with pytest.raises(ValueError, match="batch_size"):
        predict_proba(model, sample_images(1), batch_size=0)


def test_top_k_orders_by_probability_breaks_ties_by_class_and_caps_k() -> None:
    probs = torch.tensor([[0.2, 0.5, 0.3], [0.25, 0.25, 0.5]])
    names = ["a", "b", "c"]
    assert top_k(probs, 2, names) == [
        [("b", 0.5), ("c", pytest.approx(0.3))],
        [("c", 0.5), ("a", 0.25)],
    ]
    assert [[name for name, _ in row] for row in top_k(probs, 10, names)] == [
        ["b", "c", "a"],
        ["c", "a", "b"],
    ]
    with pytest.raises(ValueError, match="k must be"):
        top_k(probs, 0, names)
    with pytest.raises(ValueError, match="do not fit 2 classes"):
        top_k(probs, 1, ["a", "b"])


def test_the_cpu_batch_size_is_fixed(model: TrainedModel) -> None:
    assert choose_batch_size(model) == CPU_BATCH_SIZE
    assert choose_batch_size(model, budget_bytes=1) == CPU_BATCH_SIZE


def test_a_directory_without_weights_is_not_a_trained_model(tmp_path: Path) -> None:
    folder = write_trained_dir(tmp_path / "m")
    config = ModelDirConfig.from_json((folder / CONFIG_FILE).read_bytes())
    (folder / CONFIG_FILE).write_bytes(
        dataclasses.replace(config, weights=None, class_names=None).to_json()
    )
    with pytest.raises(ValueError, match="untrained model: no weights, class_names"):
        load_trained(folder, device="cpu")


def test_missing_files_and_bad_devices_are_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no config.json"):
        load_trained(tmp_path, device="cpu")
    folder = write_trained_dir(tmp_path / "m")
    with pytest.raises(ValueError, match="unknown device"):
        load_trained(folder, device="tpu-of-dreams")
    (folder / WEIGHTS_FILE).unlink()
    with pytest.raises(ValueError, match="weights.safetensors is missing"):
        load_trained(folder, device="cpu")


def test_weights_of_another_architecture_are_refused(tmp_path: Path) -> None:
    folder = write_trained_dir(tmp_path / "m")
    config = ModelDirConfig.from_json((folder / CONFIG_FILE).read_bytes())
    (folder / CONFIG_FILE).write_bytes(
        dataclasses.replace(config, architecture=Architecture.RESNET34).to_json()
    )
    with pytest.raises(ValueError, match="holds resnet18 weights"):
        load_trained(folder, device="cpu")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_on_cuda_the_network_runs_channels_last_and_probabilities_come_back_in_float32(
    folder: Path,
) -> None:
    cpu = load_trained(folder, device="cpu")
    gpu = load_trained(folder, device="cuda")
    assert gpu.device.type == "cuda"
    conv = next(m for m in gpu.network.modules() if isinstance(m, torch.nn.Conv2d))
    assert conv.weight.is_contiguous(memory_format=torch.channels_last)
    images = sample_images(4)
    probs = predict_proba(gpu, images)
    assert probs.dtype == torch.float32 and probs.device.type == "cpu"
    torch.testing.assert_close(probs.sum(dim=1), torch.ones(4))
    tolerance = 3e-2 if gpu.amp_dtype == torch.bfloat16 else 1e-4
    torch.testing.assert_close(probs, predict_proba(cpu, images), atol=tolerance, rtol=0)
    assert 1 <= choose_batch_size(gpu) <= 256
    assert choose_batch_size(gpu, budget_bytes=1) == 1
