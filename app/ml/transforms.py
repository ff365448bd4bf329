"""Image transformations: the Azure designer's Init / Apply Image Transformation, defects fixed.

One `TransformSpec` holds every option in Azure's fixed order with Azure's defaults. Unlike Azure,
color jitter has real strengths, random erasing works, normalization follows the weights the model
starts from, and the random ops run per sample on every epoch (the pipeline is applied by the data
loader, not once offline).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass, replace
from typing import Any, Literal

import torch
from PIL import Image
from torchvision.transforms import v2

Mode = Literal["train", "eval"]
RGB = tuple[float, float, float]
Range = tuple[float, float]

IMAGENET_MEAN: RGB = (0.485, 0.456, 0.406)
IMAGENET_STD: RGB = (0.229, 0.224, 0.225)
# Networks trained from scratch see [0, 1] pixels mapped to [-1, 1], as Azure always did.
SCRATCH_MEAN: RGB = (0.5, 0.5, 0.5)
SCRATCH_STD: RGB = (0.5, 0.5, 0.5)


@dataclass(frozen=True)
class Resize:
    """Scale the shorter edge to `size` (the aspect ratio is kept, so the result is not square)."""

    enabled: bool = True
    size: int = 256


@dataclass(frozen=True)
class Crop:
    enabled: bool = False
    size: int = 224


@dataclass(frozen=True)
class Pad:
    enabled: bool = False
    padding: int = 0


@dataclass(frozen=True)
class ColorJitter:
    # Azure's had no strengths and so did nothing; these are torchvision's reference strengths.
    enabled: bool = False
    brightness: float = 0.4
    contrast: float = 0.4
    saturation: float = 0.4
    hue: float = 0.1


@dataclass(frozen=True)
class Grayscale:
    enabled: bool = False


@dataclass(frozen=True)
class RandomResizedCrop:
    enabled: bool = False
    size: int = 256
    scale: Range = (0.08, 1.0)
    ratio: Range = (3 / 4, 4 / 3)


@dataclass(frozen=True)
class Chance:
    """An op applied to each image with probability `p` (flips, random grayscale)."""

    enabled: bool = False
    p: float = 0.5


@dataclass(frozen=True)
class RandomRotation:
    # Azure's default of 0 degrees made enabling it a no-op; 15 is a common mild augmentation.
    enabled: bool = False
    degrees: float = 15.0


@dataclass(frozen=True)
class RandomAffine:
    enabled: bool = False
    degrees: float = 15.0
    translate: Range | None = None  # max fraction of width, height
    scale: Range | None = None


@dataclass(frozen=True)
class RandomPerspective:
    enabled: bool = False
    p: float = 0.5
    distortion: float = 0.5


@dataclass(frozen=True)
class RandomErasing:
    enabled: bool = False
    p: float = 0.5
    scale: Range = (0.02, 0.33)
    ratio: Range = (0.3, 3.3)


@dataclass(frozen=True)
class TransformSpec:
    """Every option, in the order the pipeline applies them (Azure's order)."""

    resize: Resize = Resize()
    center_crop: Crop = Crop(enabled=True, size=224)
    pad: Pad = Pad()
    color_jitter: ColorJitter = ColorJitter()
    grayscale: Grayscale = Grayscale()
    random_resized_crop: RandomResizedCrop = RandomResizedCrop()
    random_crop: Crop = Crop(size=224)
    random_horizontal_flip: Chance = Chance(enabled=True, p=0.5)
    random_vertical_flip: Chance = Chance(p=0.5)
    random_rotation: RandomRotation = RandomRotation()
    random_affine: RandomAffine = RandomAffine()
    random_grayscale: Chance = Chance(p=0.1)
    random_perspective: RandomPerspective = RandomPerspective()
    random_erasing: RandomErasing = RandomErasing()
    # None: resolved from the model by resolve_normalization().
    normalize_mean: RGB | None = None
    normalize_std: RGB | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TransformSpec:
        """The inverse of to_dict() after a JSON round trip; missing options keep their defaults,
        so specs stored before an option existed still load."""
        defaults = cls()
        unknown = sorted(set(data) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"unknown transform options: {', '.join(unknown)}")
        values: dict[str, Any] = {}
        for name, value in data.items():
            default = getattr(defaults, name)
            if not is_dataclass(default) or isinstance(default, type):  # normalize_mean, _std
                values[name] = tuple(value) if isinstance(value, list) else value
                continue
            if not isinstance(value, dict):
                raise ValueError(f"transform option {name} must be an object, not {value!r}")
            params = {k: tuple(v) if isinstance(v, list) else v for k, v in value.items()}
            try:  # missing parameters keep this option's default (Chance's p differs per option)
                values[name] = replace(default, **params)
            except TypeError as exc:
                raise ValueError(f"transform option {name}: {exc}") from None
        return cls(**values)

    def validate(self) -> None:
        """Raise ValueError naming every bad setting and how to fix it."""
        problems = _range_problems(self) + _size_problems(self)
        if problems:
            raise ValueError("; ".join(problems))


# Each parameter's (low, high) bounds, None = unbounded; "option.param" overrides the plain name.
# A low of 0.0 is exclusive for scale and ratio: an empty area or aspect cannot be sampled.
_LIMITS: dict[str, tuple[float, float | None]] = {
    "size": (1, None),
    "padding": (0, None),
    "p": (0, 1),
    "degrees": (0, 180),
    "brightness": (0, None),
    "contrast": (0, None),
    "saturation": (0, None),
    "hue": (0, 0.5),
    "distortion": (0, 1),
    "translate": (0, 1),
    "scale": (0.0, 1),
    "ratio": (0.0, None),
    "random_affine.scale": (0.0, None),
}
_EXCLUSIVE_LOW = {"scale", "ratio"}


def _bounds_problem(name: str, param: str, value: float | Range) -> str | None:
    low, high = _LIMITS.get(name, _LIMITS[param])
    exclusive = param in _EXCLUSIVE_LOW
    values = value if isinstance(value, tuple) else (value,)
    if all((v > low if exclusive else v >= low) and (high is None or v <= high) for v in values):
        if isinstance(value, tuple) and value[0] > value[1]:
            return f"{name} {list(value)} must be [min, max] with min <= max"
        return None
    bounds = f"{'above' if exclusive else 'at least'} {low:g}"
    bounds += "" if high is None else f" and at most {high:g}"
    if isinstance(value, tuple):
        return f"{name} {list(value)}: each value must be {bounds}"
    return f"{name} {value} must be {bounds}"


def _range_problems(spec: TransformSpec) -> list[str]:
    out: list[str] = []
    for option in fields(spec):
        params = getattr(spec, option.name)
        if not is_dataclass(params) or isinstance(params, type):
            continue
        for param, value in asdict(params).items():
            if param != "enabled" and value is not None:
                problem = _bounds_problem(f"{option.name}.{param}", param, value)
                out += [problem] if problem else []
    for name in ("normalize_mean", "normalize_std"):
        rgb = getattr(spec, name)
        if rgb is not None and len(rgb) != 3:
            out.append(f"{name} needs 3 values (red, green, blue), not {len(rgb)}")
    if (spec.normalize_mean is None) != (spec.normalize_std is None):
        out.append("set normalize_mean and normalize_std together, or neither to use the model's")
    if spec.normalize_std is not None and min(spec.normalize_std) <= 0:
        out.append(f"normalize_std {list(spec.normalize_std)}: each value must be above 0")
    return out


def _size_problems(spec: TransformSpec) -> list[str]:
    out: list[str] = []
    resize, center, pad, random_crop = spec.resize, spec.center_crop, spec.pad, spec.random_crop
    if resize.enabled and center.enabled and center.size > resize.size:
        out.append(
            f"center_crop.size {center.size} is larger than resize.size {resize.size}: "
            f"make the crop at most {resize.size} or the resize at least {center.size}"
        )
    # The shorter edge the random crop receives, where it is known before seeing an image.
    edge, source = None, ""
    if spec.random_resized_crop.enabled:
        edge, source = spec.random_resized_crop.size, "random_resized_crop"
    elif center.enabled or resize.enabled:
        edge, source = (center.size, "center_crop") if center.enabled else (resize.size, "resize")
        if pad.enabled and pad.padding:
            edge, source = edge + 2 * pad.padding, f"{source} and pad"
    if random_crop.enabled and edge is not None and random_crop.size > edge:
        out.append(
            f"random_crop.size {random_crop.size} is larger than the {edge}-pixel image it gets "
            f"from {source}: make the random crop at most {edge}"
        )
    if output_size(spec, "train") is None:
        out.append(
            "training batches need one image size: enable center_crop, random_crop or "
            "random_resized_crop"
        )
    elif output_size(spec, "eval") is None:
        out.append(
            "inference drops the random crops, so its images would differ in size: "
            "enable center_crop as well"
        )
    return out


def output_size(spec: TransformSpec, mode: Mode = "train") -> int | None:
    """The square side of every image the pipeline yields, or None when it depends on the input
    (Resize keeps the aspect ratio, so only a crop fixes the size)."""
    size = spec.center_crop.size if spec.center_crop.enabled else None
    if size is not None and spec.pad.enabled:
        size += 2 * spec.pad.padding
    if mode == "train" and spec.random_resized_crop.enabled:
        size = spec.random_resized_crop.size
    if mode == "train" and spec.random_crop.enabled:
        size = spec.random_crop.size
    return size


def resolve_normalization(spec: TransformSpec, pretrained: bool) -> tuple[RGB, RGB]:
    """The spec's mean and std, else the statistics the model's starting weights expect."""
    if spec.normalize_mean is not None and spec.normalize_std is not None:
        return spec.normalize_mean, spec.normalize_std
    return (IMAGENET_MEAN, IMAGENET_STD) if pretrained else (SCRATCH_MEAN, SCRATCH_STD)


def _to_rgb(image: Image.Image) -> Image.Image:
    # Datasets hold L, P, RGBA and CMYK files too; the networks take three channels.
    return image if image.mode == "RGB" else image.convert("RGB")


@dataclass(frozen=True)
class Op:
    """One option's torchvision op, and whether inference keeps it."""

    make: Callable[[Any], Any]  # the option's settings -> the torchvision transform
    deterministic: bool = False  # the same output for the same image: inference keeps it


# Each option's op, in Azure's order: the one table of the order that both pipelines apply them
# in (build_transform here, app.ml.fastpath.pipeline on the device). Random erasing is not in it:
# it works on the normalised tensor, after every op here.
# RandomCrop pads images smaller than the crop: without a resize, sizes are only known at run time.
OPS: dict[str, Op] = {
    "resize": Op(lambda o: v2.Resize(o.size, antialias=True), deterministic=True),
    "center_crop": Op(lambda o: v2.CenterCrop(o.size), deterministic=True),
    "pad": Op(lambda o: v2.Pad(o.padding), deterministic=True),
    "color_jitter": Op(lambda o: v2.ColorJitter(o.brightness, o.contrast, o.saturation, o.hue)),
    "grayscale": Op(lambda o: v2.Grayscale(num_output_channels=3), deterministic=True),
    "random_resized_crop": Op(
        lambda o: v2.RandomResizedCrop(o.size, scale=o.scale, ratio=o.ratio, antialias=True)
    ),
    "random_crop": Op(lambda o: v2.RandomCrop(o.size, pad_if_needed=True)),
    "random_horizontal_flip": Op(lambda o: v2.RandomHorizontalFlip(o.p)),
    "random_vertical_flip": Op(lambda o: v2.RandomVerticalFlip(o.p)),
    "random_rotation": Op(lambda o: v2.RandomRotation(o.degrees)),
    "random_affine": Op(lambda o: v2.RandomAffine(o.degrees, translate=o.translate, scale=o.scale)),
    "random_grayscale": Op(lambda o: v2.RandomGrayscale(o.p)),
    "random_perspective": Op(lambda o: v2.RandomPerspective(o.distortion, o.p)),
}
OP_ORDER: tuple[str, ...] = tuple(OPS)
DETERMINISTIC = frozenset(name for name, op in OPS.items() if op.deterministic)


def build_transform(
    spec: TransformSpec, mode: Mode, mean: Sequence[float], std: Sequence[float]
) -> Callable[[Image.Image], torch.Tensor]:
    """PIL image -> normalized float tensor (C, H, W). "train" applies every enabled option;
    "eval" (inference) drops every random one so the same image always gives the same tensor."""
    if mode not in ("train", "eval"):
        raise ValueError(f"mode must be 'train' or 'eval', not {mode!r}")
    train = mode == "train"
    ops: list[Any] = [_to_rgb]
    for name, op in OPS.items():
        option = getattr(spec, name)
        if option.enabled and (train or op.deterministic):
            ops.append(op.make(option))
    ops += [v2.ToImage(), v2.ToDtype(torch.float32, scale=True)]
    ops.append(v2.Normalize(list(mean), list(std)))
    if train and spec.random_erasing.enabled:
        # After Normalize, as torchvision's reference does: the erased value 0 is the mean colour.
        e = spec.random_erasing
        ops.append(v2.RandomErasing(e.p, scale=e.scale, ratio=e.ratio))
    ops.append(v2.ToPureTensor())  # plain tensors: collate, save and move like any other
    pipeline: Callable[[Image.Image], torch.Tensor] = v2.Compose(ops)
    return pipeline
