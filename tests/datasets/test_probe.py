"""Probing many files in worker processes: results in order, and a decoder that crashes or hangs
costs only its own file."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.datasets.probe import probe_many
from app.ml.images import ImageInfo, ImageRejected
from tests.datasets import hostile

LIMIT = 40_000_000


def _images(folder: Path, count: int, prefix: str = "ok") -> list[Path]:
    paths = []
    for i in range(count):
        path = folder / f"{prefix}-{i}.png"
        hostile.noise_image((8 + i % 5, 8), seed=i).save(path)
        paths.append(path)
    return paths


def _outcomes(results: list[ImageInfo | ImageRejected]) -> list[str]:
    return ["ok" if isinstance(r, ImageInfo) else r.reason for r in results]


def test_results_come_back_in_input_order_with_real_rejections(tmp_path: Path) -> None:
    good = _images(tmp_path, 6)
    paths = [
        good[0],
        hostile.truncated_jpeg(tmp_path),
        good[1],
        hostile.text_named_png(tmp_path),
        hostile.pixel_bomb_png(tmp_path),
        hostile.png_named_jpg(tmp_path),
        tmp_path / "missing.png",
        *good[2:],
    ]
    progress: list[tuple[int, int]] = []
    results = probe_many(paths, LIMIT, 10.0, 2, lambda d, t: progress.append((d, t)))
    assert _outcomes(results) == [
        "ok",
        "truncated",
        "ok",
        "not-an-image",
        "too-many-pixels",
        "format-mismatch",
        "unreadable",
        "ok",
        "ok",
        "ok",
        "ok",
    ]
    assert [r.width for r in results if isinstance(r, ImageInfo)] == [8, 9, 10, 11, 12, 8]
    assert progress[-1] == (11, 11)
    assert [d for d, _ in progress] == sorted(d for d, _ in progress)


def test_a_crashing_or_hanging_decoder_fails_only_its_own_file(tmp_path: Path) -> None:
    good = _images(tmp_path, 12)
    bad = [tmp_path / f"{name}.png" for name in ("crash", "hang", "boom")]
    for path in bad:
        path.write_bytes(good[0].read_bytes())
    paths = [*good[:5], *bad, *good[5:]]
    started = time.monotonic()
    results = probe_many(
        paths, LIMIT, 1.0, 2, None, probe=hostile.crash_or_hang_probe, batch_size=4
    )
    assert time.monotonic() - started < 15
    assert _outcomes(results) == [
        *["ok"] * 5,
        "decoder-crashed",
        "decode-timeout",
        "decoder-crashed",
        *["ok"] * 7,
    ]
    crash, hang, boom = (results[i] for i in (5, 6, 7))
    assert isinstance(crash, ImageRejected) and "crash.png: the decoder crashed" in crash.message
    assert isinstance(hang, ImageRejected) and "longer than 1 s" in hang.message
    assert isinstance(boom, ImageRejected) and "ZeroDivisionError" in boom.message


def test_many_crashes_in_one_batch_rebuild_the_pool_each_time(tmp_path: Path) -> None:
    good = _images(tmp_path, 3)
    crashes = [tmp_path / f"crash-{i}.png" for i in range(4)]
    for path in crashes:
        path.write_bytes(good[0].read_bytes())
    paths = [crashes[0], good[0], crashes[1], crashes[2], good[1], crashes[3], good[2]]
    results = probe_many(paths, LIMIT, 5.0, 1, None, probe=hostile.crash_or_hang_probe)
    crashed = "decoder-crashed"
    assert _outcomes(results) == [crashed, "ok", crashed, crashed, "ok", crashed, "ok"]


def test_work_is_batched_over_a_few_processes_not_one_per_image(tmp_path: Path) -> None:
    paths = [tmp_path / f"{i}.png" for i in range(2000)]  # pid_probe never opens them
    results = probe_many(paths, LIMIT, 5.0, 2, None, probe=hostile.pid_probe)
    assert len(results) == 2000
    assert len({r.mode for r in results if isinstance(r, ImageInfo)}) <= 2


def test_nothing_to_probe_starts_nothing() -> None:
    assert probe_many([], LIMIT, 1.0, 4, None) == []


@pytest.mark.parametrize("workers", [1, 3])
def test_worker_count_does_not_change_the_answers(tmp_path: Path, workers: int) -> None:
    paths = _images(tmp_path, 10)
    results = probe_many(paths, LIMIT, 10.0, workers, None)
    assert [r.width for r in results if isinstance(r, ImageInfo)] == [8 + i % 5 for i in range(10)]
