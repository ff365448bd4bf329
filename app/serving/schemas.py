"""The predict request and response. The JSON form of the request is PredictRequest; the
multipart and raw-image forms carry the same images as files or bytes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt


class ImageSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: str | None = Field(None, description="Base64, or a data URI (data:image/png;base64,...).")
    uri: str | None = Field(None, description="Or a file:// or s3:// URI the server may read.")
    name: str | None = Field(None, max_length=200, description="Echoed back.")


class PredictOptions(BaseModel):
    """What a predict request may set besides its images, in the query or in the body (JSON
    fields, or multipart fields beside `files`); a value given in both must agree."""

    model_config = ConfigDict(extra="forbid")

    top_k: StrictInt | None = Field(None, ge=1, le=1000, description="Default 1.")
    include_probabilities: StrictBool | None = Field(
        None, description="Every class's probability too. Default false."
    )


class PredictRequest(PredictOptions):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "images": [{"data": "data:image/png;base64,<base64 of a PNG>", "name": "a"}],
                    "top_k": 1,
                }
            ]
        },
    )

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
