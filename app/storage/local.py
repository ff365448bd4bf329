"""file:// storage: a folder on this machine. Writes are atomic (temporary file, then rename).

Writes and deletes never go through a symbolic link below the root: each folder on the way is
opened relative to the last with O_NOFOLLOW, and a link there, or at the key itself, is refused
(LinkRefused). A link planted in the store (say at an output folder's `parts/`) would otherwise
send a write, or a recursive delete, anywhere on the machine. Reads resolve links and check the
target is still below the root, as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import shutil
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from app.storage.base import (
    LinkRefused,
    ObjectChanged,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    check_key,
)

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def _is_link(folder: int, name: str) -> bool:
    try:
        return stat.S_ISLNK(os.stat(name, dir_fd=folder, follow_symlinks=False).st_mode)
    except FileNotFoundError:
        return False


def _remove_tree(parent: int, name: str) -> tuple[int, bool]:
    """Delete the folder `name` in `parent` with the regular files and folders in it, never
    following or entering a link. Anything else (a link, a FIFO, a device) is not the store's to
    delete: it stays, and so do the folders that hold it. Returns (files deleted, folder gone)."""
    try:
        fd = os.open(name, _FOLDER | os.O_NOFOLLOW, dir_fd=parent)
    except FileNotFoundError:
        return 0, True
    except OSError:  # a link or a file, maybe swapped in since it was listed
        return 0, False
    deleted, kept = 0, False
    try:
        for entry in os.listdir(fd):
            try:
                mode = os.stat(entry, dir_fd=fd, follow_symlinks=False).st_mode
            except FileNotFoundError:
                continue
            if stat.S_ISDIR(mode):
                count, gone = _remove_tree(fd, entry)
                deleted, kept = deleted + count, kept or not gone
            elif stat.S_ISREG(mode):
                # Swapped for a link since the stat, unlink removes the link, not its target.
                os.unlink(entry, dir_fd=fd)
                deleted += 1
            else:
                kept = True
    finally:
        os.close(fd)
    if kept:
        return deleted, False
    os.rmdir(name, dir_fd=parent)
    return deleted, True


class LocalStore(ObjectStore):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root_uri = self.root.as_uri()

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise StorageError(f"key {key!r} resolves outside the store")
        return path

    def _open_folder(self, key: str, names: list[str], *, create: bool) -> int:
        """A descriptor of the folder root/names..., each name opened relative to the one before
        and never through a link, so whatever is swapped in meanwhile, it is below the root."""
        if create:
            self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root, _FOLDER)
        try:
            for n, name in enumerate(names):
                if create:
                    with contextlib.suppress(FileExistsError):
                        os.mkdir(name, dir_fd=fd)
                try:
                    child = os.open(name, _FOLDER | os.O_NOFOLLOW, dir_fd=fd)
                except OSError:
                    if _is_link(fd, name):
                        raise LinkRefused(key, "/".join(names[: n + 1])) from None
                    raise
                os.close(fd)
                fd = child
        except BaseException:
            os.close(fd)
            raise
        return fd

    def _write_atomically(self, key: str, write: Callable[[BinaryIO], object]) -> None:
        *names, name = check_key(key).split("/")
        folder = self._open_folder(key, names, create=True)
        try:
            if _is_link(folder, name):
                raise LinkRefused(key, key)
            tmp = f".tmp-{secrets.token_hex(8)}"
            fd = os.open(tmp, _NEW_FILE, 0o600, dir_fd=folder)
            try:
                with os.fdopen(fd, "wb") as out:
                    write(out)
                # rename() replaces a name, never a link's target.
                os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
            except BaseException:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(tmp, dir_fd=folder)
                raise
        finally:
            os.close(folder)

    def put_bytes(self, key: str, data: bytes) -> None:
        self._write_atomically(key, lambda out: out.write(data))

    def put_file(self, key: str, source: Path) -> None:
        with source.open("rb") as src:
            self._write_atomically(key, lambda out: shutil.copyfileobj(src, out, 1 << 20))

    def get_bytes(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError):
            raise ObjectNotFound(self.uri_for(key)) from None

    def download_file(self, key: str, dest: Path, if_etag: str | None = None) -> None:
        source = self._path(key)
        if not source.is_file():
            raise ObjectNotFound(self.uri_for(key))
        if if_etag is not None and self._info(source).etag != if_etag:
            raise ObjectChanged(f"{self.uri_for(key)} changed since it was recorded")
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.part")
        shutil.copyfile(source, tmp)
        os.replace(tmp, dest)

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def uri_for(self, key: str) -> str:
        # Percent-encoded, as file URIs are: a name with '%', '#' or '?' reads back as itself,
        # and a store rooted at '/' gives file:///path, not file:/path.
        return (self.root / check_key(key)).as_uri()

    def head(self, key: str) -> ObjectInfo:
        path = self._path(key)
        if not path.is_file():
            raise ObjectNotFound(self.uri_for(key))
        return self._info(path)

    def _info(self, path: Path) -> ObjectInfo:
        stat = path.stat()
        # A cheap change tag: size and mtime, as HTTP servers do for files.
        etag = hashlib.md5(
            f"{stat.st_size}-{stat.st_mtime_ns}".encode(), usedforsecurity=False
        ).hexdigest()
        return ObjectInfo(key=path.relative_to(self.root).as_posix(), size=stat.st_size, etag=etag)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str = "") -> Iterator[ObjectInfo]:
        base = self._path(prefix) if prefix else self.root
        if not base.is_dir():
            return
        for path in sorted(base.rglob("*")):
            # Symlinks are never followed: they could point outside the store.
            if path.is_file() and not path.is_symlink() and not path.name.startswith(".tmp-"):
                yield self._info(path)

    def delete(self, key: str) -> None:
        *names, name = check_key(key).split("/")
        try:
            folder = self._open_folder(key, names, create=False)
        except FileNotFoundError:
            return
        try:
            if _is_link(folder, name):
                raise LinkRefused(key, key)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(name, dir_fd=folder)
        finally:
            os.close(folder)

    def delete_prefix(self, prefix: str) -> int:
        """Regular files and folders only: a link under the prefix is neither followed nor
        entered (it stays, with the folders holding it); a link at the prefix is refused."""
        if not prefix.endswith("/"):
            raise ValueError("prefix must end in '/'")
        key = prefix.rstrip("/")
        *names, name = check_key(key).split("/")
        try:
            parent = self._open_folder(key, names, create=False)
        except (FileNotFoundError, NotADirectoryError):
            return 0
        try:
            if _is_link(parent, name):
                raise LinkRefused(key, key)
            return _remove_tree(parent, name)[0]
        finally:
            os.close(parent)

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".readyz"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise StorageError(f"{self.root_uri} is not writable: {exc}") from exc
