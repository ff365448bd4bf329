"""Scoring files: decode, transform and predict, reporting every image that cannot be read
instead of failing. What a scoring job runs for each part (app/scoring/chunks.py) and what
bench/speed.py measures.

Two data paths give the same probabilities within EQUIVALENCE's tolerance:

* "pil", the CPU default: open_rgb + the model's PIL transform per image. With `workers` = 0 the
  images are decoded in a background thread while the model computes on the previous batch
  (Pillow and torch both release the GIL); with `workers` > 0 in DataLoader worker processes.
* "device", the CUDA default: `Decoder` (nvJPEG in batches) + `Pipeline` on the GPU, prefetched
  on a side stream; probabilities stay on the GPU until the end, so it never waits for them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import torch
from torch.utils.data import DataLoader, Dataset

from app.ml.fastpath.decode import Decoder, Failure
from app.ml.fastpath.pipeline import Pipeline
from app.ml.fastpath.prefetch import prefetched
from app.ml.images import ImageRejected, open_rgb
from app.ml.predict import TrainedModel, device_probabilities

DataPath = Literal["auto", "pil", "device"]
# (positions of the images in the batch, their tensors, (position, why) of the failures)
Scored = tuple[list[int], torch.Tensor | None, list[tuple[int, str]]]


def use_device_path(device: torch.device | str, data_path: DataPath = "auto") -> bool:
    """Whether to decode and transform on the device: "auto" does on CUDA and not on the CPU,
    where the PIL path is the tested default; "pil" and "device" force one (tests, bench)."""
    if data_path not in ("auto", "pil", "device"):
        raise ValueError(f"data_path must be 'auto', 'pil' or 'device', not {data_path!r}")
    if data_path == "auto":
        return torch.device(device).type == "cuda"
    return data_path == "device"


@dataclass
class FilePredictions:
    positions: list[int]  # of the scored files, in the order of `probabilities`' rows
    probabilities: torch.Tensor  # float32 (len(positions), classes), on the CPU
    failures: dict[int, str]  # position -> "reason: message"


def predict_files(
    model: TrainedModel,
    paths: Sequence[Path | None],
    batch_size: int,
    *,
    max_pixels: int | None = None,
    workers: int = 0,
    data_path: DataPath = "auto",
    prefetch: int = 2,
) -> FilePredictions:
    """Class probabilities for every file that decodes; a None path is reported "missing"."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if use_device_path(model.device, data_path):
        batches = _device_batches(model, paths, batch_size, max_pixels, workers, prefetch)
    else:
        batches = _pil_batches(model, paths, batch_size, max_pixels, workers, prefetch)
    positions: list[int] = []
    outputs: list[torch.Tensor] = []
    failures: dict[int, str] = {}
    for scored, batch, bad in batches:
        failures.update(bad)
        if batch is not None:
            positions += scored
            outputs.append(device_probabilities(model, batch))
    classes = len(model.class_names)
    probabilities = torch.cat(outputs).cpu() if outputs else torch.zeros(0, classes)
    return FilePredictions(positions, probabilities, failures)


def _jobs(count: int, batch_size: int) -> list[list[int]]:
    return [list(range(s, min(s + batch_size, count))) for s in range(0, count, batch_size)]


def _device_batches(
    model: TrainedModel,
    paths: Sequence[Path | None],
    batch_size: int,
    max_pixels: int | None,
    workers: int,
    depth: int,
) -> Iterator[Scored]:
    prep = model.config.preprocessing
    pipeline = Pipeline(model.transform_spec, "eval", prep.mean, prep.std)
    decoder = Decoder(pipeline, model.device, max_pixels=max_pixels, workers=workers)
    cuda = model.device.type == "cuda"

    def produce(positions: list[int]) -> Scored:
        good: list[tuple[int, torch.Tensor]] = []
        bad: list[tuple[int, str]] = []
        for i, outcome in zip(
            positions, decoder.decode([paths[i] for i in positions]), strict=True
        ):
            if isinstance(outcome, Failure):
                bad.append((i, outcome.why))
            else:
                good.append((i, outcome))
        batch = pipeline.apply([image for _, image in good]) if good else None
        if batch is not None and cuda:
            batch = batch.contiguous(memory_format=torch.channels_last)
        return [i for i, _ in good], batch, bad

    try:
        yield from prefetched(
            produce,
            _jobs(len(paths), batch_size),
            depth=depth,
            device=model.device,
            tensors=lambda item: () if item[1] is None else (item[1],),
        )
    finally:
        decoder.close()


Item = tuple[int, torch.Tensor | None, str | None]


class _Images(Dataset[Item]):
    """(position, tensor) per image, or (position, None, why) when it cannot be decoded."""

    def __init__(
        self, paths: Sequence[Path | None], model: TrainedModel, max_pixels: int | None
    ) -> None:
        self.paths, self.transform, self.max_pixels = paths, model.transform, max_pixels

    def __len__(self) -> int:
        return len(self.paths)

    def __getitem__(self, index: int) -> Item:
        path = self.paths[index]
        if path is None:
            return index, None, "missing"
        try:
            return index, self.transform(open_rgb(path, self.max_pixels)), None
        except ImageRejected as exc:
            return index, None, f"{exc.reason}: {exc.message}"
        except (OSError, ValueError) as exc:
            return index, None, f"unreadable: {exc}"


def _collate(items: list[Item]) -> Scored:
    good = [(i, t) for i, t, _ in items if t is not None]
    bad = [(i, why or "unreadable") for i, t, why in items if t is None]
    batch = torch.stack([t for _, t in good]) if good else None
    return [i for i, _ in good], batch, bad


def _pil_batches(
    model: TrainedModel,
    paths: Sequence[Path | None],
    batch_size: int,
    max_pixels: int | None,
    workers: int,
    depth: int,
) -> Iterator[Scored]:
    loader = DataLoader(
        _Images(paths, model, max_pixels),
        batch_size=batch_size,
        num_workers=workers,
        collate_fn=_collate,
        pin_memory=model.device.type == "cuda",
    )
    if workers > 0:  # the workers already run ahead
        yield from loader
        return
    # Decode the next batch in a thread while the model computes on this one.
    batches = iter(loader)
    yield from prefetched(
        lambda _: next(batches), range(len(loader)), depth=depth, device=torch.device("cpu")
    )
