"""Reading image sources by URI (file:// or s3://), confined to the roots the server allows, and
a local cache of S3 objects keyed by ETag so repeated jobs do not download twice.

Confinement checks one canonical form of a URI and reads exactly that form, so no later decoding
or link can move the read elsewhere. A file:// URI is percent-decoded once and then resolved
(every symbolic link followed) before it is compared with the roots; the resolved path is what
is opened. An s3:// key is used literally (S3 decodes nothing), so a key that some layer could
decode into '..' or a separator is refused rather than guessed at. Both refuse '.', '..' and
empty ('//') segments, backslashes and control characters, also when percent-encoded (even twice).

Writes (a scoring job's output_uri) go only into the configured output roots, which never overlap
the source roots (Settings refuses that), and never into the service's own storage: a job could
otherwise drop its files into a registered dataset's class folders, or over other jobs' files.
A file:// output's store is rooted at its output root, so that the store's no-link rule covers
every folder below it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import quote, unquote, urlparse

from app.config import Settings
from app.storage import ObjectChanged, ObjectInfo, ObjectStore, open_store
from app.storage.s3 import parse_s3_uri

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_DECODE_ROUNDS = 3
FILE_ROOT = "file:///"


class SourceNotAllowed(ValueError):
    pass


@dataclass(frozen=True)
class ObjectRef:
    uri: str
    size: int
    etag: str


@dataclass(frozen=True)
class Location:
    """Where a URI really points: a store (`file:///` or `s3://bucket`) and a key in it, with no
    leading or trailing '/' ('' for the store's root)."""

    root: str
    key: str

    def within(self, other: Location) -> bool:
        return self.root == other.root and (
            not other.key or self.key == other.key or self.key.startswith(other.key + "/")
        )


def _segment_problem(segment: str) -> str | None:
    """Why a raw path segment is refused, or None. Decoded repeatedly, so that no layer that
    decodes once more (a proxy, an S3-compatible server) can turn it into a traversal."""
    for _ in range(_DECODE_ROUNDS + 1):
        if segment in (".", ".."):
            return "'.' and '..' segments are not allowed (percent-encoded ones neither)"
        if "/" in segment or "\\" in segment:
            return "backslashes and percent-encoded '/' or '\\' are not allowed"
        if _CONTROL.search(segment):
            return "control characters (NUL included) are not allowed"
        try:
            decoded = unquote(segment, errors="strict")
        except UnicodeDecodeError:
            return "percent-encoded bytes must be UTF-8"
        if decoded == segment:
            return None
        segment = decoded
    return "too many layers of percent-encoding"


def _segments(uri: str, path: str) -> list[str]:
    """The raw segments of an absolute '/'-separated path (empty ones only first and last)."""
    parts = path.split("/")
    for n, part in enumerate(parts):
        if not part and 0 < n < len(parts) - 1:
            raise SourceNotAllowed(f"{uri!r}: empty segments ('//') are not allowed")
        problem = _segment_problem(part)
        if problem:
            raise SourceNotAllowed(f"{uri!r}: {problem}")
    return [part for part in parts if part]


def _file_path(uri: str) -> Path:
    """The absolute path a file:// URI names, decoded once, not yet resolved."""
    host, slash, path = uri.removeprefix("file://").partition("/")
    if host not in ("", "localhost"):
        raise SourceNotAllowed(f"{uri!r}: file URIs name a path on the server, file:///path")
    if not slash:
        raise SourceNotAllowed(f"{uri!r}: no path; write file:///absolute/path")
    if "?" in path or "#" in path:
        raise SourceNotAllowed(f"{uri!r}: percent-encode '?' and '#' in file names (%3F, %23)")
    return Path("/", *(unquote(part, errors="strict") for part in _segments(uri, "/" + path)))


def parse_location(uri: str) -> Location:
    """The canonical location of a URI (symbolic links resolved), or SourceNotAllowed."""
    if _CONTROL.search(uri) or "\\" in uri:
        raise SourceNotAllowed(f"{uri!r}: backslashes and control characters are not allowed")
    if uri.startswith("file://"):
        try:
            real = _file_path(uri).resolve()
        except (OSError, RuntimeError):  # a link loop, a name too long
            # Not the error's text: it names where the links led, which may be outside the roots.
            raise SourceNotAllowed(
                f"{uri!r} cannot be resolved (a loop of symbolic links, or a name too long)"
            ) from None
        return Location(FILE_ROOT, str(real).lstrip("/"))
    if uri.startswith("s3://"):
        bucket, _, key = uri.removeprefix("s3://").partition("/")
        if not _BUCKET.match(bucket):
            raise SourceNotAllowed(f"{uri!r}: {bucket!r} is not an S3 bucket name")
        return Location(f"s3://{bucket}", "/".join(_segments(uri, "/" + key)))
    raise SourceNotAllowed(f"{uri!r}: use a file:// or s3:// URI (lowercase)")


def child_uri(folder_uri: str, key: str) -> str:
    """The URI of `key` (relative, '/'-separated, as listed) in a folder URI: percent-encoded for
    file:// (a file named 'a#1.png' or '100%.png' reads back as itself), literal for s3://."""
    base = folder_uri.rstrip("/")
    return f"{base}/{quote(key)}" if base.startswith("file://") else f"{base}/{key}"


def _s3_location(uri: str) -> Location:
    bucket, prefix = parse_s3_uri(uri)
    return Location(f"s3://{bucket}", prefix.strip("/"))


def _path_location(path: Path) -> Location:
    return Location(FILE_ROOT, str(path).lstrip("/"))


def _own_location(settings: Settings) -> Location:
    uri = settings.resolved_storage_uri
    if uri.startswith("s3://"):
        return _s3_location(uri)
    return _path_location(Path(unquote(urlparse(uri).path)).resolve())


def _output_setting(location: Location) -> str:
    if location.root == FILE_ROOT:
        return "RESNET_STUDIO_OUTPUT_ROOTS"
    return "RESNET_STUDIO_OUTPUT_S3_PREFIXES"


class SourceAccess:
    """Opens stores for source URIs: one per bucket, one for the local filesystem."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._stores: dict[str, ObjectStore] = {}
        self._own = _own_location(settings)
        self._file_roots = settings.resolved_file_source_roots
        self._s3_prefixes = [_s3_location(prefix) for prefix in settings.s3_source_prefixes]
        self._outputs = [_path_location(root) for root in settings.resolved_output_roots]
        self._outputs += [_s3_location(prefix) for prefix in settings.output_s3_prefixes]

    def check_allowed(self, uri: str, *, write: bool = False) -> Location:
        """Where `uri` points, if the server may read it (or, with `write`, write there). Reads:
        under a file root or an S3 prefix, or in the service's own storage (uploads, extracted
        archives). Writes: under an output root only."""
        location = parse_location(uri)
        if write:
            self._check_writable(uri, location)
        elif not location.within(self._own):
            problem = self._source_problem(uri, location)
            if problem:
                raise SourceNotAllowed(problem)
        return location

    def _source_problem(self, uri: str, location: Location) -> str | None:
        """Why `location` is outside every source root, or None when it is inside one."""
        if location.root == FILE_ROOT:
            path = Path("/", location.key)
            # The roots are the server's own folders: named to the operator, never the caller.
            if not any(path.is_relative_to(root) for root in self._file_roots):
                return (
                    f"{uri!r} is outside the folders this server may read; ask the operator "
                    "for the allowed roots (RESNET_STUDIO_FILE_SOURCE_ROOTS)"
                )
        elif self._s3_prefixes and not any(location.within(p) for p in self._s3_prefixes):
            return (
                f"{uri!r} is outside the S3 prefixes this server may read; ask the operator "
                "for the allowed prefixes (RESNET_STUDIO_S3_SOURCE_PREFIXES)"
            )
        return None

    def _check_writable(self, uri: str, location: Location) -> None:
        # In the caller's terms: a setting to ask about, never the server's folders (nor the
        # URI, which may have resolved elsewhere).
        ask = (
            f"must be inside one of this server's output roots ({_output_setting(location)}); "
            "ask the operator for one, or leave output_uri unset to keep the files in the job's "
            "own storage"
        )
        if location.within(self._own):
            raise SourceNotAllowed(f"is inside the service's own storage, but {ask}")
        if self._output_root(location) is None:
            raise SourceNotAllowed(ask)
        if self._source_problem(uri, location) is None:  # Settings keep roots apart: a guard
            raise SourceNotAllowed(f"is where this server reads datasets from, but {ask}")

    def _output_root(self, location: Location) -> Location | None:
        return next((root for root in self._outputs if location.within(root)), None)

    def _store(self, root_uri: str) -> ObjectStore:
        if root_uri not in self._stores:
            self._stores[root_uri] = open_store(root_uri, self.settings)
        return self._stores[root_uri]

    def locate(self, uri: str, *, write: bool = False) -> tuple[ObjectStore, str]:
        """The store holding `uri` and the object's key in it: the checked location itself. A
        file:// write's store is rooted at its output root, so no link below that is followed."""
        location = self.check_allowed(uri, write=write)
        root = self._output_root(location) if write else None
        if root is not None and root.root == FILE_ROOT:
            key = location.key.removeprefix(root.key).lstrip("/")
            return self._store(Path("/", root.key).as_uri()), key
        return self._store(location.root), location.key

    def locate_output(self, uri: str) -> tuple[ObjectStore, str]:
        """A file a scoring job wrote, to read back: in an output root (not readable as a source:
        that keeps outputs out of datasets), in the service's own storage, or (jobs from before
        output roots) in a source root."""
        write = self._output_root(parse_location(uri)) is not None
        return self.locate(uri, write=write)

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
