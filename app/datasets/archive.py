"""Unpack a user's zip or tar archive into a folder without ever writing outside it.

Archives are hostile until proven otherwise: member names may climb out of the destination, members
may be links or devices, and sizes may be bombs. Every member name is checked before anything is
written, nothing but plain files and folders is ever created, and sizes are counted as the bytes
are written, so a bomb is stopped within one chunk of a limit and its partial output removed.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import stat
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Literal

from app.datasets.zip_directory import count_entries, read_end_record

GiB = 1 << 30
MiB = 1 << 20
_CHUNK = 1 << 16
Packing = Literal["zip", "tar", "tar.gz", "tar.bz2"]
_STREAM_MODES: dict[Packing, Literal["r|", "r|gz", "r|bz2"]] = {
    "tar": "r|",
    "tar.gz": "r|gz",
    "tar.bz2": "r|bz2",
}


@dataclass(frozen=True)
class ArchiveLimits:
    max_entries: int = 200_000  # members of any kind, skipped ones included
    max_total_bytes: int = 20 * GiB
    max_ratio: float = 200.0  # uncompressed / compressed, per member and for the whole archive
    max_entry_bytes: int = 1 * GiB
    # Ratios are judged only past this much output: a small text file of repeated bytes can
    # compress 500:1 and harms no one; a bomb needs far more than this to do damage.
    ratio_floor_bytes: int = 1 * MiB


class ArchiveRejected(Exception):
    """The archive cannot be used; `member` names the offending entry, when there is one."""

    def __init__(self, why: str, member: str | None = None) -> None:
        super().__init__(f"member {member!r}: {why}" if member is not None else why)
        self.why = why
        self.member = member


def safe_extract(archive: Path, dest: Path, limits: ArchiveLimits = ArchiveLimits()) -> list[Path]:
    """Unpack `archive` (zip, tar, tar.gz/tgz, tar.bz2: told apart by content, not by name) into
    `dest`, which must be missing or empty. Returns the files written, sorted.

    Skips `__MACOSX` and hidden files and folders. On any failure nothing is left in `dest`."""
    packing = detect_packing(archive)
    created = not dest.exists()
    dest.mkdir(parents=True, exist_ok=True)
    if not created and any(dest.iterdir()):
        raise ValueError(f"{dest} is not empty")
    unpacker = _Unpacker(dest.resolve(), limits, archive.stat().st_size)
    try:
        with _corrupt_is_rejected(packing):
            if packing == "zip":
                _extract_zip(archive, unpacker)
            else:
                _extract_tar(archive, packing, unpacker)
        if not unpacker.written:
            n = unpacker.skipped
            raise ArchiveRejected(
                "archive is empty" + (f" ({n} hidden or __MACOSX entries skipped)" if n else "")
            )
    except BaseException:
        _clear(dest, remove_dest=created)
        raise
    return sorted(unpacker.written)


def detect_packing(archive: Path) -> Packing:
    """Tell the packing from the first bytes (a renamed or extension-less archive still works)."""
    with archive.open("rb") as fp:
        head = fp.read(512)
    if not head:
        raise ArchiveRejected("archive is empty")
    if head.startswith(b"\x1f\x8b"):
        packing: Packing = "tar.gz"
    elif head.startswith(b"BZh"):
        packing = "tar.bz2"
    elif head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    elif _is_tar_head(head):
        return "tar"
    elif zipfile.is_zipfile(archive):  # a zip behind a prefix, e.g. a self-extracting one
        return "zip"
    else:
        raise ArchiveRejected(
            f"unsupported packing: {archive.name} is not a zip, tar, tar.gz or tar.bz2 archive"
        )
    try:
        with (
            archive.open("rb") as raw,
            tarfile.open(fileobj=raw, mode=_STREAM_MODES[packing]) as tf,
        ):
            tf.next()  # reads (decompresses) just the first header
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        kind = "gzip" if packing == "tar.gz" else "bzip2"
        raise ArchiveRejected(
            f"unsupported packing: {archive.name} is {kind}-compressed but holds no tar ({exc})"
        ) from None
    return packing


@contextlib.contextmanager
def _corrupt_is_rejected(packing: Packing) -> Iterator[None]:
    try:
        yield
    except (zipfile.BadZipFile, tarfile.TarError, zlib.error, EOFError, NotImplementedError) as e:
        raise ArchiveRejected(f"corrupt or unsupported {packing}: {e}") from None
    except OSError as exc:
        if exc.errno is not None:  # a real I/O failure (disk full, ...): not the user's fault
            raise
        raise ArchiveRejected(f"corrupt {packing}: {exc}") from None  # e.g. a bad gzip stream


def _is_tar_head(head: bytes) -> bool:
    # POSIX and GNU tar both write "ustar" at offset 257; an empty tar is all zero blocks.
    return head[257:262] == b"ustar" or (len(head) == 512 and not any(head))


def check_member_name(name: str) -> tuple[str, ...] | None:
    """The path parts `name` would be written to, or None for a member to skip silently
    (`__MACOSX`, hidden files and folders). Raises ArchiveRejected for a name that could escape."""
    if not name or "\x00" in name:
        raise ArchiveRejected("empty name or NUL byte in name", name)
    if "\\" in name:
        raise ArchiveRejected("backslash in name (a Windows path is not portable)", name)
    if name.startswith("/"):
        raise ArchiveRejected("absolute path", name)
    if re.match(r"[A-Za-z]:", name):
        raise ArchiveRejected("drive letter in name", name)
    parts = tuple(p for p in name.split("/") if p not in ("", "."))
    if ".." in parts:
        raise ArchiveRejected("'..' in the path would write outside the destination", name)
    if not parts or any(p == "__MACOSX" or p.startswith(".") for p in parts):
        return None
    return parts


class _Unpacker:
    """Writes members under `dest` and keeps the counts that every limit is checked against."""

    def __init__(self, dest: Path, limits: ArchiveLimits, archive_bytes: int) -> None:
        self.dest, self.limits, self.archive_bytes = dest, limits, max(archive_bytes, 1)
        self.entries = 0
        self.declared = 0  # sizes the headers announce, skipped members included
        self.total = 0  # bytes actually written
        self.written: list[Path] = []
        self.skipped = 0

    def announce(self, name: str, size: int, compressed: int | None = None) -> None:
        """Check a member's header before any of its data is read."""
        lim = self.limits
        self.entries += 1
        self.declared += size
        if self.entries > lim.max_entries:
            raise ArchiveRejected(f"more than {lim.max_entries} entries in the archive", name)
        if size > lim.max_entry_bytes:
            raise ArchiveRejected(
                f"declares {size} bytes, over the {_fmt(lim.max_entry_bytes)} limit per file", name
            )
        if compressed is not None:
            self._check_ratio(name, size, compressed)
        self._check_total(name, self.declared)

    def _check_ratio(self, name: str, size: int, compressed: int) -> None:
        lim = self.limits
        if size > lim.ratio_floor_bytes and size / max(compressed, 1) > lim.max_ratio:
            raise ArchiveRejected(f"compressed more than {lim.max_ratio:g} to 1 (a bomb?)", name)

    def _check_total(self, name: str, total: int) -> None:
        lim = self.limits
        if total > lim.max_total_bytes:
            raise ArchiveRejected(f"archive unpacks to more than {_fmt(lim.max_total_bytes)}", name)
        if total > lim.ratio_floor_bytes and total / self.archive_bytes > lim.max_ratio:
            raise ArchiveRejected(
                f"archive unpacks to more than {lim.max_ratio:g} times its size (a bomb?)", name
            )

    def make_dir(self, parts: tuple[str, ...], name: str) -> None:
        try:
            self.dest.joinpath(*parts).mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise ArchiveRejected("a file and a folder of the same name", name) from None

    def write_file(
        self, parts: tuple[str, ...], name: str, src: IO[bytes], compressed: Callable[[], int]
    ) -> None:
        """Copy `src` to dest/parts; `compressed()` says how many archive bytes it has used."""
        lim = self.limits
        target = self.dest.joinpath(*parts)
        self.make_dir(parts[:-1], name)
        if not target.parent.resolve().is_relative_to(self.dest):  # cannot happen; never trust
            raise ArchiveRejected("resolves outside the destination", name)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(target, flags, 0o644)
        except FileExistsError:
            raise ArchiveRejected("appears twice, or clashes with a folder", name) from None
        except OSError as exc:  # name too long, not representable on this filesystem, ...
            raise ArchiveRejected(f"cannot be written: {exc.strerror}", name) from None
        self.written.append(target)
        size = 0
        with os.fdopen(fd, "wb") as out:
            while chunk := src.read(_CHUNK):
                size += len(chunk)
                self.total += len(chunk)
                # Checked before the chunk is written: the limits hold for what lands on disk.
                if size > lim.max_entry_bytes:
                    raise ArchiveRejected(f"more than {_fmt(lim.max_entry_bytes)}", name)
                self._check_ratio(name, size, compressed())
                self._check_total(name, self.total)
                out.write(chunk)


