"""Reading image sources by URI (file:// or s3://), confined to the roots the server allows, and
a local cache of S3 objects keyed by ETag so repeated jobs do not download twice."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from app.config import Settings
from app.storage import ObjectChanged, ObjectInfo, ObjectStore, open_store
from app.storage.s3 import parse_s3_uri


class SourceNotAllowed(ValueError):
    pass


@dataclass(frozen=True)
class ObjectRef:
    uri: str
    size: int
    etag: str


def _local_path(uri: str) -> Path:
    parsed = urlparse(uri)
    if parsed.netloc not in ("", "localhost"):
        raise SourceNotAllowed(f"{uri!r}: file URIs name a path on the server, file:///path")
    return Path(unquote(parsed.path))


class SourceAccess:
    """Opens stores for source URIs: one per bucket, one for the local filesystem."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stores: dict[str, ObjectStore] = {}

    def check_allowed(self, uri: str) -> None:
        if "\x00" in uri or any(p in ("..", ".") for p in PurePosixPath(urlparse(uri).path).parts):
            raise SourceNotAllowed(f"{uri!r}: '.' and '..' segments are not allowed")
        own = self.settings.resolved_storage_uri.rstrip("/") + "/"
        if uri.startswith(own):
            return  # the service's own storage (uploads, extracted archives)
        if uri.startswith("file://"):
            path = _local_path(uri).resolve()
            roots = self.settings.resolved_file_source_roots
            if not any(path.is_relative_to(root) for root in roots):
                allowed = ", ".join(root.as_uri() for root in roots)
                raise SourceNotAllowed(
                    f"{uri!r} is outside the folders this server reads: {allowed}"
                )
        elif uri.startswith("s3://"):
            bucket, key = parse_s3_uri(uri)
            prefixes = self.settings.s3_source_prefixes
            full = f"s3://{bucket}/{key}"
            if prefixes and not any(full.startswith(p.rstrip("/") + "/") for p in prefixes):
                raise SourceNotAllowed(f"{uri!r} is outside the S3 prefixes this server reads")
        else:
            raise SourceNotAllowed(f"{uri!r}: use a file:// or s3:// URI")

    def locate(self, uri: str) -> tuple[ObjectStore, str]:
        """The store holding `uri` and the object's key in it."""
        self.check_allowed(uri)
        if uri.startswith("s3://"):
            bucket, key = parse_s3_uri(uri)
            root = f"s3://{bucket}"
            key = key.rstrip("/")
        else:
            root, key = "file:///", str(_local_path(uri).resolve()).lstrip("/")
        if root not in self._stores:
            self._stores[root] = open_store(root, self.settings)
        return self._stores[root], key

    def list_folder(self, uri: str) -> list[ObjectInfo]:
        """Objects under a folder URI, keys relative to it."""
        store, key = self.locate(uri)
        prefix = key + "/" if key else ""
        return [
            ObjectInfo(key=info.key[len(prefix) :], size=info.size, etag=info.etag)
            for info in store.list(prefix)
        ]

    def head(self, uri: str) -> ObjectRef:
        store, key = self.locate(uri)
        info = store.head(key)
        return ObjectRef(uri=uri, size=info.size, etag=info.etag)


class ObjectCache:
    """Local copies of remote objects, named by URI and ETag: a changed object is a new entry,
    and an unchanged one is never downloaded twice (across jobs too)."""

    def __init__(self, root: Path, access: SourceAccess, workers: int = 16) -> None:
        self.root = root
        self.access = access
        self.workers = workers

    def path_for(self, ref: ObjectRef) -> Path:
        digest = hashlib.sha256(f"{ref.uri}\n{ref.etag}".encode()).hexdigest()
        # Keep the extension: image readers check that content and name agree.
        suffix = PurePosixPath(urlparse(ref.uri).path).suffix.lower()
        suffix = suffix if suffix.isascii() and suffix[1:].isalnum() else ""
        return self.root / digest[:2] / f"{digest}{suffix}"

    def fetch(self, ref: ObjectRef) -> Path:
        store, key = self.access.locate(ref.uri)
        local = store.local_path(key)
        if local is not None:  # already on this machine: check it is still the recorded file
            if store.head(key).etag != ref.etag:
                raise ObjectChanged(f"{ref.uri} changed since the dataset was registered")
            return local
        path = self.path_for(ref)
        if not path.exists():
            store.download_file(key, path, if_etag=ref.etag)
        return path

    def fetch_many(
        self, refs: list[ObjectRef], on_progress: Callable[[int, int], None] | None = None
    ) -> list[Path]:
        """Download in parallel (S3 is latency-bound: many GETs at once), in input order."""
        paths: list[Path] = []
        with ThreadPoolExecutor(self.workers) as pool:
            for path in pool.map(self.fetch, refs):
                paths.append(path)
                if on_progress is not None and len(paths) % 100 == 0:
                    on_progress(len(paths), len(refs))
        return paths
