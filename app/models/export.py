"""Exporting a trained model for other runtimes: a zip of the model file and metadata.json
(class names, preprocessing, how to call it), built once per format and kept in storage."""

from __future__ import annotations

import tempfile
import zipfile
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from app.errors import Conflict
from app.ml.export import export_model
from app.models.files import model_prefix
from app.models.schemas import ModelStatus
from app.models.service import get_model
from app.runtime import Runtime
from app.serving.cache import loaded_model


class ExportFormat(StrEnum):
    ONNX = "onnx"
    TORCHSCRIPT = "torchscript"
    SAFETENSORS = "safetensors"


def export_bundle(
    session: Session, runtime: Runtime, model_id: str, fmt: ExportFormat
) -> tuple[bytes, str]:
    store = runtime.store
    record = get_model(session, model_id)
    if record.status != ModelStatus.TRAINED:
        raise Conflict(f"Model {model_id} is {record.status}: only trained models export.")
    name = f"{record.architecture}-{model_id[:8]}-{fmt.value}.zip"
    key = f"{model_prefix(model_id)}exports/{fmt.value}.zip"
    if store.exists(key):  # a trained model never changes, so neither does its export
        return store.get_bytes(key), name
    model = loaded_model(runtime, model_id)  # the one predict loaded, if it did
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "export"
        folder.mkdir()
        export_model(model, fmt.value, folder)
        bundle = Path(tmp) / name
        with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(folder.iterdir()):
                zf.write(path, path.name)
        store.put_file(key, bundle)
        return bundle.read_bytes(), name
