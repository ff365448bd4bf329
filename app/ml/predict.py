"""Inference: a trained model directory loaded for prediction, and class probabilities from it.

`load_trained` rebuilds everything from the directory alone (config.json + weights.safetensors):
the network, the class names and the inference transform the model was validated with. On CUDA
the network runs channels_last under bf16 autocast where the GPU supports it; probabilities are
always a float32 softmax on the CPU.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from PIL import Image
from torch import nn

from app.ml.architectures import build_network
from app.ml.engine import Runtime
from app.ml.model_dir import CONFIG_FILE, ModelDirConfig
from app.ml.safetensors_io import SafetensorsError, load_file
from app.ml.transforms import TransformSpec, build_transform, output_size

CPU_BATCH_SIZE = 32
MAX_GPU_BATCH_SIZE = 256
# Peak inference memory per image, as a multiple of the image's float32 input bytes (3 x S x S x 4).
# Under inference_mode only a few activations are alive at once: about 2-4 M values per 224-pixel
# image for the largest stages of these ResNets and DenseNets (~27x the input in float32), so 48
# leaves room for allocator slack.
_BYTES_PER_INPUT_BYTE = 48


@dataclass(eq=False)
class TrainedModel:
    network: nn.Module  # eval mode, on `device`
    config: ModelDirConfig
    class_names: list[str]
    transform: Callable[[Image.Image], torch.Tensor]  # PIL image -> normalised (3, S, S) tensor
    device: torch.device
    input_size: int | None  # the square side the transform yields; None if it varies
    amp_dtype: torch.dtype | None = None  # autocast dtype on CUDA; None: float32

    @property
    def runtime(self) -> Runtime:
        return Runtime(self.device, self.amp_dtype)

    @property
    def transform_spec(self) -> TransformSpec:
        assert self.config.inference_transform is not None  # load_trained checks it
        return TransformSpec.from_dict(self.config.inference_transform)


def resolve_device(name: str) -> torch.device:
    """ "auto" is CUDA when available, else the CPU; anything else must name a usable device."""
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ValueError(f"unknown device {name!r}") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {name!r} asked for, but CUDA is not available")
    return device


def read_trained_config(folder: Path) -> ModelDirConfig:
    """The config of a trained model directory; ValueError if it is not one."""
    path = folder / CONFIG_FILE
    if not path.is_file():
        raise ValueError(f"{folder} is not a model directory: no {CONFIG_FILE}")
    try:
        config = ModelDirConfig.from_json(path.read_bytes())
    except (KeyError, TypeError) as exc:
        raise ValueError(f"{folder}: {CONFIG_FILE} is not a model config: {exc!r}") from exc
    missing = [
        name
        for name, value in (
            ("weights", config.weights),
            ("class_names", config.class_names),
            ("inference_transform", config.inference_transform),
        )
        if not value
    ]
    if missing:
        raise ValueError(f"{folder} holds an untrained model: no {', '.join(missing)}")
    assert config.class_names is not None and config.weights is not None
    if config.num_classes not in (None, len(config.class_names)):
        raise ValueError(
            f"{folder}: num_classes {config.num_classes} but {len(config.class_names)} class names"
        )
    if not (folder / config.weights).is_file():
        raise ValueError(f"{folder} is not a trained model: {config.weights} is missing")
    return config


def load_trained(folder: Path, device: str = "auto", *, compile: bool = False) -> TrainedModel:
    """Load a local copy of a trained model directory for inference on `device`.

    `compile` wraps the network's forward in torch.compile (in place: the weights and their
    names do not change). The first batches of each new shape are then slow while it compiles;
    on the CPU it needs a C++ compiler. Off by default."""
    folder = Path(folder)
    config = read_trained_config(folder)
    assert config.class_names is not None and config.weights is not None
    target = resolve_device(device)
    network = _load_network(folder / config.weights, config)
    network.eval().requires_grad_(False).to(target)
    cuda = target.type == "cuda"
    if cuda:
        network.to(memory_format=torch.channels_last)
    if compile:
        network.compile()
    amp = torch.bfloat16 if cuda and torch.cuda.is_bf16_supported() else None
    assert config.inference_transform is not None
    spec = TransformSpec.from_dict(config.inference_transform)
    prep = config.preprocessing
    return TrainedModel(
        network=network,
        config=config,
        class_names=list(config.class_names),
        transform=build_transform(spec, "eval", prep.mean, prep.std),
        device=target,
        input_size=output_size(spec, "eval"),
        amp_dtype=amp,
    )


def _load_network(weights: Path, config: ModelDirConfig) -> nn.Module:
    assert config.class_names is not None
    try:
        content = load_file(weights)
    except SafetensorsError as exc:
        raise ValueError(f"{weights.name} is not a readable safetensors file: {exc}") from exc
    stored_arch = content.metadata.get("architecture")
    if stored_arch not in (None, config.architecture.value):
        raise ValueError(
            f"{weights.name} holds {stored_arch} weights, config.json says "
            f"{config.architecture.value}"
        )
    network = build_network(config.architecture, len(config.class_names), config.options)
    try:
        network.load_state_dict(content.tensors, strict=True)
    except RuntimeError as exc:
        raise ValueError(f"{weights.name} does not fit {config.architecture.value}: {exc}") from exc
    return network


def predict_tensors(model: TrainedModel, batch: torch.Tensor) -> torch.Tensor:
    """Probabilities (float32, on the CPU) for a batch of already transformed images (N, 3, H, W):
    what a DataLoader over `model.transform` yields."""
    return device_probabilities(model, batch).cpu()


def device_probabilities(model: TrainedModel, batch: torch.Tensor) -> torch.Tensor:
    """predict_tensors, left on the model's device: a caller that copies them back later (or
    without blocking) keeps the GPU busy meanwhile."""
    runtime = model.runtime
    fmt = torch.channels_last if runtime.channels_last else torch.contiguous_format
    with torch.inference_mode():
        inputs = batch.to(model.device, non_blocking=True, memory_format=fmt)
        with runtime.autocast():
            logits = model.network(inputs)
        # Softmax in float32 even under autocast: bf16 keeps only ~3 significant digits.
        return torch.softmax(logits.float(), dim=1)


def predict_proba(
    model: TrainedModel, images: Sequence[Image.Image], batch_size: int = 64
) -> torch.Tensor:
    """(len(images), classes) float32 probabilities on the CPU, columns in `class_names` order."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    chunks = [
        predict_tensors(
            model, torch.stack([model.transform(img) for img in images[i : i + batch_size]])
        )
        for i in range(0, len(images), batch_size)
    ]
    if not chunks:
        return torch.empty(0, len(model.class_names), dtype=torch.float32)
    return torch.cat(chunks)