def _extract_zip(archive: Path, unpacker: _Unpacker) -> None:
    _check_zip_entries(archive, unpacker.limits.max_entries)
    with zipfile.ZipFile(archive) as zf:
        members = zf.infolist()
        # The central directory is read up front, so hopeless archives fail before any write.
        for info in members:
            unpacker.announce(info.filename, info.file_size, info.compress_size)
        for info in members:
            _extract_zip_member(zf, info, unpacker)


def _check_zip_entries(archive: Path, cap: int) -> None:
    """Refuse a zip of too many entries from its end record and directory headers, before
    zipfile builds its table of contents (a ZipInfo per entry, all held in memory)."""
    with archive.open("rb", buffering=MiB) as fp:
        end = read_end_record(fp)
        if end is None:
            return  # zipfile will say what is wrong with it
        if end.entries > cap:
            raise ArchiveRejected(
                f"more than {cap} entries in the archive (it declares {end.entries})"
            )
        if count_entries(fp, end, stop_after=cap) > cap:
            raise ArchiveRejected(f"more than {cap} entries in the archive")


def _extract_zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, unpacker: _Unpacker) -> None:
    name = info.filename
    parts = check_member_name(name)
    if parts is None:
        unpacker.skipped += 1
        return
    kind = stat.S_IFMT(info.external_attr >> 16)  # unix file type, when a unix zip set one
    if info.is_dir() or kind == stat.S_IFDIR:
        unpacker.make_dir(parts, name)
        return
    if kind not in (0, stat.S_IFREG):
        raise ArchiveRejected(f"is a {_KINDS.get(kind, 'special file')}, not a file", name)
    if info.flag_bits & 0x1:
        raise ArchiveRejected("is encrypted", name)
    with zf.open(info) as src:
        unpacker.write_file(parts, name, src, lambda: info.compress_size)


