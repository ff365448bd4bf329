"""The predict request and response. The JSON form of the request is PredictRequest; the
multipart and raw-image forms carry the same images as files or bytes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ImageSpec(BaseModel):
    data: str | None = Field(None, description="Base64, or a data URI (data:image/png;base64,...).")
    uri: str | None = Field(None, description="Or a file:// or s3:// URI the server may read.")
    name: str | None = Field(None, max_length=200, description="Echoed back.")


class PredictRequest(BaseModel):
    images: list[ImageSpec] = Field(min_length=1)


class LabelProbability(BaseModel):
    label: str
    probability: float


class Prediction(BaseModel):
    index: int
    name: str
    label: str = Field(description="The most probable class.")
    top_k: list[LabelProbability]
    probabilities: dict[str, float] | None = Field(
        None, description="Every class, with include_probabilities=true."
    )


class PredictResponse(BaseModel):
    model_id: str
    predictions: list[Prediction]
