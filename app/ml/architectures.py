"""The architecture registry: names map to torchvision builders, never hand-written networks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

import torch
from torch import nn
from torchvision.models import get_model, get_model_weights


class Family(StrEnum):
    RESNET = "resnet"
    DENSENET = "densenet"


class Architecture(StrEnum):
    RESNET18 = "resnet18"
    RESNET34 = "resnet34"
    RESNET50 = "resnet50"
    RESNET101 = "resnet101"
    RESNET152 = "resnet152"
    RESNEXT50_32X4D = "resnext50_32x4d"
    RESNEXT101_32X8D = "resnext101_32x8d"
    WIDE_RESNET50_2 = "wide_resnet50_2"
    WIDE_RESNET101_2 = "wide_resnet101_2"
    DENSENET121 = "densenet121"
    DENSENET161 = "densenet161"
    DENSENET169 = "densenet169"
    DENSENET201 = "densenet201"

    @property
    def family(self) -> Family:
        return Family.DENSENET if self.value.startswith("densenet") else Family.RESNET


DEFAULT_ARCHITECTURE = Architecture.RESNEXT101_32X8D


class UnknownArchitecture(ValueError):
    def __init__(self, name: str) -> None:
        valid = ", ".join(a.value for a in Architecture)
        super().__init__(f"unknown architecture {name!r}; valid: {valid}")


def parse_architecture(name: str) -> Architecture:
    try:
        return Architecture(name)
    except ValueError:
        raise UnknownArchitecture(name) from None


@dataclass(frozen=True)
class ImageNetWeights:
    """What torchvision publishes about an architecture's default ImageNet weights."""

    name: str  # e.g. "ResNet50_Weights.IMAGENET1K_V2"
    url: str
    num_params: int
    gflops: float
    resize_size: int
    crop_size: int
    mean: tuple[float, float, float]
    std: tuple[float, float, float]
    top1_accuracy: float

    @property
    def file_name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def sha256_prefix(self) -> str | None:
        # torchvision names files "<arch>-<first hex digits of sha256>.pth", as torch.hub checks.
        stem = self.file_name.rsplit(".", 1)[0]
        if "-" not in stem:
            return None
        return stem.rsplit("-", 1)[-1]


@cache
def imagenet_weights(arch: Architecture) -> ImageNetWeights:
    weights = get_model_weights(arch.value).DEFAULT
    preset = weights.transforms()
    return ImageNetWeights(
        name=str(weights),
        url=weights.url,
        num_params=int(weights.meta["num_params"]),
        gflops=float(weights.meta["_ops"]),
        resize_size=int(preset.resize_size[0]),
        crop_size=int(preset.crop_size[0]),
        mean=tuple(preset.mean),
        std=tuple(preset.std),
        top1_accuracy=float(weights.meta["_metrics"]["ImageNet-1K"]["acc@1"]),
    )


@dataclass(frozen=True)
class BuildOptions:
    """Options of the Azure ResNet/DenseNet modules that shape the network itself."""

    zero_init_residual: bool = False  # ResNet family only
    memory_efficient: bool = False  # DenseNet only: gradient checkpointing

    def builder_kwargs(self, arch: Architecture) -> dict[str, bool]:
        if arch.family is Family.RESNET:
            if self.memory_efficient:
                raise ValueError(f"memory_efficient applies to DenseNet only, not {arch.value}")
            return {"zero_init_residual": self.zero_init_residual}
        if self.zero_init_residual:
            raise ValueError(
                f"zero_init_residual applies to the ResNet family only, not {arch.value}"
            )
        return {"memory_efficient": self.memory_efficient}


def classifier_head(model: nn.Module, arch: Architecture) -> nn.Linear:
    head = model.fc if arch.family is Family.RESNET else model.classifier
    assert isinstance(head, nn.Linear)
    return head


def replace_head(model: nn.Module, arch: Architecture, num_classes: int) -> None:
    """Swap the classifier for a fresh one of `num_classes` outputs (replaced, not stacked)."""
    new_head = nn.Linear(classifier_head(model, arch).in_features, num_classes)
    if arch.family is Family.RESNET:
        model.fc = new_head
    else:
        model.classifier = new_head


def build_network(
    arch: Architecture,
    num_classes: int,
    options: BuildOptions = BuildOptions(),
    backbone_state: dict[str, torch.Tensor] | None = None,
) -> nn.Module:
    """Build the network for `num_classes`; with `backbone_state` (e.g. ImageNet weights, any
    head size) load it strictly and then give the network a new head of the right size."""
    if num_classes < 1:
        raise ValueError("num_classes must be at least 1")
    kwargs = options.builder_kwargs(arch)
    if backbone_state is None:
        fresh: nn.Module = get_model(arch.value, weights=None, num_classes=num_classes, **kwargs)
        return fresh
    state = normalise_state_keys(arch, backbone_state)
    head_rows = state[_head_weight_key(arch)].shape[0]
    model: nn.Module = get_model(arch.value, weights=None, num_classes=head_rows, **kwargs)
    model.load_state_dict(state, strict=True)
    if head_rows != num_classes:
        replace_head(model, arch, num_classes)
    return model


def _head_weight_key(arch: Architecture) -> str:
    return "fc.weight" if arch.family is Family.RESNET else "classifier.weight"


def normalise_state_keys(
    arch: Architecture, state: dict[str, torch.Tensor]
) -> dict[str, torch.Tensor]:
    """Rename the legacy DenseNet keys ('norm.1' -> 'norm1') that torchvision's published files
    still use, as torchvision's own loader does; other state passes through unchanged."""
    if arch.family is not Family.DENSENET:
        return state
    legacy = re.compile(
        r"^(.*denselayer\d+\.(?:norm|relu|conv))\.((?:[12])\.(?:weight|bias|running_mean|running_var))$"
    )
    out: dict[str, torch.Tensor] = {}
    for key, value in state.items():
        match = legacy.match(key)
        out[match.group(1) + match.group(2) if match else key] = value
    return out


class IncompatibleWeights(ValueError):
    pass


def check_backbone_state(
    arch: Architecture, state: dict[str, torch.Tensor], options: BuildOptions = BuildOptions()
) -> None:
    """Raise IncompatibleWeights unless `state` loads strictly into `arch` (any head size).

    Built on the meta device: no memory is allocated for the reference network."""
    state = normalise_state_keys(arch, state)
    head_key = _head_weight_key(arch)
    if head_key not in state:
        raise IncompatibleWeights(f"no {head_key!r} in the weights: not a {arch.value} state dict")
    with torch.device("meta"):
        reference = get_model(
            arch.value,
            weights=None,
            num_classes=state[head_key].shape[0],
            **options.builder_kwargs(arch),
        ).state_dict()
    # torchvision's older files predate BatchNorm's num_batches_tracked; BatchNorm fills it in.
    missing = sorted(
        k for k in set(reference) - set(state) if not k.endswith("num_batches_tracked")
    )
    unexpected = sorted(set(state) - set(reference))
    wrong_shape = sorted(
        k for k in set(reference) & set(state) if tuple(reference[k].shape) != tuple(state[k].shape)
    )
    if missing or unexpected or wrong_shape:
        raise IncompatibleWeights(
            f"weights do not fit {arch.value}: {len(missing)} missing keys {missing[:3]}, "
            f"{len(unexpected)} unexpected keys {unexpected[:3]}, "
            f"{len(wrong_shape)} keys of the wrong shape {wrong_shape[:3]}"
        )
