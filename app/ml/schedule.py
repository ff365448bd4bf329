"""Learning-rate schedules, one rate per epoch as in Azure's Train PyTorch Model.

Epochs are counted from 0: `learning_rate_at(..., epoch=e)` is the rate used for every step of
epoch e. Every schedule starts with the same linear warmup, from `FLOOR` (1e-4, Azure's start and
end rate) up to the base rate over `warmup_epochs`; epoch `warmup_epochs` is the first at the full
rate. Azure's two defects are fixed here:

* warmup_epochs == epochs divided by zero; here the run is warmup only.
* with a base rate below 1e-4 the poly "decay" rose towards 1e-4; here the floor is
  min(1e-4, base rate), so no schedule ever exceeds the base rate or rises after warmup.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum

from torch.optim import Optimizer
from torch.optim.lr_scheduler import LambdaLR

FLOOR = 1e-4


class LrSchedule(StrEnum):
    POLY = "poly"  # Azure: power-2 polynomial decay to the floor
    COSINE = "cosine"  # half a cosine from the base rate to the floor
    STEP = "step"  # x0.1 at each third of the epochs after warmup
    CONSTANT = "constant"


def check_schedule_args(epochs: int, warmup_epochs: int, base_lr: float) -> None:
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    if not 0 <= warmup_epochs <= epochs:
        raise ValueError(
            f"warmup_epochs must be between 0 and epochs ({epochs}), got {warmup_epochs}"
        )
    if not (math.isfinite(base_lr) and base_lr > 0):
        raise ValueError(f"learning_rate must be a positive number, got {base_lr}")


def learning_rate_at(
    schedule: LrSchedule, epoch: int, *, epochs: int, warmup_epochs: int, base_lr: float
) -> float:
    """The rate used during `epoch` (0-based; epochs past the end keep the last rate)."""
    check_schedule_args(epochs, warmup_epochs, base_lr)
    epoch = min(max(epoch, 0), epochs - 1)
    floor = min(FLOOR, base_lr)
    if epoch < warmup_epochs:
        return floor + (base_lr - floor) * epoch / warmup_epochs
    # epoch >= warmup_epochs and epoch < epochs, so decay_epochs >= 1: no division by zero.
    decay_epochs = epochs - warmup_epochs
    done = epoch - warmup_epochs  # 0 .. decay_epochs - 1
    if schedule is LrSchedule.POLY:
        return floor + (base_lr - floor) * (1 - done / decay_epochs) ** 2
    if schedule is LrSchedule.COSINE:
        return floor + (base_lr - floor) * 0.5 * (1 + math.cos(math.pi * done / decay_epochs))
    if schedule is LrSchedule.STEP:
        return base_lr * 0.1 ** (3 * done // decay_epochs)
    return base_lr


def build_scheduler(
    optimizer: Optimizer, schedule: LrSchedule, *, epochs: int, warmup_epochs: int
) -> LambdaLR:
    """A LambdaLR stepped once per epoch, after the epoch. Every parameter group follows the
    schedule of its own initial rate.

    The factor is a plain function, so `state_dict()` holds only the epoch counter and rates
    (plain numbers): on resume, build the scheduler again from the same arguments and load it."""

    def factor_for(base_lr: float) -> Callable[[int], float]:
        def factor(epoch: int) -> float:
            rate = learning_rate_at(
                schedule, epoch, epochs=epochs, warmup_epochs=warmup_epochs, base_lr=base_lr
            )
            return rate / base_lr

        return factor

    base_lrs = [float(group.get("initial_lr", group["lr"])) for group in optimizer.param_groups]
    for base_lr in base_lrs:
        check_schedule_args(epochs, warmup_epochs, base_lr)
    return LambdaLR(optimizer, [factor_for(lr) for lr in base_lrs])
