"""The training engine: `train_one_epoch`, `evaluate` and `fit`, Azure's Train PyTorch Model
with its defects fixed (the best weights are a copy, early stopping counts from the best epoch,
every generator is seeded, validation labels follow the training class map).

Data-parallel training is not implemented, but has one place to go each: `prepare` (wrap the
model, scale the rate by the world size) and `_on_main_process` (only rank 0 reports and saves).
"""

from __future__ import annotations

import contextlib
import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import torch
import torch.distributed as dist
import torch.nn.functional as F  # noqa: N812
from torch import nn
from torch.optim import SGD, AdamW
from torch.optim import Optimizer as TorchOptimizer
from torch.optim.lr_scheduler import LambdaLR

from app.ml.checkpoint import Checkpoint, EpochMetrics, StateDict, cpu_copy
from app.ml.schedule import build_scheduler
from app.ml.seeding import capture_rng_state, restore_rng_state, seed_everything
from app.ml.train_config import MixedPrecision, Optimizer, TrainConfig


class Batches(Protocol):
    """What the engine needs of a loader: sized iteration over (images, labels) batches."""

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]: ...

    def __len__(self) -> int: ...


@runtime_checkable
class EpochSeeded(Protocol):
    """A loader whose shuffling and augmentation are a function of (seed, epoch) alone
    (app.ml.data.SeededLoader, app.ml.fastpath.DeviceBatches): fit sets the epoch before each
    one, so a resumed run draws the batches the uninterrupted run would have."""

    def set_epoch(self, epoch: int) -> None: ...


# Changing these between a checkpoint and its resumption would change the run's trajectory.
_FREE_ON_RESUME = {"device", "print_frequency", "mixed_precision", "patience", "compile"}


@dataclass(frozen=True)
class Runtime:
    device: torch.device
    amp_dtype: torch.dtype | None  # autocast dtype; None: full precision

    @property
    def channels_last(self) -> bool:
        # NHWC is what cuDNN's tensor-core convolutions want; on the CPU it buys nothing.
        return self.device.type == "cuda"

    def autocast(self) -> contextlib.AbstractContextManager[Any]:
        if self.amp_dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(self.device.type, dtype=self.amp_dtype)

    def to_device(
        self, images: torch.Tensor, labels: torch.Tensor
    ) -> tuple[torch.Tensor, torch.Tensor]:
        fmt = torch.channels_last if self.channels_last else torch.contiguous_format
        return (
            images.to(self.device, non_blocking=True, memory_format=fmt),
            labels.to(self.device, non_blocking=True),
        )


def resolve_runtime(config: TrainConfig) -> Runtime:
    name = config.device
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(name)
    cuda = device.type == "cuda"
    mode = config.mixed_precision
    if mode is MixedPrecision.FP16 and not cuda:
        raise ValueError(f"fp16 mixed precision needs a CUDA device, not {device}")
    if mode is MixedPrecision.AUTO:
        bf16 = cuda and torch.cuda.is_bf16_supported()
        return Runtime(device, torch.bfloat16 if bf16 else None)
    dtypes = {MixedPrecision.OFF: None, MixedPrecision.BF16: torch.bfloat16}
    return Runtime(device, dtypes.get(mode, torch.float16))


@dataclass
class TrainState:
    model: nn.Module
    optimizer: TorchOptimizer
    scheduler: LambdaLR
    scaler: torch.amp.GradScaler | None  # fp16 only: bf16 has float32's range
    criterion: nn.Module


def prepare(config: TrainConfig, model: nn.Module, runtime: Runtime) -> TrainState:
    """Move the model (in place) and build what trains it; the one place a DistributedDataParallel
    wrapper and Azure's rate x world size would go."""
    model.to(runtime.device)
    if runtime.channels_last:
        model.to(memory_format=torch.channels_last)
    if runtime.device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # fixed image sizes: pick the fastest kernels once
    if config.compile:
        model.compile()  # nn.Module.compile: in place, so state_dict keys stay as they are
    params = [p for p in model.parameters() if p.requires_grad]
    lr, wd = config.learning_rate, config.weight_decay
    optimizer: TorchOptimizer
    if config.optimizer is Optimizer.SGD:
        decay = 1e-4 if wd is None else wd
        optimizer = SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=decay)
    else:
        optimizer = AdamW(params, lr=lr, weight_decay=0.01 if wd is None else wd)
    scheduler = build_scheduler(
        optimizer, config.lr_schedule, epochs=config.epochs, warmup_epochs=config.warmup_epochs
    )
    fp16 = runtime.amp_dtype == torch.float16
    return TrainState(
        model=model,
        optimizer=optimizer,
        scheduler=scheduler,
        scaler=torch.amp.GradScaler("cuda") if fp16 else None,
        criterion=nn.CrossEntropyLoss(label_smoothing=config.label_smoothing),
    )


