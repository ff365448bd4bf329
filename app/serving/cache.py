"""Trained models loaded from storage, kept in the runtime's cache (`Runtime.predictors`, an
app.ml.model_cache.ModelCache): predict and export share it, so a model is loaded once."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from app.errors import Conflict, NotFound
from app.ml.predict import TrainedModel, load_trained
from app.models.files import ModelFilesMissing, download_model_dir
from app.runtime import Runtime
from app.storage import ObjectStore


def load_from_storage(store: ObjectStore, model_id: str, workdir: Path) -> TrainedModel:
    """A trained model's directory, brought into a scratch folder under `workdir`, loaded on the
    CPU. The folder goes once loaded: the network is in memory, and disk is not a cache here."""
    workdir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="model-", dir=workdir))
    try:
        config = download_model_dir(store, model_id, folder)
        if config.weights is None:  # the caller checked the row; its files say otherwise
            raise Conflict(f"model {model_id} is not trained")
        return load_trained(folder, device="cpu")
    except ModelFilesMissing as exc:  # deleted between the caller's check and this load
        raise NotFound(str(exc)) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def loaded_model(runtime: Runtime, model_id: str) -> TrainedModel:
    """The trained model, from the cache or loaded into it. Callers check that the model exists
    and is trained first (its row), so a miss here costs one storage read, not an error."""
    workdir = runtime.settings.data_dir / "loaded"
    return runtime.predictors.get(
        model_id, lambda: load_from_storage(runtime.store, model_id, workdir)
    )
