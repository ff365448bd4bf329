"""Training checkpoints: everything needed to continue a run exactly where an epoch ended.

On disk a checkpoint is one `torch.save`d dict of tensors and plain values only (layout in
`Checkpoint.to_dict`), so `torch.load(weights_only=True)` reads it without running pickled code.
Writes are atomic: a reader sees the previous file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import IO, Any

import torch

from app.ml.state_io import UnsafeOrCorruptWeights

FORMAT = "resnet-studio.checkpoint/v1"
StateDict = dict[str, torch.Tensor]
_REQUIRED = {"model_state", "optimizer_state", "scheduler_state", "epochs_completed", "rng_state"}


@dataclass(frozen=True)
class EpochMetrics:
    epoch: int  # 1-based: the epoch just completed
    train_loss: float
    val_loss: float
    val_top1: float  # fraction in [0, 1]
    val_top5: float  # top-min(5, classes)
    learning_rate: float  # the rate used during this epoch
    train_images_per_s: float
    val_images_per_s: float
    seconds: float  # wall time of the epoch, validation included

    def to_dict(self) -> dict[str, float]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> EpochMetrics:
        return cls(**{f.name: raw[f.name] for f in fields(cls)})


@dataclass
class Checkpoint:
    model_state: StateDict
    optimizer_state: dict[str, Any]
    scheduler_state: dict[str, Any]
    epochs_completed: int
    rng_state: dict[str, Any]
    best_state: StateDict | None = None  # the weights of the lowest validation loss so far
    best_epoch: int | None = None  # 1-based
    best_val_loss: float = math.inf
    epochs_since_best: int = 0
    scaler_state: dict[str, Any] | None = None  # fp16 GradScaler only
    history: list[EpochMetrics] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)  # the TrainConfig, plain values
    # The caller's own plain values (architecture, class names, transform...), kept verbatim.
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        body = {f.name: getattr(self, f.name) for f in fields(self)}
        body["history"] = [m.to_dict() for m in self.history]
        return {"format": FORMAT, **body}

    @classmethod
    def from_dict(cls, body: dict[str, Any]) -> Checkpoint:
        if body.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} checkpoint")
        missing = [f.name for f in fields(cls) if f.name not in body and f.name in _REQUIRED]
        if missing:
            raise ValueError(f"incomplete checkpoint: no {', '.join(missing)}")
        values = {f.name: body[f.name] for f in fields(cls) if f.name in body}
        values["history"] = [EpochMetrics.from_dict(m) for m in values.get("history", [])]
        return cls(**values)

    def save(self, path: Path) -> None:
        atomic_write(path, lambda f: torch.save(self.to_dict(), f))

    @classmethod
    def load(cls, path: Path) -> Checkpoint:
        try:
            body = torch.load(path, map_location="cpu", weights_only=True)
        except (pickle.UnpicklingError, RuntimeError, EOFError) as exc:
            first_line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise UnsafeOrCorruptWeights(
                f"{Path(path).name} is not a loadable tensor-only checkpoint: {first_line}"
            ) from exc
        if not isinstance(body, dict):
            raise ValueError(f"{Path(path).name} is not a {FORMAT} checkpoint")
        return cls.from_dict(body)


def atomic_write(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write through a temporary file in the same folder (so os.replace stays on one file system
    and is atomic), flushed to disk before the rename so a crash cannot leave a renamed but empty
    file; the folder is synced too so the rename itself survives a power cut."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some platforms cannot open folders; the data itself is already synced
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def cpu_copy(value: Any) -> Any:
    """A deep copy with every tensor detached, cloned and moved to the CPU: what a checkpoint
    holds must not change when training goes on (optimizer.state_dict() returns live tensors)."""
    if isinstance(value, torch.Tensor):
        return value.detach().to("cpu", copy=True)
    if isinstance(value, dict):
        return {k: cpu_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [cpu_copy(v) for v in value]
    if isinstance(value, tuple):
        return tuple(cpu_copy(v) for v in value)
    return value
