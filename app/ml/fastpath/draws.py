"""The random choices of the training transformations, drawn explicitly: torchvision's own
sampling rules (its `make_params`), from a NumPy generator instead of torch's global one, so a
batch is a function of (seed, epoch, batch number) alone and a test can replay a draw on PIL."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from app.ml.transforms import TransformSpec


@dataclass
class Draw:
    """One image's random choices, as torchvision's transforms would sample them."""

    jitter: tuple[list[int], float | None, float | None, float | None, float | None] | None = None
    resized_crop: tuple[int, int, int, int] | None = None  # top, left, height, width
    crop: tuple[int, int, list[int]] | None = None  # top, left, padding (left, top, right, bottom)
    hflip: bool = False
    vflip: bool = False
    rotation: float | None = None  # degrees
    affine: tuple[float, list[int], float] | None = None  # degrees, (dx, dy), scale
    gray: bool = False
    perspective: tuple[list[list[int]], list[list[int]]] | None = None  # start, end points
    erase: tuple[int, int, int, int] | None = None  # top, left, height, width


def draw_choices(
    spec: TransformSpec,
    ops: Sequence[str],
    rng: np.random.Generator,
    height: int,
    width: int,
) -> Draw:
    """The random choices of the random `ops` of `spec` (and of random erasing when `spec`
    enables it) for one image that is `height` x `width` when the first of them applies."""
    draw = Draw()
    for name in ops:
        o = getattr(spec, name)
        if name == "color_jitter":
            draw.jitter = _jitter(rng, o.brightness, o.contrast, o.saturation, o.hue)
        elif name == "random_resized_crop":
            draw.resized_crop = _resized_crop(rng, height, width, o.scale, o.ratio)
            height = width = o.size
        elif name == "random_crop":
            draw.crop = _crop(rng, height, width, o.size)
            height = width = o.size
        elif name == "random_horizontal_flip":
            draw.hflip = bool(rng.random() < o.p)
        elif name == "random_vertical_flip":
            draw.vflip = bool(rng.random() < o.p)
        elif name == "random_rotation":
            draw.rotation = float(rng.uniform(-o.degrees, o.degrees))
        elif name == "random_affine":
            draw.affine = _affine(rng, height, width, o.degrees, o.translate, o.scale)
        elif name == "random_grayscale":
            draw.gray = bool(rng.random() < o.p)
        elif name == "random_perspective" and rng.random() < o.p:
            draw.perspective = _perspective(rng, height, width, o.distortion)
    erasing = spec.random_erasing
    if erasing.enabled and rng.random() < erasing.p:
        draw.erase = _erase(rng, height, width, erasing.scale, erasing.ratio)
    return draw


def _jitter(
    rng: np.random.Generator, brightness: float, contrast: float, saturation: float, hue: float
) -> tuple[list[int], float | None, float | None, float | None, float | None]:
    def factor(strength: float, centre: float) -> float | None:
        low, high = max(0.0, centre - strength), centre + strength
        return None if strength == 0 else float(rng.uniform(low, high))

    order = [int(i) for i in rng.permutation(4)]
    hue_factor = None if hue == 0 else float(rng.uniform(-hue, hue))
    return order, factor(brightness, 1), factor(contrast, 1), factor(saturation, 1), hue_factor


def _affine(
    rng: np.random.Generator,
    height: int,
    width: int,
    degrees: float,
    translate: tuple[float, float] | None,
    scale: tuple[float, float] | None,
) -> tuple[float, list[int], float]:
    angle = float(rng.uniform(-degrees, degrees))
    shift = [0, 0]
    if translate is not None:
        max_dx, max_dy = translate[0] * width, translate[1] * height
        shift = [round(rng.uniform(-max_dx, max_dx)), round(rng.uniform(-max_dy, max_dy))]
    factor = float(rng.uniform(scale[0], scale[1])) if scale is not None else 1.0
    return angle, shift, factor


def _resized_crop(
    rng: np.random.Generator,
    height: int,
    width: int,
    scale: tuple[float, float],
    ratio: tuple[float, float],
) -> tuple[int, int, int, int]:
    """torchvision's RandomResizedCrop box: 10 tries at an area and aspect ratio, then the
    largest centred box within the ratio range."""
    area = height * width
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(10):
        target = area * rng.uniform(scale[0], scale[1])
        aspect = math.exp(rng.uniform(*log_ratio))
        w = round(math.sqrt(target * aspect))
        h = round(math.sqrt(target / aspect))
        if 0 < w <= width and 0 < h <= height:
            return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w
    in_ratio = width / height
    if in_ratio < min(ratio):
        w, h = width, round(width / min(ratio))
    elif in_ratio > max(ratio):
        w, h = round(height * max(ratio)), height
    else:
        w, h = width, height
    return (height - h) // 2, (width - w) // 2, h, w


def _crop(
    rng: np.random.Generator, height: int, width: int, size: int
) -> tuple[int, int, list[int]]:
    """torchvision's RandomCrop(size, pad_if_needed=True): pad a short side by the shortfall on
    both ends, then a uniform offset."""
    pad_x, pad_y = max(0, size - width), max(0, size - height)
    height, width = height + 2 * pad_y, width + 2 * pad_x
    top = int(rng.integers(0, height - size + 1)) if height > size else 0
    left = int(rng.integers(0, width - size + 1)) if width > size else 0
    return top, left, [pad_x, pad_y, pad_x, pad_y]


def _perspective(
    rng: np.random.Generator, height: int, width: int, distortion: float
) -> tuple[list[list[int]], list[list[int]]]:
    bound_h = int(distortion * (height // 2)) + 1
    bound_w = int(distortion * (width // 2)) + 1

    def low(bound: int) -> int:  # torch.randint's upper end is exclusive, so is NumPy's
        return int(rng.integers(0, bound))

    def high(size: int, bound: int) -> int:
        return int(rng.integers(size - bound, size))

    top_left = [low(bound_w), low(bound_h)]
    top_right = [high(width, bound_w), low(bound_h)]
    bottom_right = [high(width, bound_w), high(height, bound_h)]
    bottom_left = [low(bound_w), high(height, bound_h)]
    start = [[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]]
    return start, [top_left, top_right, bottom_right, bottom_left]


def _erase(
    rng: np.random.Generator,
    height: int,
    width: int,
    scale: tuple[float, float],
    ratio: tuple[float, float],
) -> tuple[int, int, int, int] | None:
    area = height * width
    log_ratio = (math.log(ratio[0]), math.log(ratio[1]))
    for _ in range(10):
        target = area * rng.uniform(scale[0], scale[1])
        aspect = math.exp(rng.uniform(*log_ratio))
        h = round(math.sqrt(target * aspect))
        w = round(math.sqrt(target / aspect))
        if h < height and w < width:
            return int(rng.integers(0, height - h + 1)), int(rng.integers(0, width - w + 1)), h, w
    return None  # torchvision leaves the image as it is
