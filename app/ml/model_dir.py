"""The model directory: what a stored model is made of, readable by a training job alone.

config.json            ModelDirConfig below
initial_weights.pt     backbone weights (ImageNet, head included), only when pretrained

and once trained:
weights.safetensors    the best weights by validation loss
metrics.json           per-epoch training metrics
training_curves.png    loss and accuracy per epoch
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from app.ml.architectures import Architecture, BuildOptions

CONFIG_FILE = "config.json"
INITIAL_WEIGHTS_FILE = "initial_weights.pt"
WEIGHTS_FILE = "weights.safetensors"
METRICS_FILE = "metrics.json"
CURVES_FILE = "training_curves.png"
FORMAT = "resnet-studio.model/v1"


@dataclass(frozen=True)
class Preprocessing:
    """How images were prepared for the weights this model starts from."""

    resize_size: int = 256
    crop_size: int = 224
    mean: tuple[float, float, float] = (0.485, 0.456, 0.406)
    std: tuple[float, float, float] = (0.229, 0.224, 0.225)


@dataclass(frozen=True)
class ModelDirConfig:
    architecture: Architecture
    pretrained: bool
    options: BuildOptions = field(default_factory=BuildOptions)
    # Set by training: the class count comes from the training data, not from the builder.
    num_classes: int | None = None
    class_names: list[str] | None = None
    initial_weights: str | None = None  # file in the directory, when pretrained
    weights: str | None = None  # trained weights (safetensors), once trained
    # The transformation scoring applies (app.ml.transforms.TransformSpec as a dict), once trained.
    inference_transform: dict[str, Any] | None = None
    training: dict[str, Any] = field(default_factory=dict)  # job, best epoch, metrics
    source_weights: dict[str, str] = field(default_factory=dict)  # name, file, sha256
    preprocessing: Preprocessing = field(default_factory=Preprocessing)

    def to_json(self) -> bytes:
        body: dict[str, Any] = {"format": FORMAT, **asdict(self)}
        body["architecture"] = self.architecture.value
        return json.dumps(body, indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> ModelDirConfig:
        body = json.loads(raw)
        if body.pop("format", None) != FORMAT:
            raise ValueError(f"not a {FORMAT} model directory config")
        prep = body.pop("preprocessing")
        return cls(
            architecture=Architecture(body.pop("architecture")),
            options=BuildOptions(**body.pop("options")),
            preprocessing=Preprocessing(
                resize_size=prep["resize_size"],
                crop_size=prep["crop_size"],
                mean=tuple(prep["mean"]),
                std=tuple(prep["std"]),
            ),
            **body,
        )
