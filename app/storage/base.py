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


class LinkRefused(Exception):
    """A write or delete would go through a symbolic link below the store's root. Refused: a
    link can point anywhere, so following it could write or delete outside the store. A data
    problem (someone planted the link), not an outage, so not a StorageError: never retried."""

    def __init__(self, key: str, link: str) -> None:
        super().__init__(
            f"{link!r} is a symbolic link; the store never writes or deletes through one"
        )
        self.key = key  # the key being written or deleted
        self.link = link  # the key of the link found on the way (the key itself or a folder)


class ObjectChanged(Exception):
    """The object is no longer the version that was recorded (its ETag differs): a data problem,
    not an outage, so it is not a StorageError and is never retried."""


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
    def download_file(self, key: str, dest: Path, if_etag: str | None = None) -> None:
        """Copy an object to a local file, atomically: `dest` is whole or absent. With `if_etag`,
        raise ObjectChanged unless the object still has that ETag."""

    @abstractmethod
    def exists(self, key: str) -> bool: ...

    @abstractmethod
    def list(self, prefix: str = "") -> Iterator[ObjectInfo]: ...

    @abstractmethod
    def delete(self, key: str) -> None:
        """Delete one object; absent is fine."""

    @abstractmethod
    def delete_prefix(self, prefix: str) -> int:
        """Delete every object under `prefix` (which must end in '/'); return how many."""

    @abstractmethod
    def check(self) -> None:
        """Raise StorageError unless the store is reachable and usable."""

    def local_path(self, key: str) -> Path | None:
        """The object's path on this machine when the store is a local folder, else None."""
        return None

    def head(self, key: str) -> ObjectInfo:
        """Size and ETag of one object; ObjectNotFound if absent."""
        for info in self.list(key):
            if info.key == key:
                return info
        raise ObjectNotFound(self.uri_for(key))

    def uri_for(self, key: str) -> str:
        return self.root_uri.rstrip("/") + "/" + check_key(key)
