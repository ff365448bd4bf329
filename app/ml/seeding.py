"""Seeding every random number generator a training run touches, and saving their states.

The captured state holds only tensors, ints, floats, strings, lists and dicts, so a checkpoint
that contains it still loads with `torch.load(weights_only=True)`.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import torch

RngState = dict[str, Any]


def seed_everything(seed: int) -> None:
    """Seed Python's `random`, NumPy's global generator, torch's CPU generator and every CUDA
    device (Azure seeded torch only, so NumPy- or random-based augmentation was not reproducible).
    DataLoader workers are seeded separately, by `app.ml.data.make_loader`."""
    if seed < 0:
        raise ValueError(f"seed must be non-negative, got {seed}")
    random.seed(seed)
    np.random.seed(seed % 2**32)  # NumPy's legacy seed accepts 32 bits only
    torch.manual_seed(seed)  # also seeds every CUDA device, lazily


def capture_rng_state() -> RngState:
    version, internal, gauss_next = random.getstate()
    kind, keys, pos, has_gauss, cached_gaussian = np.random.get_state(legacy=True)
    assert isinstance(keys, np.ndarray)  # legacy=True always returns the tuple form
    state: RngState = {
        "python": {
            "version": version,
            # 625 unsigned 32-bit words: int64 holds them exactly.
            "internal": torch.tensor(internal, dtype=torch.int64),
            "gauss_next": gauss_next,
        },
        "numpy": {
            "kind": kind,
            "keys": torch.from_numpy(keys.astype(np.int64)),
            "pos": int(pos),
            "has_gauss": int(has_gauss),
            "cached_gaussian": float(cached_gaussian),
        },
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else [],
    }
    return state


def restore_rng_state(state: RngState) -> None:
    py = state["python"]
    internal = tuple(int(v) for v in py["internal"].tolist())
    random.setstate((py["version"], internal, py["gauss_next"]))
    npy = state["numpy"]
    np.random.set_state(
        (
            npy["kind"],
            npy["keys"].numpy().astype(np.uint32),
            npy["pos"],
            npy["has_gauss"],
            npy["cached_gaussian"],
        )
    )
    torch.set_rng_state(state["torch"])
    cuda_states = state["cuda"]
    # A run resumed on a machine with fewer (or no) GPUs restores what it can.
    if cuda_states and torch.cuda.is_available():
        count = min(len(cuda_states), torch.cuda.device_count())
        for device in range(count):
            torch.cuda.set_rng_state(cuda_states[device], device)
