"""Training curves as a PNG, drawn with matplotlib.

Two panels: training and validation loss, and validation top-1 / top-k accuracy, per epoch, with
the best epoch (lowest validation loss) marked on both. Early validation losses of a network
trained from scratch can be thousands of times the later ones, so the loss axis turns
logarithmic when the values span more than a factor of 50.

Each call draws on its own `Figure` (no pyplot, no global state), so threads may plot at once.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter

from app.ml.checkpoint import EpochMetrics

WIDTH, HEIGHT, DPI = 1000, 420, 100  # pixels of the PNG
# Matplotlib's tab10 colours, as RGB.
BLUE, ORANGE, GREEN, GREY = (31, 119, 180), (255, 127, 14), (44, 160, 44), (127, 127, 127)
BEST = (214, 39, 40)  # tab:red
LOG_SPAN = 50  # the loss axis turns logarithmic past this ratio of largest to smallest
MARKERS_UP_TO = 40  # epochs: beyond this the points would crowd the line
EVERY_TICK_UP_TO = 12  # epochs: a tick for each; beyond, a few integer ticks


def training_curves_png(
    history: Sequence[EpochMetrics], title: str | None = None, best_epoch: int | None = None
) -> bytes:
    """`title` names the model (its name and architecture); `best_epoch` (1-based) defaults to
    the epoch of the lowest finite validation loss, the first one on a tie."""
    figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
    # Fixed margins for the fixed size: a layout engine would measure every label (half the time).
    top = 0.84 if title else 0.91
    figure.subplots_adjust(left=0.075, right=0.985, bottom=0.12, top=top, wspace=0.22)
    if title:
        figure.suptitle(title, fontsize=13, y=0.975)
    if not history:
        figure.text(0.5, 0.5, "No epoch completed yet.", ha="center", va="center", fontsize=14)
    else:
        best = best_epoch if best_epoch is not None else _best_epoch(history)
        loss_axes, accuracy_axes = figure.subplots(1, 2)
        epochs = [m.epoch for m in history]
        losses = {
            "training loss": (BLUE, [m.train_loss for m in history]),
            "validation loss": (ORANGE, [m.val_loss for m in history]),
        }
        accuracy = {
            "validation top-1": (GREEN, [100 * m.val_top1 for m in history]),
            "validation top-5": (GREY, [100 * m.val_top5 for m in history]),
        }
        _panel(loss_axes, "Loss", "cross-entropy", epochs, losses, best)
        _panel(accuracy_axes, "Validation accuracy", "accuracy", epochs, accuracy, best)
        accuracy_axes.set_ylim(0, 102)  # headroom: a 100% line is not hidden by the frame
        accuracy_axes.yaxis.set_major_formatter(PercentFormatter(100))
        loss_values = [v for _, values in losses.values() for v in values]
        if _wants_log(loss_values):
            loss_axes.set_yscale("log")
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=DPI)
    return out.getvalue()


def _best_epoch(history: Sequence[EpochMetrics]) -> int | None:
    finite = [m for m in history if math.isfinite(m.val_loss)]
    return min(finite, key=lambda m: m.val_loss).epoch if finite else None


def _wants_log(values: list[float]) -> bool:
    positive = [v for v in values if math.isfinite(v) and v > 0]
    return bool(positive) and max(positive) / min(positive) > LOG_SPAN


def _panel(
    axes: Axes,
    title: str,
    ylabel: str,
    epochs: list[int],
    series: dict[str, tuple[tuple[int, int, int], list[float]]],
    best: int | None,
) -> None:
    marker = "o" if len(epochs) <= MARKERS_UP_TO else None
    for name, (colour, values) in series.items():
        finite = np.ma.masked_invalid(np.asarray(values, dtype=float))  # a diverged epoch: a gap
        axes.plot(epochs, finite, label=name, color=_rgb(colour), marker=marker, markersize=4)
    if best is not None:
        label = f"best epoch: {best}"
        # Above the grid (zorder 1.5), below the series (2).
        axes.axvline(best, color=_rgb(BEST), linestyle="--", linewidth=1, label=label, zorder=1.8)
    axes.set_title(title, fontsize=12)
    axes.set_xlabel("epoch")
    axes.set_ylabel(ylabel)
    if len(epochs) <= EVERY_TICK_UP_TO:
        axes.set_xticks(epochs)
    else:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    if len(epochs) == 1:
        axes.set_xlim(epochs[0] - 0.5, epochs[0] + 0.5)
    axes.grid(True, color=(0.88, 0.88, 0.88))
    axes.legend(fontsize=9)


def _rgb(colour: tuple[int, int, int]) -> tuple[float, float, float]:
    red, green, blue = colour
    return red / 255, green / 255, blue / 255
