"""The confusion matrix renders as a readable PNG from 1 to 100 classes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from app.ml.confusion_plot import BLUES, confusion_matrix_png

DARKEST = tuple(int(v) for v in BLUES[-1])


def _open(png: bytes) -> np.ndarray:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    return np.asarray(image.convert("RGB"), dtype=np.int32)


def _names(classes: int) -> list[str]:
    return [f"class {i}" for i in range(classes)]


def _diagonal(classes: int, count: int = 20) -> list[list[int]]:
    return (np.eye(classes, dtype=int) * count).tolist()


def _is(pixels: np.ndarray, colour: tuple[int, ...]) -> np.ndarray:
    return np.abs(pixels - np.array(colour)).sum(axis=-1) < 6


def test_three_classes_give_a_compact_picture_with_the_diagonal_at_full_colour() -> None:
    pixels = _open(confusion_matrix_png(["cat", "dog", "bird"], [[9, 1, 0], [2, 7, 1], [0, 0, 5]]))
    height, width = pixels.shape[:2]
    assert 300 <= width <= 800 and 250 <= height <= 700
    assert _is(pixels, DARKEST).any()  # bird is always right: its cell takes the darkest blue


def test_sixty_classes_stay_within_a_screen() -> None:
    pixels = _open(confusion_matrix_png(_names(60), _diagonal(60)))
    height, width = pixels.shape[:2]
    assert 700 <= width <= 1400 and 700 <= height <= 1400


def test_a_hundred_long_class_names_are_cut_so_the_picture_stays_bounded() -> None:
    names = [f"n{i:08d} " + "a very long synset description " * 20 for i in range(100)]
    pixels = _open(confusion_matrix_png(names, _diagonal(100)))
    assert max(pixels.shape[:2]) <= 1500


def test_a_diagonal_and_an_off_diagonal_matrix_draw_different_cells() -> None:
    diagonal = _open(confusion_matrix_png(_names(4), _diagonal(4)))
    shifted = _open(confusion_matrix_png(_names(4), np.roll(_diagonal(4), 1, axis=1).tolist()))
    assert diagonal.shape == shifted.shape
    assert (np.abs(diagonal - shifted).sum(axis=-1) > 100).sum() > 1000


def test_counts_are_printed_in_light_ink_on_a_dark_cell() -> None:
    pixels = _open(confusion_matrix_png(["only"], [[123]]))
    rows, columns = np.nonzero(_is(pixels, DARKEST))  # the single cell, at full colour
    cell = pixels[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
    assert (cell.min(axis=-1) > 200).sum() > 20  # the white digits


@pytest.mark.parametrize(("classes", "printed"), [(3, True), (60, False)])
def test_counts_are_printed_while_the_cells_are_large_enough(classes: int, printed: bool) -> None:
    # Same shares and totals, different counts: the pictures differ only by the printed counts.
    first = np.eye(classes, dtype=int) * 10
    first[0, 0], first[1, 1] = 4, 16
    second = np.eye(classes, dtype=int) * 10
    second[0, 0], second[1, 1] = 16, 4
    pictures = [_open(confusion_matrix_png(_names(classes), m.tolist())) for m in (first, second)]
    assert (pictures[0] != pictures[1]).any() == printed


def test_a_class_without_samples_and_an_empty_matrix_still_render() -> None:
    _open(confusion_matrix_png(["a", "b"], [[0, 0], [3, 4]]))
    _open(confusion_matrix_png(["a", "b"], [[0, 0], [0, 0]], title="Nothing scored"))


@pytest.mark.parametrize(
    ("labels", "matrix", "message"),
    [
        (["a", "b"], [[1, 2, 3], [4, 5, 6]], "2 x 2"),
        (["a", "b", "c"], [[1, 2], [3, 4]], "3 x 3"),
        ([], [], "0 x 0"),
        (["a", "b"], [[1, -2], [3, 4]], "counts"),
        (["a", "b"], [[1.5, 2], [3, 4]], "counts"),
    ],
)
def test_a_matrix_that_does_not_fit_its_labels_is_refused(
    labels: list[str], matrix: list[list[float]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        confusion_matrix_png(labels, matrix)  # type: ignore[arg-type]
