"""Decoded images kept between epochs: the pipeline's prefix output (decoded, oriented, resized,
cropped uint8 tensors), so every epoch after the first skips reading and decoding.

Two tiers: device memory (CUDA only) while the device budget lasts, then host memory. The budget
is shared by the loaders of one job; an image that fits in neither tier is decoded again next
epoch. On CUDA, host-tier images of a batch travel together: packed into one pinned buffer and
copied with one non-blocking host-to-device copy.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import torch

# Shares of the machine a job's caches may take when the caller names no budget.
DEVICE_SHARE = 0.25  # of the GPU's total memory: the model, its activations and cuDNN need the rest
HOST_SHARE = 0.4  # of the memory available when the budget is made


class CacheBudget:
    """Bytes the decoded-image caches of one job may hold, per tier (thread-safe)."""

    def __init__(self, device_bytes: int, host_bytes: int) -> None:
        self._left = {"device": max(0, device_bytes), "host": max(0, host_bytes)}
        self._lock = threading.Lock()

    @classmethod
    def default(cls, device: torch.device | str) -> CacheBudget:
        device = torch.device(device)
        device_bytes = 0
        if device.type == "cuda":
            _free, total = torch.cuda.mem_get_info(device)
            device_bytes = int(total * DEVICE_SHARE)
        return cls(device_bytes, int(available_memory() * HOST_SHARE))

    @classmethod
    def none(cls) -> CacheBudget:
        return cls(0, 0)

    def take(self, tier: str, nbytes: int) -> bool:
        with self._lock:
            if self._left[tier] < nbytes:
                return False
            self._left[tier] -= nbytes
            return True

    def left(self, tier: str) -> int:
        return self._left[tier]


def available_memory() -> int:
    """MemAvailable from /proc/meminfo (Linux), else the physical memory."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


class DecodedCache:
    def __init__(self, budget: CacheBudget, device: torch.device) -> None:
        self.budget, self.device = budget, device
        self._items: dict[int, torch.Tensor] = {}

    def __len__(self) -> int:
        return len(self._items)

    def put(self, index: int, image: torch.Tensor) -> None:
        """Keep `image` (on self.device) if a tier has room for it."""
        if index in self._items:
            return
        nbytes = image.numel() * image.element_size()
        if self.device.type == "cuda" and self.budget.take("device", nbytes):
            self._items[index] = image
        elif self.budget.take("host", nbytes):
            self._items[index] = image.cpu() if image.device.type != "cpu" else image

    def get_many(self, indices: Sequence[int]) -> list[torch.Tensor | None]:
        """The cached images of `indices` on self.device (None where not cached)."""
        found = [self._items.get(i) for i in indices]
        if self.device.type == "cpu":
            return found
        host = [
            k for k, image in enumerate(found) if image is not None and image.device.type == "cpu"
        ]
        if not host:
            return found
        images = [found[k] for k in host]
        sizes = [image.numel() for image in images if image is not None]
        staging = torch.empty(sum(sizes), dtype=torch.uint8, pin_memory=True)
        torch.cat([image.reshape(-1) for image in images if image is not None], out=staging)
        on_device = staging.to(self.device, non_blocking=True)
        offset = 0
        for k, image, size in zip(host, images, sizes, strict=True):
            assert image is not None
            found[k] = on_device[offset : offset + size].view(image.shape)
            offset += size
        return found
