"""The REST shape of an image transformation: app.ml.transforms.TransformSpec, field for field.

Defaults come from TransformSpec itself so the API and the engine cannot drift apart. Ranges are
declared here too, so a bad value is a 422 naming the field; combinations (a crop larger than the
resize, no fixed size) are checked by TransformSpec.validate()."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from app.api.fields import Float, Text
from app.ml.transforms import TransformSpec

_D = TransformSpec()
MAX_SIZE = 4096  # pixels: far above any classifier's input, low enough to refuse typos

Size = Annotated[StrictInt, Field(ge=1, le=MAX_SIZE, description="Pixels.")]
Probability = Annotated[Float, Field(ge=0, le=1)]
Degrees = Annotated[Float, Field(ge=0, le=180, description="Rotate by up to ± this many degrees.")]
Strength = Annotated[Float, Field(ge=0)]
Fraction = Annotated[Float, Field(gt=0, le=1)]
Positive = Annotated[Float, Field(gt=0)]
RGB = tuple[Float, Float, Float]


class _Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResizeOption(_Option):
    """Scale the shorter edge to `size`, keeping the aspect ratio."""

    enabled: StrictBool = _D.resize.enabled
    size: Size = _D.resize.size


class CenterCropOption(_Option):
    enabled: StrictBool = _D.center_crop.enabled
    size: Size = _D.center_crop.size


class PadOption(_Option):
    enabled: StrictBool = _D.pad.enabled
    padding: StrictInt = Field(
        _D.pad.padding, ge=0, le=MAX_SIZE, description="Pixels on every side."
    )


class ColorJitterOption(_Option):
    """Random brightness, contrast and saturation factors in [1 - s, 1 + s]; hue shift in ±hue."""

    enabled: StrictBool = _D.color_jitter.enabled
    brightness: Strength = _D.color_jitter.brightness
    contrast: Strength = _D.color_jitter.contrast
    saturation: Strength = _D.color_jitter.saturation
    hue: Float = Field(_D.color_jitter.hue, ge=0, le=0.5)


class GrayscaleOption(_Option):
    """Always convert to gray (kept as 3 equal channels)."""

    enabled: StrictBool = _D.grayscale.enabled


class RandomResizedCropOption(_Option):
    enabled: StrictBool = _D.random_resized_crop.enabled
    size: Size = _D.random_resized_crop.size
    scale: tuple[Fraction, Fraction] = Field(
        _D.random_resized_crop.scale, description="[min, max] fraction of the area to crop."
    )
    ratio: tuple[Positive, Positive] = Field(
        _D.random_resized_crop.ratio, description="[min, max] aspect ratio of the crop."
    )


class RandomCropOption(_Option):
    enabled: StrictBool = _D.random_crop.enabled
    size: Size = _D.random_crop.size


class RandomHorizontalFlipOption(_Option):
    enabled: StrictBool = _D.random_horizontal_flip.enabled
    p: Probability = _D.random_horizontal_flip.p


class RandomVerticalFlipOption(_Option):
    enabled: StrictBool = _D.random_vertical_flip.enabled
    p: Probability = _D.random_vertical_flip.p


class RandomRotationOption(_Option):
    enabled: StrictBool = _D.random_rotation.enabled
    degrees: Degrees = _D.random_rotation.degrees


class RandomAffineOption(_Option):
    enabled: StrictBool = _D.random_affine.enabled
    degrees: Degrees = _D.random_affine.degrees
    translate: tuple[Probability, Probability] | None = Field(
        _D.random_affine.translate, description="Max shift as fractions of [width, height]."
    )
    scale: tuple[Positive, Positive] | None = Field(
        _D.random_affine.scale, description="[min, max] zoom factor."
    )


class RandomGrayscaleOption(_Option):
    enabled: StrictBool = _D.random_grayscale.enabled
    p: Probability = _D.random_grayscale.p


class RandomPerspectiveOption(_Option):
    enabled: StrictBool = _D.random_perspective.enabled
    p: Probability = _D.random_perspective.p
    distortion: Probability = _D.random_perspective.distortion


class RandomErasingOption(_Option):
    """Blank a random rectangle (after normalization, so it takes the mean colour)."""

    enabled: StrictBool = _D.random_erasing.enabled
    p: Probability = _D.random_erasing.p
    scale: tuple[Fraction, Fraction] = Field(
        _D.random_erasing.scale, description="[min, max] fraction of the area to erase."
    )
    ratio: tuple[Positive, Positive] = Field(
        _D.random_erasing.ratio, description="[min, max] aspect ratio of the erased area."
    )


class TransformOptions(BaseModel):
    """Azure's Init Image Transformation options, in the order they are applied. Inference
    ("eval") drops every random option and color jitter."""

    model_config = ConfigDict(extra="forbid")

    resize: ResizeOption = ResizeOption()
    center_crop: CenterCropOption = CenterCropOption()
    pad: PadOption = PadOption()
    color_jitter: ColorJitterOption = ColorJitterOption()
    grayscale: GrayscaleOption = GrayscaleOption()
    random_resized_crop: RandomResizedCropOption = RandomResizedCropOption()
    random_crop: RandomCropOption = RandomCropOption()
    random_horizontal_flip: RandomHorizontalFlipOption = RandomHorizontalFlipOption()
    random_vertical_flip: RandomVerticalFlipOption = RandomVerticalFlipOption()
    random_rotation: RandomRotationOption = RandomRotationOption()
    random_affine: RandomAffineOption = RandomAffineOption()
    random_grayscale: RandomGrayscaleOption = RandomGrayscaleOption()
    random_perspective: RandomPerspectiveOption = RandomPerspectiveOption()
    random_erasing: RandomErasingOption = RandomErasingOption()
    normalize_mean: RGB | None = Field(
        None, description="Per-channel mean; null: ImageNet's for pretrained models, else 0.5."
    )
    normalize_std: tuple[Positive, Positive, Positive] | None = Field(
        None, description="Per-channel std; null: ImageNet's for pretrained models, else 0.5."
    )


class TransformCreate(TransformOptions):
    """Every option is optional; omitted ones take Azure's defaults."""

    model_config = ConfigDict(
        extra="forbid",
        # Small images: what a first CPU run on a toy dataset wants.
        json_schema_extra={
            "examples": [
                {
                    "name": "small",
                    "resize": {"enabled": True, "size": 36},
                    "center_crop": {"enabled": True, "size": 32},
                    "random_horizontal_flip": {"enabled": True, "p": 0.5},
                }
            ]
        },
    )

    name: Text | None = Field(None, min_length=1, max_length=200)


class TransformLinks(BaseModel):
    self: str


class Transform(TransformOptions):
    id: str
    name: str | None
    created_at: datetime
    links: TransformLinks
