from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    model_validator,
)

from app.api.fields import Float, Text
from app.jobs.schemas import JobError, MaxRuntimeSeconds, Transition
from app.jobs.states import JobStatus
from app.ml.engine import StopReason
from app.ml.schedule import LrSchedule
from app.ml.train_config import OPTIONS, MixedPrecision, Optimizer, TrainConfig
from app.models.schemas import Tag


class SubStatus(StrEnum):
    STAGING_DATA = "staging_data"
    TRAINING = "training"
    UPLOADING = "uploading"


def _option(name: str) -> Any:
    """The engine's default, bounds and meaning of one option, as a pydantic Field."""
    default, bounds = OPTIONS[name]
    return Field(
        default,
        ge=bounds.ge,
        gt=bounds.gt,
        le=bounds.le,
        lt=bounds.lt,
        description=bounds.doc or None,
    )


# The engine's TrainConfig, field for field: app/ml/train_config.py is the one definition of
# each option's default, bounds and meaning (tests/training/test_schemas.py checks the two list
# the same options), plus the job's own max_runtime_seconds.
class Hyperparameters(BaseModel):
    """Azure's Train PyTorch Model parameters and defaults, and a few beyond them."""

    model_config = ConfigDict(extra="forbid")

    epochs: StrictInt = _option("epochs")
    batch_size: StrictInt = _option("batch_size")
    warmup_epochs: StrictInt = _option("warmup_epochs")
    learning_rate: Float = _option("learning_rate")
    random_seed: StrictInt = _option("random_seed")
    patience: StrictInt = _option("patience")
    print_frequency: StrictInt = _option("print_frequency")
    optimizer: Optimizer = _option("optimizer")
    lr_schedule: LrSchedule = _option("lr_schedule")
    weight_decay: Float | None = _option("weight_decay")
    label_smoothing: Float = _option("label_smoothing")
    mixed_precision: MixedPrecision = _option("mixed_precision")
    compile: StrictBool = _option("compile")
    max_runtime_seconds: MaxRuntimeSeconds | None = Field(
        None, description="Stop the job after this."
    )

    @model_validator(mode="after")
    def _engine_rules(self) -> Hyperparameters:
        self.train_config()  # the rules between fields (warmup and epochs), from the engine
        return self

    def train_config(self) -> TrainConfig:
        return TrainConfig(**self.model_dump(include=set(OPTIONS)))


class TrainingJobCreate(Hyperparameters):
    model_config = ConfigDict(
        extra="forbid",
        # Two quick epochs on a small dataset, on any machine (the Azure defaults are the
        # fields' own: 5 epochs of SGD at batch size 16).
        json_schema_extra={
            "examples": [
                {
                    "model_id": "<an untrained model's id>",
                    "train_dataset_id": "<a ready dataset's id>",
                    "transform_id": "<a transform's id>",
                    "epochs": 2,
                    "batch_size": 8,
                    "learning_rate": 0.003,
                    "optimizer": "adamw",
                }
            ]
        },
    )

    model_id: Text = Field(description="An untrained model (POST /v1/models).")
    train_dataset_id: Text = Field(description="A ready, labelled dataset.")
    validation_dataset_id: Text | None = Field(
        None, description="A ready dataset whose classes are all in the training set."
    )
    validation_fraction: Float | None = Field(
        None,
        gt=0,
        lt=1,
        description="Hold out this share of the training set instead (stratified, by "
        "random_seed). Default 0.1 when no validation dataset is given.",
    )
    transform_id: Text | None = Field(
        None,
        description="Default: random resized crop and flip for training, resize and "
        "center crop for evaluation, at the architecture's sizes.",
    )
    name: Text | None = Field(None, min_length=1, max_length=200, description="Trained model's.")
    tags: list[Tag] = Field(default_factory=list, max_length=50)

    @model_validator(mode="after")
    def _one_validation_source(self) -> TrainingJobCreate:
        if self.validation_dataset_id is not None and self.validation_fraction is not None:
            raise ValueError("give validation_dataset_id or validation_fraction, not both")
        return self

    def hyperparameters(self) -> Hyperparameters:
        return Hyperparameters.model_validate(
            self.model_dump(include=set(Hyperparameters.model_fields))
        )


class TrainingProgress(BaseModel):
    epoch: int | None = None
    epochs: int | None = None
    step: int | None = None
    steps_per_epoch: int | None = None
    percent: float | None = None
    eta_seconds: float | None = None
    phase: str | None = None


class TrainingJobLinks(BaseModel):
    self: str
    metrics: str
    logs: str
    events: str
    cancel: str
    trained_model: str | None


class TrainingJob(Hyperparameters):
    """A training job: the request's fields, flat as they were sent (hyperparameters included,
    with the defaults filled in), and where the job stands."""

    # Every field is always present in a response, defaults included: required in the schema.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)

    id: str
    status: JobStatus
    sub_status: SubStatus | None
    waiting_reason: str | None = Field(description="Why a queued job has not started.")
    progress: TrainingProgress | None
    model_id: str
    train_dataset_id: str
    validation_dataset_id: str | None
    validation_fraction: float | None
    transform_id: str | None
    name: str | None = Field(description="The trained model's name.")
    tags: list[str] = Field(description="The trained model's tags.")
    attempts: int
    max_attempts: int
    cancel_requested: bool
    trained_model_id: str | None
    best_epoch: int | None
    stop_reason: StopReason | None = Field(
        description="Why training stopped: all epochs ran, early stopping, or a cancel."
    )
    error: JobError | None
    transitions: list[Transition]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    links: TrainingJobLinks


class EpochMetrics(BaseModel):
    epoch: int = Field(description="1-based.")
    train_loss: float | None = Field(description="null when not finite (training diverged).")
    val_loss: float | None = Field(description="null when not finite.")
    val_top1: float = Field(description="Top-1 accuracy on the validation set, 0-1.")
    val_top5: float = Field(description="Top-5 (top-k for fewer classes) accuracy, 0-1.")
    learning_rate: float
    train_images_per_s: float
    val_images_per_s: float
    seconds: float


class MetricsList(BaseModel):
    items: list[EpochMetrics]
