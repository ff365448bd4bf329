"""Real-time prediction: trained models kept loaded in a small LRU cache, requests bounded in
size and image count, images decoded exactly as the batch scorer decodes them."""

from __future__ import annotations

import base64
import binascii
import shutil
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from app.config import Settings
from app.datasets.sources import SourceAccess, SourceNotAllowed
from app.errors import InvalidRequest
from app.ml.images import ImageRejected, decode_rgb
from app.ml.model_dir import CONFIG_FILE, ModelDirConfig
from app.ml.predict import TrainedModel, load_trained, predict_proba
from app.storage import ObjectNotFound, ObjectStore


@dataclass(frozen=True)
class ImageInput:
    name: str
    data: bytes


class ModelCache:
    """At most `capacity` models in memory, least recently used evicted; each model is loaded
    once even when many requests ask for it at the same moment."""

    def __init__(self, capacity: int, folder: Path) -> None:
        self.capacity = capacity
        self.folder = folder
        self._models: OrderedDict[str, TrainedModel] = OrderedDict()
        self._lock = threading.Lock()
        self._loading: dict[str, threading.Lock] = {}

    def get(self, model_id: str, store: ObjectStore) -> TrainedModel:
        with self._lock:
            if model_id in self._models:
                self._models.move_to_end(model_id)
                return self._models[model_id]
            loading = self._loading.setdefault(model_id, threading.Lock())
        with loading:
            with self._lock:
                if model_id in self._models:
                    return self._models[model_id]
            model = self._load(model_id, store)
            with self._lock:
                self._models[model_id] = model
                while len(self._models) > self.capacity:
                    self._models.popitem(last=False)
                self._loading.pop(model_id, None)
            return model

    def evict(self, model_id: str) -> None:
        with self._lock:
            self._models.pop(model_id, None)

    def __len__(self) -> int:
        return len(self._models)

    def _load(self, model_id: str, store: ObjectStore) -> TrainedModel:
        self.folder.mkdir(parents=True, exist_ok=True)
        prefix = f"models/{model_id}/"
        folder = Path(tempfile.mkdtemp(prefix="model-", dir=self.folder))
        try:
            config = ModelDirConfig.from_json(store.get_bytes(prefix + CONFIG_FILE))
            (folder / CONFIG_FILE).write_bytes(config.to_json())
            if config.weights is None:
                raise InvalidRequest(f"model {model_id} is not trained")
            store.download_file(prefix + config.weights, folder / config.weights)
            return load_trained(folder, device="cpu")
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def decode_base64(value: str, index: int) -> bytes:
    """Plain base64 or a data URI (`data:image/png;base64,...`)."""
    if value.startswith("data:"):
        header, _, value = value.partition(",")
        if ";base64" not in header:
            raise InvalidRequest(f"images[{index}]: data URIs must be base64-encoded")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidRequest(f"images[{index}]: not valid base64") from None


def read_uri(settings: Settings, uri: str, index: int, max_bytes: int) -> bytes:
    access = SourceAccess(settings)
    try:
        store, key = access.locate(uri)
        size = store.head(key).size
        if size > max_bytes:
            raise InvalidRequest(
                f"images[{index}]: {uri} is {size} bytes, more than the {max(max_bytes, 0)} "
                "left of this request's predict_max_bytes; score large images with a scoring job"
            )
        return store.get_bytes(key)
    except SourceNotAllowed as exc:
        raise InvalidRequest(f"images[{index}]: {exc}") from None
    except ObjectNotFound:
        raise InvalidRequest(f"images[{index}]: nothing at {uri}") from None


def decode_all(images: list[ImageInput], max_pixels: int) -> list[Image.Image]:
    decoded = []
    for n, image in enumerate(images):
        try:
            decoded.append(decode_rgb(image.data, image.name, max_pixels))
        except ImageRejected as exc:
            raise InvalidRequest(
                f"images[{n}] ({image.name}): {exc.reason}: {exc.message}"
            ) from None
    return decoded


def predict(
    model: TrainedModel, images: list[Image.Image], top_k: int, include_probabilities: bool
) -> list[dict[str, object]]:
    if top_k > len(model.class_names):
        raise InvalidRequest(
            f"top_k {top_k} is more than the model's {len(model.class_names)} classes"
        )
    probabilities = predict_proba(model, images)
    out: list[dict[str, object]] = []
    for row in probabilities.tolist():
        order = sorted(range(len(row)), key=lambda c: (-row[c], c))[:top_k]
        item: dict[str, object] = {
            "label": model.class_names[order[0]],
            "top_k": [{"label": model.class_names[c], "probability": row[c]} for c in order],
        }
        if include_probabilities:
            item["probabilities"] = dict(zip(model.class_names, row, strict=True))
        out.append(item)
    return out
