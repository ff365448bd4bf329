"""The fast data path: decode, cache and augment images on the training device, so a GPU job runs
at the speed of the GPU rather than of the JPEG decoder.

    DeviceBatches(samples, spec, mode, mean, std, device, batch_size, shuffle=, seed=, cache=)
        a loader for engine.fit: batches already on the device, `set_epoch` like SeededLoader
    predict_files(model, paths, batch_size, data_path=)
        scoring files on either path, failures reported per file
    use_device_path(device, data_path)
        the selection: the device path on CUDA, the PIL path (app.ml.data) on the CPU

Pieces: jpeg (which files the batched decoder takes), decode (batched decode_jpeg, open_rgb
fallback in worker processes), pipeline (TransformSpec on tensors), cache (decoded images across
epochs), prefetch (a producer thread and CUDA stream ahead of the consumer), batches, scoring.

Equivalence with the PIL path (build_transform over open_rgb), for the same image and the same
random choices, measured in 8-bit levels (a normalised tensor times std times 255): see
EQUIVALENCE. On the CPU both decode with libjpeg-turbo and torchvision's uint8 antialiased
bilinear resize follows Pillow's algorithm, so pixels differ by rounding only. nvJPEG's IDCT and
chroma upsampling differ from libjpeg-turbo: torchvision itself bounds that by a mean absolute
difference below 2 levels (its test_decode_jpegs_cuda), and a GPU resize works in float32 before
rounding, hence the looser CUDA bounds, which are to be confirmed on a GPU.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.ml.fastpath.batches import DeviceBatches
from app.ml.fastpath.cache import CacheBudget
from app.ml.fastpath.scoring import DataPath, FilePredictions, predict_files, use_device_path


@dataclass(frozen=True)
class Tolerance:
    mean_levels: float  # mean absolute difference over all values
    max_levels: float  # largest absolute difference of any value


EQUIVALENCE = {
    "cpu": Tolerance(mean_levels=0.5, max_levels=2.0),
    "cuda": Tolerance(mean_levels=2.0, max_levels=48.0),
}
# Colour jitter, rotation, affine and perspective resample differently in Pillow and in torch
# (pixel centres, rounding, a nearest neighbour that flips at edges): for those only the mean
# bound holds, raised by this much. Measured on the CPU: jitter 0.8, perspective 0.9, rotation
# and affine 0.01 levels.
WARP_MEAN_LEVELS = 1.5

__all__ = [
    "EQUIVALENCE",
    "WARP_MEAN_LEVELS",
    "CacheBudget",
    "DataPath",
    "DeviceBatches",
    "FilePredictions",
    "Tolerance",
    "predict_files",
    "use_device_path",
]
