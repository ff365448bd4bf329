"""The training job's typed spec and result: what a submitted training job asks for, fixed at
submission, and what it hands back for the trained model's record."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.ml.architectures import Architecture
from app.models.schemas import SourceWeights
from app.training.schemas import Hyperparameters


class TrainingSpec(BaseModel):
    model_id: str
    train_dataset_id: str
    validation_dataset_id: str | None
    validation_fraction: float | None  # set when there is no validation dataset
    transform_id: str | None
    # The transformation's spec as it was at submission (app.ml.transforms.TransformSpec).
    transform: dict[str, Any] | None
    hyperparameters: Hyperparameters
    name: str | None
    tags: list[str]
    # Fixed at submission: every attempt writes the same model, so a job makes exactly one.
    trained_model_id: str


class BestEpoch(BaseModel):
    """The trained model's metrics: its best epoch by validation loss."""

    best_epoch: int
    best_val_loss: float | None
    best_val_top1: float
    best_val_top5: float
    epochs_completed: int
    stop_reason: str


class TrainingResult(BestEpoch):
    trained_model_id: str
    storage_uri: str
    architecture: Architecture
    pretrained: bool
    zero_init_residual: bool
    memory_efficient: bool
    source_weights: SourceWeights | None
    class_names: list[str]