def _extract_tar(archive: Path, packing: Packing, unpacker: _Unpacker) -> None:
    with archive.open("rb") as raw:
        counted = _CountingReader(raw)
        # Stream mode ("r|"): one pass, no seeking, members handled as their headers arrive.
        with tarfile.open(fileobj=counted, mode=_STREAM_MODES[packing]) as tf:
            for member in tf:
                _extract_tar_member(tf, member, counted, unpacker)


def _extract_tar_member(
    tf: tarfile.TarFile, member: tarfile.TarInfo, counted: _CountingReader, unpacker: _Unpacker
) -> None:
    name = member.name
    # Skipped members are still decompressed to be skipped past, so they count against the caps.
    unpacker.announce(name, member.size if member.isreg() else 0)
    parts = check_member_name(name)
    if parts is None:
        unpacker.skipped += 1
        return
    if member.isdir():
        unpacker.make_dir(parts, name)
        return
    if not member.isreg():
        raise ArchiveRejected(f"is a {_tar_kind(member)}, not a file", name)
    src = tf.extractfile(member)
    if src is None:
        raise ArchiveRejected("has no data", name)
    start = counted.count
    # The stream reads ahead by up to one record, so the consumption is granted that much slack.
    with src:
        unpacker.write_file(parts, name, src, lambda: counted.count - start + tarfile.RECORDSIZE)


def _tar_kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return "symbolic link"
    if member.islnk():
        return "hard link"
    if member.ischr() or member.isblk():
        return "device"
    return "FIFO" if member.isfifo() else "special file"


class _CountingReader(io.RawIOBase):
    """Counts the compressed bytes the tar stream has consumed, for the per-member ratio."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1, /) -> bytes:
        data = self.raw.read(size)
        self.count += len(data)
        return data


_KINDS = {
    stat.S_IFLNK: "symbolic link",
    stat.S_IFCHR: "device",
    stat.S_IFBLK: "device",
    stat.S_IFIFO: "FIFO",
    stat.S_IFSOCK: "socket",
}


def _fmt(n: int) -> str:
    for unit, size in (("GiB", GiB), ("MiB", MiB), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:g} {unit}"
    return f"{n} bytes"


def _clear(dest: Path, *, remove_dest: bool) -> None:
    if remove_dest:
        shutil.rmtree(dest, ignore_errors=True)
        return
    for child in dest.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
