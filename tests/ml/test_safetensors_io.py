"""The pure-torch safetensors reader and writer agree with the reference package both ways."""

from __future__ import annotations

import json
import struct
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load as reference_load
from safetensors.torch import save as reference_save
from safetensors.torch import save_file as reference_save_file

from app.ml.safetensors_io import (
    SafetensorsError,
    deserialize,
    load_file,
    save_file,
    serialize,
)


def _tensors() -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    return {
        "conv.weight": torch.randn(4, 3, 3, 3, generator=generator),
        "half": torch.randn(5, generator=generator).half(),
        "brain": torch.randn(2, 3, generator=generator).to(torch.bfloat16),
        "steps": torch.tensor(7, dtype=torch.int64),  # a 0-dimensional tensor
        "ids": torch.arange(-3, 3, dtype=torch.int32),
        "pixels": torch.randint(0, 256, (2, 2, 3), dtype=torch.uint8, generator=generator),
        "mask": torch.tensor([True, False, True]),
        "empty": torch.zeros(0, 3),
        "transposed": torch.arange(6.0).reshape(2, 3).t(),  # not contiguous
    }


def _assert_same(got: dict[str, torch.Tensor], want: dict[str, torch.Tensor]) -> None:
    assert got.keys() == want.keys()
    for name, tensor in want.items():
        assert got[name].dtype == tensor.dtype, name
        assert torch.equal(got[name], tensor), name


def test_the_reference_package_reads_what_we_write(tmp_path: Path) -> None:
    tensors = _tensors()
    metadata = {"format": "pt", "classes": '["cat","dog"]'}
    save_file(tensors, tmp_path / "ours.safetensors", metadata)
    _assert_same(reference_load((tmp_path / "ours.safetensors").read_bytes()), tensors)
    with safe_open(str(tmp_path / "ours.safetensors"), framework="pt") as f:
        assert f.metadata() == metadata


def test_we_read_what_the_reference_package_writes(tmp_path: Path) -> None:
    tensors = {k: v.contiguous() for k, v in _tensors().items()}
    reference_save_file(tensors, str(tmp_path / "theirs.safetensors"), metadata={"a": "b"})
    content = load_file(tmp_path / "theirs.safetensors")
    _assert_same(content.tensors, tensors)
    assert content.metadata == {"a": "b"}


def test_our_bytes_round_trip_and_start_the_data_aligned() -> None:
    data = serialize(_tensors())
    (header_length,) = struct.unpack("<Q", data[:8])
    assert header_length % 8 == 0
    _assert_same(deserialize(data).tensors, _tensors())
    assert deserialize(data).metadata == {}


def test_loaded_tensors_do_not_alias_the_file_bytes() -> None:
    data = bytearray(serialize({"w": torch.ones(2)}))
    loaded = deserialize(bytes(data)).tensors["w"]
    loaded.add_(1)  # writable, and a private copy
    assert torch.equal(deserialize(bytes(data)).tensors["w"], torch.ones(2))


def _with_header(header: dict[str, object], body: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x01\x00", "too short"),
        (struct.pack("<Q", 10**9) + b"{}", "header length"),
        (struct.pack("<Q", 2) + b"[]", "not a JSON object"),
        (struct.pack("<Q", 3) + b"{no", "not JSON"),
        (
            _with_header({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 4),
            "overrun",
        ),
        (
            _with_header({"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}, b"\0" * 12),
            "4 bytes after the last tensor",
        ),
        (
            _with_header({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"\0" * 8),
            "do not hold",
        ),
        (
            _with_header({"w": {"dtype": "C64", "shape": [1], "data_offsets": [0, 8]}}, b"\0" * 8),
            "bad entry",
        ),
        (
            _with_header(
                {
                    "a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},
                    "b": {"dtype": "U8", "shape": [4], "data_offsets": [2, 6]},
                },
                b"\0" * 6,
            ),
            "gap, overlap",
        ),
        (_with_header({"__metadata__": {"n": 1}}, b""), "__metadata__ must map strings"),
    ],
)
def test_malformed_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(SafetensorsError, match=message):
        deserialize(data)


def test_the_reference_refuses_what_we_refuse_for_overlaps() -> None:
    overlapping = _with_header(
        {
            "a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},
            "b": {"dtype": "U8", "shape": [4], "data_offsets": [2, 6]},
        },
        b"\0" * 6,
    )
    with pytest.raises(Exception):  # noqa: B017  # the reference raises its own type
        reference_load(overlapping)


def test_unsupported_dtypes_and_metadata_are_refused_on_write() -> None:
    with pytest.raises(SafetensorsError, match="unsupported dtype torch.complex64"):
        serialize({"z": torch.zeros(1, dtype=torch.complex64)})
    with pytest.raises(SafetensorsError, match="metadata must map strings to strings"):
        serialize({"w": torch.zeros(1)}, {"n": 1})  # type: ignore[dict-item]
    with pytest.raises(SafetensorsError, match="'__metadata__' cannot name a tensor"):
        serialize({"__metadata__": torch.zeros(1)})


# One metadata key at most: the reference writes several in its hash map's (random) order.
@pytest.mark.parametrize("metadata", [None, {"format": "pt"}])
def test_our_bytes_are_the_reference_bytes(metadata: dict[str, str] | None) -> None:
    tensors = {k: v.contiguous() for k, v in _tensors().items()}
    assert serialize(tensors, metadata) == reference_save(tensors, metadata=metadata)