@dataclass(frozen=True)
class Callbacks:
    """What the caller hears, all optional. Only rank 0 reports, in data-parallel runs."""

    # (epoch 1-based, step 1-based, steps per epoch, mean loss of the epoch so far, rate)
    on_progress: Callable[[int, int, int, float, float], None] | None = None
    on_epoch_end: Callable[[EpochMetrics], None] | None = None
    # Asked before every step; True stops training before that step (graceful cancel).
    should_stop: Callable[[], bool] | None = None
    # The full state at each epoch end, to be stored (atomically) for resume.
    on_checkpoint: Callable[[Checkpoint], None] | None = None


@dataclass(frozen=True)
class TrainEpoch:
    loss: float  # mean over the images trained on
    images: int
    seconds: float
    cancelled: bool


def train_one_epoch(
    state: TrainState,
    loader: Batches,
    runtime: Runtime,
    *,
    epoch: int,
    print_frequency: int = 10,
    callbacks: Callbacks = Callbacks(),
) -> TrainEpoch:
    state.model.train()
    steps = len(loader)
    lr = float(state.optimizer.param_groups[0]["lr"])
    # Summed on the device: .item() waits for the GPU, so only read it when reporting.
    total_loss = torch.zeros((), device=runtime.device)
    images = 0
    start = time.perf_counter()
    cancelled = False
    for step, (inputs, labels) in enumerate(loader, 1):
        if callbacks.should_stop is not None and callbacks.should_stop():
            cancelled = True
            break
        inputs, labels = runtime.to_device(inputs, labels)
        with runtime.autocast():
            loss = state.criterion(state.model(inputs), labels)
        state.optimizer.zero_grad(set_to_none=True)
        if state.scaler is not None:
            state.scaler.scale(loss).backward()
            state.scaler.step(state.optimizer)
            state.scaler.update()
        else:
            loss.backward()
            state.optimizer.step()
        total_loss += loss.detach().float() * labels.size(0)
        images += labels.size(0)
        report = step % print_frequency == 0 or step == steps
        if report and callbacks.on_progress is not None and _on_main_process():
            callbacks.on_progress(epoch, step, steps, (total_loss / images).item(), lr)
    mean_loss = (total_loss / images).item() if images else math.nan
    return TrainEpoch(mean_loss, images, time.perf_counter() - start, cancelled)


@dataclass(frozen=True)
class Evaluation:
    loss: float
    top1: float
    top5: float  # top-min(5, classes)
    images_per_s: float
    images: int


def evaluate(model: nn.Module, loader: Batches, runtime: Runtime) -> Evaluation:
    """Plain cross-entropy (no label smoothing), top-1 and top-k accuracy in eval mode."""
    model.eval()
    total_loss = torch.zeros((), device=runtime.device, dtype=torch.float64)
    hits1 = torch.zeros((), device=runtime.device, dtype=torch.int64)
    hits5 = torch.zeros_like(hits1)
    images = 0
    start = time.perf_counter()
    with torch.inference_mode():
        for inputs, labels in loader:
            inputs, labels = runtime.to_device(inputs, labels)
            with runtime.autocast():
                logits = model(inputs)
            logits = logits.float()
            total_loss += F.cross_entropy(logits, labels, reduction="sum")
            top = logits.topk(min(5, logits.size(1)), dim=1).indices.eq(labels[:, None])
            hits1 += top[:, 0].sum()
            hits5 += top.any(dim=1).sum()
            images += labels.size(0)
    if images == 0:
        raise ValueError("the validation data yielded no images")
    loss, top1, top5 = (total_loss / images).item(), hits1.item() / images, hits5.item() / images
    return Evaluation(loss, top1, top5, images / (time.perf_counter() - start), images)


@dataclass
class BestTracker:
    """The lowest validation loss so far, with a CPU copy of its weights (Azure kept a reference
    to the live model, so its "best" model was the last one)."""

    state: StateDict | None = None
    epoch: int | None = None
    val_loss: float = math.inf
    epochs_since: int = 0  # epochs since the best one, not since the previous one

    def update(self, epoch: int, val_loss: float, model: nn.Module) -> bool:
        if val_loss < self.val_loss:  # NaN compares false: a diverged epoch is never the best
            self.state = cpu_copy(model.state_dict())
            self.epoch, self.val_loss, self.epochs_since = epoch, val_loss, 0
            return True
        self.epochs_since += 1
        return False

    def exhausted(self, patience: int) -> bool:
        return self.epochs_since >= patience


class StopReason(StrEnum):
    COMPLETED = "completed"
    EARLY_STOPPED = "early_stopped"
    CANCELLED = "cancelled"


@dataclass
class FitResult:
    stop_reason: StopReason
    history: list[EpochMetrics]
    best_state: StateDict | None  # None only when no epoch had a finite validation loss
    best_epoch: int | None
    best_val_loss: float
    # The last epoch-end checkpoint (the resumed one when cancelled before an epoch ended):
    # after a cancel, store it and pass it to fit(resume=...) to go on.
    checkpoint: Checkpoint | None = field(repr=False, default=None)

    @property
    def cancelled(self) -> bool:
        return self.stop_reason is StopReason.CANCELLED