def top_k(probs: torch.Tensor, k: int, class_names: Sequence[str]) -> list[list[tuple[str, float]]]:
    """Per row, the `k` most probable (class name, probability) pairs, most probable first and
    equal probabilities in class order; `k` is capped at the number of classes."""
    if probs.dim() != 2 or probs.size(1) != len(class_names):
        raise ValueError(
            f"probabilities of shape {tuple(probs.shape)} do not fit {len(class_names)} classes"
        )
    if k < 1:
        raise ValueError("k must be at least 1")
    k = min(k, len(class_names))
    values, indices = torch.sort(probs.detach().float().cpu(), dim=1, descending=True, stable=True)
    return [
        [(class_names[i], p) for i, p in zip(row_i[:k], row_p[:k], strict=True)]
        for row_i, row_p in zip(indices.tolist(), values.tolist(), strict=True)
    ]


def choose_batch_size(model: TrainedModel, budget_bytes: int | None = None) -> int:
    """A batch size for inference. On the CPU, a fixed CPU_BATCH_SIZE (bigger batches do not run
    faster there). On CUDA, what fits in half of the device's free memory (the rest is left for
    cuDNN workspaces and fragmentation), or in `budget_bytes` if that is smaller, at an estimated
    _BYTES_PER_INPUT_BYTE x the image's input bytes per image; a multiple of 8 when above 8,
    capped at MAX_GPU_BATCH_SIZE, at least 1."""
    if model.device.type != "cuda":
        return CPU_BATCH_SIZE
    free, _total = torch.cuda.mem_get_info(model.device)
    usable = free // 2 if budget_bytes is None else min(budget_bytes, free // 2)
    side = model.input_size or model.config.preprocessing.crop_size
    per_image = 3 * side * side * 4 * _BYTES_PER_INPUT_BYTE
    fits = min(usable // per_image, MAX_GPU_BATCH_SIZE)
    return max(1, fits // 8 * 8 if fits > 8 else fits)
