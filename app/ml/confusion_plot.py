"""A confusion matrix as a PNG heat map, drawn with matplotlib.

Rows are the true classes and columns the predicted ones. A cell's colour is its share of the
row, so a rare class reads as clearly as a common one; its count is printed on it while the cells
are large enough. Cells shrink with the number of classes down to a floor, and the fonts with
them, so 2 classes give a compact picture and 100 one about 1,500 pixels wide; long class names
are cut with an ellipsis.

Each call draws on its own `Figure` (no pyplot, no global state), so threads may plot at once.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

DPI = 100
GRID_TARGET, MIN_CELL, MAX_CELL = 720, 12, 96  # pixels
MAX_LABEL = 24  # characters of a class name before it is cut
COUNT_POINTS = (6, 13)  # the smallest and largest font of the printed counts
DIGIT_WIDTH = 0.64  # of a point size: DejaVu Sans's digits are 0.636 em wide
NO_SAMPLES = "#e1e1e1"  # a row whose class is absent from the test set
INK = "#1e1e1e"

Counts = npt.NDArray[np.int64]


def confusion_matrix_png(
    labels: Sequence[str], matrix: Sequence[Sequence[int]], title: str = "Confusion matrix"
) -> bytes:
    counts = _validated(labels, matrix)
    classes = len(labels)
    cell = max(MIN_CELL, min(MAX_CELL, GRID_TARGET // classes))  # pixels
    count_points = _count_points(cell, int(counts.max()))
    grid = classes * cell / DPI  # inches
    # The axes get exactly the grid and the colour bar its height; savefig's tight box then
    # grows the picture to take in the labels and titles around them.
    side = grid + 1
    figure = Figure(figsize=(side, side), dpi=DPI)
    axes = figure.add_axes((0, 0, grid / side, grid / side))
    bar = figure.add_axes(((grid + 0.15) / side, 0, 0.2 / side, grid / side))

    totals = counts.sum(axis=1, keepdims=True)
    shares = np.ma.masked_invalid(
        np.divide(counts, totals, out=np.full(counts.shape, np.nan), where=totals > 0)
    )
    colours = colormaps["Blues"].with_extremes(bad=NO_SAMPLES)
    image = axes.imshow(shares, cmap=colours, vmin=0, vmax=1, interpolation="nearest")
    colour_bar = figure.colorbar(image, cax=bar, format=PercentFormatter(1.0))
    colour_bar.set_label("share of the true class", fontsize=10)
    colour_bar.ax.tick_params(labelsize=9)
    if count_points is not None:
        dark = shares.filled(0) > 0.5
        for (row, column), count in np.ndenumerate(counts):
            ink = "white" if dark[row, column] else INK
            text = str(count)
            axes.text(column, row, text, ha="center", va="center", fontsize=count_points, color=ink)
    _label(axes, [_cut(str(name)) for name in labels], cell)
    # The title above two lines of subtitle: 9-point lines, spaced 1.2, and a 6-point gap.
    axes.set_title(title, fontsize=13, pad=6 + 2 * 9 * 1.2 + 6)
    subtitle = _subtitle(counts, count_points is None)
    axes.annotate(
        subtitle,
        xy=(0.5, 1),
        xycoords="axes fraction",
        xytext=(0, 6),  # points above the grid
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize=9,
        color=INK,
    )
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.2)
    return out.getvalue()


def _label(axes: Axes, names: list[str], cell: int) -> None:
    """Class names on both axes, in a font that shrinks with the cells; the columns' rotated."""
    classes, points = len(names), max(6.0, min(11.0, cell * 0.55))
    ticks = range(classes)
    if classes > 12:  # read bottom to top, one under each narrow column
        axes.set_xticks(ticks, names, fontsize=points, rotation=90)
    else:  # slanted, each name ending under its column
        axes.set_xticks(ticks, names, fontsize=points, rotation=45, ha="right")
        for text in axes.get_xticklabels():
            text.set_rotation_mode("anchor")
    axes.set_yticks(ticks, names, fontsize=points)
    axes.tick_params(length=2 if cell < 20 else 4)
    axes.set_xlabel("Predicted class", fontsize=12)
    axes.set_ylabel("True class", fontsize=12)


def _validated(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> Counts:
    counts = np.asarray(matrix)
    classes = len(labels)
    if classes == 0 or counts.shape != (classes, classes):
        raise ValueError(f"the matrix must be {classes} x {classes}, one row and column per label")
    if counts.dtype.kind not in "iu" or (counts < 0).any():
        raise ValueError("the matrix must hold counts: integers, zero or more")
    return counts.astype(np.int64)


def _count_points(cell: int, largest: int) -> float | None:
    """The largest font whose widest count fits a cell with a margin, or None if none does."""
    points = min(COUNT_POINTS[1], cell * 0.4)
    fits = (cell - 8) / (len(str(largest)) * DIGIT_WIDTH * DPI / 72)
    points = min(points, fits)
    return points if points >= COUNT_POINTS[0] else None


def _subtitle(counts: Counts, counts_omitted: bool) -> str:
    total = int(counts.sum())
    first = [f"{total:,} samples"]
    if total:
        first.append(f"accuracy {np.trace(counts) / total:.1%}")
    notes = ["colour: share of the true class's samples"]
    if (counts.sum(axis=1) == 0).any():
        notes.append("grey rows: no samples")
    if counts_omitted:
        notes.append("counts omitted (cells too small)")
    return ", ".join(first) + "\n" + ", ".join(notes)


def _cut(name: str) -> str:
    return name if len(name) <= MAX_LABEL else name[: MAX_LABEL - 1].rstrip() + "…"
