"""Weight files load without ever running pickled code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import torch

from app.ml.state_io import UnsafeOrCorruptWeights, load_state_dict, save_state_dict


class _RunsCodeWhenUnpickled:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.marker),))


def test_a_checkpoint_that_would_run_code_is_refused_and_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    evil = tmp_path / "evil.pth"
    torch.save({"fc.weight": torch.zeros(1), "payload": _RunsCodeWhenUnpickled(marker)}, evil)
    with pytest.raises(UnsafeOrCorruptWeights, match="evil.pth is not a loadable"):
        load_state_dict(evil)
    assert not marker.exists()


def test_a_truncated_file_is_refused(tmp_path: Path) -> None:
    good = tmp_path / "good.pth"
    save_state_dict({"w": torch.ones(1000)}, good)
    truncated = tmp_path / "truncated.pth"
    truncated.write_bytes(good.read_bytes()[:300])
    with pytest.raises(UnsafeOrCorruptWeights):
        load_state_dict(truncated)


def test_a_file_without_named_tensors_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "list.pth"
    torch.save([torch.ones(1)], path)
    with pytest.raises(UnsafeOrCorruptWeights, match="state dict of named tensors"):
        load_state_dict(path)


def test_a_state_dict_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "w.pth"
    save_state_dict({"a": torch.arange(3.0)}, path)
    assert torch.equal(load_state_dict(path)["a"], torch.arange(3.0))
