"""Stage out: the trained model's directory, and its Model resource once the files are whole."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db.tables import JobRecord
from app.jobs.context import JobContext
from app.jobs.states import JobStatus
from app.ml.architectures import BuildOptions
from app.ml.engine import FitResult
from app.ml.model_dir import (
    CONFIG_FILE,
    CURVES_FILE,
    METRICS_FILE,
    WEIGHTS_FILE,
    ModelDirConfig,
    Preprocessing,
)
from app.ml.plot import training_curves_png
from app.ml.safetensors_io import save_file
from app.ml.train_config import TrainConfig
from app.models import service as models
from app.models.files import model_prefix
from app.models.schemas import SourceWeights
from app.training.job import BestEpoch, TrainingResult, TrainingSpec
from app.training.staging import Staged


def write_artifact(
    ctx: JobContext[TrainingSpec],
    staged: Staged,
    config: TrainConfig,
    result: FitResult,
    work: Path,
) -> TrainingResult:
    """Upload weights, metrics and curves first and config.json last: a directory without its
    config is never a model. Returns the job's result."""
    model_id = ctx.spec.trained_model_id
    prefix = model_prefix(model_id)
    assert result.best_state is not None
    summary = best_epoch_of(result)
    weights = work / WEIGHTS_FILE
    save_file(
        result.best_state,
        weights,
        metadata={
            "architecture": staged.model.architecture.value,
            "classes": json.dumps(staged.classes),
        },
    )
    ctx.store.put_file(prefix + WEIGHTS_FILE, weights)
    ctx.store.put_bytes(
        prefix + METRICS_FILE,
        json.dumps(
            {"epochs": [m.to_dict() for m in result.history], **summary.model_dump()}, indent=2
        ).encode(),
    )
    architecture = staged.model.architecture.value
    title = f"{ctx.spec.name} ({architecture})" if ctx.spec.name else architecture
    curves = training_curves_png(result.history, title=title, best_epoch=result.best_epoch)
    ctx.store.put_bytes(prefix + CURVES_FILE, curves)
    training = {"job_id": ctx.job_id, "hyperparameters": config.to_dict(), **summary.model_dump()}
    ctx.store.put_bytes(prefix + CONFIG_FILE, _trained_config(staged, training).to_json())
    source = staged.model.source_weights
    return TrainingResult(
        **summary.model_dump(),
        trained_model_id=model_id,
        storage_uri=ctx.store.uri_for(prefix.rstrip("/")),
        architecture=staged.model.architecture,
        pretrained=staged.model.pretrained,
        zero_init_residual=staged.model.options.zero_init_residual,
        memory_efficient=staged.model.options.memory_efficient,
        source_weights=SourceWeights.model_validate(source) if source else None,
        class_names=staged.classes,
    )


def best_epoch_of(result: FitResult) -> BestEpoch:
    assert result.best_epoch is not None
    best = result.history[result.best_epoch - 1]
    return BestEpoch(
        best_epoch=result.best_epoch,
        best_val_loss=best.val_loss,
        best_val_top1=best.val_top1,
        best_val_top5=best.val_top5,
        epochs_completed=len(result.history),
        stop_reason=result.stop_reason.value,
    )


def _trained_config(staged: Staged, training: dict[str, Any]) -> ModelDirConfig:
    """The untrained model's config.json, now naming its classes, weights and inference
    transformation."""
    prep = staged.model.preprocessing
    return dataclasses.replace(
        staged.model,
        num_classes=len(staged.classes),
        class_names=staged.classes,
        initial_weights=None,
        weights=WEIGHTS_FILE,
        inference_transform=staged.eval_transform.to_dict(),
        preprocessing=Preprocessing(
            resize_size=prep.resize_size, crop_size=prep.crop_size, mean=staged.mean, std=staged.std
        ),
        training=training,
    )


def on_training_end(session: Session, job: JobRecord) -> None:
    """In the transaction that ends the job: a succeeded job gets its one trained Model."""
    if job.status != JobStatus.SUCCEEDED or job.result is None:
        return
    result = TrainingResult.model_validate(job.result)
    spec = TrainingSpec.model_validate(job.spec)
    models.add_trained(
        session,
        model_id=result.trained_model_id,
        training_job_id=job.id,
        architecture=result.architecture,
        pretrained=result.pretrained,
        options=BuildOptions(
            zero_init_residual=result.zero_init_residual,
            memory_efficient=result.memory_efficient,
        ),
        source_weights=result.source_weights,
        class_names=result.class_names,
        metrics=BestEpoch.model_validate(result.model_dump()).model_dump(),
        storage_uri=result.storage_uri,
        name=spec.name,
        tags=spec.tags,
    )
