"""Weights files in the safetensors format, through the safetensors package.

A thin layer over `safetensors.torch`: writes are atomic (a crash never leaves half a file under
the final name) and accept tensors in any layout or device, and a read returns the tensors with
the file's str -> str metadata (architecture, class names), refusing a malformed file with
SafetensorsError.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import safetensors
import safetensors.torch
import torch

from app.ml.checkpoint import atomic_write


class SafetensorsError(ValueError):
    """The file is not a readable safetensors file."""


@dataclass
class SafetensorsContent:
    tensors: dict[str, torch.Tensor]
    metadata: dict[str, str] = field(default_factory=dict)


def save_file(
    tensors: Mapping[str, torch.Tensor], path: Path, metadata: Mapping[str, str] | None = None
) -> None:
    # The package wants contiguous CPU tensors; a channels_last state dict is neither.
    plain = {name: tensor.detach().cpu().contiguous() for name, tensor in tensors.items()}
    data = safetensors.torch.save(plain, metadata=dict(metadata) if metadata else None)
    atomic_write(Path(path), lambda f: f.write(data))


def load_file(path: Path) -> SafetensorsContent:
    try:
        with safetensors.safe_open(str(path), framework="pt") as f:
            metadata = f.metadata() or {}
            tensors = {name: f.get_tensor(name) for name in f.keys()}  # noqa: SIM118
    except safetensors.SafetensorError as exc:
        raise SafetensorsError(str(exc)) from exc
    return SafetensorsContent(tensors, dict(metadata))