def fit(
    config: TrainConfig,
    model: nn.Module,
    train_loader: Batches,
    val_loader: Batches,
    callbacks: Callbacks = Callbacks(),
    resume: Checkpoint | None = None,
    *,
    extra: Mapping[str, Any] | None = None,
) -> FitResult:
    """Train `model` in place for `config.epochs` epochs, or until early stopping or a cancel.

    The model ends with the last epoch's weights; `FitResult.best_state` holds the best ones.
    Every generator is seeded from `config.random_seed` first, so seed before building the
    model too (`seed_everything`) for repeatable initial weights. `extra` (plain values such as
    the architecture and class names) is stored in every checkpoint; a resume keeps its own."""
    runtime = resolve_runtime(config)
    seed_everything(config.random_seed)
    state = prepare(config, model, runtime)
    best, last = BestTracker(), resume
    history: list[EpochMetrics] = []
    if resume is not None:
        history = _restore(resume, config, state, best)
        extra = resume.extra if extra is None else extra

    def result(reason: StopReason) -> FitResult:
        return FitResult(reason, history, best.state, best.epoch, best.val_loss, last)

    for epoch in range(len(history), config.epochs):
        if best.exhausted(config.patience):
            return result(StopReason.EARLY_STOPPED)
        metrics = _run_epoch(config, state, runtime, train_loader, val_loader, epoch, callbacks)
        if metrics is None:
            return result(StopReason.CANCELLED)
        history.append(metrics)
        best.update(metrics.epoch, metrics.val_loss, state.model)
        # Taken before the epoch-end callbacks run: the state exactly as training left it.
        last = _checkpoint(config, state, best, history, dict(extra or {}))
        if _on_main_process():
            if callbacks.on_epoch_end is not None:
                callbacks.on_epoch_end(metrics)
            if callbacks.on_checkpoint is not None:
                callbacks.on_checkpoint(last)
    return result(StopReason.COMPLETED)


def _run_epoch(
    config: TrainConfig,
    state: TrainState,
    runtime: Runtime,
    train_loader: Batches,
    val_loader: Batches,
    epoch: int,
    callbacks: Callbacks,
) -> EpochMetrics | None:
    """One epoch (0-based `epoch`) of training and validation; None when cancelled."""
    start = time.perf_counter()
    if isinstance(train_loader, EpochSeeded):
        train_loader.set_epoch(epoch)
    lr = float(state.optimizer.param_groups[0]["lr"])
    trained = train_one_epoch(
        state,
        train_loader,
        runtime,
        epoch=epoch + 1,
        print_frequency=config.print_frequency,
        callbacks=callbacks,
    )
    if trained.cancelled:
        return None
    evaluation = evaluate(state.model, val_loader, runtime)
    state.scheduler.step()  # per-epoch schedule: the next epoch's rate
    return EpochMetrics(
        epoch=epoch + 1,
        train_loss=trained.loss,
        val_loss=evaluation.loss,
        val_top1=evaluation.top1,
        val_top5=evaluation.top5,
        learning_rate=lr,
        train_images_per_s=trained.images / trained.seconds if trained.seconds > 0 else 0.0,
        val_images_per_s=evaluation.images_per_s,
        seconds=time.perf_counter() - start,
    )


def _checkpoint(
    config: TrainConfig,
    state: TrainState,
    best: BestTracker,
    history: list[EpochMetrics],
    extra: dict[str, Any],
) -> Checkpoint:
    return Checkpoint(
        model_state=cpu_copy(state.model.state_dict()),
        optimizer_state=cpu_copy(state.optimizer.state_dict()),
        scheduler_state=cpu_copy(state.scheduler.state_dict()),
        scaler_state=state.scaler.state_dict() if state.scaler is not None else None,
        epochs_completed=len(history),
        rng_state=capture_rng_state(),
        best_state=best.state,  # already a private copy, never mutated: shared, not copied
        best_epoch=best.epoch,
        best_val_loss=best.val_loss,
        epochs_since_best=best.epochs_since,
        history=list(history),
        config=config.to_dict(),
        extra=extra,
    )


def _restore(
    checkpoint: Checkpoint, config: TrainConfig, state: TrainState, best: BestTracker
) -> list[EpochMetrics]:
    """Load a checkpoint into freshly prepared state; returns the history so far."""
    saved, now = checkpoint.config, config.to_dict()
    changed = sorted(k for k in now if k not in _FREE_ON_RESUME and saved.get(k) != now[k])
    if changed:
        diffs = ", ".join(f"{k}: {saved.get(k)!r} -> {now[k]!r}" for k in changed)
        raise ValueError(f"cannot resume with a different training configuration ({diffs})")
    state.model.load_state_dict(checkpoint.model_state)
    state.optimizer.load_state_dict(checkpoint.optimizer_state)
    state.scheduler.load_state_dict(checkpoint.scheduler_state)
    if state.scaler is not None and checkpoint.scaler_state is not None:
        state.scaler.load_state_dict(checkpoint.scaler_state)
    best.state, best.epoch = checkpoint.best_state, checkpoint.best_epoch
    best.val_loss, best.epochs_since = checkpoint.best_val_loss, checkpoint.epochs_since_best
    restore_rng_state(checkpoint.rng_state)
    return list(checkpoint.history)


def _on_main_process() -> bool:
    return not (dist.is_available() and dist.is_initialized()) or dist.get_rank() == 0
