"""Where pretrained ImageNet weights come from: a local folder, then an optional s3:// prefix, then
(only if allowed) a download. Files go by torchvision's own names, e.g. resnet50-11ad3fa6.pth, so an
operator can fill the store with the files torchvision would download."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import urllib.request
from pathlib import Path

from app.config import Settings
from app.ml.architectures import ImageNetWeights
from app.storage import ObjectNotFound, ObjectStore, StorageError

log = logging.getLogger(__name__)


class WeightsMissing(Exception):
    """The file is nowhere this server may look; the message says where to put it."""


class WeightsCorrupt(Exception):
    pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class WeightsStore:
    def __init__(self, settings: Settings, remote: ObjectStore | None) -> None:
        self.local_dir = settings.resolved_weights_dir.resolve()
        self.remote = remote
        self.download = settings.weights_download
        self.download_base_url = settings.weights_download_base_url.rstrip("/") + "/"
        self.download_timeout_s = settings.weights_download_timeout_s
        self.verify_hash = settings.weights_verify_hash

    def places(self, file_name: str) -> str:
        where = [str(self.local_dir / file_name)]
        if self.remote is not None:
            where.append(self.remote.uri_for(file_name))
        return " or ".join(where)

    def available_files(self) -> set[str]:
        """Names of the weight files present right now (local folder and S3 prefix)."""
        names = {p.name for p in self.local_dir.glob("*.pth")} if self.local_dir.is_dir() else set()
        if self.remote is not None:
            try:
                names |= {info.key for info in self.remote.list() if "/" not in info.key}
            except StorageError as exc:
                log.warning("weights prefix unreachable: %s", exc)
        return names

    def fetch(self, weights: ImageNetWeights) -> tuple[Path, str]:
        """A local path to a verified copy of the file and its sha256, fetching it into the local
        folder first when it is only in S3 (or, if allowed, on the download server)."""
        path = self.local_dir / weights.file_name
        if not path.is_file():
            self._fetch_missing(weights, path)
        actual = sha256_of(path)
        expected = weights.sha256_prefix
        if self.verify_hash and expected and not actual.startswith(expected):
            raise WeightsCorrupt(
                f"{path} has sha256 {actual[:12]}..., but its name promises {expected}...: "
                f"replace it with torchvision's file from {weights.url}"
            )
        return path, actual

    def _fetch_missing(self, weights: ImageNetWeights, path: Path) -> None:
        if self.remote is not None:
            try:
                self.remote.download_file(weights.file_name, path)
                return
            except ObjectNotFound:
                pass
        if self.download:
            self._download(weights, path)
            return
        raise WeightsMissing(
            f"ImageNet weights file {weights.file_name} ({weights.name}) is not in the weights "
            f"store: put torchvision's file from {weights.url} at "
            f"{self.places(weights.file_name)}, or build with pretrained=false"
        )

    def _download(self, weights: ImageNetWeights, path: Path) -> None:
        url = self.download_base_url + weights.file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part")
        try:
            # The URL comes from server settings and torchvision's file names, never a request.
            with (
                urllib.request.urlopen(url, timeout=self.download_timeout_s) as response,  # noqa: S310
                tmp.open("wb") as out,
            ):
                shutil.copyfileobj(response, out, 1 << 20)
            # Checked before it takes the file's name: a corrupt download is never kept (it
            # would be found, refused and never fetched again).
            expected, actual = weights.sha256_prefix, sha256_of(tmp)
            if self.verify_hash and expected and not actual.startswith(expected):
                tmp.unlink()
                raise WeightsCorrupt(
                    f"the download from {url} has sha256 {actual[:12]}..., but the file's name "
                    f"promises {expected}...: nothing was kept; try again"
                )
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise WeightsMissing(
                f"ImageNet weights file {weights.file_name} is not in the weights store and the "
                f"download from {url} failed ({exc}): put the file at "
                f"{self.places(weights.file_name)}"
            ) from exc
