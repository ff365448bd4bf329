from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, StrictInt, model_validator

from app.api.fields import Float, Text
from app.datasets.schemas import SourceFormat
from app.jobs.schemas import JobError, MaxRuntimeSeconds, Transition
from app.jobs.states import JobStatus
from app.serving.schemas import LabelProbability


class OutputFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


class ScoringJobCreate(BaseModel):
    """Score images with a trained model (Azure's Score Image Model), as a job."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "model_id": "<a trained model's id>",
                    "dataset_id": "<a ready dataset's id>",
                    "output_format": "csv",
                    "top_k": 1,
                }
            ]
        },
    )

    model_id: Text = Field(description="A trained model.")
    dataset_id: Text | None = Field(None, description="A ready dataset (labelled or not).")
    input_uri: Text | None = Field(
        None,
        max_length=2048,
        description="Or an image folder, archive or manifest (file:// or s3://).",
    )
    input_format: SourceFormat = Field(SourceFormat.AUTO, description="For input_uri.")
    output_uri: Text | None = Field(
        None,
        max_length=2048,
        description="A file:// or s3:// folder for the output; default: the job's own storage.",
    )
    output_format: OutputFormat = OutputFormat.CSV
    top_k: StrictInt = Field(1, ge=1, le=1000, description="At most the model's class count.")
    confidence_threshold: Float | None = Field(
        None,
        ge=0,
        le=1,
        description="Below this top-1 probability `Scored Labels` is empty and "
        "`Below Threshold` true.",
    )
    batch_size: StrictInt | None = Field(
        None, ge=1, description="Default: from memory; at most the server's max_batch_size (4096)."
    )
    max_runtime_seconds: MaxRuntimeSeconds | None = None

    @model_validator(mode="after")
    def _one_input(self) -> ScoringJobCreate:
        if (self.dataset_id is None) == (self.input_uri is None):
            raise ValueError("give exactly one of dataset_id and input_uri")
        return self


class ScoringProgress(BaseModel):
    phase: str | None = None
    done: int | None = None
    total: int | None = None
    percent: float | None = None
    eta_seconds: float | None = None


class ScoringJobLinks(BaseModel):
    self: str
    output: str
    output_rows: str
    errors: str
    error_rows: str
    evaluation: str
    logs: str
    events: str
    cancel: str


class ScoringOutput(BaseModel):
    predictions_uri: str
    errors_uri: str
    images_scored: int
    images_failed: int
    evaluation: bool = Field(description="Whether the input had labels to evaluate against.")


class ScoringJob(BaseModel):
    id: str
    status: JobStatus
    sub_status: str | None
    waiting_reason: str | None
    progress: ScoringProgress | None
    model_id: str
    dataset_id: str | None
    input_uri: str | None
    output_format: OutputFormat
    top_k: int
    confidence_threshold: float | None
    batch_size: int | None
    attempts: int
    max_attempts: int
    cancel_requested: bool
    output: ScoringOutput | None
    error: JobError | None
    transitions: list[Transition]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    links: ScoringJobLinks


class ScoredImage(BaseModel):
    """One row of the predictions file, typed: the same figures as its Azure-named columns."""

    id: str = Field(description="`id`: the image's path in the input.")
    category: str | None = Field(description="`category`: the true class; labelled input only.")
    scored_label: str | None = Field(
        description="`Scored Labels`: the most probable class; null below the confidence threshold."
    )
    probabilities: dict[str, float] = Field(
        description="`Scored Probabilities_<class>`: every class's probability."
    )
    top_k: list[LabelProbability] = Field(
        description="`Top <i> Label` and `Top <i> Probability`, most probable first."
    )
    below_threshold: bool | None = Field(
        description="`Below Threshold`: set only when the job had a confidence_threshold."
    )


class ScoringFailure(BaseModel):
    """One row of the errors file: an image that could not be scored."""

    id: str = Field(description="The image's path in the input.")
    reason: str = Field(description="A short code, such as `unreadable`.")
    message: str


class Averages(BaseModel):
    macro: float | None
    micro: float | None
    weighted: float | None = Field(description="Weighted by each class's support.")


class ClassEvaluation(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    class_name: str = Field(alias="class")
    precision: float | None
    recall: float | None
    f1: float | None
    support: int = Field(description="Images whose true class this is.")


class ConfusionMatrix(BaseModel):
    labels: list[str]
    matrix: list[list[int]] = Field(description="Rows: true class; columns: predicted class.")


class Evaluation(BaseModel):
    """Azure's Evaluate Model figures for a classifier. A ratio is null when there were no
    images; a class's 0/0 is 0."""

    count: int = Field(description="Labelled images scored.")
    accuracy: float | None
    top_k: int = Field(description="The k of top_k_accuracy: the job's, at most the classes.")
    top_k_accuracy: float | None
    precision: Averages
    recall: Averages
    f1: Averages
    per_class: list[ClassEvaluation]
    log_loss: float | None = Field(description="Mean natural-log cross-entropy.")
    confusion_matrix: ConfusionMatrix


class Better(StrEnum):
    A = "a"
    B = "b"
    EQUAL = "equal"


class Difference(BaseModel):
    a: float | None = Field(description="The first job's figure.")
    b: float | None = Field(description="The second job's figure.")
    difference: float | None = Field(description="b - a; null when either is null.")
    better: Better | None = Field(description="Which job is better on this figure.")


class ClassDifferences(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    class_name: str = Field(alias="class")
    support: int
    precision: Difference
    recall: Difference
    f1: Difference


class Differences(BaseModel):
    count: int
    top_k: int
    metrics: dict[str, Difference] = Field(
        description="accuracy, top_k_accuracy, log_loss and <precision|recall|f1>_<average>."
    )
    per_class: list[ClassDifferences]


class Comparison(BaseModel):
    first_job_id: str
    second_job_id: str
    differences: Differences = Field(description="second minus first, per metric and class.")
