"""Checkpoints are tensor-only files written atomically; RNG states fit inside them."""

from __future__ import annotations

import math
import os
import random
from pathlib import Path
from typing import IO, Any

import numpy as np
import pytest
import torch
from torch import nn

from app.ml.checkpoint import Checkpoint, EpochMetrics, atomic_write, cpu_copy
from app.ml.schedule import LrSchedule, build_scheduler
from app.ml.seeding import capture_rng_state, restore_rng_state, seed_everything
from app.ml.state_io import UnsafeOrCorruptWeights


def _draws() -> tuple[float, float, float, float]:
    return (random.random(), random.gauss(0, 1), float(np.random.randn()), float(torch.rand(())))


def test_seed_everything_seeds_python_numpy_and_torch() -> None:
    seed_everything(5)
    first = _draws()
    seed_everything(5)
    assert _draws() == first
    seed_everything(6)
    assert _draws() != first


def test_a_restored_rng_state_replays_the_same_numbers_after_a_tensor_only_round_trip(
    tmp_path: Path,
) -> None:
    seed_everything(3)
    random.gauss(0, 1)  # leaves a cached Gaussian in both Python's and NumPy's state
    np.random.randn()
    state = capture_rng_state()
    expected = _draws()
    torch.save(state, tmp_path / "rng.pt")
    seed_everything(99)
    restore_rng_state(torch.load(tmp_path / "rng.pt", weights_only=True))
    assert _draws() == expected


def _full_checkpoint() -> Checkpoint:
    """A checkpoint holding real optimizer, scheduler and RNG state, as training leaves it."""
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    scheduler = build_scheduler(optimizer, LrSchedule.POLY, epochs=3, warmup_epochs=1)
    model(torch.randn(5, 3)).sum().backward()
    optimizer.step()
    scheduler.step()
    metrics = EpochMetrics(1, 0.9, 0.8, 0.5, 1.0, 1e-4, 100.0, 300.0, 2.5)
    return Checkpoint(
        model_state=cpu_copy(model.state_dict()),
        optimizer_state=cpu_copy(optimizer.state_dict()),
        scheduler_state=cpu_copy(scheduler.state_dict()),
        epochs_completed=1,
        rng_state=capture_rng_state(),
        best_state=cpu_copy(model.state_dict()),
        best_epoch=1,
        best_val_loss=0.8,
        epochs_since_best=0,
        history=[metrics],
        config={"epochs": 3, "optimizer": "sgd", "weight_decay": None},
        extra={"class_names": ["cat", "dog"], "architecture": "resnet18"},
    )


def _equal(a: Any, b: Any) -> bool:
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and torch.equal(a, b)
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple):
        return len(a) == len(b) and all(_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def test_a_checkpoint_round_trips_through_a_weights_only_load(tmp_path: Path) -> None:
    original = _full_checkpoint()
    original.save(tmp_path / "c.pt")
    loaded = Checkpoint.load(tmp_path / "c.pt")
    assert _equal(loaded.to_dict(), original.to_dict())
    assert loaded.history == original.history
    raw = torch.load(tmp_path / "c.pt", weights_only=True)
    assert raw["format"] == "resnet-studio.checkpoint/v1"
    assert set(raw) == {"format", *original.to_dict()}


def test_a_checkpoint_without_a_best_epoch_round_trips(tmp_path: Path) -> None:
    empty = Checkpoint({}, {}, {}, epochs_completed=0, rng_state=capture_rng_state())
    empty.save(tmp_path / "c.pt")
    loaded = Checkpoint.load(tmp_path / "c.pt")
    assert loaded.best_state is None and math.isinf(loaded.best_val_loss)


def test_a_failed_save_leaves_the_previous_checkpoint_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "c.pt"
    _full_checkpoint().save(path)
    before = path.read_bytes()

    def crash_halfway(obj: object, f: IO[bytes]) -> None:
        f.write(b"half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", crash_halfway)
    with pytest.raises(OSError, match="disk full"):
        _full_checkpoint().save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["c.pt"]  # no temporary file left behind


def test_atomic_write_replaces_the_file_and_syncs_the_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    path = tmp_path / "f.bin"
    path.write_bytes(b"old")
    atomic_write(path, lambda f: f.write(b"new"))
    assert path.read_bytes() == b"new"
    assert len(synced) >= 1


class _RunsCodeWhenUnpickled:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def test_a_checkpoint_that_would_run_code_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    body = _full_checkpoint().to_dict()
    body["extra"] = {"payload": _RunsCodeWhenUnpickled(marker)}
    torch.save(body, tmp_path / "evil.pt")
    with pytest.raises(UnsafeOrCorruptWeights, match="evil.pt is not a loadable"):
        Checkpoint.load(tmp_path / "evil.pt")
    assert not marker.exists()


def test_a_truncated_checkpoint_is_refused(tmp_path: Path) -> None:
    _full_checkpoint().save(tmp_path / "c.pt")
    (tmp_path / "cut.pt").write_bytes((tmp_path / "c.pt").read_bytes()[:500])
    with pytest.raises(UnsafeOrCorruptWeights, match="cut.pt is not a loadable"):
        Checkpoint.load(tmp_path / "cut.pt")


def test_a_file_that_is_not_a_checkpoint_is_refused(tmp_path: Path) -> None:
    torch.save({"fc.weight": torch.zeros(2)}, tmp_path / "weights.pt")
    with pytest.raises(ValueError, match="not a resnet-studio.checkpoint/v1 checkpoint"):
        Checkpoint.load(tmp_path / "weights.pt")


def test_a_checkpoint_missing_its_state_is_refused(tmp_path: Path) -> None:
    body = _full_checkpoint().to_dict()
    del body["optimizer_state"]
    torch.save(body, tmp_path / "c.pt")
    with pytest.raises(ValueError, match="incomplete checkpoint: no optimizer_state"):
        Checkpoint.load(tmp_path / "c.pt")


def test_cpu_copy_does_not_share_memory_with_the_live_state() -> None:
    live: dict[str, Any] = {
        "state": {0: {"momentum_buffer": torch.ones(3)}},
        "groups": [(1, torch.zeros(1))],
    }
    copied = cpu_copy(live)
    live["state"][0]["momentum_buffer"].add_(1)
    live["groups"][0][1].add_(1)
    assert torch.equal(copied["state"][0]["momentum_buffer"], torch.ones(3))
    assert torch.equal(copied["groups"][0][1], torch.zeros(1))
