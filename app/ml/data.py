"""Labelled image samples as a Dataset, and reproducible data loaders over them."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from app.ml.images import open_rgb

Sample = tuple[Path, int]
Transform = Callable[[Image.Image], torch.Tensor]
ImageLoader = Callable[[Path], Image.Image]


class LabelledImages(Dataset[tuple[torch.Tensor, int]]):
    """(image tensor, class index) for each (path, class index) sample."""

    def __init__(
        self,
        samples: Sequence[Sample],
        transform: Transform,
        loader: ImageLoader = open_rgb,
    ) -> None:
        self.samples = list(samples)
        self.transform = transform
        self.loader = loader

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> tuple[torch.Tensor, int]:
        path, label = self.samples[index]
        return self.transform(self.loader(path)), label


def map_labels(names: Sequence[str], class_to_index: Mapping[str, int]) -> list[int]:
    """Class indices of `names` under the TRAINING class map. Azure numbered validation classes
    by the validation set's own sorted names, which mislabels everything after a missing class."""
    missing = sorted(set(names) - set(class_to_index))
    if missing:
        known = ", ".join(sorted(class_to_index))
        raise ValueError(
            f"{len(missing)} validation classes are not in the training data: "
            f"{', '.join(missing)} (training classes: {known})"
        )
    return [class_to_index[name] for name in names]


class SeededLoader(DataLoader[Any]):
    """A DataLoader whose randomness (shuffle order and worker seeds) is a function of
    (seed, epoch) alone. Call `set_epoch` before each epoch: an epoch then draws the same batches
    whether the run went straight through or was resumed from a checkpoint."""

    def __init__(self, dataset: Dataset[Any], *, seed: int, **kwargs: Any) -> None:
        self.seed = seed
        super().__init__(dataset, generator=torch.Generator().manual_seed(seed), **kwargs)

    def set_epoch(self, epoch: int) -> None:
        assert self.generator is not None
        self.generator.manual_seed(epoch_seed(self.seed, epoch))
        # A DistributedSampler (data-parallel training) shuffles by epoch the same way.
        set_sampler_epoch = getattr(self.sampler, "set_epoch", None)
        if callable(set_sampler_epoch):
            set_sampler_epoch(epoch)


def decode_workers(device_type: str) -> int:
    """Worker processes that decode images beside a job on `device_type`."""
    if device_type != "cuda":
        return 0  # decode in the job's process: no worker start-up on small CPU runs
    return min(os.cpu_count() or 1, 8)


def epoch_seed(seed: int, epoch: int) -> int:
    # SeedSequence mixes the pair, so (seed 1, epoch 2) and (seed 2, epoch 1) differ.
    return int(np.random.SeedSequence([seed, epoch]).generate_state(1, dtype=np.uint64)[0])


def make_loader(
    dataset: Dataset[Any],
    batch_size: int,
    shuffle: bool,
    seed: int,
    workers: int,
    device: torch.device | str,
) -> SeededLoader:
    """A loader for training (`shuffle=True`) or evaluation (`shuffle=False`).

    Training drops the last batch only when it would hold a single image: BatchNorm cannot
    normalise a batch of one in train mode.

    No worker_init_fn: torch (>= 1.9) already seeds each worker's Python, NumPy and torch
    generators from a base seed drawn from the loader's generator, so seeding that generator
    per epoch (`SeededLoader.set_epoch`) makes workers reproducible. Workers are not persistent:
    persistent ones would carry their generators across epochs, which a resumed run cannot
    reproduce."""
    size = len(dataset)  # type: ignore[arg-type]  # torch's Dataset declares no __len__
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if shuffle and batch_size < 2:
        raise ValueError("a training batch_size must be at least 2: BatchNorm needs 2 images")
    if workers < 0:
        raise ValueError(f"workers must be non-negative, got {workers}")
    if shuffle and size < 2:
        raise ValueError(f"training needs at least 2 images, got {size}")
    return SeededLoader(
        dataset,
        seed=seed,
        batch_size=batch_size,
        shuffle=shuffle,
        drop_last=shuffle and size % batch_size == 1,
        num_workers=workers,
        pin_memory=torch.device(device).type == "cuda",
    )
