"""The training job: stage in, train (resuming from the last checkpoint), stage out."""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from app.jobs.context import JobContext
from app.jobs.errors import JobCancelled, JobFailed
from app.jobs.kinds import JobKind, Pool
from app.ml.architectures import build_network
from app.ml.checkpoint import Checkpoint, EpochMetrics
from app.ml.data import LabelledImages, decode_workers, make_loader
from app.ml.engine import Callbacks, fit, resolve_runtime
from app.ml.fastpath import CacheBudget, DataPath, DeviceBatches, use_device_path
from app.ml.seeding import seed_everything
from app.ml.train_config import TrainConfig
from app.ml.transforms import build_transform
from app.storage import ObjectNotFound
from app.training.artifact import on_training_end, write_artifact
from app.training.job import TrainingResult, TrainingSpec
from app.training.schemas import SubStatus
from app.training.staging import Staged, stage


class CheckpointPointer(BaseModel):
    """What the job row keeps of its newest checkpoint: where it is and how far it got."""

    key: str
    epoch: int


class CheckpointStore:
    """Epoch-end checkpoints in storage, under this attempt's own prefix, with the job row
    pointing at the newest; the previous one is deleted once the pointer has moved."""

    def __init__(self, ctx: JobContext[TrainingSpec], work: Path) -> None:
        self.ctx = ctx
        self.work = work

    @property
    def pointer(self) -> CheckpointPointer | None:
        saved = self.ctx.checkpoint
        return CheckpointPointer.model_validate(saved) if saved else None

    def load(self) -> Checkpoint | None:
        pointer = self.pointer
        if pointer is None:
            return None
        local = self.work / "resume.pt"
        try:
            self.ctx.store.download_file(pointer.key, local)
        except ObjectNotFound:
            return None
        self.ctx.log(f"resuming after epoch {pointer.epoch} from {pointer.key}")
        return Checkpoint.load(local)

    def save(self, checkpoint: Checkpoint) -> None:
        local = self.work / "checkpoint.pt"
        checkpoint.save(local)  # atomic: temporary file, fsync, rename
        key = f"{self.ctx.attempt_prefix}checkpoint-{checkpoint.epochs_completed:04d}.pt"
        self.ctx.store.put_file(key, local)
        previous = self.pointer
        pointer = CheckpointPointer(key=key, epoch=checkpoint.epochs_completed)
        self.ctx.save_checkpoint(pointer.model_dump())
        old = previous.key if previous else None
        if old and old != key and old.startswith(self.ctx.attempt_prefix):
            self.ctx.store.delete(old)


def _callbacks(
    ctx: JobContext[TrainingSpec], config: TrainConfig, checkpoints: CheckpointStore
) -> Callbacks:
    started = time.monotonic()
    first: list[int] = []  # steps already done when this attempt began (after a resume)

    def on_progress(epoch: int, step: int, steps: int, loss: float, lr: float) -> None:
        done = (epoch - 1) * steps + step
        total = config.epochs * steps
        if not first:
            first.append(done - 1)
        rate = (done - first[0]) / max(time.monotonic() - started, 1e-9)
        ctx.progress(
            phase="training",
            epoch=epoch,
            epochs=config.epochs,
            step=step,
            steps_per_epoch=steps,
            percent=round(100 * done / total, 1),
            eta_seconds=round((total - done) / rate, 1) if rate > 0 else None,
            images_per_s=round(rate * config.batch_size, 1),  # read by /metrics
            loss=round(loss, 5),
            learning_rate=lr,
        )

    def on_epoch_end(metrics: EpochMetrics) -> None:
        ctx.metrics(metrics.to_dict())
        ctx.log(
            f"epoch {metrics.epoch}/{config.epochs}: train loss {metrics.train_loss:.4f}, "
            f"val loss {metrics.val_loss:.4f}, top-1 {metrics.val_top1:.3f}"
        )

    return Callbacks(
        on_progress=on_progress,
        on_epoch_end=on_epoch_end,
        should_stop=ctx.cancel_requested,
        on_checkpoint=checkpoints.save,
    )


def _loaders(
    staged: Staged, config: TrainConfig, device: str, data_path: DataPath = "auto"
) -> tuple[Any, Any]:
    workers = decode_workers(device)
    if use_device_path(device, data_path):  # CUDA: decode, cache and augment on the GPU
        return _device_loaders(staged, config, device, workers)
    train_tf = build_transform(staged.train_transform, "train", staged.mean, staged.std)
    eval_tf = build_transform(staged.eval_transform, "eval", staged.mean, staged.std)
    seed = config.random_seed
    return (
        make_loader(
            LabelledImages(staged.train, train_tf), config.batch_size, True, seed, workers, device
        ),
        make_loader(
            LabelledImages(staged.val, eval_tf), config.batch_size, False, seed, workers, device
        ),
    )


def _device_loaders(
    staged: Staged, config: TrainConfig, device: str, workers: int
) -> tuple[DeviceBatches, DeviceBatches]:
    batches = partial(
        DeviceBatches,
        mean=staged.mean,
        std=staged.std,
        device=device,
        batch_size=config.batch_size,
        budget=CacheBudget.default(device),  # one budget for both loaders' caches
        workers=workers,  # for the files nvJPEG does not take
    )
    return (
        batches(
            staged.train, staged.train_transform, "train", shuffle=True, seed=config.random_seed
        ),
        batches(staged.val, staged.eval_transform, "eval"),
    )


def run(ctx: JobContext[TrainingSpec]) -> TrainingResult:
    config = ctx.spec.hyperparameters.train_config()
    ctx.settings.data_dir.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="train-", dir=ctx.settings.data_dir))
    try:
        ctx.set_sub_status(SubStatus.STAGING_DATA)
        staged = stage(ctx, work)
        device = resolve_runtime(config).device.type
        if config.compile and device != "cuda":
            ctx.log("compile applies to GPU jobs only: this job runs on the CPU without it")
            config = replace(config, compile=False)
        train_loader, val_loader = _loaders(staged, config, device, ctx.settings.data_path)
        seed_everything(config.random_seed)  # the new head's initial weights repeat too
        model = build_network(
            staged.model.architecture, len(staged.classes), staged.model.options, staged.backbone
        )
        checkpoints = CheckpointStore(ctx, work)
        resume = checkpoints.load()
        ctx.set_sub_status(SubStatus.TRAINING)
        result = fit(
            config,
            model,
            train_loader,
            val_loader,
            _callbacks(ctx, config, checkpoints),
            resume=resume,
        )
        if result.cancelled:
            ctx.log("cancelled: stopped at the next step; the last epoch's checkpoint is kept")
            raise JobCancelled
        if result.best_state is None:
            raise JobFailed(
                "diverged",
                "the validation loss was never finite; lower the learning_rate or check the data",
            )
        ctx.set_sub_status(SubStatus.UPLOADING)
        return write_artifact(ctx, staged, config, result, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


TRAINING = JobKind(
    "training",
    Pool.ACCELERATED,
    TrainingSpec,
    TrainingResult,
    body=run,
    on_end=on_training_end,
)
