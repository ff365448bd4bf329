"""The confusion matrix renders as a readable PNG from 1 to 100 classes."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib import colormaps
from PIL import Image

from app.ml.confusion_plot import confusion_matrix_png

# The colours of a row's full share and of a class without samples.
DARKEST = tuple(round(255 * c) for c in colormaps["Blues"](1.0)[:3])
NO_SAMPLES = (225, 225, 225)


def _open(png: bytes) -> np.ndarray:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    image.load()
    assert image.format == "PNG"
    return np.asarray(image.convert("RGB"), dtype=np.int32)


def _names(classes: int) -> list[str]:
    return [f"class {i}" for i in range(classes)]


def _diagonal(classes: int, count: int = 20) -> list[list[int]]:
    return (np.eye(classes, dtype=int) * count).tolist()


def _is(pixels: np.ndarray, colour: tuple[int, ...]) -> np.ndarray:
    return np.abs(pixels - np.array(colour)).sum(axis=-1) < 6


def _in_grid(mask: np.ndarray) -> np.ndarray:
    """`mask` left of its first gap of empty columns: the grid, not the colour bar beside it."""
    columns = np.flatnonzero(mask.any(axis=0))
    gaps = np.flatnonzero(np.diff(columns) > 5)
    end = columns[gaps[0]] + 1 if len(gaps) else mask.shape[1]
    grid = np.zeros_like(mask)
    grid[:, :end] = mask[:, :end]
    return grid


def test_the_picture_grows_with_the_classes_and_stays_on_a_screen() -> None:
    sizes = []
    for classes in (2, 10, 100):
        pixels = _open(confusion_matrix_png(_names(classes), _diagonal(classes)))
        height, width = pixels.shape[:2]
        sizes.append((width, height))
        # Every class always right: each diagonal cell takes the darkest blue, `classes` cells
        # of at least 12 x 12 pixels (10 x 10 inside their edges).
        assert _in_grid(_is(pixels, DARKEST)).sum() >= classes * 10 * 10
    assert sizes[0][0] < sizes[1][0] < sizes[2][0]
    assert sizes[0][1] < sizes[1][1] < sizes[2][1]
    assert 300 <= sizes[0][0] <= 700 and 250 <= sizes[0][1] <= 700  # 2 classes: compact
    assert max(sizes[2]) <= 1600  # 100 classes: still about a screen


def test_a_hundred_long_class_names_are_cut_so_the_picture_stays_bounded() -> None:
    names = [f"n{i:08d} " + "a very long synset description " * 20 for i in range(100)]
    pixels = _open(confusion_matrix_png(names, _diagonal(100)))
    assert max(pixels.shape[:2]) <= 1600


def test_a_diagonal_and_an_off_diagonal_matrix_draw_different_cells() -> None:
    diagonal = _open(confusion_matrix_png(_names(4), _diagonal(4)))
    shifted = _open(confusion_matrix_png(_names(4), np.roll(_diagonal(4), 1, axis=1).tolist()))
    assert diagonal.shape == shifted.shape
    assert (np.abs(diagonal - shifted).sum(axis=-1) > 100).sum() > 1000


def test_the_colour_is_the_share_of_the_row_not_the_count() -> None:
    # A rare class always right reads as dark as a common one always right.
    pixels = _open(confusion_matrix_png(["common", "rare"], [[1000, 0], [0, 3]]))
    dark = _in_grid(_is(pixels, DARKEST))
    rows, columns = np.nonzero(dark)
    # Two dark squares, one at each end of the diagonal: both corners of the bounding box.
    assert dark[rows.min() + 2, columns.min() + 2] and dark[rows.max() - 2, columns.max() - 2]


def test_counts_are_printed_in_light_ink_on_a_dark_cell() -> None:
    pixels = _open(confusion_matrix_png(["only"], [[123]]))
    rows, columns = np.nonzero(_in_grid(_is(pixels, DARKEST)))  # the one cell, at full colour
    cell = pixels[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]
    assert 80 <= cell.shape[0] <= 96 and 80 <= cell.shape[1] <= 96  # one cell, inside the frame
    assert (cell.min(axis=-1) > 200).sum() > 20  # the white digits


@pytest.mark.parametrize(("classes", "printed"), [(3, True), (30, True), (100, False)])
def test_counts_are_printed_while_the_cells_are_large_enough(classes: int, printed: bool) -> None:
    # Same shares, different counts: the grids differ only by the printed counts (the subtitle's
    # sample total and accuracy are the same too).
    first = np.eye(classes, dtype=int) * 10
    first[0, 0], first[1, 1] = 4, 16
    second = np.eye(classes, dtype=int) * 10
    second[0, 0], second[1, 1] = 16, 4
    pictures = [_open(confusion_matrix_png(_names(classes), m.tolist())) for m in (first, second)]
    assert pictures[0].shape == pictures[1].shape
    assert (pictures[0] != pictures[1]).any() == printed


def test_a_class_without_samples_is_a_grey_row_and_an_empty_matrix_still_renders() -> None:
    pixels = _open(confusion_matrix_png(["a", "b"], [[0, 0], [3, 4]]))
    assert _is(pixels, NO_SAMPLES).sum() >= 2 * 72 * 72  # the two cells of row a
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
