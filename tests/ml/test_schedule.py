"""Per-epoch learning-rate schedules: Azure's poly schedule, defects fixed, and three more."""

from __future__ import annotations

import io

import pytest
import torch

from app.ml.schedule import FLOOR, LrSchedule, build_scheduler, learning_rate_at


def rates(schedule: LrSchedule, epochs: int, warmup: int, lr: float) -> list[float]:
    return [
        learning_rate_at(schedule, e, epochs=epochs, warmup_epochs=warmup, base_lr=lr)
        for e in range(epochs)
    ]


def test_poly_decays_from_the_rate_towards_1e4_with_power_two() -> None:
    got = rates(LrSchedule.POLY, epochs=5, warmup=0, lr=0.1)
    want = [FLOOR + (0.1 - FLOOR) * (1 - e / 5) ** 2 for e in range(5)]
    assert got == pytest.approx(want)
    assert got[0] == pytest.approx(0.1)


def test_warmup_rises_linearly_from_1e4_and_reaches_the_rate_when_it_ends() -> None:
    got = rates(LrSchedule.POLY, epochs=6, warmup=2, lr=0.1)
    assert got[:3] == pytest.approx([FLOOR, FLOOR + (0.1 - FLOOR) / 2, 0.1])


def test_cosine_is_halfway_at_the_middle_of_the_decay() -> None:
    got = rates(LrSchedule.COSINE, epochs=5, warmup=1, lr=0.1)
    assert got[1] == pytest.approx(0.1)
    assert got[3] == pytest.approx(FLOOR + (0.1 - FLOOR) / 2)


def test_step_divides_by_ten_at_each_third_of_the_epochs_after_warmup() -> None:
    assert rates(LrSchedule.STEP, epochs=9, warmup=0, lr=0.1) == pytest.approx(
        [0.1] * 3 + [0.01] * 3 + [0.001] * 3
    )
    assert rates(LrSchedule.STEP, epochs=8, warmup=2, lr=0.1)[2:] == pytest.approx(
        [0.1] * 2 + [0.01] * 2 + [0.001] * 2
    )


def test_constant_holds_the_rate_after_warmup() -> None:
    assert rates(LrSchedule.CONSTANT, epochs=4, warmup=1, lr=0.5) == pytest.approx(
        [FLOOR, 0.5, 0.5, 0.5]
    )


@pytest.mark.parametrize("schedule", list(LrSchedule))
def test_warmup_as_long_as_training_does_not_divide_by_zero(schedule: LrSchedule) -> None:
    got = rates(schedule, epochs=3, warmup=3, lr=0.1)
    assert got == sorted(got)
    assert got[0] == pytest.approx(FLOOR)
    assert max(got) < 0.1


@pytest.mark.parametrize("schedule", list(LrSchedule))
@pytest.mark.parametrize("lr", [1e-5, 1e-4, 0.1])
@pytest.mark.parametrize("warmup", [0, 2])
def test_no_schedule_exceeds_the_rate_or_rises_after_warmup(
    schedule: LrSchedule, lr: float, warmup: int
) -> None:
    got = rates(schedule, epochs=7, warmup=warmup, lr=lr)
    assert max(got) <= lr * (1 + 1e-12)
    assert got == sorted(got[:warmup]) + sorted(got[warmup:], reverse=True)
    assert got[: warmup + 1] == sorted(got[: warmup + 1])


def test_a_rate_below_1e4_stays_flat_instead_of_rising_towards_1e4() -> None:
    assert rates(LrSchedule.POLY, epochs=4, warmup=1, lr=1e-5) == pytest.approx([1e-5] * 4)


@pytest.mark.parametrize(
    ("epochs", "warmup", "lr", "message"),
    [
        (0, 0, 0.1, "epochs must be at least 1"),
        (3, 4, 0.1, "warmup_epochs must be between 0 and epochs"),
        (3, -1, 0.1, "warmup_epochs must be between 0 and epochs"),
        (3, 0, 0.0, "learning_rate must be a positive number"),
        (3, 0, float("nan"), "learning_rate must be a positive number"),
    ],
)
def test_bad_arguments_are_refused(epochs: int, warmup: int, lr: float, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        learning_rate_at(LrSchedule.POLY, 0, epochs=epochs, warmup_epochs=warmup, base_lr=lr)


def _optimizer(lr: float) -> torch.optim.SGD:
    return torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=lr)


def test_the_scheduler_sets_each_epochs_rate_on_the_optimizer() -> None:
    optimizer = _optimizer(0.1)
    scheduler = build_scheduler(optimizer, LrSchedule.COSINE, epochs=6, warmup_epochs=2)
    seen = []
    for _ in range(6):
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    assert seen == pytest.approx(rates(LrSchedule.COSINE, epochs=6, warmup=2, lr=0.1))


def test_the_scheduler_state_round_trips_through_a_tensor_only_file() -> None:
    optimizer = _optimizer(0.1)
    scheduler = build_scheduler(optimizer, LrSchedule.POLY, epochs=5, warmup_epochs=1)
    for _ in range(2):
        optimizer.step()
        scheduler.step()
    buffer = io.BytesIO()
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict()}, buffer)
    buffer.seek(0)
    saved = torch.load(buffer, weights_only=True)

    resumed_optimizer = _optimizer(0.1)
    resumed = build_scheduler(resumed_optimizer, LrSchedule.POLY, epochs=5, warmup_epochs=1)
    resumed_optimizer.load_state_dict(saved["optimizer"])
    resumed.load_state_dict(saved["scheduler"])
    for _ in range(3):
        assert resumed_optimizer.param_groups[0]["lr"] == optimizer.param_groups[0]["lr"]
        for opt, sched in ((optimizer, scheduler), (resumed_optimizer, resumed)):
            opt.step()
            sched.step()
