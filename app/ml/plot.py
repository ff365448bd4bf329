"""Training curves as a PNG, drawn with Pillow alone (no matplotlib on the GPU machines).

Two panels: training and validation loss, and validation top-1 / top-k accuracy, per epoch.
Early validation losses of a network trained from scratch can be thousands of times the later
ones, so the loss axis turns logarithmic when the values span more than a factor of 50.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

from app.ml.checkpoint import EpochMetrics

WIDTH, HEIGHT = 1000, 420
SCALE = 2  # drawn at twice the size and scaled down: smooth lines without an antialiaser
BLUE, ORANGE, GREEN, GREY = (31, 119, 180), (255, 127, 14), (44, 160, 44), (150, 150, 150)
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Series = tuple[str, tuple[int, int, int], list[float]]


def training_curves_png(history: Sequence[EpochMetrics]) -> bytes:
    image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font = _font(13)
    if not history:
        draw.text((40 * SCALE, 40 * SCALE), "No epoch completed yet.", fill="black", font=font)
    else:
        epochs = [float(m.epoch) for m in history]
        half = WIDTH * SCALE // 2
        losses: list[Series] = [
            ("training loss", BLUE, [m.train_loss for m in history]),
            ("validation loss", ORANGE, [m.val_loss for m in history]),
        ]
        accuracy: list[Series] = [
            ("validation top-1", GREEN, [100 * m.val_top1 for m in history]),
            ("validation top-5", GREY, [100 * m.val_top5 for m in history]),
        ]
        _panel(draw, (0, half), ("Loss", "cross-entropy"), epochs, losses, None)
        titles = ("Validation accuracy", "accuracy (%)")
        _panel(draw, (half, 2 * half), titles, epochs, accuracy, (0.0, 100.0))
    image = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _font(points: int) -> Font:
    return ImageFont.load_default(size=points * SCALE)


@dataclass(frozen=True)
class _Axes:
    left: float
    top: float
    right: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]  # log10 of the values when log
    log: bool

    def x(self, epoch: float) -> float:
        x0, x1 = self.x_range
        return self.left + (epoch - x0) / (x1 - x0) * (self.right - self.left)

    def y(self, value: float) -> float:
        y0, y1 = self.y_range
        scaled = math.log10(value) if self.log else value
        return self.bottom - (scaled - y0) / (y1 - y0) * (self.bottom - self.top)

    def shows(self, value: float) -> bool:
        return math.isfinite(value) and (value > 0 or not self.log)


def _panel(
    draw: ImageDraw.ImageDraw,
    span: tuple[int, int],
    titles: tuple[str, str],
    epochs: list[float],
    series: list[Series],
    fixed: tuple[float, float] | None,
) -> None:
    """One chart: title, legend, grid and ticks, the series, then the frame over them all."""
    s, font = SCALE, _font(13)
    axes = _axes(span, epochs, [v for _, _, values in series for v in values], fixed)
    middle = (axes.left + axes.right) / 2
    draw.text((middle, 8 * s), titles[0], fill="black", font=_font(15), anchor="mt")
    draw.text((span[0] + 8 * s, axes.top - 8 * s), titles[1], fill="black", font=font, anchor="ls")
    draw.text((middle, axes.bottom + 26 * s), "epoch", fill="black", font=font, anchor="mt")
    for tick in _epoch_ticks(len(epochs)):
        x = axes.x(tick)
        draw.line([(x, axes.bottom), (x, axes.bottom + 5 * s)], fill="black", width=s)
        draw.text((x, axes.bottom + 8 * s), str(tick), fill="black", font=font, anchor="mt")
    for value, label in _value_ticks(axes):
        y = axes.y(value)
        draw.line([(axes.left, y), (axes.right, y)], fill=(225, 225, 225), width=s)
        draw.line([(axes.left - 5 * s, y), (axes.left, y)], fill="black", width=s)
        draw.text((axes.left - 8 * s, y), label, fill="black", font=font, anchor="rm")
    legend_x = axes.left
    for name, color, values in series:
        points = [
            (axes.x(e), axes.y(v)) for e, v in zip(epochs, values, strict=True) if axes.shows(v)
        ]
        if len(points) > 1:
            draw.line(points, fill=color, width=2 * s, joint="curve")
        for px, py in points:
            draw.ellipse((px - 3 * s, py - 3 * s, px + 3 * s, py + 3 * s), fill=color)
        # The legend sits in its own row above the chart, where no line can cross it.
        draw.line([(legend_x, 36 * s), (legend_x + 22 * s, 36 * s)], fill=color, width=3 * s)
        draw.text((legend_x + 28 * s, 36 * s), name, fill="black", font=font, anchor="lm")
        legend_x += 28 * s + draw.textlength(name, font=font) + 24 * s
    draw.rectangle((axes.left, axes.top, axes.right, axes.bottom), outline="black", width=s)


def _axes(
    span: tuple[int, int],
    epochs: list[float],
    values: list[float],
    fixed: tuple[float, float] | None,
) -> _Axes:
    s = SCALE
    x_range = (epochs[0] - 0.5, epochs[-1] + 0.5) if len(epochs) == 1 else (epochs[0], epochs[-1])
    finite = [v for v in values if math.isfinite(v)] or [0.0, 1.0]
    lo, hi = fixed or (min(0.0, min(finite)), max(finite))
    positive = [v for v in finite if v > 0]
    log = fixed is None and bool(positive) and max(positive) / min(positive) > 50
    if log:
        lo, hi = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
    if hi <= lo:
        hi = lo + 1.0
    elif not log and fixed is None:
        hi += 0.05 * (hi - lo)  # headroom so the top point is not drawn on the frame
    return _Axes(
        span[0] + 70 * s, 66 * s, span[1] - 20 * s, (HEIGHT - 55) * s, x_range, (lo, hi), log
    )


def _epoch_ticks(count: int) -> list[int]:
    step = _nice_step(count / 8) if count > 10 else 1
    return [e for e in range(1, count + 1) if e % max(1, int(step)) == 0 or e == 1]


def _value_ticks(axes: _Axes) -> list[tuple[float, str]]:
    lo, hi = axes.y_range
    if axes.log:
        return [(10.0**p, f"{10.0**p:g}") for p in range(int(lo), int(hi) + 1)]
    step = _nice_step((hi - lo) / 5)
    first = math.ceil(lo / step)
    ticks = [(k * step) for k in range(first, math.floor(hi / step) + 1)]
    return [(t, f"{t:.{max(0, -math.floor(math.log10(step)))}f}") for t in ticks]


def _nice_step(rough: float) -> float:
    """1, 2 or 5 times a power of ten, the first at least `rough`."""
    power = 10.0 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
