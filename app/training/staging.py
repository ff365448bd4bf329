"""Stage in for a training job: the model directory, the images (verified against the dataset
snapshot, cached by ETag), the class map and the transformations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from app.datasets.snapshot import IndexRow, read_index
from app.datasets.sources import ObjectCache, ObjectRef, SourceAccess
from app.datasets.split import SplitError, stratified_split
from app.jobs.context import JobContext
from app.jobs.errors import JobFailed
from app.ml.data import map_labels
from app.ml.model_dir import ModelDirConfig
from app.ml.state_io import load_state_dict
from app.ml.transforms import (
    Chance,
    Crop,
    RandomResizedCrop,
    Resize,
    TransformSpec,
    resolve_normalization,
)
from app.models.files import ModelFilesMissing, download_model_dir
from app.storage import ObjectChanged, ObjectNotFound
from app.training.job import TrainingSpec


@dataclass
class Staged:
    model: ModelDirConfig
    backbone: dict[str, torch.Tensor] | None
    classes: list[str]
    train: list[tuple[Path, int]]
    val: list[tuple[Path, int]]
    train_transform: TransformSpec
    eval_transform: TransformSpec
    mean: tuple[float, float, float]
    std: tuple[float, float, float]


def default_transforms(model: ModelDirConfig) -> tuple[TransformSpec, TransformSpec]:
    """torchvision's classification recipe at the architecture's sizes: random resized crop
    and flip to train; resize then center crop to evaluate."""
    prep = model.preprocessing
    train = TransformSpec(
        resize=Resize(enabled=False),
        center_crop=Crop(enabled=False),
        random_resized_crop=RandomResizedCrop(enabled=True, size=prep.crop_size),
        random_horizontal_flip=Chance(enabled=True, p=0.5),
    )
    evaluation = TransformSpec(
        resize=Resize(enabled=True, size=prep.resize_size),
        center_crop=Crop(enabled=True, size=prep.crop_size),
        random_horizontal_flip=Chance(enabled=False, p=0.5),
    )
    return train, evaluation


def _read_model(
    ctx: JobContext[TrainingSpec], work: Path
) -> tuple[ModelDirConfig, dict[str, Any] | None]:
    folder = work / "model"
    try:
        config = download_model_dir(ctx.store, ctx.spec.model_id, folder)
    except ModelFilesMissing as exc:
        raise JobFailed("model-missing", str(exc)) from None
    backbone = None
    if config.initial_weights:
        backbone = load_state_dict(folder / config.initial_weights)
    return config, backbone


def _rows(ctx: JobContext[TrainingSpec]) -> tuple[list[IndexRow], list[IndexRow]]:
    spec = ctx.spec
    try:
        train = read_index(ctx.store, spec.train_dataset_id)
        if spec.validation_dataset_id:
            return train, read_index(ctx.store, spec.validation_dataset_id)
    except ObjectNotFound:
        raise JobFailed("dataset-missing", "a dataset of this job was deleted") from None
    assert spec.validation_fraction is not None  # set at submit when there is no dataset
    seed = spec.hyperparameters.random_seed
    try:
        keep, held = stratified_split([r.label for r in train], 1 - spec.validation_fraction, seed)
    except SplitError as exc:
        raise JobFailed("invalid-split", str(exc)) from None
    return [train[i] for i in keep], [train[i] for i in held]


def stage(ctx: JobContext[TrainingSpec], work: Path) -> Staged:
    model, backbone = _read_model(ctx, work)
    train_rows, val_rows = _rows(ctx)
    # The class map comes from the training data alone (sorted); validation maps through it.
    classes = sorted({r.label for r in train_rows if r.label is not None})
    class_to_index = {name: i for i, name in enumerate(classes)}
    try:
        train_labels = map_labels([r.label or "" for r in train_rows], class_to_index)
        val_labels = map_labels([r.label or "" for r in val_rows], class_to_index)
    except ValueError as exc:
        raise JobFailed("validation-classes", str(exc)) from None
    cache = ObjectCache(ctx.settings.resolved_cache_dir / "objects", SourceAccess(ctx.settings))
    ctx.progress(phase="staging_data", done=0, total=len(train_rows) + len(val_rows))
    try:
        paths = cache.fetch_many([ObjectRef(r.uri, r.size, r.etag) for r in train_rows + val_rows])
    except ObjectChanged as exc:
        raise JobFailed("dataset-changed", f"{exc}; register the data again") from None
    except ObjectNotFound as exc:
        raise JobFailed("dataset-changed", f"{exc} was removed; register the data again") from None
    if ctx.spec.transform:
        train_tf = TransformSpec.from_dict(ctx.spec.transform)
        eval_tf = train_tf
    else:
        train_tf, eval_tf = default_transforms(model)
    mean, std = resolve_normalization(train_tf, model.pretrained)
    split = len(train_rows)
    return Staged(
        model=model,
        backbone=backbone,
        classes=classes,
        train=list(zip(paths[:split], train_labels, strict=True)),
        val=list(zip(paths[split:], val_labels, strict=True)),
        train_transform=train_tf,
        eval_transform=eval_tf,
        mean=mean,
        std=std,
    )
