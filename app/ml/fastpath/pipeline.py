"""A TransformSpec applied to uint8 image tensors on any device, a batch at a time.

The same ops, in the same (Azure's) order, with the same parameter distributions as
`app.ml.transforms.build_transform`, split in three:

* the prefix: the leading deterministic ops (resize, center crop, pad, and grayscale when nothing
  random precedes it). Its output is what the decoded-image cache holds, so later epochs start
  from it. Inference is all prefix.
* per-image ops, which change an image's size or depend on all of it (color jitter, grayscale
  after it, random resized crop, random crop): one call per image.
* batch ops, once every image has the output size: flips and random grayscale as one masked op
  over the batch; rotation, affine and perspective per image; then float, normalisation and
  random erasing.

Randomness is explicit: `draw` makes one `Draw` per image from a NumPy generator, so a batch is a
function of (seed, epoch, batch number) alone, whatever thread or device computes it, and a test
can apply the same draw to a PIL image. Every op is torchvision's own kernel (grayscale: Pillow's
rounded integer formula, which torchvision's truncating kernel misses by half a level), so the
device tensors match the PIL pipeline within the tolerance `app.ml.fastpath.EQUIVALENCE` states.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import numpy as np
import torch
from PIL import Image
from torchvision.transforms import InterpolationMode, v2
from torchvision.transforms.v2 import functional as F  # noqa: N812

from app.ml.fastpath.draws import Draw, draw_choices
from app.ml.transforms import DETERMINISTIC, OP_ORDER, OPS, Mode, TransformSpec, output_size

# The ops of transforms.OPS that change an image's size or depend on all of it: one call per image.
PER_IMAGE = frozenset({"color_jitter", "grayscale", "random_resized_crop", "random_crop"})


class Pipeline:
    def __init__(
        self,
        spec: TransformSpec,
        mode: Mode,
        mean: Sequence[float],
        std: Sequence[float],
    ) -> None:
        if mode not in ("train", "eval"):
            raise ValueError(f"mode must be 'train' or 'eval', not {mode!r}")
        train = mode == "train"
        names = [n for n in OP_ORDER if getattr(spec, n).enabled and (train or n in DETERMINISTIC)]
        cut = 0
        while cut < len(names) and names[cut] in DETERMINISTIC:
            cut += 1
        self.spec, self.mode = spec, mode
        self.prefix_ops: tuple[str, ...] = tuple(names[:cut])
        self.image_ops = tuple(n for n in names[cut:] if n in PER_IMAGE)
        self.batch_ops = tuple(n for n in names[cut:] if n not in PER_IMAGE)
        self.erasing = spec.random_erasing if train and spec.random_erasing.enabled else None
        self.mean, self.std = tuple(mean), tuple(std)
        self.size = output_size(spec, mode)

    @property
    def random(self) -> bool:
        return bool(self.image_ops or self.batch_ops or self.erasing)

    # The prefix: on a tensor here, on a PIL image in pil_prefix (the decoding fallback).
    def prefix(self, image: torch.Tensor) -> torch.Tensor:
        """uint8 (..., 3, H, W) -> uint8 (..., 3, H', W'): the prefix ops, as torchvision's
        kernels (one image or a batch of one size)."""
        for name in self.prefix_ops:
            option = getattr(self.spec, name)
            if name == "resize":
                image = F.resize(image, [option.size], antialias=True)
            elif name == "center_crop":
                image = F.center_crop(image, [option.size])
            elif name == "pad":
                image = F.pad(image, [option.padding])
            else:  # grayscale
                image = grey(image)
        return image

    def prefix_many(self, images: Sequence[torch.Tensor]) -> list[torch.Tensor]:
        """prefix() of each image, those of one shape in one call: a kernel per shape instead of
        per image, since photo collections come in few sizes. The outputs of a group are views
        of one tensor (the cache may keep a group's memory for one of them)."""
        out: list[torch.Tensor | None] = [None] * len(images)
        groups: dict[tuple[int, ...], list[int]] = {}
        for k, image in enumerate(images):
            groups.setdefault(tuple(image.shape), []).append(k)
        for members in groups.values():
            if len(members) == 1:
                out[members[0]] = self.prefix(images[members[0]])
                continue
            together = self.prefix(torch.stack([images[k] for k in members]))
            for k, image in zip(members, together.unbind(0), strict=True):
                out[k] = image
        return out  # type: ignore[return-value]  # every position was filled above

    def pil_prefix(self) -> Callable[[Image.Image], Image.Image]:
        return _pil_prefix(self.spec, self.prefix_ops)

    def draw(self, rng: np.random.Generator, height: int, width: int) -> Draw:
        """The random choices for one image whose prefix output is `height` x `width`."""
        assert self.mode == "train"  # eval has no random ops
        return draw_choices(self.spec, self.image_ops + self.batch_ops, rng, height, width)

    def apply(
        self, images: Sequence[torch.Tensor], draws: Sequence[Draw] | None = None
    ) -> torch.Tensor:
        """Prefix outputs (uint8, one device) -> a normalised float32 batch (N, 3, S, S)."""
        if self.random and (draws is None or len(draws) != len(images)):
            raise ValueError("a random pipeline needs one draw per image")
        out = [
            self._per_image(image, draws[k] if draws else None) for k, image in enumerate(images)
        ]
        batch = torch.stack(out)
        for name in self.batch_ops:
            assert draws is not None
            batch = _BATCH_OPS[name](batch, draws)
        # ToDtype(scale=True) and Normalize's arithmetic, op for op: the same floats.
        batch = batch.float().mul_(1.0 / 255)
        mean, std = _stats(self.mean, self.std, batch.device)
        batch = batch.sub_(mean).div_(std)
        for k, draw in enumerate(draws or ()):
            if draw.erase is not None:  # after normalisation: 0 is the mean colour
                top, left, height, width = draw.erase
                batch[k, :, top : top + height, left : left + width] = 0
        return batch

    def _per_image(self, image: torch.Tensor, draw: Draw | None) -> torch.Tensor:
        for name in self.image_ops:
            assert draw is not None
            if name == "color_jitter":
                assert draw.jitter is not None
                image = _apply_jitter(image, draw.jitter)
            elif name == "grayscale":
                image = grey(image)
            elif name == "random_resized_crop":
                assert draw.resized_crop is not None
                top, left, height, width = draw.resized_crop
                size = self.spec.random_resized_crop.size
                crop = image[:, top : top + height, left : left + width]
                image = F.resize(crop, [size, size], antialias=True)
            else:  # random_crop
                assert draw.crop is not None
                top, left, padding = draw.crop
                if any(padding):
                    image = F.pad(image, padding)
                size = self.spec.random_crop.size
                image = image[:, top : top + size, left : left + size]
        return image


@cache
def _pil_prefix(
    spec: TransformSpec, names: tuple[str, ...]
) -> Callable[[Image.Image], Image.Image]:
    # The PIL pipeline's own op objects, so the fallback gives the PIL path's pixels exactly.
    ops = [OPS[name].make(getattr(spec, name)) for name in names]
    return v2.Compose(ops) if ops else _identity


def _identity(image: Image.Image) -> Image.Image:
    return image


@cache
def _stats(
    mean: tuple[float, ...], std: tuple[float, ...], device: torch.device
) -> tuple[torch.Tensor, torch.Tensor]:
    def column(values: tuple[float, ...]) -> torch.Tensor:
        return torch.tensor(values, dtype=torch.float32, device=device).view(1, -1, 1, 1)

    return column(mean), column(std)


def _indices(draws: Sequence[Draw], flag: Callable[[Draw], bool], device: torch.device) -> Any:
    chosen = [k for k, draw in enumerate(draws) if flag(draw)]
    return torch.tensor(chosen, dtype=torch.int64, device=device) if chosen else None


def _masked(
    op: Callable[[torch.Tensor], torch.Tensor], flag: Callable[[Draw], bool]
) -> Callable[[torch.Tensor, Sequence[Draw]], torch.Tensor]:
    def apply(batch: torch.Tensor, draws: Sequence[Draw]) -> torch.Tensor:
        chosen = _indices(draws, flag, batch.device)
        if chosen is not None:
            batch[chosen] = op(batch[chosen])
        return batch

    return apply


def _each(
    op: Callable[[torch.Tensor, Draw], torch.Tensor | None],
) -> Callable[[torch.Tensor, Sequence[Draw]], torch.Tensor]:
    def apply(batch: torch.Tensor, draws: Sequence[Draw]) -> torch.Tensor:
        for k, draw in enumerate(draws):
            result = op(batch[k], draw)
            if result is not None:
                batch[k] = result
        return batch

    return apply


def _rotate(image: torch.Tensor, draw: Draw) -> torch.Tensor | None:
    if draw.rotation is None:
        return None
    rotated: torch.Tensor = F.rotate(
        image, draw.rotation, interpolation=InterpolationMode.NEAREST, fill=0
    )
    return rotated


def _apply_affine(image: torch.Tensor, draw: Draw) -> torch.Tensor | None:
    if draw.affine is None:
        return None
    angle, shift, factor = draw.affine
    moved: torch.Tensor = F.affine(
        image,
        angle=angle,
        translate=shift,
        scale=factor,
        shear=[0.0, 0.0],
        interpolation=InterpolationMode.NEAREST,
        fill=0,
    )
    return moved


def _apply_perspective(image: torch.Tensor, draw: Draw) -> torch.Tensor | None:
    if draw.perspective is None:
        return None
    start, end = draw.perspective
    warped: torch.Tensor = F.perspective(
        image, start, end, interpolation=InterpolationMode.BILINEAR, fill=0
    )
    return warped


def grey(images: torch.Tensor) -> torch.Tensor:
    """uint8 RGB (..., 3, H, W) -> its luma in 3 channels, with Pillow's integer formula (ITU-R
    601-2, rounded): torchvision's tensor kernel truncates, half a level darker on average."""
    r, g, b = images.to(torch.int32).unbind(-3)
    luma = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16).to(torch.uint8)
    return luma.unsqueeze(-3).expand_as(images).contiguous()


_BATCH_OPS: dict[str, Callable[[torch.Tensor, Sequence[Draw]], torch.Tensor]] = {
    "random_horizontal_flip": _masked(lambda b: b.flip(-1), lambda d: d.hflip),
    "random_vertical_flip": _masked(lambda b: b.flip(-2), lambda d: d.vflip),
    "random_rotation": _each(_rotate),
    "random_affine": _each(_apply_affine),
    "random_grayscale": _masked(grey, lambda d: d.gray),
    "random_perspective": _each(_apply_perspective),
}


def _apply_jitter(
    image: torch.Tensor,
    jitter: tuple[list[int], float | None, float | None, float | None, float | None],
) -> torch.Tensor:
    order, *factors = jitter
    kernels = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation, F.adjust_hue)
    for index in order:
        if factors[index] is not None:
            image = kernels[index](image, factors[index])
    return image
