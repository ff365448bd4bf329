"""file:// storage: a folder on this machine. Writes are atomic (temporary file, then rename)."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from app.storage.base import (
    ObjectChanged,
    ObjectInfo,
    ObjectNotFound,
    ObjectStore,
    StorageError,
    check_key,
)


class LocalStore(ObjectStore):
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.root_uri = self.root.as_uri()

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):
            raise StorageError(f"key {key!r} resolves outside the store")
        return path

    def _write_atomically(self, key: str, write: Callable[[BinaryIO], object]) -> None:
        dest = self._path(key)
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as out:
                write(out)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

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
        self._path(key).unlink(missing_ok=True)

    def delete_prefix(self, prefix: str) -> int:
        if not prefix.endswith("/"):
            raise ValueError("prefix must end in '/'")
        base = self._path(prefix.rstrip("/"))
        if not base.exists():
            return 0
        count = sum(1 for p in base.rglob("*") if p.is_file())
        shutil.rmtree(base)
        return count

    def check(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".readyz"
            probe.write_bytes(b"ok")
            probe.unlink()
        except OSError as exc:
            raise StorageError(f"{self.root_uri} is not writable: {exc}") from exc
