"""Training curves render as a readable PNG, whatever the history holds."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from app.ml.checkpoint import EpochMetrics
from app.ml.plot import BLUE, GREEN, HEIGHT, ORANGE, WIDTH, training_curves_png


def _history(val_losses: list[float]) -> list[EpochMetrics]:
    return [
        EpochMetrics(
            epoch=i + 1,
            train_loss=1.5 / (i + 1),
            val_loss=loss,
            val_top1=min(1.0, 0.4 + 0.1 * i),
            val_top5=min(1.0, 0.7 + 0.1 * i),
            learning_rate=1e-3,
            train_images_per_s=120.0,
            val_images_per_s=400.0,
            seconds=3.0,
        )
        for i, loss in enumerate(val_losses)
    ]


def _open(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGB")


def _has_colour(image: Image.Image, colour: tuple[int, int, int]) -> bool:
    """Any pixel within a few levels of `colour` (downscaling blends the edges of lines)."""
    distance = np.abs(np.asarray(image, dtype=np.int32) - np.array(colour)).sum(axis=-1)
    return bool((distance < 24).any())


def test_the_curves_are_a_png_with_every_series_drawn() -> None:
    image = _open(training_curves_png(_history([1.4, 0.9, 0.7, 0.65, 0.66])))
    assert image.size == (WIDTH, HEIGHT)
    for colour in (BLUE, ORANGE, GREEN):
        assert _has_colour(image, colour)


@pytest.mark.parametrize(
    "val_losses",
    [
        [0.8],  # one epoch: one point per series, no line
        [8540.0, 1585.0, 74.0, 13.0, 0.5, 0.1],  # early from-scratch losses: a log axis
        [float("nan"), float("inf"), 0.5],  # a diverged epoch is left out, not drawn
        [0.0, 0.0],  # a flat range
        [1.0 - 0.01 * i for i in range(60)],  # many epochs: thinned ticks
    ],
)
def test_unusual_histories_still_render(val_losses: list[float]) -> None:
    image = _open(training_curves_png(_history(val_losses)))
    assert image.size == (WIDTH, HEIGHT)
    assert _has_colour(image, ORANGE) or not any(0 < v < float("inf") for v in val_losses)


def test_an_empty_history_renders_a_message_not_an_error() -> None:
    image = _open(training_curves_png([]))
    assert image.size == (WIDTH, HEIGHT)
    assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank
