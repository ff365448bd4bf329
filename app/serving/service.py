"""Real-time prediction: a few images through a trained model, decoded exactly as the batch scorer
decodes them, answered with the same probabilities a scoring job writes."""

from __future__ import annotations

from PIL import Image
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidRequest
from app.ml.images import ImageRejected, decode_rgb
from app.ml.predict import TrainedModel, predict_proba
from app.models import service as models
from app.models.schemas import ModelStatus
from app.runtime import Runtime
from app.serving.cache import loaded_model
from app.serving.inputs import ImageInput
from app.serving.schemas import LabelProbability, Prediction, PredictResponse


def predict(
    session: Session,
    runtime: Runtime,
    model_id: str,
    images: list[ImageInput],
    top_k: int,
    include_probabilities: bool,
) -> PredictResponse:
    """Blocking (storage, decoding, the network): run it off the event loop."""
    record = models.get_model(session, model_id)
    if record.status != ModelStatus.TRAINED:
        raise Conflict(f"model {model_id} is {record.status}; predict with a trained model")
    model = loaded_model(runtime, model_id)
    decoded = decode_all(images, runtime.settings.max_image_pixels)
    if top_k > len(model.class_names):
        raise InvalidRequest(
            f"top_k {top_k} is more than the model's {len(model.class_names)} classes"
        )
    return PredictResponse(
        model_id=model_id,
        predictions=[
            _prediction(model, n, image.name, row, top_k, include_probabilities)
            for n, (image, row) in enumerate(
                zip(images, predict_proba(model, decoded).tolist(), strict=True)
            )
        ],
    )


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


def _prediction(
    model: TrainedModel,
    index: int,
    name: str,
    row: list[float],
    top_k: int,
    include_probabilities: bool,
) -> Prediction:
    # Ties go to the lower class index, as in the batch scorer's Top <i> columns.
    order = sorted(range(len(row)), key=lambda c: (-row[c], c))[:top_k]
    return Prediction(
        index=index,
        name=name,
        label=model.class_names[order[0]],
        top_k=[LabelProbability(label=model.class_names[c], probability=row[c]) for c in order],
        probabilities=dict(zip(model.class_names, row, strict=True))
        if include_probabilities
        else None,
    )
