"""The scoring job's typed spec, result and resume state."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from app.datasets.schemas import SourceFormat
from app.scoring.schemas import OutputFormat


class ScoringSpec(BaseModel):
    model_id: str
    dataset_id: str | None
    input_uri: str | None
    input_format: SourceFormat
    output_uri: str | None
    output_format: OutputFormat
    top_k: int
    confidence_threshold: float | None
    batch_size: int | None


class ScoringResult(BaseModel):
    predictions_uri: str
    errors_uri: str
    images_scored: int
    images_failed: int
    # app.ml.metrics.Evaluation.to_dict(), when every image had a label.
    evaluation: dict[str, Any] | None = None
    confusion_matrix_uri: str | None = None


class ScoringState(BaseModel):
    """Where a scoring job resumes: the parts written so far and what they counted."""

    parts_done: int = 0
    scored: int = 0
    failed: int = 0
    evaluation: dict[str, Any] | None = None  # EvaluationAccumulator.state(), when labelled
