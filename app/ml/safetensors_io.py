"""A minimal reader and writer of the safetensors format, in torch and the standard library
(app.ml may not depend on the safetensors package).

Layout: an unsigned 64-bit little-endian header length N; N bytes of JSON mapping each tensor
name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets into the data that follows),
plus an optional "__metadata__" of str -> str; then the raw little-endian tensor bytes.
"""

from __future__ import annotations

import json
import struct
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import torch

from app.ml.checkpoint import atomic_write

# In the order the reference writes them (its dtype enum, descending), so our files are
# byte-for-byte what the safetensors package writes for the same tensors and metadata.
DTYPES: dict[str, torch.dtype] = {
    "I64": torch.int64,
    "F32": torch.float32,
    "I32": torch.int32,
    "BF16": torch.bfloat16,
    "F16": torch.float16,
    "U8": torch.uint8,
    "BOOL": torch.bool,
}
_NAMES = {dtype: name for name, dtype in DTYPES.items()}
_RANK = {dtype: rank for rank, dtype in enumerate(DTYPES.values())}
_MAX_HEADER = 100 * 1024 * 1024  # the reference implementation's limit
_ALIGN = 8  # the reference pads the header with spaces so the data starts 8-byte aligned


class SafetensorsError(ValueError):
    pass


@dataclass
class SafetensorsContent:
    tensors: dict[str, torch.Tensor]
    metadata: dict[str, str] = field(default_factory=dict)


def _check_little_endian() -> None:
    # Tensor bytes are copied as they lie in memory: right only on little-endian machines
    # (every platform torch ships wheels for).
    if sys.byteorder != "little":
        raise NotImplementedError("safetensors_io supports little-endian machines only")


def serialize(
    tensors: Mapping[str, torch.Tensor], metadata: Mapping[str, str] | None = None
) -> bytes:
    _check_little_endian()
    header: dict[str, object] = {}
    if metadata:
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in metadata.items()):
            raise SafetensorsError("metadata must map strings to strings")
        # Sorted: the same input always gives the same bytes (the reference uses hash order).
        header["__metadata__"] = dict(sorted(metadata.items()))
    chunks: list[bytes] = []
    offset = 0
    for name, tensor in tensors.items():
        if name == "__metadata__":
            raise SafetensorsError("'__metadata__' cannot name a tensor")
        if tensor.dtype not in _NAMES:
            valid = ", ".join(str(d) for d in DTYPES.values())
            raise SafetensorsError(f"{name}: unsupported dtype {tensor.dtype} (valid: {valid})")
    # Wider dtypes first, then by name: every tensor stays aligned to its element size.
    for name in sorted(tensors, key=lambda n: (_RANK[tensors[n].dtype], n)):
        tensor = tensors[name]
        raw = tensor.detach().cpu().contiguous().reshape(-1).view(torch.uint8).numpy().tobytes()
        header[name] = {
            "dtype": _NAMES[tensor.dtype],
            "shape": list(tensor.shape),
            "data_offsets": [offset, offset + len(raw)],
        }
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % _ALIGN)
    return struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks)


def deserialize(data: bytes) -> SafetensorsContent:
    """Parse and validate a whole file: offsets must tile the data exactly, as the reference
    requires, so a truncated or padded file is refused rather than half read."""
    _check_little_endian()
    if len(data) < 8:
        raise SafetensorsError("too short for a safetensors file")
    (size,) = struct.unpack("<Q", data[:8])
    if size > min(_MAX_HEADER, len(data) - 8):
        raise SafetensorsError(f"header length {size} exceeds the file or the limit")
    try:
        header = json.loads(data[8 : 8 + size])
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SafetensorsError(f"the header is not JSON: {exc}") from exc
    if not isinstance(header, dict):
        raise SafetensorsError("the header is not a JSON object")
    metadata = header.pop("__metadata__", None) or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise SafetensorsError("__metadata__ must map strings to strings")
    body = memoryview(data)[8 + size :]
    entries = sorted(
        ((name, *_entry(name, spec)) for name, spec in header.items()), key=lambda e: e[1:3]
    )
    tensors: dict[str, torch.Tensor] = {}
    position = 0
    for name, begin, end, dtype, shape in entries:
        if begin != position or end > len(body):
            raise SafetensorsError(f"{name}: data offsets leave a gap, overlap or overrun")
        tensors[name] = _tensor(body[begin:end], dtype, shape)
        position = end
    if position != len(body):
        raise SafetensorsError(f"{len(body) - position} bytes after the last tensor")
    return SafetensorsContent(tensors, metadata)


def _entry(name: str, spec: object) -> tuple[int, int, torch.dtype, list[int]]:
    try:
        if not isinstance(spec, dict):
            raise TypeError("not an object")
        dtype = DTYPES[spec["dtype"]]
        shape = [int(d) for d in spec["shape"]]
        begin, end = (int(v) for v in spec["data_offsets"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SafetensorsError(f"{name}: bad entry {spec!r}") from exc
    if min(shape, default=0) < 0 or not 0 <= begin <= end:
        raise SafetensorsError(f"{name}: negative size or offsets in {spec!r}")
    itemsize = torch.empty((), dtype=dtype).element_size()
    if end - begin != itemsize * _numel(shape):
        raise SafetensorsError(f"{name}: {end - begin} bytes do not hold a {dtype} {shape}")
    return begin, end, dtype, shape


def _numel(shape: list[int]) -> int:
    count = 1
    for d in shape:
        count *= d
    return count


def _tensor(raw: memoryview, dtype: torch.dtype, shape: list[int]) -> torch.Tensor:
    if len(raw) == 0:
        return torch.empty(shape, dtype=dtype)
    # A private, writable, aligned copy: the tensor must not alias the caller's bytes.
    flat = torch.frombuffer(bytearray(raw), dtype=torch.uint8)
    return flat.view(dtype).reshape(shape)


def save_file(
    tensors: Mapping[str, torch.Tensor], path: Path, metadata: Mapping[str, str] | None = None
) -> None:
    data = serialize(tensors, metadata)
    atomic_write(path, lambda f: f.write(data))


def load_file(path: Path) -> SafetensorsContent:
    return deserialize(Path(path).read_bytes())
