"""A zip's entry count, read from its end records and directory headers as zipfile would read
them, but without zipfile: the count is known even where zipfile could not open the archive."""

from __future__ import annotations

import io
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from app.datasets.zip_directory import count_entries, read_end_record
from tests.datasets import hostile


def _zip(path: Path, entries: int, *, comment: bytes = b"", prefix: bytes = b"") -> Path:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.comment = comment
        for i in range(entries):
            zf.writestr(f"cats/{i}.jpg", b"x" * i)
    path.write_bytes(prefix + buffer.getvalue())
    return path


GOOD: dict[str, Callable[[Path], Path]] = {
    "plain": lambda d: _zip(d / "a.zip", 7),
    "empty": lambda d: _zip(d / "a.zip", 0),
    "with a comment": lambda d: _zip(d / "a.zip", 5, comment=b"PK made by hand " * 100),
    "behind a prefix": lambda d: _zip(d / "a.zip", 3, prefix=b"#!/bin/sh\nexit 0\n" * 50),
}


@pytest.mark.parametrize("kind", GOOD)
def test_the_count_is_the_one_zipfile_reads(tmp_path: Path, kind: str) -> None:
    archive = GOOD[kind](tmp_path)
    with zipfile.ZipFile(archive) as zf:
        expected = len(zf.infolist())
    with archive.open("rb") as fp:
        end = read_end_record(fp)
        assert end is not None
        assert end.entries == expected
        assert count_entries(fp, end, stop_after=1000) == expected


def test_the_zip64_count_is_read_even_where_the_directory_is_corrupt(tmp_path: Path) -> None:
    archive = hostile.zip_declaring_entries(tmp_path, 210_000, corrupt_directory=True)
    with pytest.raises(zipfile.BadZipFile):
        zipfile.ZipFile(archive)  # zipfile parses the directory, and fails on it
    with archive.open("rb") as fp:
        end = read_end_record(fp)
    assert end is not None and end.entries == 210_000


def test_headers_are_counted_only_just_past_the_cap(tmp_path: Path) -> None:
    archive = hostile.zip_understating_entries(tmp_path, entries=50, declared=1)
    with archive.open("rb") as fp:
        end = read_end_record(fp)
        assert end is not None and end.entries == 1
        assert count_entries(fp, end, stop_after=10) == 11
        assert count_entries(fp, end, stop_after=1000) == 49  # up to the broken header


@pytest.mark.parametrize("data", [b"", b"PK\x05\x06", b"not a zip at all" * 100])
def test_a_file_without_an_end_record_has_none(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.zip"
    path.write_bytes(data)
    with path.open("rb") as fp:
        assert read_end_record(fp) is None


def test_a_tar_has_no_end_record(tmp_path: Path) -> None:
    path = tmp_path / "x.tar"
    with tarfile.open(path, "w") as tf:
        tf.addfile(tarfile.TarInfo("cats/a.jpg"), io.BytesIO())
    with path.open("rb") as fp:
        assert read_end_record(fp) is None
