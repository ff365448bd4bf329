"""Unpacking archives: what a good archive gives, and hostile archives refused with nothing written
outside (or left inside) the destination."""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from app.datasets.archive import ArchiveLimits, ArchiveRejected, detect_packing, safe_extract
from tests.datasets import hostile

MiB = 1 << 20


def _random(n: int, seed: int = 0) -> bytes:
    return np.random.default_rng(seed).integers(0, 256, n, dtype=np.uint8).tobytes()


def _tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


GOOD_MEMBERS = {
    "dataset/cats/a.jpg": b"cat-a",
    "dataset/cats/deeper/b.png": b"cat-b",
    "dataset/dogs/c.jpg": b"dog-c",
    "__MACOSX/dataset/cats/._a.jpg": b"apple double",
    "dataset/.DS_Store": b"finder",
    "dataset/.git/config": b"hidden folder",
    "./dataset/dogs/d.jpg": b"dog-d",
}
EXPECTED = [
    "dataset/cats/a.jpg",
    "dataset/cats/deeper/b.png",
    "dataset/dogs/c.jpg",
    "dataset/dogs/d.jpg",
]


def _good_zip(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("dataset/", b"")
        for name, data in GOOD_MEMBERS.items():
            zf.writestr(name, data)
    return path


def _good_tar(path: Path, mode: str) -> Path:
    with tarfile.open(path, mode) as tf:  # type: ignore[call-overload]
        for name, data in GOOD_MEMBERS.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    return path


GOOD_ARCHIVES: dict[str, Callable[[Path], Path]] = {
    "zip": lambda d: _good_zip(d / "data.zip"),
    "tar": lambda d: _good_tar(d / "data.tar", "w"),
    "tar.gz": lambda d: _good_tar(d / "data.tar.gz", "w:gz"),
    "tgz": lambda d: _good_tar(d / "data.tgz", "w:gz"),
    "tar.bz2": lambda d: _good_tar(d / "data.tar.bz2", "w:bz2"),
    "tar.gz named .zip": lambda d: _good_tar(d / "data.zip", "w:gz"),
    "zip with no extension": lambda d: _good_zip(d / "upload"),
}


@pytest.mark.parametrize("kind", GOOD_ARCHIVES)
def test_every_packing_unpacks_by_content_skipping_macosx_and_hidden_files(
    tmp_path: Path, kind: str
) -> None:
    archive = GOOD_ARCHIVES[kind](tmp_path)
    dest = tmp_path / "out"
    written = safe_extract(archive, dest, ArchiveLimits())
    assert [p.relative_to(dest).as_posix() for p in written] == EXPECTED
    assert (dest / "dataset/cats/deeper/b.png").read_bytes() == b"cat-b"
    assert not (dest / "__MACOSX").exists()
    assert not (dest / "dataset/.git").exists()


def test_the_packing_is_read_from_the_content(tmp_path: Path) -> None:
    assert detect_packing(_good_tar(tmp_path / "a.zip", "w:bz2")) == "tar.bz2"
    assert detect_packing(_good_zip(tmp_path / "b.tar")) == "zip"


def test_files_are_plain_and_not_executable_whatever_the_archive_says(tmp_path: Path) -> None:
    archive = tmp_path / "modes.tar"
    with tarfile.open(archive, "w") as tf:
        info = tarfile.TarInfo("cats/setuid.jpg")
        info.size, info.mode = 3, 0o4777
        tf.addfile(info, io.BytesIO(b"abc"))
    (written,) = safe_extract(archive, tmp_path / "out")
    assert written.stat().st_mode & 0o7777 == 0o644


@pytest.mark.parametrize(
    ("build", "why"),
    [
        (lambda d: _file(d / "notes.txt", b"hello"), "unsupported packing"),
        (lambda d: _good_tar(d / "data.tar.xz", "w:xz"), "unsupported packing"),
        (lambda d: _gzip_of_text(d), "unsupported packing: .* holds no tar"),
        (lambda d: _file(d / "empty.zip", b""), "archive is empty"),
        (lambda d: _empty_zip(d), "archive is empty"),
        (lambda d: _only_hidden_tar(d), r"archive is empty \(2 hidden or __MACOSX entries"),
    ],
    ids=["text", "xz", "gzip-not-tar", "zero-bytes", "empty-zip", "only-hidden"],
)
def test_unsupported_or_empty_archives_are_refused(
    tmp_path: Path, build: Callable[[Path], Path], why: str
) -> None:
    archive = build(tmp_path)
    before = _tree(tmp_path)
    with pytest.raises(ArchiveRejected, match=why):
        safe_extract(archive, tmp_path / "out")
    assert _tree(tmp_path) == before


def _file(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _gzip_of_text(folder: Path) -> Path:
    return _file(folder / "notes.gz", gzip.compress(b"just some text, not a tar archive\n" * 100))


def _empty_zip(folder: Path) -> Path:
    path = folder / "empty.zip"
    zipfile.ZipFile(path, "w").close()
    return path


def _only_hidden_tar(folder: Path) -> Path:
    path = folder / "hidden.tar"
    with tarfile.open(path, "w") as tf:
        for name in (".DS_Store", "__MACOSX/._x.jpg"):
            tf.addfile(tarfile.TarInfo(name), io.BytesIO())
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    # name: (builder, offending member (regex), why (regex))
    "zip-slip": (hostile.zip_slip, r"\.\./evil\.txt", r"'\.\.' in the path"),
    "zip-nested-slip": (
        hostile.zip_nested_slip,
        r"cats/\.\./\.\./evil\.txt",
        r"'\.\.' in the path",
    ),
    "zip-absolute": (hostile.zip_absolute, r"/.*evil-absolute\.txt", "absolute path"),
    "zip-backslash": (hostile.zip_backslash, r"\.\.\\\\evil\.txt", "backslash"),
    "zip-drive-letter": (hostile.zip_drive_letter, "C:/evil.txt", "drive letter"),
    "zip-symlink": (hostile.zip_symlink, "cats/link", "is a symbolic link"),
    "tar-slip": (hostile.tar_slip, r"\.\./evil\.txt", r"'\.\.' in the path"),
    "tar-absolute": (hostile.tar_absolute, r"/.*evil-absolute\.txt", "absolute path"),
    "tar-symlink": (hostile.tar_symlink, "cats/escape", "is a symbolic link"),
    "tar-hardlink": (hostile.tar_hardlink, "cats/hard", "is a hard link"),
    "tar-char-device": (hostile.tar_char_device, "cats/null", "is a device"),
    "tar-fifo": (hostile.tar_fifo, "cats/pipe", "is a FIFO"),
    "zip-bomb": (hostile.zip_bomb, "cats/zeros.bin", "more than 200"),
    "tar-gz-bomb": (hostile.tar_gz_bomb, "cats/zeros.bin", "more than 200 times its size"),
    "hidden-tar-gz-bomb": (
        lambda d: hostile.tar_gz_bomb(d, name=".cache/zeros.bin"),
        r"\.cache/zeros\.bin",
        "more than 200 times its size",
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_archives_are_refused_naming_the_member_and_nothing_is_written(
    tmp_path: Path, case: str
) -> None:
    build, member, why = HOSTILE[case]
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    archive = build(incoming)
    before = _tree(tmp_path)
    with pytest.raises(ArchiveRejected, match=f"member '{member}': .*{why}") as caught:
        safe_extract(archive, tmp_path / "out", ArchiveLimits())
    assert caught.value.member is not None
    assert _tree(tmp_path) == before  # nothing outside, and the partial output is gone


def test_a_refusal_leaves_an_existing_empty_destination_empty(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(ArchiveRejected):
        safe_extract(hostile.tar_symlink(tmp_path), dest)
    assert dest.is_dir()
    assert list(dest.iterdir()) == []


def test_the_destination_must_be_empty(tmp_path: Path) -> None:
    dest = tmp_path / "out"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        safe_extract(_good_zip(tmp_path / "a.zip"), dest)
    assert _tree(dest) == ["keep.txt"]


def test_a_tar_bomb_of_entries_is_stopped_at_the_cap(tmp_path: Path) -> None:
    archive = hostile.tar_entry_bomb(tmp_path, count=1001)
    with pytest.raises(ArchiveRejected, match="more than 1000 entries"):
        safe_extract(archive, tmp_path / "out", ArchiveLimits(max_entries=1000))
    assert not (tmp_path / "out").exists()


def test_a_zip_with_too_many_entries_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(50):
            zf.writestr(f"cats/{i}.jpg", b"x")
    written = _spy_on_file_sizes(monkeypatch)
    with pytest.raises(ArchiveRejected, match="more than 49 entries"):
        safe_extract(archive, tmp_path / "out", ArchiveLimits(max_entries=49))
    assert written == {}


@pytest.mark.parametrize("corrupt_directory", [False, True], ids=["intact", "corrupt"])
def test_a_zip_declaring_too_many_entries_is_refused_before_zipfile_parses_its_directory(
    tmp_path: Path, corrupt_directory: bool
) -> None:
    """Had zipfile parsed the directory first (a ZipInfo per entry, all in memory), the corrupt
    one would be refused as corrupt; the intact one holds a single entry."""
    archive = hostile.zip_declaring_entries(tmp_path, 210_000, corrupt_directory=corrupt_directory)
    with pytest.raises(
        ArchiveRejected, match=r"^more than 200000 entries in the archive \(it declares 210000\)$"
    ):
        safe_extract(archive, tmp_path / "out", ArchiveLimits())
    assert not (tmp_path / "out").exists()


def test_a_zip_understating_its_entries_is_refused_by_counting_its_headers(
    tmp_path: Path,
) -> None:
    archive = hostile.zip_understating_entries(tmp_path, entries=50, declared=1)
    with pytest.raises(ArchiveRejected, match=r"^more than 10 entries in the archive$"):
        safe_extract(archive, tmp_path / "out", ArchiveLimits(max_entries=10))
    # Under a cap it does not reach, it is zipfile that reads it, and finds the broken header.
    with pytest.raises(ArchiveRejected, match="corrupt or unsupported zip: Bad magic number"):
        safe_extract(archive, tmp_path / "out", ArchiveLimits(max_entries=100))


def test_total_and_per_file_sizes_are_capped(tmp_path: Path) -> None:
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(3):
            zf.writestr(f"cats/{i}.jpg", _random(MiB // 2, seed=i))
    with pytest.raises(ArchiveRejected, match="unpacks to more than 1 MiB"):
        safe_extract(archive, tmp_path / "a", ArchiveLimits(max_total_bytes=MiB))
    with pytest.raises(
        ArchiveRejected, match="'cats/0.jpg': declares 524288 bytes, over the 100 KiB limit"
    ):
        safe_extract(archive, tmp_path / "b", ArchiveLimits(max_entry_bytes=100 * 1024))
    assert _tree(tmp_path) == ["big.zip"]


def test_a_bomb_inside_a_reasonable_archive_is_stopped_while_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The archive as a whole expands only ~9x, so no header check can see the bomb: it is the
    bytes counted as they are written that stop it, a few MiB into its 32 MiB."""
    archive = tmp_path / "mixed.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        photo = tarfile.TarInfo("cats/photo.jpg")
        photo.size = 4 * MiB
        tf.addfile(photo, io.BytesIO(_random(photo.size)))
        zeros = tarfile.TarInfo("cats/zeros.jpg")
        zeros.size = 32 * MiB
        tf.addfile(zeros, io.BytesIO(bytes(zeros.size)))
    largest = _spy_on_file_sizes(monkeypatch)
    with pytest.raises(ArchiveRejected, match="member 'cats/zeros.jpg': compressed more than 200"):
        safe_extract(archive, tmp_path / "out")
    assert largest["cats/zeros.jpg"] < 4 * MiB
    assert largest["cats/photo.jpg"] == 4 * MiB  # written in full, then removed
    assert _tree(tmp_path) == ["mixed.tar.gz"]


def _spy_on_file_sizes(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """Record the bytes written to each extracted file, by its last two path parts."""
    sizes: dict[str, int] = {}
    names: dict[int, str] = {}
    real_open, real_fdopen = os.open, os.fdopen

    def open_(path: str, flags: int, mode: int = 0o777, **kwargs: int) -> int:
        fd = real_open(path, flags, mode, **kwargs)
        names[fd] = "/".join(Path(path).parts[-2:])
        return fd

    class CountingFile:
        def __init__(self, fd: int, mode: str) -> None:
            self.out, self.name = real_fdopen(fd, mode), names[fd]

        def __enter__(self) -> CountingFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self.out.close()

        def write(self, data: bytes) -> int:
            sizes[self.name] = sizes.get(self.name, 0) + len(data)
            return self.out.write(data)

    monkeypatch.setattr(os, "open", open_)
    monkeypatch.setattr(os, "fdopen", CountingFile)
    return sizes


def test_a_member_that_appears_twice_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "twice.tar"
    with tarfile.open(archive, "w") as tf:
        for data in (b"first", b"second"):
            info = tarfile.TarInfo("cats/a.jpg")
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
    with pytest.raises(ArchiveRejected, match="member 'cats/a.jpg': appears twice"):
        safe_extract(archive, tmp_path / "out")


def test_an_encrypted_zip_member_is_refused(tmp_path: Path) -> None:
    archive = hostile.zip_encrypted(tmp_path)
    with pytest.raises(ArchiveRejected, match="member 'cats/a.jpg': is encrypted"):
        safe_extract(archive, tmp_path / "out")


def test_a_corrupt_archive_is_refused_not_crashed_on(tmp_path: Path) -> None:
    good = _good_tar(tmp_path / "good.tar.gz", "w:gz")
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[:-40])
    with pytest.raises(ArchiveRejected, match="corrupt"):
        safe_extract(cut, tmp_path / "out")
    flipped = tmp_path / "flipped.zip"
    with zipfile.ZipFile(flipped, "w") as zf:
        zf.writestr("cats/a.jpg", b"A" * 100)
    data = flipped.read_bytes()
    flipped.write_bytes(data.replace(b"A" * 100, b"B" * 100))  # the CRC no longer matches
    with pytest.raises(ArchiveRejected, match="corrupt or unsupported zip: Bad CRC-32"):
        safe_extract(flipped, tmp_path / "out")
    assert not (tmp_path / "out").exists()
