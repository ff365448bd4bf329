"""A confusion matrix as a PNG heat map, drawn with Pillow alone (no matplotlib on GPU machines).

Rows are the true classes and columns the predicted ones. A cell's colour is its share of the
row, so a rare class reads as clearly as a common one; its count is printed on it while the cells
are large enough. Cells shrink with the number of classes down to a floor, so 100 classes still
give a picture about a thousand pixels wide; long class names are cut with an ellipsis.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
RGB = tuple[int, int, int]

GRID_TARGET, MIN_CELL, MAX_CELL = 720, 10, 72  # pixels
MAX_LABEL = 150  # pixels of a class name before it is cut
# Matplotlib's "Blues" colour map, from 0 to 1 of the row.
BLUES = np.array(
    [(247, 251, 255), (198, 219, 239), (107, 174, 214), (33, 113, 181), (8, 48, 107)], dtype=float
)
NO_SAMPLES: RGB = (225, 225, 225)  # a row whose class is absent from the test set
INK: RGB = (30, 30, 30)


@dataclass(frozen=True)
class _Layout:
    cell: int
    left: int  # the grid's top-left corner
    top: int
    label_font: Font
    count_font: Font | None  # None: the cells are too small for their counts
    names_width: int  # pixels of the widest (cut) class name
    rotate_columns: bool

    def grid_end(self, classes: int) -> tuple[int, int]:
        return self.left + classes * self.cell, self.top + classes * self.cell


def confusion_matrix_png(
    labels: Sequence[str], matrix: Sequence[Sequence[int]], title: str = "Confusion matrix"
) -> bytes:
    counts = _validated(labels, matrix)
    names = [str(name) for name in labels]
    layout = _layout(names, counts)
    right, bottom = layout.grid_end(len(names))
    columns_height = layout.names_width + 4 if layout.rotate_columns else 16
    subtitle = _subtitle(counts, layout)
    headings = (_font(16).getlength(title), _font(11).getlength(subtitle))
    width = max(right + 130, int(max(headings)) + 40)
    image = Image.new("RGB", (width, bottom + columns_height + 48), "white")
    draw = ImageDraw.Draw(image)
    draw.text((width // 2, 12), title, fill="black", font=_font(16), anchor="mt")
    draw.text((width // 2, 34), subtitle, fill=INK, font=_font(11), anchor="mt")
    _cells(draw, counts, layout)
    _axis_labels(image, names, layout)
    middle = (layout.left + right) // 2
    draw.text(
        (middle, image.height - 8), "Predicted class", fill="black", font=_font(13), anchor="md"
    )
    _vertical_text(image, (6, (layout.top + bottom) // 2), "True class", _font(13), "black")
    _legend(image, (right + 24, layout.top), max(120, min(right - layout.left, 300)))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _font(points: int) -> Font:
    return ImageFont.load_default(size=points)


def _validated(labels: Sequence[str], matrix: Sequence[Sequence[int]]) -> np.ndarray:
    counts = np.asarray(matrix)
    classes = len(labels)
    if classes == 0 or counts.shape != (classes, classes):
        raise ValueError(f"the matrix must be {classes} x {classes}, one row and column per label")
    if counts.dtype.kind not in "iu" or (counts < 0).any():
        raise ValueError("the matrix must hold counts: integers, zero or more")
    return counts.astype(np.int64)


def _layout(names: list[str], counts: np.ndarray) -> _Layout:
    classes = len(names)
    cell = max(MIN_CELL, min(MAX_CELL, GRID_TARGET // classes))
    label_font = _font(max(8, min(13, cell - 2)))
    widest_name = int(max(label_font.getlength(_cut(name, label_font)) for name in names))
    return _Layout(
        cell=cell,
        left=40 + widest_name,
        top=60,
        label_font=label_font,
        count_font=_count_font(cell, int(counts.max())),
        names_width=widest_name,
        rotate_columns=widest_name > cell - 8,
    )


def _count_font(cell: int, largest: int) -> Font | None:
    """The largest font, from 14 points down to 8, whose widest count fits a cell."""
    for points in range(min(14, cell * 2 // 5), 7, -1):
        font = _font(points)
        if font.getlength(str(largest)) <= cell - 6:
            return font
    return None


def _subtitle(counts: np.ndarray, layout: _Layout) -> str:
    total = int(counts.sum())
    parts = [f"{total:,} samples"]
    if total:
        parts.append(f"accuracy {np.trace(counts) / total:.1%}")
    parts.append("colour: share of the true class's samples")
    if (counts.sum(axis=1) == 0).any():
        parts.append("grey rows: no samples")
    if layout.count_font is None:
        parts.append("counts omitted (cells too small)")
    return ", ".join(parts)


def _colour(share: float) -> RGB:
    position = share * (len(BLUES) - 1)
    low = min(int(position), len(BLUES) - 2)
    red, green, blue = (BLUES[low] + (position - low) * (BLUES[low + 1] - BLUES[low])).tolist()
    return round(red), round(green), round(blue)


def _cells(draw: ImageDraw.ImageDraw, counts: np.ndarray, layout: _Layout) -> None:
    cell = layout.cell
    gap = 1 if cell >= 16 else 0  # white hairlines between cells, while they are large
    row_totals = counts.sum(axis=1)
    for row, total in enumerate(row_totals):
        for column, count in enumerate(counts[row]):
            x, y = layout.left + column * cell, layout.top + row * cell
            fill = _colour(count / total) if total else NO_SAMPLES
            draw.rectangle((x, y, x + cell - 1 - gap, y + cell - 1 - gap), fill=fill)
            if layout.count_font is not None:
                luminance = 0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2]
                ink = "white" if luminance < 140 else INK
                centre = (x + (cell - gap) / 2, y + (cell - gap) / 2)
                draw.text(centre, str(count), fill=ink, font=layout.count_font, anchor="mm")
    right, bottom = layout.grid_end(len(counts))
    draw.rectangle((layout.left - 1, layout.top - 1, right, bottom), outline=INK)


def _axis_labels(image: Image.Image, names: list[str], layout: _Layout) -> None:
    draw = ImageDraw.Draw(image)
    font, cell = layout.label_font, layout.cell
    bottom = layout.grid_end(len(names))[1]
    for index, name in enumerate(names):
        text = _cut(name, font)
        middle = index * cell + cell // 2
        draw.text((layout.left - 6, layout.top + middle), text, fill=INK, font=font, anchor="rm")
        if layout.rotate_columns:  # read bottom to top, ending at the grid
            tile = _text_tile(text, font)
            rotated = tile.rotate(90, expand=True)
            corner = (layout.left + middle - rotated.width // 2, bottom + 6)
            draw.bitmap(corner, rotated, fill=INK)
        else:
            draw.text((layout.left + middle, bottom + 6), text, fill=INK, font=font, anchor="mt")


def _cut(text: str, font: Font, width: int = MAX_LABEL) -> str:
    """`text`, or its longest prefix that fits `width` pixels with an ellipsis after it."""
    if font.getlength(text) <= width:
        return text
    low, high = 0, min(len(text), width)  # every glyph is at least a pixel wide
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(text[:middle].rstrip() + "…") <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


def _text_tile(text: str, font: Font) -> Image.Image:
    """The text as a mask: white on black, as tall as the font's line."""
    height = int(font.getbbox("Ag")[3]) + 2
    tile = Image.new("L", (int(font.getlength(text)) + 2, height), 0)
    ImageDraw.Draw(tile).text((1, 1), text, fill=255, font=font)
    return tile


