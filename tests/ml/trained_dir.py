"""A small trained model directory, written the way app/training/artifact.py writes one (untrained
weights: what matters here is the layout, not the accuracy), and images to score with it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import torch
from PIL import Image

from app.ml.architectures import Architecture, build_network
from app.ml.model_dir import CONFIG_FILE, WEIGHTS_FILE, ModelDirConfig, Preprocessing
from app.ml.safetensors_io import save_file
from app.ml.transforms import Crop, Resize, TransformSpec
from tests.fixtures.images import coloured_image

CLASS_NAMES = ("cat", "dog", "fox")
# Not ImageNet's statistics, so a test notices where they would be used instead.
MEAN = (0.4, 0.5, 0.6)
STD = (0.2, 0.25, 0.3)


def write_trained_dir(
    folder: Path,
    *,
    architecture: Architecture = Architecture.RESNET18,
    class_names: Sequence[str] = CLASS_NAMES,
    resize: int = 36,
    crop: int = 32,
    seed: int = 0,
) -> Path:
    """config.json + weights.safetensors of a `len(class_names)`-class network in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    network = build_network(architecture, len(class_names))
    # Running statistics unlike the (0, 1) defaults: eval and train mode then differ clearly.
    for name, tensor in network.state_dict().items():
        if name.endswith("running_mean"):
            tensor.uniform_(-0.1, 0.1)
        elif name.endswith("running_var"):
            tensor.uniform_(0.5, 1.5)
    save_file(
        network.state_dict(),
        folder / WEIGHTS_FILE,
        metadata={"architecture": architecture.value, "classes": json.dumps(list(class_names))},
    )
    spec = TransformSpec(resize=Resize(size=resize), center_crop=Crop(enabled=True, size=crop))
    config = ModelDirConfig(
        architecture=architecture,
        pretrained=False,
        num_classes=len(class_names),
        class_names=list(class_names),
        weights=WEIGHTS_FILE,
        inference_transform=spec.to_dict(),
        training={"job_id": "job-test", "best_epoch": 1},
        preprocessing=Preprocessing(resize_size=resize, crop_size=crop, mean=MEAN, std=STD),
    )
    (folder / CONFIG_FILE).write_bytes(config.to_json())
    return folder


def sample_images(count: int) -> list[Image.Image]:
    """Images of different sizes, aspect ratios and modes (RGB, grayscale, RGBA)."""
    images = []
    for i in range(count):
        image = coloured_image(CLASS_NAMES[i % 3], i, size=40 + 7 * i)
        if i % 3 == 1:
            image = image.resize((image.width + 13, image.height)).convert("L")
        elif i % 3 == 2:
            image = image.convert("RGBA")
        images.append(image)
    return images
