from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from app.api.fields import Text
from app.ml.architectures import DEFAULT_ARCHITECTURE, Architecture, Family

Tag = Annotated[
    str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/=+-]*$")
]


class ModelStatus(StrEnum):
    UNTRAINED = "untrained"
    TRAINED = "trained"


class ModelCreate(BaseModel):
    """Build an untrained model, as the Azure ML designer's ResNet and DenseNet modules do."""

    model_config = ConfigDict(
        extra="forbid",
        # What Swagger UI's "Try it out" pre-fills: it needs no ImageNet weights in the store.
        json_schema_extra={
            "examples": [{"architecture": "resnet18", "pretrained": False, "name": "demo"}]
        },
    )

    architecture: Architecture = Field(DEFAULT_ARCHITECTURE, description="Network to build.")
    pretrained: StrictBool = Field(
        True, description="Start from ImageNet weights (from the weights store)."
    )
    zero_init_residual: StrictBool = Field(
        False,
        description="ResNet family only: zero-init the last BatchNorm of each residual branch.",
    )
    memory_efficient: StrictBool = Field(
        False, description="DenseNet only: gradient checkpointing (less memory, slower)."
    )
    name: Text | None = Field(None, min_length=1, max_length=200)
    description: Text | None = Field(None, max_length=4000)
    tags: list[Tag] = Field(default_factory=list, max_length=50)


class SourceWeights(BaseModel):
    name: str = Field(description="torchvision's weights enum the model starts from.")
    file_name: str
    sha256: str


class ModelLinks(BaseModel):
    self: str
    architecture: str
    training_curves: str | None = None


class Model(BaseModel):
    id: str
    name: str | None
    description: str | None
    tags: list[str]
    status: ModelStatus
    architecture: Architecture
    family: Family
    pretrained: bool
    zero_init_residual: bool
    memory_efficient: bool
    source_weights: SourceWeights | None = Field(
        description="The ImageNet weights, when pretrained."
    )
    num_classes: int | None = Field(description="Set by training; null while untrained.")
    class_names: list[str] | None = Field(description="Index i is class i; set by training.")
    training_job_id: str | None = Field(description="The job that trained this model.")
    metrics: dict[str, Any] | None = Field(
        description="Best epoch, its validation loss and accuracy, and why training stopped."
    )
    storage_uri: str = Field(description="The model directory in storage.")
    created_at: datetime
    updated_at: datetime
    links: ModelLinks
