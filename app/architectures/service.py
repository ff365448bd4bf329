from __future__ import annotations

from app.architectures.schemas import ArchitectureInfo, ImageNetWeightsInfo
from app.ml.architectures import Architecture, imagenet_weights
from app.weights.store import WeightsStore


def describe(arch: Architecture, available_files: set[str]) -> ArchitectureInfo:
    weights = imagenet_weights(arch)
    return ArchitectureInfo(
        name=arch,
        family=arch.family,
        num_params=weights.num_params,
        gflops=weights.gflops,
        default_input_size=weights.crop_size,
        default_resize_size=weights.resize_size,
        imagenet_weights=ImageNetWeightsInfo(
            name=weights.name,
            file_name=weights.file_name,
            available=weights.file_name in available_files,
            top1_accuracy=weights.top1_accuracy,
        ),
    )


def list_architectures(store: WeightsStore) -> list[ArchitectureInfo]:
    files = store.available_files()
    return [describe(arch, files) for arch in Architecture]


def get_architecture(store: WeightsStore, arch: Architecture) -> ArchitectureInfo:
    return describe(arch, store.available_files())
