"""Where a model's files live in storage, and the one function that brings a model directory
from storage to a local folder (training stages it in, scoring and serving load it)."""

from __future__ import annotations

from pathlib import Path

from app.ml.model_dir import CONFIG_FILE, ModelDirConfig
from app.storage import ObjectNotFound, ObjectStore


class ModelFilesMissing(Exception):
    """The model's directory is gone from storage (the model was deleted meanwhile)."""


def model_prefix(model_id: str) -> str:
    """The storage prefix of a model's directory, trailing slash included."""
    return f"models/{model_id}/"


def read_model_config(store: ObjectStore, model_id: str) -> ModelDirConfig:
    try:
        return ModelDirConfig.from_json(store.get_bytes(model_prefix(model_id) + CONFIG_FILE))
    except ObjectNotFound:
        raise ModelFilesMissing(f"model {model_id} was deleted") from None


def download_model_dir(store: ObjectStore, model_id: str, dest: Path) -> ModelDirConfig:
    """config.json and the weights it names (the trained ones, else the initial ones) into
    `dest`; returns the config. Raises ModelFilesMissing when the directory is gone."""
    config = read_model_config(store, model_id)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / CONFIG_FILE).write_bytes(config.to_json())
    weights = config.weights or config.initial_weights
    if weights is not None:
        try:
            store.download_file(model_prefix(model_id) + weights, dest / weights)
        except ObjectNotFound:
            raise ModelFilesMissing(f"model {model_id} was deleted") from None
    return config
