"""Real-time prediction: a few images through a trained model, decoded exactly as the batch scorer
decodes them, answered with the same probabilities a scoring job writes."""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.errors import Conflict, InvalidRequest
from app.ml.predict import TrainedModel, predict_tensors
from app.models import service as models
from app.models.schemas import ModelStatus
from app.runtime import Runtime
from app.serving.cache import loaded_model
from app.serving.decoding import check_pixels, decode_batch
from app.serving.inputs import ImageInput
from app.serving.schemas import LabelProbability, Prediction, PredictResponse


def require_trained(session: Session, model_id: str) -> None:
    """404 or 409 unless the model exists and is trained. Predict checks this before it reads
    any image by URI, so a bogus model id tells nothing about them (whether a file exists)."""
    record = models.get_model(session, model_id)
    if record.status != ModelStatus.TRAINED:
        raise Conflict(f"model {model_id} is {record.status}; predict with a trained model")


async def predict(
    runtime: Runtime,
    model_id: str,
    images: list[ImageInput],
    top_k: int,
    include_probabilities: bool,
) -> PredictResponse:
    """For a model require_trained accepted. Storage, decoding and the network block: each runs
    in a thread, decoding in the runtime's own few (app.serving.decoding)."""
    model = await run_in_threadpool(_ready_model, runtime, model_id, images, top_k)
    batch = await decode_batch(runtime, model, images)
    rows = (await run_in_threadpool(predict_tensors, model, batch)).tolist()
    return PredictResponse(
        model_id=model_id,
        predictions=[
            _prediction(model, n, image.name, row, top_k, include_probabilities)
            for n, (image, row) in enumerate(zip(images, rows, strict=True))
        ],
    )


def _ready_model(
    runtime: Runtime, model_id: str, images: list[ImageInput], top_k: int
) -> TrainedModel:
    """The loaded model, once the request is known to fit it and the pixel budget."""
    check_pixels(images, runtime.settings)  # headers only, so too many pixels cost next to nothing
    model = loaded_model(runtime, model_id)
    if top_k > len(model.class_names):
        raise InvalidRequest(
            f"top_k {top_k} is more than the model's {len(model.class_names)} classes"
        )
    return model


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
