"""Exporting a trained model for use outside this service, in one of three formats.

dest_folder/
  model.onnx          ONNX (opset 18): input "input" (batch, 3, S, S) float32, normalised;
                      output "probabilities" (batch, classes), softmax included; class names and
                      preprocessing also in the model's metadata_props
  model.pt            TorchScript (traced), same input and output; metadata.json also inside,
                      as an `_extra_files` entry
  model.safetensors   the network's weights (logits, no softmax); architecture, class names and
                      preprocessing in the file's metadata
  metadata.json       architecture, class names, input, preprocessing, output, and how to use it

Exports run on the CPU in float32 from a fresh copy of the network, whatever device the model was
loaded on. ONNX uses torch's torch.export-based ("dynamo") exporter: the TorchScript-based one is
deprecated. Its lowest opset is 18 (asking for 17 makes it try a conversion that fails for these
networks). The same model gives byte-identical ONNX and safetensors files on every export.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, get_args

import torch
from torch import nn

from app.ml.architectures import build_network
from app.ml.checkpoint import atomic_write
from app.ml.predict import TrainedModel
from app.ml.safetensors_io import save_file

ExportFormat = Literal["onnx", "torchscript", "safetensors"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = get_args(ExportFormat)
MODEL_FILES: dict[ExportFormat, str] = {
    "onnx": "model.onnx",
    "torchscript": "model.pt",
    "safetensors": "model.safetensors",
}
METADATA_FILE = "metadata.json"
FORMAT = "resnet-studio.export/v1"
ONNX_OPSET = 18
INPUT_NAME = "input"
OUTPUT_NAME = "probabilities"

_USAGE: dict[ExportFormat, str] = {
    "onnx": (
        "onnxruntime.InferenceSession('model.onnx').run(['probabilities'], {'input': x})[0], "
        "x a float32 array (batch, 3, S, S) prepared as 'preprocessing' says; any batch size"
    ),
    "torchscript": (
        "torch.jit.load('model.pt').eval()(x), x a float32 tensor (batch, 3, S, S) prepared as "
        "'preprocessing' says; returns probabilities. Load with _extra_files={'metadata.json': ''} "
        "to read this file from the archive"
    ),
    "safetensors": (
        "net = torchvision.models.get_model(architecture, num_classes=num_classes); "
        "net.load_state_dict(safetensors.torch.load_file('model.safetensors')); net.eval(); "
        "torch.softmax(net(x), dim=1), x prepared as 'preprocessing' says"
    ),
}


class Probabilities(nn.Module):
    """The network followed by a float32 softmax: what the ONNX and TorchScript files compute."""

    def __init__(self, network: nn.Module) -> None:
        super().__init__()
        self.network = network

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.network(x).float(), dim=1)


def export_model(model: TrainedModel, fmt: ExportFormat, dest_folder: Path) -> Path:
    """Write `fmt`'s model file and metadata.json into `dest_folder` (created if needed) and
    return the model file's path; metadata.json lies beside it. Files are replaced atomically,
    metadata.json last. `model` itself is left as it was (device, precision, memory format)."""
    if fmt not in MODEL_FILES:
        raise ValueError(f"unknown export format {fmt!r}; valid: {', '.join(EXPORT_FORMATS)}")
    if model.input_size is None:
        raise ValueError("exports need a fixed input size: the inference transform has no crop")
    dest_folder = Path(dest_folder)
    dest_folder.mkdir(parents=True, exist_ok=True)
    metadata = export_metadata(model, fmt)
    path = dest_folder / MODEL_FILES[fmt]
    network = _cpu_network(model)
    example = torch.zeros(2, 3, model.input_size, model.input_size)
    if fmt == "onnx":
        _replace(path, lambda tmp: _write_onnx(network, example, metadata, tmp))
    elif fmt == "torchscript":
        _write_torchscript(network, example, metadata, path)
    else:
        save_file(network.state_dict(), path, metadata=_safetensors_metadata(metadata))
    atomic_write(dest_folder / METADATA_FILE, lambda f: f.write(_json(metadata).encode()))
    return path


def _cpu_network(model: TrainedModel) -> nn.Module:
    """A float32 CPU copy of the network, built without gradient checkpointing."""
    network = build_network(model.config.architecture, len(model.class_names))
    # load_state_dict copies into the new float32 CPU parameters: any device, dtype or layout.
    network.load_state_dict(model.network.state_dict(), strict=True)
    return network.eval().requires_grad_(False)


def _replace(path: Path, write: Callable[[Path], None]) -> None:
    """Let `write` fill a temporary file beside `path`, then rename it over `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_onnx(
    network: nn.Module, example: torch.Tensor, metadata: dict[str, Any], path: Path
) -> None:
    batch = torch.export.Dim("batch", min=1)
    try:
        program = torch.onnx.export(
            Probabilities(network).eval(),
            (example,),
            input_names=[INPUT_NAME],
            output_names=[OUTPUT_NAME],
            opset_version=ONNX_OPSET,
            dynamo=True,
            dynamic_shapes=({0: batch},),
            verbose=False,
        )
    except ImportError as exc:
        raise RuntimeError(f"ONNX export needs the onnx and onnxscript packages ({exc})") from exc
    assert program is not None  # dynamo=True always returns the program
    props = program.model.metadata_props
    props.update(
        {
            "format": FORMAT,
            "architecture": metadata["architecture"],
            "class_names": json.dumps(metadata["class_names"]),
            "preprocessing": _json(metadata["preprocessing"]),
            "output": _json(metadata["output"]),
        }
    )
    program.save(path, external_data=False)


def _write_torchscript(
    network: nn.Module, example: torch.Tensor, metadata: dict[str, Any], path: Path
) -> None:
    # Traced (the networks have no data-dependent control flow); no check_trace, which would
    # trace a second time, and no stored example inputs in the archive.
    with torch.no_grad():
        traced = torch.jit.trace(  # type: ignore[no-untyped-call]  # deprecated, untyped
            Probabilities(network).eval(), example, check_trace=False, _store_inputs=False
        )
    # Saved to a file object, so the archive's root folder is "archive", not the file's name.
    extra = {METADATA_FILE: _json(metadata)}
    atomic_write(path, lambda f: torch.jit.save(traced, f, _extra_files=extra))


def _safetensors_metadata(metadata: dict[str, Any]) -> dict[str, str]:
    return {
        "format": FORMAT,
        "architecture": metadata["architecture"],
        "class_names": json.dumps(metadata["class_names"]),
        "preprocessing": _json(metadata["preprocessing"]),
        "output": _json(metadata["output"]),
    }


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=True)


def export_metadata(model: TrainedModel, fmt: ExportFormat) -> dict[str, Any]:
    """What metadata.json holds: everything another runtime needs to use the exported file."""
    side = model.input_size
    n = len(model.class_names)
    if fmt == "safetensors":
        output = {
            "shape": ["batch", n],
            "dtype": "float32",
            "description": "logits of the network: apply softmax over dim 1 for probabilities",
        }
    else:
        output = {
            "name": OUTPUT_NAME,
            "shape": ["batch", n],
            "dtype": "float32",
            "description": "softmax probabilities; column i is class_names[i]",
        }
    return {
        "format": FORMAT,
        "model_format": fmt,
        "file": MODEL_FILES[fmt],
        "architecture": model.config.architecture.value,
        "num_classes": n,
        "class_names": list(model.class_names),
        "input_size": side,
        "input": {
            "name": INPUT_NAME,
            "shape": ["batch", 3, side, side],
            "dtype": "float32",
            "layout": "NCHW, RGB channels",
        },
        "preprocessing": preprocessing_metadata(model),
        "output": output,
        "training": model.config.training,
        "usage": _USAGE[fmt],
    }


def preprocessing_metadata(model: TrainedModel) -> dict[str, Any]:
    """The inference transform as sizes, statistics and plain-language steps."""
    spec = model.transform_spec
    prep = model.config.preprocessing
    mean, std = list(prep.mean), list(prep.std)
    steps = ["decode the image to 8-bit RGB"]
    if spec.resize.enabled:
        steps.append(
            f"resize so the shorter edge is {spec.resize.size} pixels, keeping the aspect "
            "ratio (bilinear, antialiased)"
        )
    if spec.center_crop.enabled:
        steps.append(f"crop the central {spec.center_crop.size} x {spec.center_crop.size} pixels")
    if spec.pad.enabled and spec.pad.padding:
        steps.append(f"pad {spec.pad.padding} black pixels on every side")
    if spec.grayscale.enabled:
        steps.append("convert to grayscale, repeated over the 3 channels")
    steps += [
        "scale the 8-bit values to float32 in [0, 1]",
        f"normalise each channel: (value - mean) / std with mean {mean} and std {std}",
        "lay out as (3, height, width) and stack images into a (batch, 3, height, width) batch",
    ]
    return {
        "resize": spec.resize.size if spec.resize.enabled else None,
        "crop": spec.center_crop.size if spec.center_crop.enabled else None,
        "input_size": model.input_size,
        "mean": mean,
        "std": std,
        "inference_transform": model.config.inference_transform,
        "steps": steps,
    }
