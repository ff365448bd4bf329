"""The training configuration: every hyperparameter's default, bounds and meaning, defined once.

The REST schema (`app.training.schemas.Hyperparameters`) is derived from this table, field for
field, so the API and the engine cannot drift apart; the engine checks the same table for callers
that build a config directly. Azure's Train PyTorch Model defaults are kept where it has them."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

import torch

from app.ml.schedule import LrSchedule, check_schedule_args


class Optimizer(StrEnum):
    SGD = "sgd"  # Azure: momentum 0.9, Nesterov, weight decay 1e-4
    ADAMW = "adamw"


class MixedPrecision(StrEnum):
    AUTO = "auto"  # bf16 on a CUDA GPU that supports it, else off
    OFF = "off"
    BF16 = "bf16"
    FP16 = "fp16"  # CUDA only, with a GradScaler


@dataclass(frozen=True)
class Bounds:
    """A numeric option's range (None: unbounded on that side) and what it means to a user."""

    doc: str = ""
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None

    def check(self, name: str, value: Any) -> str | None:
        """The message for a value outside the range, or None."""
        if value is None or isinstance(value, StrEnum | bool | str):
            return None
        ok = math.isfinite(value) and all(
            (
                self.ge is None or value >= self.ge,
                self.gt is None or value > self.gt,
                self.le is None or value <= self.le,
                self.lt is None or value < self.lt,
            )
        )
        return None if ok else f"{name} must be {self.describe()}, got {value!r}"

    def describe(self) -> str:
        parts = [
            f"{sign} {int(limit) if float(limit).is_integer() else limit}"
            for sign, limit in ((">=", self.ge), (">", self.gt), ("<=", self.le), ("<", self.lt))
            if limit is not None
        ]
        return " and ".join(parts) or "a number"


def about(doc: str, **bounds: float) -> dict[str, Bounds]:
    """A config field's metadata: its bounds and meaning, read by `OPTIONS`."""
    return {"bounds": Bounds(doc=doc, **bounds)}


MAX_SEED = 2**32 - 1  # NumPy's legacy generator takes 32 bits; one range everywhere


@dataclass(frozen=True)
class TrainConfig:
    epochs: int = field(default=5, metadata=about("Passes over the training set.", ge=1, le=1000))
    batch_size: int = field(
        default=16,
        metadata=about("At least 2 (BatchNorm); at most the server's max_batch_size (4096).", ge=2),
    )
    warmup_epochs: int = field(
        default=0,
        metadata=about(
            "Linear warmup from 1e-4 to the learning rate; at most `epochs` (equal: the whole run "
            "is warmup, where Azure divided by zero).",
            ge=0,
        ),
    )
    learning_rate: float = field(default=0.001, metadata=about("The base rate.", gt=0, le=10))
    random_seed: int = field(
        default=1,
        metadata=about("Seeds every generator, the split and the data order.", ge=0, le=MAX_SEED),
    )
    patience: int = field(
        default=3,
        metadata=about("Epochs without a better validation loss before stopping early.", ge=1),
    )
    print_frequency: int = field(
        default=10, metadata=about("Steps between progress records.", ge=1)
    )
    optimizer: Optimizer = field(
        default=Optimizer.SGD, metadata=about("sgd: momentum 0.9, Nesterov (Azure); adamw.")
    )
    lr_schedule: LrSchedule = field(
        default=LrSchedule.POLY,
        metadata=about("poly: Azure's warmup then power-2 decay; cosine; step; constant."),
    )
    weight_decay: float | None = field(
        default=None, metadata=about("Default: 1e-4 for sgd (Azure), 0.01 for adamw.", ge=0, le=1)
    )
    label_smoothing: float = field(
        default=0.0,
        metadata=about("Training loss only: the validation loss stays comparable.", ge=0, lt=1),
    )
    mixed_precision: MixedPrecision = field(
        default=MixedPrecision.AUTO,
        metadata=about("auto: bf16 on a GPU that has it, else full precision."),
    )
    # torch.compile the model's forward (in place: checkpoints keep their keys). Opt-in: the
    # first steps compile for minutes, every new batch shape recompiles, and on the CPU it needs
    # a C++ compiler. Pays on a GPU for long runs of a small model.
    compile: bool = field(
        default=False,
        metadata=about(
            "torch.compile the network (GPU jobs only; a CPU job runs without it and says so in "
            "its log). Compiling takes a minute or more before the first step, so it pays only "
            "for long runs; checkpoints and resume are unaffected."
        ),
    )
    device: str = "auto"  # "auto": cuda when available, else cpu; not a user's option

    def __post_init__(self) -> None:
        # Accept plain strings (from JSON) and keep enums afterwards.
        for name, kind in (
            ("optimizer", Optimizer),
            ("lr_schedule", LrSchedule),
            ("mixed_precision", MixedPrecision),
        ):
            object.__setattr__(self, name, _enum(kind, getattr(self, name), name))
        errors = problems(self)
        if errors:
            raise ValueError("; ".join(errors))

    def to_dict(self) -> dict[str, Any]:
        """Plain values only (enums as strings): safe inside a weights_only checkpoint."""
        return {k: v.value if isinstance(v, StrEnum) else v for k, v in vars(self).items()}


# The user's options, by name: default, bounds and meaning (everything but `device`).
OPTIONS: dict[str, tuple[Any, Bounds]] = {
    f.name: (f.default, f.metadata["bounds"]) for f in fields(TrainConfig) if f.metadata
}


def problems(config: TrainConfig) -> list[str]:
    """Every rule a config breaks: the bounds above, then the rules between fields."""
    out = [
        message
        for name, (_, bounds) in OPTIONS.items()
        if (message := bounds.check(name, getattr(config, name))) is not None
    ]
    if not out:
        try:
            check_schedule_args(config.epochs, config.warmup_epochs, config.learning_rate)
        except ValueError as exc:
            out.append(str(exc))
    if config.device != "auto":
        try:
            torch.device(config.device)
        except RuntimeError:
            out.append(f"unknown device {config.device!r}")
    return out


def _enum(kind: type[StrEnum], value: object, name: str) -> Any:
    try:
        return kind(str(value))
    except ValueError:
        valid = ", ".join(v.value for v in kind)
        raise ValueError(f"unknown {name} {value!r}; valid: {valid}") from None
