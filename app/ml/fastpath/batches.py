"""DeviceBatches: a training or evaluation loader whose batches are made on the device.

The drop-in for `app.ml.data.make_loader(LabelledImages(...))` when the device is a GPU: the
same samples, batch sizes, last-batch rule and, epoch for epoch, the same shuffled order as
SeededLoader (its generator is drawn from the same way), but decoding in batches on the device
(`Decoder`), augmentation on the device (`Pipeline`), a cache of decoded images (`DecodedCache`)
and a background thread that prepares the next batches while the model computes (`prefetch`).

Reproducible like SeededLoader: call `set_epoch(epoch)` before each epoch (engine.fit does) and
an epoch draws the same batches and the same augmentations whether the run went straight through
or was resumed from a checkpoint. The global random generators are never touched.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import get_args

import numpy as np
import torch

from app.ml.data import epoch_seed
from app.ml.fastpath.cache import CacheBudget, DecodedCache
from app.ml.fastpath.decode import Decoder, Failure
from app.ml.fastpath.pipeline import Pipeline
from app.ml.fastpath.prefetch import prefetched
from app.ml.images import ImageRejected, RejectReason
from app.ml.transforms import Mode, TransformSpec

Batch = tuple[torch.Tensor, torch.Tensor]


class DeviceBatches:
    """(images, labels) batches on `device`: images float32 (N, 3, S, S), normalised,
    channels_last on CUDA; labels int64 (N,)."""

    def __init__(
        self,
        samples: Sequence[tuple[Path, int]],
        spec: TransformSpec,
        mode: Mode,
        mean: Sequence[float],
        std: Sequence[float],
        device: torch.device | str,
        batch_size: int,
        *,
        shuffle: bool = False,
        seed: int = 0,
        cache: bool = True,
        budget: CacheBudget | None = None,
        workers: int = 0,
        prefetch: int = 2,
        max_pixels: int | None = None,
    ) -> None:
        self.samples = list(samples)
        size = len(self.samples)
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if shuffle and batch_size < 2:
            raise ValueError("a training batch_size must be at least 2: BatchNorm needs 2 images")
        if shuffle and size < 2:
            raise ValueError(f"training needs at least 2 images, got {size}")
        self.device = torch.device(device)
        self.batch_size, self.shuffle, self.seed = batch_size, shuffle, seed
        self.drop_last = shuffle and size % batch_size == 1  # as make_loader: no batch of one
        self.pipeline = Pipeline(spec, mode, mean, std)
        self.decoder = Decoder(self.pipeline, self.device, max_pixels=max_pixels, workers=workers)
        if not cache:
            budget = CacheBudget.none()
        self.cache = DecodedCache(budget or CacheBudget.default(self.device), self.device)
        self.prefetch_depth = prefetch
        self.generator = torch.Generator().manual_seed(seed)

    def set_epoch(self, epoch: int) -> None:
        self.generator.manual_seed(epoch_seed(self.seed, epoch))

    def __len__(self) -> int:
        size = len(self.samples)
        return size // self.batch_size if self.drop_last else math.ceil(size / self.batch_size)

    @property
    def decodes(self) -> int:
        """Images decoded so far: after a fully cached first epoch, it stops growing."""
        return self.decoder.decoded

    def close(self) -> None:
        self.decoder.close()

    def __iter__(self) -> Iterator[Batch]:
        # As a DataLoader over SeededLoader's generator: a base seed first, then the order.
        base_seed = int(torch.empty((), dtype=torch.int64).random_(generator=self.generator))
        size = len(self.samples)
        order = (
            torch.randperm(size, generator=self.generator).tolist() if self.shuffle else range(size)
        )
        batches = [
            (number, list(order[start : start + self.batch_size]))
            for number, start in enumerate(range(0, len(self) * self.batch_size, self.batch_size))
        ]
        seed = base_seed % 2**64
        return prefetched(
            lambda job: self._batch(job[1], np.random.default_rng([seed, job[0]])),
            batches,
            depth=self.prefetch_depth,
            device=self.device,
            tensors=lambda batch: batch,
        )

    def _batch(self, indices: list[int], rng: np.random.Generator) -> Batch:
        images = self.cache.get_many(indices)
        missing = [k for k, image in enumerate(images) if image is None]
        if missing:
            outcomes = self.decoder.decode([self.samples[indices[k]][0] for k in missing])
            for k, outcome in zip(missing, outcomes, strict=True):
                if isinstance(outcome, Failure):
                    raise _error(outcome)
                self.cache.put(indices[k], outcome)
                images[k] = outcome
        ready = [image for image in images if image is not None]
        draws = None
        if self.pipeline.random:
            draws = [self.pipeline.draw(rng, image.shape[-2], image.shape[-1]) for image in ready]
        batch = self.pipeline.apply(ready, draws)
        if self.device.type == "cuda":
            batch = batch.contiguous(memory_format=torch.channels_last)
        labels = torch.tensor([self.samples[i][1] for i in indices], dtype=torch.int64)
        if self.device.type == "cuda":
            labels = labels.pin_memory()
        return batch, labels.to(self.device, non_blocking=True)


def _error(failure: Failure) -> ImageRejected:
    # Training fails on a bad image as the PIL path does: with open_rgb's ImageRejected.
    reason = failure.reason if failure.reason in get_args(RejectReason) else "unreadable"
    return ImageRejected(reason, failure.message)  # type: ignore[arg-type]
