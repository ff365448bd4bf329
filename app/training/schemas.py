from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    model_validator,
)

from app.api.fields import Text
from app.jobs.schemas import JobError, JobState, MaxRuntimeSeconds, Transition
from app.models.schemas import Tag


class SubStatus(StrEnum):
    STAGING_DATA = "staging_data"
    TRAINING = "training"
    UPLOADING = "uploading"


class Optimizer(StrEnum):
    SGD = "sgd"
    ADAMW = "adamw"


class LrSchedule(StrEnum):
    POLY = "poly"
    COSINE = "cosine"
    STEP = "step"
    CONSTANT = "constant"


class MixedPrecision(StrEnum):
    AUTO = "auto"
    OFF = "off"
    BF16 = "bf16"
    FP16 = "fp16"


class Hyperparameters(BaseModel):
    """Azure's Train PyTorch Model parameters and defaults, and a few beyond them."""

    model_config = ConfigDict(extra="forbid")

    epochs: StrictInt = Field(5, ge=1, le=1000)
    batch_size: StrictInt = Field(
        16, ge=2, description="At least 2 (BatchNorm); at most the server's max_batch_size (4096)."
    )
    warmup_epochs: StrictInt = Field(0, ge=0, description="Linear warmup; must be below `epochs`.")
    learning_rate: StrictFloat = Field(0.001, gt=0, le=10)
    random_seed: StrictInt = Field(1, ge=0, le=2**32 - 1)
    patience: StrictInt = Field(3, ge=1, description="Epochs without a better validation loss.")
    print_frequency: StrictInt = Field(10, ge=1, description="Steps between progress records.")
    optimizer: Optimizer = Field(
        Optimizer.SGD, description="sgd: momentum 0.9, Nesterov (Azure); adamw."
    )
    lr_schedule: LrSchedule = Field(
        LrSchedule.POLY, description="poly: Azure's warmup then power-2 decay."
    )
    weight_decay: StrictFloat | None = Field(
        None, ge=0, le=1, description="Default: 1e-4 for sgd (Azure), 0.01 for adamw."
    )
    label_smoothing: StrictFloat = Field(0.0, ge=0, lt=1)
    mixed_precision: MixedPrecision = Field(
        MixedPrecision.AUTO, description="auto: bf16 on a GPU that has it, else full precision."
    )
    compile: StrictBool = Field(
        False,
        description=(
            "torch.compile the network (GPU jobs only; a CPU job runs without it and says so "
            "in its log). Compiling takes a minute or more before the first step, so it pays "
            "only for long runs; checkpoints and resume are unaffected."
        ),
    )
    max_runtime_seconds: MaxRuntimeSeconds | None = Field(
        None, description="Stop the job after this."
    )

    @model_validator(mode="after")
    def _warmup_below_epochs(self) -> Hyperparameters:
        if self.warmup_epochs >= self.epochs:
            raise ValueError(
                f"warmup_epochs ({self.warmup_epochs}) must be below epochs ({self.epochs})"
            )
        return self


class TrainingJobCreate(Hyperparameters):
    model_config = ConfigDict(extra="forbid")

    model_id: Text = Field(description="An untrained model (POST /v1/models).")
    train_dataset_id: Text = Field(description="A ready, labelled dataset.")
    validation_dataset_id: Text | None = Field(
        None, description="A ready dataset whose classes are all in the training set."
    )
    validation_fraction: StrictFloat | None = Field(
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

    def hyperparameters(self) -> dict[str, Any]:
        return Hyperparameters.model_validate(
            self.model_dump(include=set(Hyperparameters.model_fields))
        ).model_dump(mode="json")


class Progress(BaseModel):
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


class TrainingJob(BaseModel):
    id: str
    status: JobState
    sub_status: SubStatus | None
    waiting_reason: str | None = Field(description="Why a queued job has not started.")
    progress: Progress | None
    model_id: str
    train_dataset_id: str
    validation_dataset_id: str | None
    validation_fraction: float | None
    transform_id: str | None
    hyperparameters: Hyperparameters
    attempts: int
    max_attempts: int
    cancel_requested: bool
    trained_model_id: str | None
    best_epoch: int | None
    stop_reason: str | None
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
