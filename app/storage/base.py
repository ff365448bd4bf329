"""One interface over object storage: keys are '/'-separated paths below the store's root URI."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class StorageError(Exception):
    """The store could not be reached or refused an operation (infrastructure, not the user)."""


class ObjectNotFound(StorageError):
    pass


class InvalidKey(ValueError):
    pass


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    etag: str


def check_key(key: str) -> str:
    """Refuse keys that could escape the root or mean different things on different stores."""
    parts = key.split("/")
    if (
        not key
        or key.startswith("/")
        or "\\" in key
        or "\x00" in key
        or any(p in ("", ".", "..") for p in parts[:-1])
        or parts[-1] in (".", "..")
    ):
        raise InvalidKey(f"invalid storage key {key!r}")
    return key


class ObjectStore(ABC):
    root_uri: str

    @abstractmethod
    def put_bytes(self, key: str, data: bytes) -> None: ...

    @abstractmethod
    def put_file(self, key: str, source: Path) -> None: ...

    @abstractmethod
    def get_bytes(self, key: str) -> bytes: ...

    @abstractmethod
    def download_file(self, key: str, dest: Path) -> None:
        """Copy an object to a local file, atomically: `dest` is whole or absent."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[ObjectInfo]: ...

    @abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under `prefix` (which must end in '/'); return how many."""

    @abstractmethod
    def check(self) -> None:
        """Raise StorageError unless the store is reachable and usable."""

    def uri_for(self, key: str) -> str:
        return self.root_uri.rstrip("/") + "/" + check_key(key)
