"""Stage out: the trained model's directory, and its Model resource once the files are whole."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.db.tables import JobRecord, ModelRecord, ModelTagRecord
from app.db.types import utcnow
from app.jobs.context import JobContext
from app.ml.engine import FitResult, TrainConfig
from app.ml.model_dir import (
    CONFIG_FILE,
    CURVES_FILE,
    METRICS_FILE,
    WEIGHTS_FILE,
    Preprocessing,
)
from app.ml.plot import training_curves_png
from app.ml.safetensors_io import save_file
from app.training.staging import Staged


def model_prefix(model_id: str) -> str:
    return f"models/{model_id}/"


def write_artifact(
    ctx: JobContext, staged: Staged, config: TrainConfig, result: FitResult, work: Path
) -> dict[str, Any]:
    """Upload weights, metrics and curves first and config.json last: a directory without its
    config is never a model. Returns the job's result."""
    model_id: str = ctx.spec["trained_model_id"]
    prefix = model_prefix(model_id)
    assert result.best_state is not None and result.best_epoch is not None
    best = result.history[result.best_epoch - 1]
    summary = {
        "best_epoch": result.best_epoch,
        "best_val_loss": best.val_loss,
        "best_val_top1": best.val_top1,
        "best_val_top5": best.val_top5,
        "epochs_completed": len(result.history),
        "stop_reason": result.stop_reason.value,
    }
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
        json.dumps({"epochs": [m.to_dict() for m in result.history], **summary}, indent=2).encode(),
    )
    ctx.store.put_bytes(prefix + CURVES_FILE, training_curves_png(result.history))
    prep = staged.model.preprocessing
    config_json = dataclasses.replace(
        staged.model,
        num_classes=len(staged.classes),
        class_names=staged.classes,
        initial_weights=None,
        weights=WEIGHTS_FILE,
        inference_transform=staged.eval_transform.to_dict(),
        preprocessing=Preprocessing(
            resize_size=prep.resize_size, crop_size=prep.crop_size, mean=staged.mean, std=staged.std
        ),
        training={"job_id": ctx.job_id, "hyperparameters": config.to_dict(), **summary},
    )
    ctx.store.put_bytes(prefix + CONFIG_FILE, config_json.to_json())
    return {
        "trained_model_id": model_id,
        "storage_uri": ctx.store.uri_for(prefix.rstrip("/")),
        "architecture": staged.model.architecture.value,
        "pretrained": staged.model.pretrained,
        "zero_init_residual": staged.model.options.zero_init_residual,
        "memory_efficient": staged.model.options.memory_efficient,
        "source_weights": staged.model.source_weights,
        "class_names": staged.classes,
        **summary,
    }


def on_training_end(session: Session, job: JobRecord) -> None:
    """In the transaction that ends the job: a succeeded job gets its one trained Model."""
    if job.status != "succeeded" or not job.result:
        return
    result = job.result
    model_id = result["trained_model_id"]
    if session.get(ModelRecord, model_id) is not None:
        return
    source = result.get("source_weights") or {}
    now = utcnow()
    metrics_keys = (
        "best_epoch",
        "best_val_loss",
        "best_val_top1",
        "best_val_top5",
        "epochs_completed",
        "stop_reason",
    )
    session.add(
        ModelRecord(
            id=model_id,
            name=job.spec.get("name"),
            description=f"trained by job {job.id}",
            status="trained",
            architecture=result["architecture"],
            family="densenet" if result["architecture"].startswith("densenet") else "resnet",
            pretrained=result["pretrained"],
            zero_init_residual=result["zero_init_residual"],
            memory_efficient=result["memory_efficient"],
            weights_name=source.get("name"),
            weights_file=source.get("file_name"),
            weights_sha256=source.get("sha256"),
            num_classes=len(result["class_names"]),
            class_names=result["class_names"],
            training_job_id=job.id,
            metrics={k: result[k] for k in metrics_keys},
            storage_uri=result["storage_uri"],
            created_at=now,
            updated_at=now,
            tags=[ModelTagRecord(tag=t) for t in sorted(set(job.spec.get("tags") or []))],
        )
    )
    session.flush()
