"""Weights files written through app.ml.safetensors_io are plain safetensors files: the package
reads them, they read back exactly, and their metadata survives."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest
import torch
from safetensors import safe_open
from safetensors.torch import load_file as reference_load_file
from safetensors.torch import save_file as reference_save_file

from app.ml.safetensors_io import SafetensorsError, load_file, save_file


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
        # channels_last, as a state dict trained in that memory format holds its conv weights
        "channels_last": torch.randn(2, 3, 2, 2, generator=generator).to(
            memory_format=torch.channels_last
        ),
    }


def _assert_same(got: dict[str, torch.Tensor], want: dict[str, torch.Tensor]) -> None:
    assert got.keys() == want.keys()
    for name, tensor in want.items():
        assert got[name].dtype == tensor.dtype, name
        assert got[name].shape == tensor.shape, name
        assert torch.equal(got[name], tensor), name


METADATA = {"architecture": "resnet18", "classes": '["cat","dog"]', "format": "pt"}


def test_a_saved_file_round_trips_its_tensors_and_metadata_exactly(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    save_file(_tensors(), path, METADATA)
    content = load_file(path)
    _assert_same(content.tensors, _tensors())
    assert content.metadata == METADATA


def test_the_safetensors_package_reads_what_we_write(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    save_file(_tensors(), path, METADATA)
    _assert_same(reference_load_file(str(path)), _tensors())
    with safe_open(str(path), framework="pt") as f:
        assert f.metadata() == METADATA


def test_we_read_what_the_safetensors_package_writes(tmp_path: Path) -> None:
    tensors = {k: v.contiguous() for k, v in _tensors().items()}
    reference_save_file(tensors, str(tmp_path / "theirs.safetensors"), metadata={"a": "b"})
    content = load_file(tmp_path / "theirs.safetensors")
    _assert_same(content.tensors, tensors)
    assert content.metadata == {"a": "b"}


def test_a_file_without_metadata_reads_as_empty_metadata(tmp_path: Path) -> None:
    save_file({"w": torch.ones(2)}, tmp_path / "w.safetensors")
    assert load_file(tmp_path / "w.safetensors").metadata == {}


def test_parameters_that_require_grad_are_saved_detached(tmp_path: Path) -> None:
    weight = torch.nn.Parameter(torch.ones(3))  # requires grad: saved detached
    save_file({"w": weight}, tmp_path / "w.safetensors")
    loaded = load_file(tmp_path / "w.safetensors").tensors["w"]
    assert not loaded.requires_grad and torch.equal(loaded, torch.ones(3))


def test_loaded_tensors_are_private_copies_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.safetensors"
    save_file({"w": torch.ones(2)}, path)
    before = path.read_bytes()
    load_file(path).tensors["w"].add_(1)  # writable, and writing does not reach the file
    assert path.read_bytes() == before
    assert torch.equal(load_file(path).tensors["w"], torch.ones(2))


def test_saving_replaces_the_file_atomically_and_leaves_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "w.safetensors"
    save_file({"w": torch.zeros(2)}, path)
    save_file({"w": torch.ones(3)}, path)
    assert torch.equal(load_file(path).tensors["w"], torch.ones(3))
    assert os.listdir(tmp_path) == ["w.safetensors"]


def test_a_failed_save_leaves_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "w.safetensors"
    save_file({"w": torch.zeros(2)}, path)
    with pytest.raises(TypeError):
        save_file({"w": torch.ones(3)}, path, {"n": 1})  # type: ignore[dict-item]
    assert torch.equal(load_file(path).tensors["w"], torch.zeros(2))
    assert os.listdir(tmp_path) == ["w.safetensors"]


def _with_header(header: dict[str, object], body: bytes) -> bytes:
    raw = json.dumps(header).encode()
    return struct.pack("<Q", len(raw)) + raw + body


F32_PAIR = {"w": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}}


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\x01\x00",  # too short for the header length
        struct.pack("<Q", 10**9) + b"{}",  # a header longer than the file
        struct.pack("<Q", 2) + b"[]",  # not a JSON object
        struct.pack("<Q", 3) + b"{no",  # not JSON
        _with_header(F32_PAIR, b"\0" * 4),  # truncated data
        _with_header(F32_PAIR, b"\0" * 12),  # bytes after the last tensor
        _with_header({"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}, b"\0" * 8),
        _with_header(
            {
                "a": {"dtype": "U8", "shape": [4], "data_offsets": [0, 4]},
                "b": {"dtype": "U8", "shape": [4], "data_offsets": [2, 6]},
            },
            b"\0" * 6,
        ),  # overlapping tensors
        _with_header({"__metadata__": {"n": 1}}, b""),  # metadata that is not strings
    ],
)
def test_malformed_files_are_refused_with_a_value_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.safetensors"
    path.write_bytes(data)
    with pytest.raises(SafetensorsError) as refused:
        load_file(path)
    assert isinstance(refused.value, ValueError)  # what load_trained turns into a clear error


def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        load_file(tmp_path / "absent.safetensors")