def _vertical_text(
    image: Image.Image, centre: tuple[int, int], text: str, font: Font, fill: str
) -> None:
    rotated = _text_tile(text, font).rotate(90, expand=True)
    corner = (centre[0], centre[1] - rotated.height // 2)
    ImageDraw.Draw(image).bitmap(corner, rotated, fill=fill)


def _legend(image: Image.Image, corner: tuple[int, int], height: int) -> None:
    """A vertical colour bar from 0 % of the row (bottom) to 100 % (top), with ticks."""
    draw = ImageDraw.Draw(image)
    x, top = corner
    bar_width, font = 16, _font(11)
    for offset in range(height):
        share = 1 - offset / (height - 1)
        draw.line([(x, top + offset), (x + bar_width - 1, top + offset)], fill=_colour(share))
    draw.rectangle((x - 1, top - 1, x + bar_width, top + height), outline=INK)
    for percent in (0, 25, 50, 75, 100):
        y = top + round((1 - percent / 100) * (height - 1))
        draw.line([(x + bar_width, y), (x + bar_width + 4, y)], fill=INK)
        draw.text((x + bar_width + 7, y), f"{percent}%", fill=INK, font=font, anchor="lm")
    caption = "share of the true class"
    _vertical_text(image, (x + bar_width + 44, top + height // 2), caption, font, "black")
