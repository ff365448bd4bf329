"""Reading and writing weight files without ever executing pickled code."""

from __future__ import annotations

import pickle
from pathlib import Path

import torch


class UnsafeOrCorruptWeights(ValueError):
    pass


def load_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """Load a state dict saved with torch.save; `weights_only=True` refuses any pickle that would
    construct objects other than tensors and plain containers."""
    try:
        loaded = torch.load(path, map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, OSError) as exc:
        raise UnsafeOrCorruptWeights(
            f"{path.name} is not a loadable tensor-only weights file: {exc}".splitlines()[0]
        ) from exc
    if (
        isinstance(loaded, dict)
        and "state_dict" in loaded
        and isinstance(loaded["state_dict"], dict)
    ):
        loaded = loaded["state_dict"]
    if not isinstance(loaded, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in loaded.items()
    ):
        raise UnsafeOrCorruptWeights(f"{path.name} does not hold a state dict of named tensors")
    return loaded


def save_state_dict(state: dict[str, torch.Tensor], path: Path) -> None:
    torch.save(state, path)
