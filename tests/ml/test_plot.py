"""Training curves render as a readable PNG, whatever the history holds."""

from __future__ import annotations

import io
import threading

import numpy as np
import pytest
from PIL import Image

from app.ml.checkpoint import EpochMetrics
from app.ml.plot import BEST, BLUE, GREEN, HEIGHT, ORANGE, WIDTH, training_curves_png


def _history(val_losses: list[float]) -> list[EpochMetrics]:
    return [
        EpochMetrics(
            epoch=i + 1,
            train_loss=1.5 / (i + 1),
            val_loss=loss,
            val_top1=min(1.0, 0.4 + 0.01 * i),
            val_top5=min(1.0, 0.7 + 0.01 * i),
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
    assert image.format == "PNG"
    return image.convert("RGB")


def _pixels_of(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """Pixels within a few levels of `colour` (antialiasing blends the edges of lines)."""
    distance = np.abs(np.asarray(image, dtype=np.int32) - np.array(colour)).sum(axis=-1)
    return int((distance < 24).sum())


@pytest.mark.parametrize("epochs", [1, 50])
def test_the_curves_are_a_png_of_the_set_size_with_every_series_and_the_best_epoch(
    epochs: int,
) -> None:
    image = _open(training_curves_png(_history([1.0 - 0.01 * i for i in range(epochs)])))
    assert image.size == (WIDTH, HEIGHT)
    for colour in (BLUE, ORANGE, GREEN, BEST):
        assert _pixels_of(image, colour) > 20, colour


def test_the_best_epoch_line_is_drawn_only_when_there_is_one() -> None:
    # Every validation loss diverged: no best epoch, so no best-epoch line.
    diverged = _open(training_curves_png(_history([float("nan"), float("inf")])))
    assert _pixels_of(diverged, BEST) == 0
    assert _pixels_of(_open(training_curves_png(_history([0.9, 0.5]), best_epoch=2)), BEST) > 20


def test_the_best_epoch_given_moves_the_line() -> None:
    history = _history([0.9, 0.7, 0.5, 0.6])
    implied = np.asarray(_open(training_curves_png(history)))
    same = np.asarray(_open(training_curves_png(history, best_epoch=3)))
    other = np.asarray(_open(training_curves_png(history, best_epoch=1)))
    assert np.array_equal(implied, same)  # the lowest validation loss is epoch 3
    assert not np.array_equal(implied, other)


def test_the_title_is_drawn() -> None:
    history = _history([0.9, 0.5])
    untitled = np.asarray(_open(training_curves_png(history)))
    titled = np.asarray(_open(training_curves_png(history, title="cats (resnet18)")))
    assert not np.array_equal(untitled, titled)


@pytest.mark.parametrize(
    "val_losses",
    [
        [0.8],  # one epoch: one point per series, no line
        [8540.0, 1585.0, 74.0, 13.0, 0.5, 0.1],  # early from-scratch losses: a log axis
        [float("nan"), float("inf"), 0.5],  # a diverged epoch is left out, not drawn
        [0.0, 0.0],  # a flat range
        [1.0 - 0.01 * i for i in range(60)],  # many epochs: thinned ticks, no markers
    ],
)
def test_unusual_histories_still_render(val_losses: list[float]) -> None:
    image = _open(training_curves_png(_history(val_losses), title="resnet50"))
    assert image.size == (WIDTH, HEIGHT)
    assert _pixels_of(image, ORANGE) > 0 or not any(0 < v < float("inf") for v in val_losses)


def test_an_empty_history_renders_a_message_not_an_error() -> None:
    image = _open(training_curves_png([]))
    assert image.size == (WIDTH, HEIGHT)
    assert image.getextrema() != ((255, 255), (255, 255), (255, 255))  # not blank


def test_threads_plotting_at_once_get_the_pictures_they_asked_for() -> None:
    """No shared pyplot state: concurrent calls give the bytes a lone call gives."""
    histories = [_history([1.0 - 0.1 * i for i in range(n)]) for n in (2, 5, 8)]
    expected = [training_curves_png(h) for h in histories]
    got: dict[int, bytes] = {}

    def draw(index: int) -> None:
        got[index] = training_curves_png(histories[index])

    threads = [threading.Thread(target=draw, args=(i,)) for i in range(len(histories))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [got[i] for i in range(len(histories))] == expected
