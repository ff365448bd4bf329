"""Files to prefix-transformed uint8 image tensors on the device, a batch at a time.

JPEGs that `scan_jpeg` accepts are decoded together by one `torchvision.io.decode_jpeg(list,
device=...)` call: nvJPEG on CUDA, libjpeg-turbo on the CPU (the library Pillow uses). Everything
else (PNG, BMP, TIFF, WebP, PPM/PGM, CMYK JPEGs, odd or damaged JPEGs) is decoded by
`app.ml.images.open_rgb` with the PIL pipeline's own prefix ops: in worker processes when
`workers` > 0 (a decoder that crashes or hangs takes a worker down, not the job), else in the
calling thread. A file that cannot be decoded gives a `Failure` with open_rgb's reason.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from torchvision.io import ImageReadMode, decode_jpeg

from app.ml.fastpath.jpeg import orient, scan_jpeg
from app.ml.fastpath.pipeline import Pipeline
from app.ml.images import ImageRejected, open_rgb
from app.ml.transforms import Mode, TransformSpec


@dataclass(frozen=True)
class Failure:
    reason: str  # open_rgb's RejectReason, "unreadable" or "missing"
    message: str

    @property
    def why(self) -> str:
        """'reason: message', the form scoring reports."""
        return self.reason if not self.message else f"{self.reason}: {self.message}"


Outcome = torch.Tensor | Failure


class Decoder:
    """Decode files to the pipeline's prefix output (uint8 (3, H, W) on `device`)."""

    def __init__(
        self,
        pipeline: Pipeline,
        device: torch.device,
        *,
        max_pixels: int | None = None,
        workers: int = 0,
    ) -> None:
        if workers < 0:
            raise ValueError(f"workers must be non-negative, got {workers}")
        self.pipeline, self.device = pipeline, device
        self.max_pixels, self.workers = max_pixels, workers
        self.decoded = 0  # images decoded so far (the cache test counts them)
        self.fallbacks = 0  # of which by open_rgb
        self._threads = ThreadPoolExecutor(max_workers=8, thread_name_prefix="read")
        self._processes: ProcessPoolExecutor | None = None
        weakref.finalize(self, _shutdown, self._threads)

    def close(self) -> None:
        _shutdown(self._threads, self._processes)
        self._processes = None

    def decode(self, paths: Sequence[Path | None]) -> list[Outcome]:
        """One outcome per path, in order: the image on the device, or why there is none."""
        contents = list(self._threads.map(_read, paths))
        outcomes: list[Outcome | None] = [None] * len(paths)
        jpegs: list[tuple[int, int, bytes]] = []  # (position, EXIF orientation, content)
        pending: dict[int, Future[np.ndarray | Failure] | None] = {}
        for k, content in enumerate(contents):
            if isinstance(content, Failure):
                outcomes[k] = content
                continue
            header = scan_jpeg(content, self.max_pixels)
            path = paths[k]
            assert path is not None  # it was read
            if header is None:
                pending[k] = self._submit(path)
            else:
                jpegs.append((k, header.orientation, content))
        decoded = self._decode_jpegs([content for _, _, content in jpegs])
        oriented: dict[int, torch.Tensor] = {}
        for (k, orientation, _), image in zip(jpegs, decoded, strict=True):
            if image is None:  # nvJPEG or libjpeg-turbo refused it: open_rgb decides
                pending[k] = self._submit(paths[k])  # type: ignore[arg-type]  # it was read
            else:
                oriented[k] = orient(image, orientation)
        prefixed = self.pipeline.prefix_many(list(oriented.values()))
        for k, image in zip(oriented, prefixed, strict=True):
            outcomes[k] = image
        for k, future in pending.items():
            path = paths[k]
            assert path is not None
            result = (
                future.result()
                if future is not None
                else decode_file(path, self.max_pixels, self.pipeline.spec, self.pipeline.mode)
            )
            outcomes[k] = result if isinstance(result, Failure) else self._upload(result)
        self.decoded += sum(1 for o in outcomes if isinstance(o, torch.Tensor))
        self.fallbacks += sum(1 for k in pending if isinstance(outcomes[k], torch.Tensor))
        assert all(o is not None for o in outcomes)
        return outcomes  # type: ignore[return-value]  # every position was filled above

    def _submit(self, path: Path) -> Future[np.ndarray | Failure] | None:
        if self.workers == 0:
            return None  # decoded in this thread, in `decode`
        if self._processes is None:
            # spawn: a forked child of a process that uses CUDA cannot use it, and must not try.
            self._processes = ProcessPoolExecutor(self.workers, mp_context=get_context("spawn"))
            weakref.finalize(self, _shutdown, self._processes)
        spec, mode = self.pipeline.spec, self.pipeline.mode
        return self._processes.submit(decode_file, path, self.max_pixels, spec, mode)

    def _decode_jpegs(self, contents: list[bytes]) -> list[torch.Tensor | None]:
        if not contents:
            return []
        data = [torch.frombuffer(bytearray(c), dtype=torch.uint8) for c in contents]
        if self.device.type != "cuda":  # libjpeg-turbo releases the GIL: decode in threads
            return list(self._threads.map(self._decode_one, data))
        try:
            _before_nvjpeg(self.device)
            return list(decode_jpeg(data, mode=ImageReadMode.RGB, device=self.device))
        except RuntimeError:  # one bad file fails the whole batch: find it
            return [self._decode_one(d) for d in data]

    def _decode_one(self, data: torch.Tensor) -> torch.Tensor | None:
        try:
            if self.device.type == "cuda":
                _before_nvjpeg(self.device)
            image: torch.Tensor = decode_jpeg(data, mode=ImageReadMode.RGB, device=self.device)
            return image
        except RuntimeError:
            return None

    def _upload(self, pixels: np.ndarray) -> torch.Tensor:
        # The fallback is the rare path: a plain synchronous copy.
        return torch.from_numpy(pixels).to(self.device).permute(2, 0, 1).contiguous()


def _before_nvjpeg(device: torch.device) -> None:
    # torchvision's CUDA decoder allocates its outputs on the current stream but writes them from
    # a private stream that does not wait for it, and nvJPEG's hardware batch decoder writes when
    # called whatever the stream order (pytorch/vision#9606, meta-pytorch/torchcodec#1634). So
    # nothing queued on this thread's stream may still read memory the decoder could be handed.
    torch.cuda.current_stream(device).synchronize()


def _read(path: Path | None) -> bytes | Failure:
    if path is None:
        return Failure("missing", "")
    try:
        return path.read_bytes()
    except OSError as exc:
        return Failure("unreadable", f"{path.name}: cannot be read: {exc.strerror}")


def decode_file(
    path: Path, max_pixels: int | None, spec: TransformSpec, mode: Mode
) -> np.ndarray | Failure:
    """open_rgb, then the PIL pipeline's prefix ops: (H, W, 3) uint8 pixels (in a worker)."""
    try:
        image = open_rgb(path, max_pixels)
        return np.array(_prefix(spec, mode)(image), dtype=np.uint8)  # a writable copy
    except ImageRejected as exc:
        return Failure(exc.reason, exc.message)
    except (OSError, ValueError) as exc:
        return Failure("unreadable", str(exc))


@cache
def _prefix(spec: TransformSpec, mode: Mode) -> Callable[[Image.Image], Image.Image]:
    return Pipeline(spec, mode, (0.0, 0.0, 0.0), (1.0, 1.0, 1.0)).pil_prefix()


def _shutdown(*executors: Executor | None) -> None:
    for executor in executors:
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)
